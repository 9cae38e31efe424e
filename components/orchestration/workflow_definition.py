"""The grounded-agent workflow of the seed as an Amazon States Language document (JSONata).

    guard -> retrieve (per knowledge base, in parallel) -> invoke agent (timeout, retry with jittered
    backoff) -> validate output (ApplyGuardrail) -> record -> respond
    any agent failure -> fallback (light model) ; output blocked or fallback failed -> escalate to humans
    record failed -> park the turn in the turn-replay queue (the orchestrator stores it later) -> respond

The orchestrator Lambda implements the steps `guard`, `invoke_agent`, `fallback` and `record`
(functions/orchestrator/README.md is the contract). The output of the state machine is
`{"statusCode": <int>, "body": "<JSON>"}`, which API Gateway returns as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

INVOKE_AGENT_TIMEOUT_SECONDS = 20
WORKFLOW_TIMEOUT_SECONDS = 28  # API Gateway waits at most 29 s for StartSyncExecution
RETRIEVED_PASSAGES = 5

_LAMBDA_TRANSIENT = [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
]


@dataclass(frozen=True)
class WorkflowTargets:
    function_arn: str
    knowledge_base_ids: Sequence[str]
    guardrail_id: str
    guardrail_version: str
    escalation_queue_url: str
    turn_replay_queue_url: str  # where a turn that could not be recorded is parked
    escalated_answer: str  # the orchestrator's "handed to a human" text, in the stage's language
    agent: str
    stage: str


def _lambda_task(
    target: WorkflowTargets, payload: dict[str, Any], *, retry: tuple[dict[str, Any], ...] = (), **fields: Any
) -> dict[str, Any]:
    """A Lambda invocation retried on Lambda's transient errors, then on the step's own ones (`retry`)."""
    return {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Arguments": {"FunctionName": target.function_arn, "Payload": payload},
        "Retry": [
            {
                "ErrorEquals": _LAMBDA_TRANSIENT,
                "IntervalSeconds": 1,
                "MaxAttempts": 2,
                "BackoffRate": 2,
                "JitterStrategy": "FULL",
            },
            *retry,
        ],
        **fields,
    }


def _record_payload(reply: str) -> dict[str, Any]:
    """The `record` step's payload; `reply` is a JSONata expression of the answer object to record."""
    return {
        "step": "record",
        "sessionId": "{% $guard.sessionId %}",
        "correlationId": "{% $states.context.Execution.Id %}",
        "redactedMessage": "{% $guard.redactedMessage %}",
        "answer": f"{{% {reply}.answer %}}",
        "outcome": f"{{% {reply}.outcome %}}",
        "citations": f"{{% {reply}.citations ? {reply}.citations : [] %}}",
        "usage": f"{{% {reply}.usage ? {reply}.usage : {{}} %}}",
        "fallback": f"{{% {reply}.fallback = true %}}",
        "escalated": f"{{% {reply}.escalated = true %}}",
        "confirmation": f"{{% $exists({reply}.confirmation) ? {reply}.confirmation : null %}}",
    }


def _unstored_response(payload: dict[str, Any], status: int) -> dict[str, Any]:
    """The state machine's output when the `record` step did not answer: the body that step returns for
    `payload` (functions/orchestrator/steps.py, StepRunner.record), with `stored` false."""
    body = {
        "answer": payload["answer"],
        "citations": payload["citations"],
        "sessionId": payload["sessionId"],
        "traceId": payload["correlationId"],
        "escalated": payload["escalated"],
        "fallback": payload["fallback"],
        "confirmation": payload["confirmation"],
        "stored": False,
    }
    return {"statusCode": status, "body": "{% $string(" + _jsonata(body) + ") %}"}


def _record(target: WorkflowTargets, name: str, reply: str, status: int) -> dict[str, dict[str, Any]]:
    """Store the turn and answer; if the step fails, park the turn and answer all the same.

    `Record<x>` -> (any failure) `Park<x>`: the same payload to the turn-replay queue, whose consumer
    stores it (functions/orchestrator/replay.py) -> (queue unreachable too) `Unparked<x>`: the answer
    without the turn, the only case where a turn is not kept (both failures are in the workflow's log).
    """
    payload = _record_payload(reply)
    unstored = _unstored_response(payload, status)
    return {
        name: _lambda_task(
            target,
            payload,
            Output={"statusCode": status, "body": "{% $string($states.result.Payload) %}"},
            Catch=[{"ErrorEquals": ["States.ALL"], "Next": f"Park{name}"}],
            End=True,
        ),
        f"Park{name}": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage",
            "Arguments": {
                "QueueUrl": target.turn_replay_queue_url,
                "MessageBody": "{% $string(" + _jsonata(payload) + ") %}",
            },
            "Output": unstored,
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": f"Unparked{name}"}],
            "End": True,
        },
        f"Unparked{name}": {"Type": "Pass", "Output": unstored, "End": True},
    }


