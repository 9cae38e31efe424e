"""The whole stage: composes every component the stage's tier turns on. The only thing __main__ builds."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from components.context import deploy_context
from components.encryption import Encryption, EncryptionArgs
from environments import Environment


@dataclass(frozen=True)
class PlatformArgs:
    environment: Environment
    region: str


class Platform(pulumi.ComponentResource):
    def __init__(self, name: str, args: PlatformArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:index:Platform", name, None, opts)
        ctx = deploy_context(args.environment, args.region, parent=self)
        child = pulumi.ResourceOptions(parent=self, provider=ctx.provider)
        self.encryption = Encryption(f"{name}-encryption", EncryptionArgs(ctx), opts=child)
        self.register_outputs({})
