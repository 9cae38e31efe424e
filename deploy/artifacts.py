"""`python -m deploy.artifacts --stack run`: sign the stage's function packages with AWS Signer.

What the run job of the pipeline does before `pulumi up` (make sign-artifacts STAGE=run):
1. ensures the stage's signing profile exists: a targeted `pulumi up` of just that resource (its URN is
   read from the offline engine's run of the stack, so it follows the program);
2. builds every package the stage deploys as a reproducible zip (same files as components/packaging.py);
3. uploads each to the account's artifacts bucket (versioned: AWS Signer reads a specific version) and
   runs a Signer signing job with the stage's profile (AWS Lambda developer guide, "Lambda code signing
   with AWS Signer"; boto3 `start_signing_job` and the `successful_signing_job` waiter);
4. writes the manifest (package -> signed S3 object and version) and points the stack config
   `agent-platform:signedArtifacts` at it, so every function deploys its signed package.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bootstrap.state_backend import artifacts_bucket_name  # the bucket bootstrap/ keeps for signed packages
from components.base.packaging import FUNCTIONS_DIR, TOOLS_DIR, function_archive
from components.security.code_signing import MANIFEST_CONFIG_KEY, SignedPackage, signing_profile_name

REPO_ROOT = Path(__file__).resolve().parent.parent
PROFILE_TYPE = "aws:signer/signingProfile:SigningProfile"
FUNCTION_TYPE = "aws:lambda/function:Function"
_EPOCH = (1980, 1, 1, 0, 0, 0)  # zip's earliest date: the same files always give the same bytes


def _files(archive: Any, prefix: str = "") -> Iterable[tuple[str, Path]]:
    for name, item in sorted(archive.assets.items()):
        if hasattr(item, "assets"):
            yield from _files(item, f"{prefix}{name}/")
        else:
            yield f"{prefix}{name}", REPO_ROOT / item.path


def package_zip(package_dir: Path) -> bytes:
    """The package as a zip whose bytes depend only on its files (names, contents), never on the clock."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, path in _files(function_archive(package_dir)):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def package_dir(package: str) -> Path:
    for candidate in (FUNCTIONS_DIR / package, TOOLS_DIR / package):
        if (candidate / "handler.py").is_file():
            return candidate
    raise FileNotFoundError(f"no function package {package!r} under functions/ or functions/tools/")


@dataclass
class PackageSigner:
    """Uploads a package and has AWS Signer sign it; the boto3 clients are injected (tests stub them)."""

    s3: Any
    signer: Any
    bucket: str
    stack: str

    def sign(self, package: str, body: bytes) -> SignedPackage:
        digest = hashlib.sha256(body).hexdigest()[:16]
        key = f"{self.stack}/unsigned/{package}-{digest}.zip"
        version = self.s3.put_object(Bucket=self.bucket, Key=key, Body=body)["VersionId"]
        job = self.signer.start_signing_job(
            source={"s3": {"bucketName": self.bucket, "key": key, "version": version}},
            destination={"s3": {"bucketName": self.bucket, "prefix": f"{self.stack}/signed/{package}-"}},
            profileName=signing_profile_name(self.stack),
        )["jobId"]
        self.signer.get_waiter("successful_signing_job").wait(jobId=job)
        signed_key = self.signer.describe_signing_job(jobId=job)["signedObject"]["s3"]["key"]
        signed_version = self.s3.head_object(Bucket=self.bucket, Key=signed_key)["VersionId"]
        return SignedPackage(self.bucket, signed_key, signed_version)


def cli_urn(registration: Any, by_urn: dict[str, Any], stack: str, project: str) -> str:
    """The URN the Pulumi CLI gives a resource: its type qualified by every ancestor's type (the SDK's mock
    monitor, and so the offline engine, qualifies by the parent's type only)."""
    types, parent = [registration.type], by_urn.get(registration.parent or "")
    while parent is not None and parent.type != "pulumi:pulumi:Stack":
        types.insert(0, parent.type)
        parent = by_urn.get(parent.parent or "")
    return f"urn:pulumi:{stack}::{project}::{'$'.join(types)}::{registration.name}"


def stage_packages_and_profile(stack: str) -> tuple[list[str], str]:
    """The packages the stage's functions run and its signing profile's URN, from the offline engine."""
    from engine import load_stack, run_program

    config = load_stack(REPO_ROOT, stack)
    run = run_program(config, "preview")
    by_urn = {r.urn: r for r in run.registrations}
    packages = sorted({r.inputs["handler"].split(".")[0] for r in run.resources if r.type == FUNCTION_TYPE})
    profiles = [cli_urn(r, by_urn, stack, config.project) for r in run.resources if r.type == PROFILE_TYPE]
    if len(profiles) != 1:
        raise SystemExit(f"error: stack {stack!r} has {len(profiles)} signing profiles; its tier does not sign code")
    return packages, profiles[0]


def sign_stage(
    stack: str, signer: PackageSigner, packages: list[str], progress: Callable[[str], None] = print
) -> dict[str, SignedPackage]:
    signed = {}
    for package in packages:
        signed[package] = signer.sign(package, package_zip(package_dir(package)))
        progress(f"signed {package}: s3://{signed[package].bucket}/{signed[package].key}")
    return signed


def write_manifest(path: Path, signed: dict[str, SignedPackage]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"packages": {name: package.to_json() for name, package in sorted(signed.items())}}
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - needs AWS and the Pulumi CLI
    import boto3
    from pulumi import automation as auto

    parser = argparse.ArgumentParser(prog="python -m deploy.artifacts", description=__doc__.splitlines()[0])
    parser.add_argument("--stack", required=True)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build" / "signed-artifacts.json")
    args = parser.parse_args(argv)
    packages, profile_urn = stage_packages_and_profile(args.stack)
    stack = auto.select_stack(stack_name=args.stack, work_dir=str(REPO_ROOT))
    stack.up(target=[profile_urn], policy_packs=[str(REPO_ROOT / "policies")], on_output=print, color="never")
    session = boto3.session.Session()
    account = session.client("sts").get_caller_identity()["Account"]
    bucket = artifacts_bucket_name(account, session.region_name)
    signer = PackageSigner(session.client("s3"), session.client("signer"), bucket, args.stack)
    write_manifest(args.out, sign_stage(args.stack, signer, packages))
    stack.set_config(f"agent-platform:{MANIFEST_CONFIG_KEY}", auto.ConfigValue(value=str(args.out)))
    print(f"wrote {args.out}; agent-platform:{MANIFEST_CONFIG_KEY} points at it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