def _retrieve(target: WorkflowTargets) -> dict[str, Any]:
    branches = [
        {
            "StartAt": f"Search{index}",
            "States": {
                f"Search{index}": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::aws-sdk:bedrockagentruntime:retrieve",
                    "Arguments": {
                        "KnowledgeBaseId": kb_id,
                        "RetrievalQuery": {"Text": "{% $guard.redactedMessage %}"},
                        "RetrievalConfiguration": {
                            "VectorSearchConfiguration": {"NumberOfResults": RETRIEVED_PASSAGES}
                        },
                    },
                    # The SDK integration answers in PascalCase; the orchestrator's contract is camelCase.
                    "Output": (
                        "{% [$states.result.RetrievalResults.{'content': {'text': Content.Text}, "
                        "'location': {'type': Location.Type, 's3Location': {'uri': Location.S3Location.Uri}}, "
                        "'score': Score}] %}"
                    ),
                    "End": True,
                }
            },
        }
        for index, kb_id in enumerate(target.knowledge_base_ids)
    ]
    return {
        "Type": "Parallel",
        "Branches": branches,
        "Assign": {"context": "{% $reduce($states.result, function($all, $found) { $append($all, $found) }, []) %}"},
        # Knowledge is an aid, not a dependency: without it the agent still answers (and says so).
        "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"context": "{% [] %}"}, "Next": "InvokeAgent"}],
        "Next": "InvokeAgent",
    }


def _validate_output(target: WorkflowTargets) -> dict[str, Any]:
    # Contextual grounding compares the answer with the retrieved passages (when there are any).
    sources = "[{'Text': {'Text': $join($context.content.text, '\\n'), 'Qualifiers': ['grounding_source']}}]"
    query = "[{'Text': {'Text': $guard.redactedMessage, 'Qualifiers': ['query']}}]"
    answer = "[{'Text': {'Text': $reply.answer, 'Qualifiers': ['guard_content']}}]"
    content = f"{{% $append($append($count($context) > 0 ? {sources} : [], {query}), {answer}) %}}"
    return {
        "Type": "Task",
        "Resource": "arn:aws:states:::aws-sdk:bedrockruntime:applyGuardrail",
        "Arguments": {
            "GuardrailIdentifier": target.guardrail_id,
            "GuardrailVersion": target.guardrail_version,
            "Source": "OUTPUT",
            "Content": content,
        },
        "Assign": {"intervened": "{% $states.result.Action = 'GUARDRAIL_INTERVENED' %}"},
        # If the answer cannot be checked, it is not released: a human looks at it instead.
        "Catch": [
            {
                "ErrorEquals": ["States.ALL"],
                "Assign": {"escalation": {"reason": "output_blocked", "detail": "the output check could not run"}},
                "Next": "Escalate",
            }
        ],
        "Next": "OutputAllowed",
    }


def _escalate(target: WorkflowTargets) -> dict[str, Any]:
    message = {
        "schemaVersion": 1,
        "correlationId": "{% $states.context.Execution.Id %}",
        "sessionId": "{% $guard.sessionId %}",
        "agent": target.agent,
        "stage": target.stage,
        "reason": "{% $escalation.reason %}",
        "redactedInput": "{% $guard.redactedMessage %}",
        "detail": "{% $escalation.detail %}",
        "occurredAt": "{% $states.context.State.EnteredTime %}",
    }
    escalated = {
        "answer": target.escalated_answer,
        "outcome": "escalated",
        "citations": [],
        "fallback": False,
        "escalated": True,
    }
    return {
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage",
        "Arguments": {
            "QueueUrl": target.escalation_queue_url,
            "MessageBody": "{% $string(" + _jsonata(message) + ") %}",
        },
        "Assign": {"reply": escalated},
        # Even if the queue is unreachable the turn is recorded: nothing the user said is lost.
        "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"reply": escalated}, "Next": "Record"}],
        "Next": "Record",
    }


