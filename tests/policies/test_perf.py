"""policies._perf changes how fast the pack answers, never what it answers.

`_perf.install()` patches pulumi_policy for the whole interpreter, so the comparison runs in a child
process (`python -m tests.policies.test_perf <stage> <mode>`): it analyzes every resource of the stage
(and a stripped copy of each, which violates or skips most policies) with the SDK as shipped, installs the
patch, analyzes the same requests again with a new servicer and prints how many responses differ.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Configured levels the patched Analyze must honour like the SDK: one policy off, one downgraded.
POLICY_CONFIG = {"lambda-tracing-active": "disabled", "kms-key-rotation-enabled": {"enforcementLevel": "remediate"}}


def _compare(stage: str, mode: str) -> dict[str, int]:
    import pulumi_policy.policy as sdk
    from google.protobuf import empty_pb2
    from pulumi.runtime.proto import analyzer_pb2
    from pulumi_policy import EnforcementLevel

    from engine import load_stack, run_program
    from engine.analyzer import _options, _provider, _struct, policy_pack_for, resolve_policy_config
    from policies import _perf
    from policies.pack import POLICIES

    stack = load_stack(REPO, stage)
    os.environ.update(policy_pack_for(stack, mode, REPO / "policies").env)
    run = run_program(stack, mode)
    by_urn = {r.urn: r for r in run.registrations}
    requests = []
    for r in run.resources:
        common = {"type": r.type, "urn": r.urn, "name": r.name, "options": _options(r)}
        requests.append(
            analyzer_pb2.AnalyzeRequest(properties=_struct(r.inputs), provider=_provider(by_urn, r), **common)
        )
        requests.append(analyzer_pb2.AnalyzeRequest(**common))
    stack_request = analyzer_pb2.AnalyzeStackRequest(
        resources=[
            analyzer_pb2.AnalyzerResource(
                type=r.type,
                properties=_struct(r.outputs if r.custom else r.inputs),
                urn=r.urn,
                name=r.name,
                options=_options(r),
                provider=_provider(by_urn, r),
                parent=r.parent,
                dependencies=r.dependencies,
            )
            for r in run.registrations
        ]
    )

    def answers() -> list[bytes]:
        servicer = sdk._PolicyAnalyzerServicer("pack", "1.0.0", POLICIES, EnforcementLevel.MANDATORY)
        info = servicer.GetAnalyzerInfo(empty_pb2.Empty(), None)
        configure = analyzer_pb2.ConfigureAnalyzerRequest(policyConfig=resolve_policy_config(info, POLICY_CONFIG))
        servicer.Configure(configure, None)
        replies = [servicer.Analyze(request, None) for request in requests]
        replies.append(servicer.AnalyzeStack(stack_request, None))
        return [reply.SerializeToString(deterministic=True) for reply in replies]

    stock = answers()
    installed = _perf.install()
    patched = answers()
    diagnostics = sum(len(analyzer_pb2.AnalyzeResponse.FromString(b).diagnostics) for b in stock)
    return {
        "installed": int(installed),
        "responses": len(stock),
        "diagnostics": diagnostics,
        "different": sum(a != b for a, b in zip(stock, patched, strict=True)),
    }


@pytest.mark.parametrize(("stage", "mode"), [("run", "preview"), ("crawl", "up")])
def test_patched_pack_answers_exactly_as_the_sdk(stage: str, mode: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.policies.test_perf", stage, mode],
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
    from policies import _perf

    monkeypatch.setattr(_perf.metadata, "version", lambda name: "2.0.0")
    import pulumi_policy.policy as sdk

    if getattr(sdk, "_agent_platform_memo", False):
        pytest.skip("already installed in this interpreter")
    assert _perf.install() is False
    assert not getattr(sdk, "_agent_platform_memo", False)


if __name__ == "__main__":
    print(json.dumps(_compare(sys.argv[1], sys.argv[2])))
