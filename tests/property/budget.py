"""How much each hypothesis profile explores: examples per kind of property and the size of generated stages.

`HYPOTHESIS_PROFILE=fast` (the default, `make test`) keeps the suite near two minutes on two cores;
`HYPOTHESIS_PROFILE=deep` (`make test-deep`) explores many more and larger stages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from hypothesis import Phase, settings


@dataclass(frozen=True)
class Budget:
    pure: int  # pure helpers: microseconds per example
    schema: int  # environment-file validation only: about a millisecond
    refusal: int  # an invalid file through the real program: ~0.2 s
    stage: int  # a whole program run per example, shared by the structural properties (~1-3 s)
    policy: int  # a program run plus a policy-pack process per example (~4-8 s)
    pairs: int  # two program runs per example
    max_agents: int  # agents per generated stage (the tier may allow more: run allows 200)
    max_sources: int  # knowledge sources per generated stage


BUDGETS = {
    "fast": Budget(pure=150, schema=100, refusal=15, stage=10, policy=5, pairs=4, max_agents=3, max_sources=2),
    "deep": Budget(pure=2000, schema=1000, refusal=150, stage=120, policy=30, pairs=40, max_agents=6, max_sources=3),
}

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "fast")
if PROFILE not in BUDGETS:
    raise RuntimeError(f"HYPOTHESIS_PROFILE={PROFILE!r}: choose one of {', '.join(BUDGETS)}")
BUDGET = BUDGETS[PROFILE]

# The properties of one generated stage share its program runs and policy evaluation through a memo
# (tests/property/stages.py); drawing with one seed makes them generate the same stages in the same order.
# fast: fixed, so CI is reproducible; deep: fresh each session unless PROPERTY_SEED is set (shown in the header).
_seed = os.environ.get("PROPERTY_SEED")
SPEC_SEED = int(_seed) if _seed else (20_240_601 if PROFILE == "fast" else int.from_bytes(os.urandom(4), "big"))


def expensive(max_examples: int) -> settings:
    """Settings of a property that runs the program: in `fast`, a failure is reported as found (no shrinking,
    which would rerun the program dozens of times); `deep` shrinks it to a minimal spec."""
    if PROFILE == "fast":
        return settings(
            max_examples=max_examples,
            phases=(Phase.explicit, Phase.reuse, Phase.generate),
            report_multiple_bugs=False,
        )
    return settings(max_examples=max_examples)