def _jsonata(value: Any) -> str:
    """A JSONata object constructor for a dict whose values are literals or `{% expr %}` strings."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"'{k}': {_jsonata(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str) and value.startswith("{% ") and value.endswith(" %}"):
        return value[3:-3]
    if isinstance(value, str):
        return "'" + value.replace("'", "\\'") + "'"
    return "true" if value is True else "false" if value is False else str(value)


def grounded_agent_workflow(target: WorkflowTargets) -> dict[str, Any]:
    first_after_guard = "Retrieve" if target.knowledge_base_ids else "InvokeAgent"
    states: dict[str, Any] = {
        "Guard": _lambda_task(
            target,
            {
                "step": "guard",
                "message": "{% $states.input.message %}",
                # Optional fields must not evaluate to undefined, which Step Functions rejects.
                "sessionId": "{% $exists($states.input.sessionId) ? $states.input.sessionId : null %}",
                "correlationId": "{% $states.context.Execution.Id %}",
            },
            Assign={
                "guard": "{% $states.result.Payload %}",
                "confirmation": "{% $exists($states.input.confirmation) ? $states.input.confirmation : null %}",
                "context": "{% [] %}",
            },
            Next="Allowed",
        ),
        "Allowed": {
            "Type": "Choice",
            "Choices": [{"Condition": "{% $guard.allowed = true %}", "Next": first_after_guard}],
            "Default": "RecordBlocked",
        },
        "InvokeAgent": _lambda_task(
            target,
            {
                "step": "invoke_agent",
                "redactedMessage": "{% $guard.redactedMessage %}",
                "sessionId": "{% $guard.sessionId %}",
                "correlationId": "{% $states.context.Execution.Id %}",
                "retrievedContext": "{% $context %}",
                "confirmation": "{% $confirmation %}",
                # The Lambda answers (or raises AgentTimeoutError) before the task's own timeout fires.
                "deadlineSeconds": INVOKE_AGENT_TIMEOUT_SECONDS - 1,
            },
            # The agent's own transient errors, with full jitter (the seed's "retry with backoff").
            retry=(
                {
                    "ErrorEquals": ["AgentThrottledError", "AgentUnavailableError"],
                    "IntervalSeconds": 1,
                    "MaxAttempts": 2,
                    "BackoffRate": 2,
                    "MaxDelaySeconds": 4,
                    "JitterStrategy": "FULL",
                },
            ),
            TimeoutSeconds=INVOKE_AGENT_TIMEOUT_SECONDS,
            Assign={"reply": "{% $states.result.Payload %}"},
            Catch=[
                {"ErrorEquals": ["States.ALL"], "Assign": {"failure": "{% $states.errorOutput %}"}, "Next": "Fallback"}
            ],
            Next="ValidateOutput",
        ),
        "ValidateOutput": _validate_output(target),
        "OutputAllowed": {
            "Type": "Choice",
            "Choices": [
                {
                    "Condition": "{% $intervened %}",
                    "Assign": {"escalation": {"reason": "output_blocked", "detail": "the output guardrail intervened"}},
                    "Next": "Escalate",
                }
            ],
            "Default": "Record",
        },
        "Fallback": _lambda_task(
            target,
            {
                "step": "fallback",
                "redactedMessage": "{% $guard.redactedMessage %}",
                "sessionId": "{% $guard.sessionId %}",
                "correlationId": "{% $states.context.Execution.Id %}",
                "error": "{% $failure %}",
            },
            Assign={"reply": "{% $states.result.Payload %}"},
            Catch=[
                {
                    "ErrorEquals": ["States.ALL"],
                    "Assign": {
                        "escalation": {"reason": "fallback_failed", "detail": "{% $states.errorOutput.Error %}"}
                    },
                    "Next": "Escalate",
                }
            ],
            Next="Record",
        ),
        "Escalate": _escalate(target),
        **_record(target, "Record", "$reply", 200),
        **_record(target, "RecordBlocked", "$guard", 422),
    }
    if target.knowledge_base_ids:
        states["Retrieve"] = _retrieve(target)
    return {
        "Comment": f"Grounded-agent workflow of agent {target.agent} ({target.stage})",
        "QueryLanguage": "JSONata",
        "TimeoutSeconds": WORKFLOW_TIMEOUT_SECONDS,
        "StartAt": "Guard",
        "States": states,
    }
