"""Signing the stage's packages: reproducible zips, the Signer job, the manifest (S3 and Signer stubbed)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber

from components.security.code_signing import SignedPackage, load_signed_artifacts
from deploy.artifacts import (
    PackageSigner,
    package_dir,
    package_zip,
    sign_stage,
    stage_packages_and_profile,
    write_manifest,
)

BUCKET = "agent-platform-artifacts-123456789012-us-east-1"


def test_a_package_zip_is_reproducible_and_carries_the_shared_library() -> None:
    first, second = package_zip(package_dir("ticket_lookup")), package_zip(package_dir("ticket_lookup"))
    assert first == second
    names = zipfile.ZipFile(io.BytesIO(first)).namelist()
    assert "ticket_lookup/handler.py" in names
    assert "shared/__init__.py" in names
    assert not [n for n in names if "__pycache__" in n]


def test_a_package_is_uploaded_signed_by_the_stage_profile_and_its_signed_version_kept() -> None:
    # GIVEN S3 and Signer answering as AWS documents
    s3, signer = boto3.client("s3", region_name="us-east-1"), boto3.client("signer", region_name="us-east-1")
    body = b"zip bytes"
    key = f"run/unsigned/kb_sync-{hashlib.sha256(body).hexdigest()[:16]}.zip"
    with Stubber(s3) as s3_stub, Stubber(signer) as signer_stub:
        s3_stub.add_response("put_object", {"VersionId": "v-unsigned"}, {"Bucket": BUCKET, "Key": key, "Body": body})
        signer_stub.add_response(
            "start_signing_job",
            {"jobId": "job-1"},
            {
                "source": {"s3": {"bucketName": BUCKET, "key": key, "version": "v-unsigned"}},
                "destination": {"s3": {"bucketName": BUCKET, "prefix": "run/signed/kb_sync-"}},
                "profileName": "ap_run_functions",
            },
        )
        signer_stub.add_response("describe_signing_job", {"jobId": "job-1", "status": "Succeeded"}, {"jobId": "job-1"})
        signer_stub.add_response(
            "describe_signing_job",
            {"jobId": "job-1", "signedObject": {"s3": {"bucketName": BUCKET, "key": "run/signed/kb_sync-job-1.zip"}}},
            {"jobId": "job-1"},
        )
        s3_stub.add_response(
            "head_object", {"VersionId": "v-signed"}, {"Bucket": BUCKET, "Key": "run/signed/kb_sync-job-1.zip"}
        )
        # WHEN the package is signed
        signed = PackageSigner(s3, signer, BUCKET, "run").sign("kb_sync", body)
        # THEN the function will deploy exactly the signed object's version
        assert signed == SignedPackage(BUCKET, "run/signed/kb_sync-job-1.zip", "v-signed")
        s3_stub.assert_no_pending_responses()
        signer_stub.assert_no_pending_responses()


def test_the_manifest_covers_every_package_of_the_stage_and_the_program_reads_it(tmp_path: Path) -> None:
    class FakeSigner:
        def sign(self, package: str, body: bytes) -> SignedPackage:
            return SignedPackage(BUCKET, f"run/signed/{package}.zip", "v1")

    packages, profile_urn = stage_packages_and_profile("run")
    assert packages == ["escalation", "kb_sync", "orchestrator", "ticket_create", "ticket_lookup"]
    # the URN the Pulumi CLI knows (every ancestor's type), for the targeted `pulumi up` of the profile
    assert profile_urn == (
        "urn:pulumi:run::agent-platform::agent-platform:index:Platform$agent-platform:security:CodeSigning"
        "$aws:signer/signingProfile:SigningProfile::run-code-signing-profile"
    )
    signed = sign_stage("run", FakeSigner(), packages, progress=lambda _: None)  # type: ignore[arg-type]
    path = tmp_path / "signed-artifacts.json"
    write_manifest(path, signed)
    assert load_signed_artifacts(path) == signed
    assert sorted(json.loads(path.read_text())["packages"]) == packages


def test_a_stage_that_does_not_sign_is_refused() -> None:
    with pytest.raises(SystemExit, match="its tier does not sign code"):
        stage_packages_and_profile("crawl")
