"""agent-platform: load this stack's environment file, build its Platform, export what teams consume."""

import pulumi

from components.platform import Platform, PlatformArgs
from environments import EnvironmentFileError, load_environment

config = pulumi.Config()
try:
    environment = load_environment(config.require("environment"))
except EnvironmentFileError as error:
    # A clean, one-line failure before any resource exists: never a traceback, never a half-built stage.
    raise pulumi.RunError(str(error)) from None

platform = Platform(environment.stage, PlatformArgs(environment, pulumi.Config("aws").require("region")))
pulumi.export("stage", environment.stage)
pulumi.export("tier", environment.tier.value)
