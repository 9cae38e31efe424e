"""The requests sent to the pack: what Analyze and AnalyzeStack carry, and what is never analyzed."""

from __future__ import annotations

import pytest

from engine import ProgramRun
from engine.analyze_requests import (
    analyze_request,
    analyze_stack_request,
    is_analyzed,
    providers_of,
    timeout_seconds,
)


@pytest.mark.parametrize(("text", "seconds"), [("", 0), ("45s", 45), ("5m", 300), ("1h30m", 5400)])
def test_custom_timeouts_are_sent_in_seconds(text: str, seconds: float) -> None:
    assert timeout_seconds(text) == seconds


def test_analyze_carries_inputs_and_analyze_stack_the_links(tiny_up: ProgramRun) -> None:
    # GIVEN the tiny program run in up mode (outputs known)
    registrations = tiny_up.registrations
    providers = providers_of(registrations)
    key = next(r for r in registrations if r.type == "aws:kms/key:Key")
    # WHEN the requests are built
    request = analyze_request(key, providers)
    stack_request = analyze_stack_request(registrations, providers)
    # THEN Analyze has the key's inputs and options; AnalyzeStack has every resource with its parent and links
    assert request.urn == key.urn and request.type == key.type
    assert dict(request.properties) == key.inputs
    assert request.options.parent == key.parent
    assert [r.urn for r in stack_request.resources] == [r.urn for r in registrations]
    sent = {r.urn: r for r in stack_request.resources}[key.urn]
    assert dict(sent.properties) == key.outputs
    assert {k: list(v.urns) for k, v in sent.propertyDependencies.items()} == key.property_dependencies


def test_the_stack_itself_is_never_analyzed(tiny_preview: ProgramRun) -> None:
    stack = next(r for r in tiny_preview.registrations if r.type == "pulumi:pulumi:Stack")
    assert not is_analyzed(stack)
    assert any(is_analyzed(r) for r in tiny_preview.registrations)
