"""Evaluate a policy pack over the analyzer gRPC protocol, exactly as the Pulumi CLI does.

The pack's `__main__.py` is started as a child process with the stack's config in PULUMI_CONFIG and
PULUMI_PROJECT / PULUMI_STACK / PULUMI_DRY_RUN set; it prints its port, and we call GetAnalyzerInfo,
ConfigureStack, Configure, Analyze (once per resource) and AnalyzeStack (once).
"""

from __future__ import annotations

import functools
import json
import os
import re
import selectors
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import grpc
import jsonschema
import yaml
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from engine.default_providers import is_default_provider
from engine.program import ProgramRun
from engine.project import StackConfig, UsageError
from engine.recorder import STACK_TYPE, Registration

LEVELS = {
    analyzer_pb2.ADVISORY: "advisory",
    analyzer_pb2.MANDATORY: "mandatory",
    analyzer_pb2.REMEDIATE: "remediate",
    analyzer_pb2.DISABLED: "disabled",
}
LEVEL_VALUES = {name: value for value, name in LEVELS.items()}
SEVERITIES = {
    analyzer_pb2.POLICY_SEVERITY_UNSPECIFIED: "",
    analyzer_pb2.POLICY_SEVERITY_LOW: "low",
    analyzer_pb2.POLICY_SEVERITY_MEDIUM: "medium",
    analyzer_pb2.POLICY_SEVERITY_HIGH: "high",
    analyzer_pb2.POLICY_SEVERITY_CRITICAL: "critical",
}
_MAX_MESSAGE = 400 * 1024 * 1024
ANALYZE_WINDOW = 32  # Analyze requests in flight: the pack works 4 at a time, the rest wait queued, not in transit


@dataclass(frozen=True)
class Violation:
    policy: str
    level: str
    severity: str
    message: str
    urn: str  # "" when a stack policy blames the stack as a whole


@dataclass
class PolicyReport:
    pack: str
    version: str
    policies: dict[str, dict[str, Any]]  # name -> {description, level, severity, remediation, type}
    violations: list[Violation] = field(default_factory=list)
    not_applicable: dict[str, set[str]] = field(default_factory=dict)  # policy -> reasons
    evaluated: set[str] = field(default_factory=set)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase, for benchmarks
    _scopes: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def policies_of_scope(self, scope: str) -> frozenset[str]:
        """Names of the pack's resource or stack policies (cached: asked once per analyzed resource)."""
        cached = self._scopes.get(scope)
        if cached is None:
            cached = self._scopes[scope] = frozenset(n for n, meta in self.policies.items() if meta["type"] == scope)
        return cached

    @property
    def mandatory(self) -> list[Violation]:
        return [v for v in self.violations if v.level == "mandatory"]

    def to_json(self) -> dict[str, Any]:
        return {
            "policyPack": {"name": self.pack, "version": self.version},
            "policies": self.policies,
            "violations": [v.__dict__ for v in self.violations],
            "notApplicable": {k: sorted(v) for k, v in sorted(self.not_applicable.items())},
            "evaluated": sorted(self.evaluated),
            "summary": {
                level: sum(1 for v in self.violations if v.level == level) for level in ("mandatory", "advisory")
            },
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }


