"""What a policy evaluation found: the pack's policies, the violations, what was evaluated and what did not apply.

`build/<stack>.policy.json` is `PolicyReport.to_json()`; the CLI's summary and exit code read the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pulumi.runtime.proto import analyzer_pb2

from engine.policy_config import LEVELS

SEVERITIES = {
    analyzer_pb2.POLICY_SEVERITY_UNSPECIFIED: "",
    analyzer_pb2.POLICY_SEVERITY_LOW: "low",
    analyzer_pb2.POLICY_SEVERITY_MEDIUM: "medium",
    analyzer_pb2.POLICY_SEVERITY_HIGH: "high",
    analyzer_pb2.POLICY_SEVERITY_CRITICAL: "critical",
}


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

    def record(self, response: analyzer_pb2.AnalyzeResponse, urn: str) -> None:
        """Add one `Analyze` (`urn` of the resource) or `AnalyzeStack` (`urn` "") response to the report."""
        flagged = set()
        for diagnostic in response.diagnostics:
            flagged.add(diagnostic.policyName)
            self.violations.append(
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
            self.not_applicable.setdefault(item.policy_name, set()).add(item.reason or "not applicable")
        # A policy that ran without reporting "not applicable" was evaluated, violated or not.
        self.evaluated.update(self.policies_of_scope("stack" if urn == "" else "resource") - skipped)
        self.evaluated.update(flagged)

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


def empty_report(info: analyzer_pb2.AnalyzerInfo, manifest_version: str | None) -> PolicyReport:
    """A report of the pack's policies, before any resource is analyzed.

    As the CLI does, PulumiPolicy.yaml's version (`manifest_version`) wins over the one the pack reports.
    """
    return PolicyReport(
        pack=info.name,
        version=str(manifest_version or info.version),
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
