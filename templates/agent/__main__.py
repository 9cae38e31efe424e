"""Agent sandbox: your new agent on a platform stage, in your own AWS account, judged by the platform's policy pack.

    pulumi preview --policy-pack <platform>/policies   # what it would deploy, and whether it is compliant
    pulumi up --policy-pack <platform>/policies        # try it in your sandbox account

The agent ships to the shared stages as an entry in the platform's environments/<stage>.yaml: run
`make new-agent NAME=... STAGE=...` in the platform repository and open a pull request (README "Self-service").
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

from selfservice.sandbox import agent_sandbox  # noqa: E402 (importable only once platformDir is on the path)

agent_sandbox(platform_dir)
