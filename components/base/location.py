"""Where a stage deploys: its name, region, account and partition, for physical names and ARNs.

The one value every component receives whole. It carries no tier and no environment: what a component
decides by tier or reads from the environment file arrives as its own named input.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    stage: str
    region: str
    account_id: str
    partition: str

    def arn(self, service: str, resource: str, *, regional: bool = True, with_account: bool = True) -> str:
        """An ARN of this account and region, for resources named before they exist (models, log groups)."""
        region = self.region if regional else ""
        account = self.account_id if with_account else ""
        return f"arn:{self.partition}:{service}:{region}:{account}:{resource}"
