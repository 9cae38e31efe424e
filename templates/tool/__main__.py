"""Checks the answers to `pulumi new templates/tool` and prints the command that creates the tool.

A tool lives in the platform repository (functions/tools/<package>/, its tests and events) so that every
stage deploys it through the Tool component, with the grants its tool.yaml declares; this project deploys
nothing. `pulumi preview` renders and validates the tool exactly as `make new-tool` does and exports the
files it would write and the `make new-tool ...` command to run in the platform repository.
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

submission_preview("tool", platform_dir)
