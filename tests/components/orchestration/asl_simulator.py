"""A small Amazon States Language interpreter (JSONata mode) for testing the workflow's paths offline.

It implements what the platform's workflow uses: Task, Choice, Parallel, Pass; Arguments, Assign, Output,
Retry (attempt counting), Catch; `$states.input/result/errorOutput/context` and workflow variables.
Task results come from a test-supplied handler, so every path (success, retry, fallback, escalation)
can be driven without AWS. JSONata expressions are evaluated by jsonata-python.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jsonata
from jsonata.utils import Utils

EXECUTION_ID = "arn:aws:states:us-east-1:123456789012:express:ap-walk-agent-workflow:exec-1:run-1"
ENTERED_TIME = "2026-11-25T10:00:00.000Z"


class TaskFailedError(Exception):
    """Raised by a task handler: the States error name and its cause."""

    def __init__(self, error: str, cause: str = "") -> None:
        super().__init__(error)
        self.error = error
        self.cause = cause


TaskHandler = Callable[[str, dict[str, Any]], Any]


@dataclass
class Trace:
    visited: list[str] = field(default_factory=list)
    calls: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)  # (state, resource, arguments)

    def arguments_of(self, state: str) -> list[dict[str, Any]]:
        return [arguments for name, _, arguments in self.calls if name == state]


class Simulator:
    def __init__(self, definition: dict[str, Any], handler: TaskHandler) -> None:
        assert definition.get("QueryLanguage") == "JSONata", "the simulator speaks JSONata mode only"
        self.definition = definition
        self.handler = handler
        self.trace = Trace()

    def run(self, execution_input: Any) -> Any:
        return self._run_states(self.definition, execution_input, {})

    # -- evaluation -------------------------------------------------------------------------------
    def _evaluate(self, template: Any, states: dict[str, Any], variables: dict[str, Any]) -> Any:
        if isinstance(template, str) and template.startswith("{%") and template.endswith("%}"):
            source = template[2:-2].strip()
            value = self._jsonata(source, states, variables)
            # Step Functions rejects an expression whose result is undefined (jsonata-python says None
            # for both undefined and null, so ask JSONata itself).
            if value is None and not self._jsonata(f"$exists(({source}))", states, variables):
                raise TaskFailedError("States.QueryEvaluationError", f"{source} is undefined")
            return value
        if isinstance(template, dict):
            return {k: self._evaluate(v, states, variables) for k, v in template.items()}
        if isinstance(template, list):
            return [self._evaluate(v, states, variables) for v in template]
        return copy.deepcopy(template)

    @staticmethod
    def _jsonata(source: str, states: dict[str, Any], variables: dict[str, Any]) -> Any:
        expression = jsonata.Jsonata(source)
        expression.assign("states", states)
        for name, value in variables.items():
            # A variable set to JSON null is defined; jsonata-python needs its null marker to know that.
            expression.assign(name, Utils.NULL_VALUE if value is None else value)
        return expression.evaluate(None)

    @staticmethod
    def _context() -> dict[str, Any]:
        return {"Execution": {"Id": EXECUTION_ID}, "State": {"EnteredTime": ENTERED_TIME}}

    def _assign(self, block: dict[str, Any] | None, states: dict[str, Any], variables: dict[str, Any]) -> None:
        if block:
            # All assignments of a block see the variables as they were before the block.
            updates = {name: self._evaluate(value, states, variables) for name, value in block.items()}
            variables.update(updates)

    # -- states -----------------------------------------------------------------------------------
    def _run_states(self, machine: dict[str, Any], state_input: Any, variables: dict[str, Any], path: str = "") -> Any:
        name = machine["StartAt"]
        while True:
            self.trace.visited.append(path + name)
            state = machine["States"][name]
            states = {"input": state_input, "context": self._context()}
            kind = state["Type"]
            if kind == "Choice":
                name = self._choose(state, states, variables)
                continue
            try:
                result = self._execute(path + name, state, states, variables)
            except TaskFailedError as failure:
                error_output = {"Error": failure.error, "Cause": failure.cause}
                catcher = next((c for c in state.get("Catch", []) if _matches(c["ErrorEquals"], failure.error)), None)
                if catcher is None:
                    raise
                states = {**states, "errorOutput": error_output}
                self._assign(catcher.get("Assign"), states, variables)
                state_input = self._evaluate(catcher.get("Output", "{% $states.errorOutput %}"), states, variables)
                name = catcher["Next"]
                continue
            states = {**states, "result": result}
            self._assign(state.get("Assign"), states, variables)
            output = self._evaluate(state.get("Output", "{% $states.result %}"), states, variables)
            if state.get("End"):
                return output
            state_input, name = output, state["Next"]

    def _choose(self, state: dict[str, Any], states: dict[str, Any], variables: dict[str, Any]) -> str:
        for rule in state["Choices"]:
            if self._evaluate(rule["Condition"], states, variables) is True:
                self._assign(rule.get("Assign"), states, variables)
                return rule["Next"]
        return state["Default"]

    def _execute(self, name: str, state: dict[str, Any], states: dict[str, Any], variables: dict[str, Any]) -> Any:
        if state["Type"] == "Pass":  # its result is its input; Output may replace it
            return states["input"]
        if state["Type"] == "Parallel":
            # Branches read the outer variables but cannot change them.
            return [
                self._run_states(branch, states["input"], dict(variables), path=f"{name}/")
                for branch in state["Branches"]
            ]
        assert state["Type"] == "Task", f"unsupported state type {state['Type']}"
        arguments = self._evaluate(state.get("Arguments", {}), states, variables)
        attempts: dict[int, int] = {}
        while True:
            self.trace.calls.append((name, state["Resource"], arguments))
            try:
                return self.handler(state["Resource"], arguments)
            except TaskFailedError as failure:
                retry = next(
                    (i for i, r in enumerate(state.get("Retry", [])) if _matches(r["ErrorEquals"], failure.error)), None
                )
                if retry is None or attempts.get(retry, 0) >= state["Retry"][retry].get("MaxAttempts", 3):
                    raise
                attempts[retry] = attempts.get(retry, 0) + 1


def _matches(error_equals: list[str], error: str) -> bool:
    return "States.ALL" in error_equals or error in error_equals


def reachable_states(definition: dict[str, Any]) -> set[str]:
    """Names of the states reachable from StartAt through Next, Default, Choices and Catch."""
    seen: set[str] = set()
    pending = [definition["StartAt"]]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        state = definition["States"][name]
        targets = [state.get("Next"), state.get("Default")]
        targets += [c["Next"] for c in state.get("Choices", [])] + [c["Next"] for c in state.get("Catch", [])]
        pending += [t for t in targets if t]
    return seen
