"""policies.core.sdk_internals changes how fast the pack answers, never what it answers.

`sdk_internals.install()` patches pulumi_policy for the whole interpreter, so the comparison runs in a child
process (`python -m tests.policies.core.test_sdk_internals <stage> <mode>`): it analyzes every resource of the stage
(and a stripped copy of each, which violates or skips most policies) with the SDK as shipped, installs the
patch, analyzes the same requests again with a new servicer and prints how many responses differ. Two
witness policies run beside the pack's and report everything the SDK hands a policy (arguments, options,
provider, each resource of the stack and its links), so a difference shows even where no policy looks yet.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from enum import Enum
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
# Configured levels the patched Analyze must honour like the SDK: one policy off, one downgraded.
POLICY_CONFIG = {"lambda-tracing-active": "disabled", "kms-key-rotation-enabled": {"enforcementLevel": "remediate"}}


def _witnesses() -> list:
    """Two policies that report everything the SDK hands a policy: responses then differ whenever any part of
    it does, not only the parts today's policies read."""
    from pulumi_policy import EnforcementLevel, PolicyResource, ResourceValidationPolicy, StackValidationPolicy

    from policies.core.props import plain

    def described(value: object) -> object:
        if isinstance(value, PolicyResource):  # another resource, linked: by urn
            return {"link": value.urn}
        value = plain(value)
        if isinstance(value, dict):
            return {key: described(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [described(item) for item in value]
        if isinstance(value, Enum):  # UNKNOWN and other sentinels: by name (their fields link back to their class)
            return repr(value)
        if hasattr(value, "__dict__"):  # args, options, assets, ...: by their fields, never by address
            return {"class": type(value).__name__} | {key: described(item) for key, item in vars(value).items()}
        return value

    def resource_witness(args, report_violation) -> None:
        report_violation(json.dumps(described(args), sort_keys=True, default=repr))

    def stack_witness(args, report_violation) -> None:
        for resource in args.resources:
            fields = {key: described(item) for key, item in vars(resource).items()}
            report_violation(json.dumps(fields, sort_keys=True, default=repr), resource.urn)

    level = EnforcementLevel.ADVISORY
    return [
        ResourceValidationPolicy("witness-resource", "reports its arguments", resource_witness, level),
        StackValidationPolicy("witness-stack", "reports every resource and its links", stack_witness, level),
    ]


def _compare(stage: str, mode: str) -> dict[str, int]:
    import pulumi_policy.policy as sdk
    from google.protobuf import empty_pb2
    from pulumi.runtime.proto import analyzer_pb2
    from pulumi_policy import EnforcementLevel

    from engine import load_stack, run_program
    from engine.analyze_requests import analyze_request, analyze_stack_request, providers_of
    from engine.pack_process import policy_pack_for
    from engine.policy_config import resolve_policy_config
    from policies.core import sdk_internals
    from policies.pack import POLICIES

    stack = load_stack(REPO, stage)
    os.environ.update(policy_pack_for(stack, mode, REPO / "policies").env)
    run = run_program(stack, mode)
    providers = providers_of(run.registrations)
    requests = []
    for r in run.resources:
        request = analyze_request(r, providers)
        stripped = analyzer_pb2.AnalyzeRequest(type=r.type, urn=r.urn, name=r.name, options=request.options)
        requests += [request, stripped]
    stack_request = analyze_stack_request(run.registrations, providers)
    # The same stack without its data: stack policies see unknowns and missing links everywhere.
    stripped_stack = analyzer_pb2.AnalyzeStackRequest(
        resources=[
            analyzer_pb2.AnalyzerResource(type=r.type, urn=r.urn, name=r.name, parent=r.parent)
            for r in stack_request.resources
        ]
    )

    policies = [*POLICIES, *_witnesses()]

    def answers() -> list[bytes]:
        servicer = sdk._PolicyAnalyzerServicer("pack", "1.0.0", policies, EnforcementLevel.MANDATORY)
        info = servicer.GetAnalyzerInfo(empty_pb2.Empty(), None)
        configure = analyzer_pb2.ConfigureAnalyzerRequest(policyConfig=resolve_policy_config(info, POLICY_CONFIG))
        servicer.Configure(configure, None)
        replies = [servicer.Analyze(request, None) for request in requests]
        replies += [servicer.AnalyzeStack(stack_request, None), servicer.AnalyzeStack(stripped_stack, None)]
        return [reply.SerializeToString(deterministic=True) for reply in replies]

    stock = answers()
    installed = sdk_internals.install()
    patched = answers()
    diagnostics = sum(
        not d.policyName.startswith("witness-")
        for reply in stock
        for d in analyzer_pb2.AnalyzeResponse.FromString(reply).diagnostics
    )
    return {
        "installed": int(installed),
        "responses": len(stock),
        "diagnostics": diagnostics,
        "different": sum(a != b for a, b in zip(stock, patched, strict=True)),
    }


@pytest.mark.parametrize(("stage", "mode"), [("run", "preview"), ("crawl", "up")])
def test_patched_pack_answers_exactly_as_the_sdk(stage: str, mode: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.policies.core.test_sdk_internals", stage, mode],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["installed"] == 1, "the patch no longer matches the pinned pulumi_policy"
    assert outcome["diagnostics"] > 100  # the stripped copies really exercise the violation paths
    assert outcome["different"] == 0, outcome


def test_install_refuses_an_sdk_it_was_not_written_for(monkeypatch: pytest.MonkeyPatch) -> None:
    from policies.core import sdk_internals

    monkeypatch.setattr(sdk_internals.metadata, "version", lambda name: "2.0.0")
    import pulumi_policy.policy as sdk

    if getattr(sdk, "_agent_platform_fast", False):
        pytest.skip("already installed in this interpreter")
    assert sdk_internals.install() is False
    assert not getattr(sdk, "_agent_platform_fast", False)


if __name__ == "__main__":
    print(json.dumps(_compare(sys.argv[1], sys.argv[2])))
