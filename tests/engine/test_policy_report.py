"""How the analyzer's responses become the report: violations, not-applicable reasons, what was evaluated."""

from __future__ import annotations

from pulumi.runtime.proto import analyzer_pb2

from engine.policy_report import PolicyReport, Violation, empty_report


def _info() -> analyzer_pb2.AnalyzerInfo:
    info = analyzer_pb2.AnalyzerInfo(name="pack", version="0.0.1")
    info.policies.add(name="rule-a", description="a", enforcementLevel=analyzer_pb2.MANDATORY)
    info.policies.add(name="rule-b", description="b", enforcementLevel=analyzer_pb2.ADVISORY)
    info.policies.add(
        name="stack-c",
        description="c",
        enforcementLevel=analyzer_pb2.MANDATORY,
        policy_type=analyzer_pb2.POLICY_TYPE_STACK,
    )
    return info


def test_the_manifest_version_wins_over_the_packs() -> None:
    assert empty_report(_info(), "1.2.3").version == "1.2.3"
    assert empty_report(_info(), None).version == "0.0.1"


def test_a_response_records_violations_reasons_and_evaluations() -> None:
    # GIVEN an empty report and an Analyze response: rule-a violated, rule-b not applicable
    report = empty_report(_info(), None)
    response = analyzer_pb2.AnalyzeResponse()
    response.diagnostics.add(
        policyName="rule-a",
        message="bad",
        enforcementLevel=analyzer_pb2.MANDATORY,
        severity=analyzer_pb2.POLICY_SEVERITY_HIGH,
    )
    response.not_applicable.add(policy_name="rule-b", reason="not a key")
    # WHEN it is recorded for a resource
    report.record(response, "urn:res")
    # THEN the violation blames the resource, rule-b is not applicable, and only resource policies were evaluated
    assert report.violations == [Violation("rule-a", "mandatory", "high", "bad", "urn:res")]
    assert report.mandatory == report.violations
    assert report.not_applicable == {"rule-b": {"not a key"}}
    assert report.evaluated == {"rule-a"}
    # AND an AnalyzeStack response ("" urn) evaluates the stack policies
    report.record(analyzer_pb2.AnalyzeResponse(), "")
    assert report.evaluated == {"rule-a", "stack-c"}
    assert report.to_json()["summary"] == {"mandatory": 1, "advisory": 0}
    assert report.policies["stack-c"]["type"] == "stack" and report.policies["rule-b"]["level"] == "advisory"


def test_a_report_is_a_plain_dataclass() -> None:
    assert PolicyReport("p", "1", {}).to_json()["violations"] == []
