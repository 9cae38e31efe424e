"""Evaluate a policy pack over the analyzer gRPC protocol, exactly as the Pulumi CLI does.

The conversation: start the pack (pack_process), `GetAnalyzerInfo`, `ConfigureStack` and `Configure` with
the resolved policy config (policy_config), `Analyze` once per resource and `AnalyzeStack` once
(analyze_requests), every response recorded in a PolicyReport (policy_report).
"""

from __future__ import annotations

import time
from collections import deque
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from engine.analyze_requests import analyze_request, analyze_stack_request, is_analyzed, providers_of, to_struct
from engine.pack_process import PolicyPackProcess, policy_pack_for
from engine.policy_config import resolve_policy_config
from engine.policy_report import PolicyReport, empty_report
from engine.program import ProgramRun
from engine.project import StackConfig

ANALYZE_WINDOW = 32  # Analyze requests in flight: the pack works 4 at a time, the rest wait queued, not in transit


def configure_pack(
    stub: analyzer_pb2_grpc.AnalyzerStub, stack: StackConfig, mode: str, config_overrides: dict[str, Any]
) -> analyzer_pb2.AnalyzerInfo:
    """`GetAnalyzerInfo`, `ConfigureStack` and `Configure`, as the CLI opens a policy evaluation."""
    info: analyzer_pb2.AnalyzerInfo = stub.GetAnalyzerInfo(empty_pb2.Empty())
    stub.ConfigureStack(
        analyzer_pb2.AnalyzerStackConfigureRequest(
            stack=stack.stack,
            project=stack.project,
            organization="organization",
            dry_run=mode == "preview",
            config=to_struct(dict(stack.config)),
        )
    )
    stub.Configure(analyzer_pb2.ConfigureAnalyzerRequest(policyConfig=resolve_policy_config(info, config_overrides)))
    return info


def evaluate(
    run: ProgramRun, pack_dir: Path, config_overrides: dict[str, Any], pack: PolicyPackProcess | None = None
) -> PolicyReport:
    """Configure the pack for the stack and analyze every resource, then the stack.

    `pack` may have been started (`policy_pack_for(...).start()`) before the program ran.
    """
    stack = run.stack
    pack = pack or policy_pack_for(stack, run.mode, pack_dir)
    clock = time.perf_counter
    started = clock()
    with pack as stub:
        connected = clock()
        info = configure_pack(stub, stack, run.mode, config_overrides)
        report = empty_report(info, pack.version)
        configured = clock()
        providers = providers_of(run.registrations)
        # A few requests in flight: the engine builds the next request while the pack analyzes this one.
        in_flight: deque[tuple[str, grpc.Future]] = deque()
        analyzed = 0
        for registration in run.registrations:
            if not is_analyzed(registration):
                continue
            analyzed += 1
            request = analyze_request(registration, providers)
            in_flight.append((registration.urn, stub.Analyze.future(request)))
            if len(in_flight) >= ANALYZE_WINDOW:
                urn, reply = in_flight.popleft()
                report.record(reply.result(), urn)
        for urn, reply in in_flight:
            report.record(reply.result(), urn)
        stack_started = clock()
        stack_request = analyze_stack_request(run.registrations, providers)
        report.record(stub.AnalyzeStack(stack_request), "")
        report.timings = {
            "startSeconds": connected - started,
            "configureSeconds": configured - connected,
            "analyzeSeconds": stack_started - configured,
            "analyzeCalls": analyzed,
            "analyzeStackSeconds": clock() - stack_started,
        }
    return report
