"""Lambda code signing for the tiers that require it (TierProfile.code_signing): only signed code runs there.

AWS Lambda developer guide, "Lambda code signing with AWS Signer": an AWS Signer signing profile for the
platform `AWSLambda-SHA384-ECDSA`, a code-signing configuration that names the profile's version as the
only allowed publisher and sets `UntrustedArtifactOnDeployment` to `Enforce` (Lambda refuses any other
package), attached to every function; signed packages are read from a versioned S3 bucket.

The pipeline (`make sign-artifacts`, deploy/artifacts.py) builds each function package, has Signer sign
it and writes a manifest (package -> signed S3 object); the stack config `agent-platform:signedArtifacts`
names that manifest and every function of the stage then deploys its signed object instead of the local
archive. Without a manifest (offline previews, a laptop) functions keep their local archive: a real
`pulumi up` of such a stage is refused by Lambda, which is the point.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import pulumi_aws as aws

SIGNING_PLATFORM_ID = "AWSLambda-SHA384-ECDSA"
MANIFEST_CONFIG_KEY = "signedArtifacts"  # agent-platform:signedArtifacts: path of the pipeline's manifest
SIGNATURE_VALIDITY_MONTHS = 12  # a signed package must be deployed within a year of its signing


def signing_profile_name(stage: str) -> str:
    """Signer profile names allow 2-64 letters, digits and underscores: `ap_<stage>_functions`."""
    return f"ap_{stage}_functions".replace("-", "_")[:64]


class SignedArtifactsError(pulumi.RunError, ValueError):
    """The signed-artifacts manifest is missing, malformed or lacks a package; the message names the fix.

    A RunError: the Pulumi CLI reports it as one line, without a traceback."""


@dataclass(frozen=True)
class SignedPackage:
    bucket: str
    key: str
    version: str

    def to_json(self) -> dict[str, str]:
        return {"bucket": self.bucket, "key": self.key, "version": self.version}


def parse_manifest(text: str, source: str) -> dict[str, SignedPackage]:
    """`{"packages": {"<package>": {"bucket": ..., "key": ..., "version": ...}}}` as deploy/artifacts.py writes it."""
    try:
        data = json.loads(text)
        packages = data["packages"]
        return {
            name: SignedPackage(str(entry["bucket"]), str(entry["key"]), str(entry["version"]))
            for name, entry in packages.items()
        }
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
        raise SignedArtifactsError(
            f"{source}: not a signed-artifacts manifest ({type(error).__name__}: {error}); "
            "write it with `make sign-artifacts STAGE=<stage>`"
        ) from None


def load_signed_artifacts(path: Path) -> dict[str, SignedPackage]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SignedArtifactsError(
            f"agent-platform:{MANIFEST_CONFIG_KEY}={path}: {error.strerror}; run `make sign-artifacts` first"
        ) from None
    return parse_manifest(text, str(path))


@dataclass(frozen=True)
class CodeSigningArgs:
    stage: str
    signed_packages: dict[str, SignedPackage] | None  # None: no pipeline manifest (offline, local)


class CodeSigning(pulumi.ComponentResource):
    """The stage's signing profile and the code-signing configuration every function of the stage carries."""

    def __init__(self, name: str, args: CodeSigningArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:security:CodeSigning", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.signed_packages = args.signed_packages
        self.profile = aws.signer.SigningProfile(
            f"{name}-profile",
            aws.signer.SigningProfileArgs(
                name=signing_profile_name(args.stage),
                platform_id=SIGNING_PLATFORM_ID,
                signature_validity_period=aws.signer.SigningProfileSignatureValidityPeriodArgs(
                    type="MONTHS", value=SIGNATURE_VALIDITY_MONTHS
                ),
            ),
            opts=child,
        )
        self.config = aws.lambda_.CodeSigningConfig(
            f"{name}-config",
            aws.lambda_.CodeSigningConfigArgs(
                description=f"Only packages signed by the pipeline's profile run in stage {args.stage}",
                allowed_publishers=aws.lambda_.CodeSigningConfigAllowedPublishersArgs(
                    signing_profile_version_arns=[self.profile.version_arn]
                ),
                policies=aws.lambda_.CodeSigningConfigPoliciesArgs(untrusted_artifact_on_deployment="Enforce"),
            ),
            opts=child,
        )
        self.register_outputs({"signingProfile": self.profile.name, "codeSigningConfig": self.config.arn})

    def function_code(self, package: str, local_archive: pulumi.Archive) -> dict[str, Any]:
        """The FunctionArgs code fields of `package`: its signed S3 object, or the local archive without a manifest."""
        if self.signed_packages is None:
            return {"code": local_archive}
        signed = self.signed_packages.get(package)
        if signed is None:
            raise SignedArtifactsError(
                f"the signed-artifacts manifest has no package {package!r}; re-run `make sign-artifacts`"
            )
        return {"s3_bucket": signed.bucket, "s3_key": signed.key, "s3_object_version": signed.version}