def _struct(values: dict[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(values)
    return message


def _seconds(duration: str) -> float:
    """Pulumi custom timeouts ("1h30m", "5m", "45s") in seconds, as the CLI sends them."""
    total = 0.0
    for amount, unit in re.findall(r"([\d.]+)(h|m|s)", duration):
        total += float(amount) * {"h": 3600, "m": 60, "s": 1}[unit]
    return total


def _options(registration: Registration) -> analyzer_pb2.AnalyzerResourceOptions:
    timeouts = registration.custom_timeouts
    return analyzer_pb2.AnalyzerResourceOptions(
        protect=registration.protect,
        ignoreChanges=registration.ignore_changes,
        deleteBeforeReplace=bool(registration.delete_before_replace),
        deleteBeforeReplaceDefined=registration.delete_before_replace is not None,
        additionalSecretOutputs=registration.additional_secret_outputs,
        aliases=registration.aliases,
        customTimeouts=analyzer_pb2.AnalyzerResourceOptions.CustomTimeouts(
            create=_seconds(timeouts.get("create", "")),
            update=_seconds(timeouts.get("update", "")),
            delete=_seconds(timeouts.get("delete", "")),
        ),
        parent=registration.parent,
    )


class PolicyPackProcess:
    """A running policy pack: `with PolicyPackProcess(dir, env) as stub: stub.Analyze(...)`."""

    def __init__(self, pack_dir: Path, env: dict[str, str], start_timeout: float = 60.0) -> None:
        self.pack_dir = pack_dir
        self.env = env
        self.start_timeout = start_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._channel: grpc.Channel | None = None

    @functools.cached_property
    def manifest(self) -> dict[str, Any]:
        path = self.pack_dir / "PulumiPolicy.yaml"
        if not path.is_file():
            raise UsageError(f"{self.pack_dir} is not a policy pack (no PulumiPolicy.yaml)")
        return yaml.safe_load(path.read_text()) or {}

    def _python(self) -> str:
        """The interpreter PulumiPolicy.yaml's `virtualenv` names, else the engine's own."""
        runtime = self.manifest.get("runtime") or {}
        options = runtime.get("options") or {} if isinstance(runtime, dict) else {}
        virtualenv = options.get("virtualenv")
        if virtualenv:
            candidate = (self.pack_dir / virtualenv / "bin" / "python").absolute()
            if candidate.exists():
                return str(candidate)
        return sys.executable

    def start(self) -> PolicyPackProcess:
        """Spawn the pack now; its interpreter boots while the caller runs the program (saves ~1 s)."""
        if self._process is None:
            self._process = subprocess.Popen(
                [self._python(), "-u", "__main__.py"],
                cwd=self.pack_dir,
                env={**os.environ, **self.env},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        return self

    def __enter__(self) -> analyzer_pb2_grpc.AnalyzerStub:
        self.start()
        port = self._read_port()
        self._channel = grpc.insecure_channel(
            f"127.0.0.1:{port}",
            options=[("grpc.max_receive_message_length", _MAX_MESSAGE), ("grpc.max_send_message_length", _MAX_MESSAGE)],
        )
        grpc.channel_ready_future(self._channel).result(timeout=self.start_timeout)
        return analyzer_pb2_grpc.AnalyzerStub(self._channel)

    def _read_port(self) -> int:
        assert self._process is not None and self._process.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self._process.stdout, selectors.EVENT_READ)
        ready = selector.select(timeout=self.start_timeout)
        line = self._process.stdout.readline().decode().strip() if ready else ""
        if not line.isdigit():
            self._process.kill()
            _, stderr = self._process.communicate(timeout=10)
            detail = stderr.decode(errors="replace").strip().splitlines()
            raise UsageError(
                f"policy pack {self.pack_dir} failed to start: "
                + (detail[-1] if detail else f"expected a port on stdout, got {line!r}")
            )
        return int(line)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._channel is not None:
            self._channel.close()
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
            for stream in (self._process.stdout, self._process.stderr):
                if stream is not None:
                    stream.close()


def resolve_policy_config(
    info: analyzer_pb2.AnalyzerInfo, overrides: dict[str, Any]
) -> dict[str, analyzer_pb2.PolicyConfig]:
    """Per-policy config as the CLI computes it: schema defaults < pack initialConfig < config file.

    A value the schema rejects, or config for a policy the pack doesn't have, is a usage error.
    """
    policies = {p.name: p for p in info.policies}
    unknown = sorted(set(overrides) - set(policies) - {"all"})
    if unknown:
        raise UsageError(f"policy config names unknown policies: {', '.join(unknown)}")
    resolved: dict[str, analyzer_pb2.PolicyConfig] = {}
    for name, policy in policies.items():
        schema = json_format.MessageToDict(policy.configSchema) if policy.HasField("configSchema") else {}
        properties_schema = schema.get("properties", {})
        values = {k: v["default"] for k, v in properties_schema.items() if isinstance(v, dict) and "default" in v}
        level = LEVELS[policy.enforcementLevel]
        for layer in (overrides.get("all"), _initial(info, name), overrides.get(name)):
            if isinstance(layer, str):
                level = layer
            elif isinstance(layer, dict):
                level = layer.get("enforcementLevel", level)
                values.update({k: v for k, v in layer.items() if k != "enforcementLevel"})
        if level not in LEVEL_VALUES:
            raise UsageError(
                f"policy config {name}: enforcementLevel {level!r} is not one of {', '.join(LEVEL_VALUES)}"
            )
        if properties_schema:
            # As jsonschema.validate, minus re-checking the pack's schema against the meta-schema on every
            # preview (the pack's tests do that once): that check was most of this phase's time.
            full_schema = {"type": "object", **schema}
            validator = jsonschema.validators.validator_for(full_schema)(full_schema)
            error = jsonschema.exceptions.best_match(validator.iter_errors(values))
            if error is not None:
                path = ".".join(str(p) for p in error.absolute_path) or "(root)"
                raise UsageError(f"policy config {name}.{path}: {error.message}")
        config = analyzer_pb2.PolicyConfig(enforcementLevel=LEVEL_VALUES[level])
        config.properties.update(values)
        resolved[name] = config
    return resolved


def _initial(info: analyzer_pb2.AnalyzerInfo, name: str) -> dict[str, Any] | str | None:
    if name not in info.initialConfig:
        return None
    config = info.initialConfig[name]
    values: dict[str, Any] = json_format.MessageToDict(config.properties)
    values["enforcementLevel"] = LEVELS[config.enforcementLevel]
    return values


def load_policy_config(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise UsageError(f"policy pack config {path}: {error}") from None
    if not isinstance(data, dict):
        raise UsageError(f"policy pack config {path}: expected a JSON object keyed by policy name")
    return data


def policy_pack_for(stack: StackConfig, mode: str, pack_dir: Path) -> PolicyPackProcess:
    """The pack process as the CLI starts it for this stack: config and identity in the environment."""
    env = {
        "PULUMI_CONFIG": json.dumps(stack.config),
        "PULUMI_PROJECT": stack.project,
        "PULUMI_STACK": stack.stack,
        "PULUMI_ORGANIZATION": "organization",
        "PULUMI_DRY_RUN": "true" if mode == "preview" else "false",
    }
    return PolicyPackProcess(pack_dir, env)


def configure_pack(
    stub: analyzer_pb2_grpc.AnalyzerStub, stack: StackConfig, mode: str, config_overrides: dict[str, Any]
) -> analyzer_pb2.AnalyzerInfo:
    """`GetAnalyzerInfo`, `ConfigureStack` and `Configure`, as the CLI opens a policy evaluation."""
    info = stub.GetAnalyzerInfo(empty_pb2.Empty())
    stub.ConfigureStack(
        analyzer_pb2.AnalyzerStackConfigureRequest(
            stack=stack.stack,
            project=stack.project,
            organization="organization",
            dry_run=mode == "preview",
            config=_struct(dict(stack.config)),
        )
    )
    stub.Configure(analyzer_pb2.ConfigureAnalyzerRequest(policyConfig=resolve_policy_config(info, config_overrides)))
    return info


def empty_report(info: analyzer_pb2.AnalyzerInfo, pack: PolicyPackProcess) -> PolicyReport:
    """A report of the pack's policies, before any resource is analyzed."""
    return PolicyReport(
        pack=info.name,
        # As the CLI does, PulumiPolicy.yaml's version wins over the one the pack reports.
        version=str(pack.manifest.get("version") or info.version),
        policies={
            p.name: {
                "description": p.description,
                "level": LEVELS[p.enforcementLevel],
                "severity": SEVERITIES.get(p.severity, ""),
                "remediation": p.remediation_steps,
                "type": "stack" if p.policy_type == analyzer_pb2.POLICY_TYPE_STACK else "resource",
            }
            for p in info.policies
        },
    )


def is_analyzed(registration: Registration) -> bool:
    """Whether the CLI sends the resource to `Analyze`: not the stack itself, not a default provider."""
    return registration.type != STACK_TYPE and not is_default_provider(registration)


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
        report = empty_report(info, pack)
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
                _collect(report, reply.result(), urn)
        for urn, reply in in_flight:
            _collect(report, reply.result(), urn)
        stack_started = clock()
        stack_request = analyze_stack_request(run.registrations, providers)
        _collect(report, stub.AnalyzeStack(stack_request), "")
        report.timings = {
            "startSeconds": connected - started,
            "configureSeconds": configured - connected,
            "analyzeSeconds": stack_started - configured,
            "analyzeCalls": analyzed,
            "analyzeStackSeconds": clock() - stack_started,
        }
    return report


def providers_of(registrations: list[Registration]) -> dict[str, analyzer_pb2.AnalyzerProviderResource | None]:
    """Each provider the resources use, as the analyzer protocol describes it (built once, not per resource)."""
    by_urn = {r.urn: r for r in registrations}
    one_user_each = {r.provider_urn: r for r in registrations if r.provider_urn}
    return {urn: _provider(by_urn, user) for urn, user in one_user_each.items()}


def analyze_request(
    registration: Registration, providers: dict[str, analyzer_pb2.AnalyzerProviderResource]
) -> analyzer_pb2.AnalyzeRequest:
    """What the CLI sends for one resource before it is created: its inputs."""
    return analyzer_pb2.AnalyzeRequest(
        type=registration.type,
        properties=_struct(registration.inputs),
        urn=registration.urn,
        name=registration.name,
        options=_options(registration),
        provider=providers.get(registration.provider_urn),
    )


def analyze_stack_request(
    registrations: list[Registration], providers: dict[str, analyzer_pb2.AnalyzerProviderResource]
) -> analyzer_pb2.AnalyzeStackRequest:
    """What the CLI sends once the program has run: every resource, custom ones with their outputs."""
    return analyzer_pb2.AnalyzeStackRequest(
        resources=[
            analyzer_pb2.AnalyzerResource(
                type=r.type,
                properties=_struct(r.outputs if r.custom else r.inputs),
                urn=r.urn,
                name=r.name,
                options=_options(r),
                provider=providers.get(r.provider_urn),
                parent=r.parent,
                dependencies=r.dependencies,
                propertyDependencies={
                    k: analyzer_pb2.AnalyzerPropertyDependencies(urns=v) for k, v in r.property_dependencies.items()
                },
            )
            for r in registrations
        ]
    )


def _provider(
    by_urn: dict[str, Registration], registration: Registration
) -> analyzer_pb2.AnalyzerProviderResource | None:
    provider = by_urn.get(registration.provider_urn)
    if provider is None:
        return None
    return analyzer_pb2.AnalyzerProviderResource(
        type=provider.type, properties=_struct(provider.inputs), urn=provider.urn, name=provider.name
    )


def _collect(report: PolicyReport, response: analyzer_pb2.AnalyzeResponse, urn: str) -> None:
    flagged = set()
    for diagnostic in response.diagnostics:
        flagged.add(diagnostic.policyName)
        report.violations.append(
            Violation(
                policy=diagnostic.policyName,
                level=LEVELS[diagnostic.enforcementLevel],
                severity=SEVERITIES.get(diagnostic.severity, ""),
                message=diagnostic.message,
                urn=diagnostic.urn or urn,
            )
        )
    skipped = set()
    for item in response.not_applicable:
        skipped.add(item.policy_name)
        report.not_applicable.setdefault(item.policy_name, set()).add(item.reason or "not applicable")
    # A policy that ran without reporting "not applicable" was evaluated, violated or not.
    report.evaluated.update(report.policies_of_scope("stack" if urn == "" else "resource") - skipped)
    report.evaluated.update(flagged)
