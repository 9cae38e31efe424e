"""Security layer: the stage's customer-managed keys (Encryption) and Bedrock guardrails (Guardrail)."""
