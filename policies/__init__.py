"""The agent platform's policy pack: one module per policy family; `pack.POLICIES` lists them all."""
