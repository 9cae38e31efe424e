"""Entry point the Pulumi CLI (and the offline engine) runs: it only builds the pack.

Constructing a PolicyPack starts the analyzer gRPC server and never returns, so tests import the
policy modules (policies.pack) instead of this file.
"""

import gc
import sys
from pathlib import Path

# The pack shares the platform's allow-lists and tier matrix: make the repository importable, and its
# modules importable only as `policies.<name>` (the pack directory itself must not shadow top-level
# modules of the standard library or of dependencies: policies/logging.py is not `logging`). Nothing above
# this line may import a module that the pack directory could shadow.
_PACK_DIR = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _PACK_DIR]
sys.path.insert(0, str(_PACK_DIR.parent))

from pulumi_policy import EnforcementLevel, PolicyPack  # noqa: E402 (after the sys.path fix above)

from policies.core import sdk_internals, stage  # noqa: E402
from policies.pack import POLICIES  # noqa: E402

sdk_internals.install()  # decode each resource once per request, not once per policy
# Load the stack's environment file now, while the engine is still running the program, not inside the
# first Analyze requests (where concurrent workers would each parse it).
stage.current()
# What is loaded by now lives as long as the pack: keep the collector from walking it again on every Analyze,
# and collect less often (each request allocates many short-lived objects and next to no cycles).
gc.freeze()
gc.set_threshold(50_000, 20, 100)  # CPython's default: (700, 10, 10)

PolicyPack(
    name="agent-platform-guardrails",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=POLICIES,
    description="Least-privilege IAM, customer-managed KMS keys, Bedrock guardrails, logging and exposure rules "
    "for the agent platform.",
)
