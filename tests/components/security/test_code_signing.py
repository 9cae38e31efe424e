"""CodeSigning: a Signer profile for Lambda and a code-signing configuration that enforces it."""

from __future__ import annotations

import json
from pathlib import Path

import pulumi
import pytest

from components.security.code_signing import (
    SIGNING_PLATFORM_ID,
    CodeSigning,
    CodeSigningArgs,
    SignedArtifactsError,
    SignedPackage,
    load_signed_artifacts,
    parse_manifest,
    signing_profile_name,
)
from environments.tiers import Tier, profile
from tests.components.harness import Built, build

SIGNED = {"orchestrator": SignedPackage("agent-platform-artifacts-1-us-east-1", "run/signed/orchestrator.zip", "v7")}


def test_only_the_run_tier_requires_signed_code() -> None:
    assert [t for t in Tier if profile(t).code_signing] == [Tier.RUN]


def test_the_profile_signs_for_lambda_and_the_config_enforces_it() -> None:
    built = build(lambda ctx: CodeSigning("run-code-signing", CodeSigningArgs("run", None)), "run")
    profile = built.one("aws:signer/signingProfile:SigningProfile")
    assert profile.inputs["platformId"] == SIGNING_PLATFORM_ID == "AWSLambda-SHA384-ECDSA"
    assert profile.inputs["name"] == "ap_run_functions"
    config = built.one("aws:lambda/codeSigningConfig:CodeSigningConfig")
    assert config.inputs["policies"] == {"untrustedArtifactOnDeployment": "Enforce"}
    assert profile.urn in config.property_dependencies["allowedPublishers"]


def test_a_function_deploys_its_signed_object_when_the_pipeline_signed_it() -> None:
    signing: list[CodeSigning] = []
    build(lambda ctx: signing.append(CodeSigning("s", CodeSigningArgs("run", SIGNED))), "run")
    archive = pulumi.AssetArchive({})
    assert signing[0].function_code("orchestrator", archive) == {
        "s3_bucket": "agent-platform-artifacts-1-us-east-1",
        "s3_key": "run/signed/orchestrator.zip",
        "s3_object_version": "v7",
    }
    with pytest.raises(SignedArtifactsError, match="no package 'kb_sync'; re-run `make sign-artifacts`"):
        signing[0].function_code("kb_sync", archive)


def test_without_a_manifest_the_local_archive_stays_and_lambda_will_refuse_it() -> None:
    signing: list[CodeSigning] = []
    build(lambda ctx: signing.append(CodeSigning("s", CodeSigningArgs("run", None))), "run")
    archive = pulumi.AssetArchive({})
    assert signing[0].function_code("orchestrator", archive) == {"code": archive}


def test_manifests_round_trip_and_bad_ones_name_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "signed.json"
    path.write_text(json.dumps({"packages": {k: v.to_json() for k, v in SIGNED.items()}}))
    assert load_signed_artifacts(path) == SIGNED
    with pytest.raises(
        SignedArtifactsError,
        match=r"not a signed-artifacts manifest \(KeyError: .key.\); write it with `make sign-artifacts",
    ):
        parse_manifest('{"packages": {"x": {"bucket": "b"}}}', "m.json")
    with pytest.raises(SignedArtifactsError, match="run `make sign-artifacts` first"):
        load_signed_artifacts(tmp_path / "missing.json")


def test_profile_names_fit_signers_pattern() -> None:
    assert signing_profile_name("billing-sbx") == "ap_billing_sbx_functions"


def test_every_function_of_run_carries_the_enforcing_config_and_crawl_none(crawl: Built, run: Built) -> None:
    (config,) = run.of_type("aws:lambda/codeSigningConfig:CodeSigningConfig")
    functions = run.of_type("aws:lambda/function:Function")
    assert functions
    assert all(f.inputs.get("codeSigningConfigArn") == config.outputs["arn"] for f in functions)
    assert not any("codeSigningConfigArn" in f.inputs for f in crawl.of_type("aws:lambda/function:Function"))
    assert not crawl.of_type("aws:lambda/codeSigningConfig:CodeSigningConfig")


def test_a_bad_manifest_stops_the_program_with_one_line(tmp_path: Path) -> None:
    # GIVEN run's stack config points at a manifest the pipeline did not write
    from engine import ProgramError, run_program
    from engine.project import load_stack
    from tests.components.harness import REPO

    stack = load_stack(REPO, "run")
    broken = tmp_path / "signed.json"
    broken.write_text("{}")
    config = {**stack.config, "agent-platform:signedArtifacts": str(broken)}
    # WHEN the program runs THEN it fails before deploying anything, naming the file and the fix
    with pytest.raises(ProgramError) as failure:
        run_program(type(stack)(stack.project, stack.stack, stack.project_dir, stack.main, config), "preview")
    assert str(failure.value) == (
        f"{broken}: not a signed-artifacts manifest (KeyError: 'packages'); "
        "write it with `make sign-artifacts STAGE=<stage>`"
    )
