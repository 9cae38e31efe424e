"""Checks the answers to `pulumi new templates/stage` and prints the command that creates the stage.

A stage is a stack of the platform project (its environments/<stage>.yaml and Pulumi.<stage>.yaml), so that
the platform's components and policy pack own everything it deploys; this project deploys nothing.
`pulumi preview` validates the answers exactly as `make new-stage` does and exports the files it would
write and the `make new-stage ...` command to run in the platform repository (README "Self-service").
"""

import sys
from pathlib import Path

import pulumi

platform_dir = Path(pulumi.Config().get("platformDir") or "../agent-platform").resolve()
if not (platform_dir / "selfservice" / "__init__.py").is_file():
    raise pulumi.RunError(
        f"platformDir: {platform_dir} is not an agent-platform checkout; "
        "fix it with `pulumi config set platformDir <path of your agent-platform checkout>`"
    )
sys.path.insert(0, str(platform_dir))

from selfservice.sandbox import submission_preview  # noqa: E402 (importable only once platformDir is on the path)

submission_preview("stage", platform_dir)
