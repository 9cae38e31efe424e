"""Entry point the Pulumi CLI (and the offline engine) runs: it only builds the pack.

Constructing a PolicyPack starts the analyzer gRPC server and never returns, so tests import the
policy modules (policies.pack) instead of this file.
"""

import sys
from pathlib import Path

# The pack shares the platform's allow-lists and tier matrix: make the repository importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi_policy import EnforcementLevel, PolicyPack

from policies.pack import POLICIES

PolicyPack(
    name="agent-platform-guardrails",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=POLICIES,
    description="Least-privilege IAM, CMK encryption, guardrails and logging for the agent platform.",
)
