"""The AgentCore engine: one turn of an agent on its managed harness (bedrock-agentcore InvokeHarness).

    guardrail INPUT -> [Retrieve] -> InvokeHarness -> (tool stop: confirm with the user | delegate) ...
    -> guardrail OUTPUT -> answer with citations

It answers the same question as the classic `AgentInvoker` (same arguments, same AgentReply, same named
AgentErrors), so ChatService's circuit breaker, retries, fallback model, escalation and session record
are the engine's too.

Tool stops. The harness runs the agent's gateway tools itself; it stops with `tool_use` only for inline
functions, whose calls it hands back (AWS: "Connect to tools", harness-tools.html, "the pattern for
human-in-the-loop approvals"). The orchestrator answers each such call with a toolResult in the next
InvokeHarness of the same runtimeSessionId:
- a mutating tool (CONFIRMATION_TOOLS) is never run without the user: the turn ends with a confirmation
  request; the user's CONFIRM runs the tool Lambda (`tool_calls.ConfirmedToolRunner`), DENY answers
  "declined"; either way the harness resumes with that result;
- a delegate tool (COLLABORATORS, run coordinator) invokes the collaborator's own harness between its
  own guardrail's INPUT and OUTPUT checks and answers with its reply (at most MAX_DELEGATIONS_PER_TURN);
  a collaborator's mutating call becomes the user's confirmation request like the coordinator's own;
- anything else is answered with an error the model can read.
Nested calls are a stack of frames (the coordinator waiting on a collaborator waiting on the user); the
stack is the confirmation's `resume` state, kept with the pending confirmation in the session.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shared.session_store import PendingConfirmation

from orchestrator.agent import Attempt, citations_from_context, format_context, mapped_call, run_once
from orchestrator.contract import ConfirmationDecision, Decision
from orchestrator.errors import AgentInvocationError, AgentTimeoutError, AgentUnavailableError
from orchestrator.guardrail import GuardrailChecker, Source
from orchestrator.harness_config import ConfirmationTool
from orchestrator.harness_ids import actor_id, runtime_session_id, trace_parent
from orchestrator.harness_stream import HarnessTurn, ToolUse, read_harness_stream
from orchestrator.knowledge import KnowledgeRetriever
from orchestrator.stream import AgentReply, ConfirmationRequest
from orchestrator.tool_calls import ConfirmedToolRunner, declined, tool_result

MAX_DELEGATIONS_PER_TURN = 8
MAX_HARNESS_CALLS_PER_TURN = 24  # a loop of unknown tools cannot spin until the deadline
MAX_DELEGATE_ANSWER_CHARS = 8_000
MAX_PENDING_RESULT_CHARS = 4_000  # per result kept while the user decides (the state travels in Step Functions)
MAX_PARAMETER_CHARS = 500  # per value shown in the confirmation request
RESUME_VERSION = 1
OWN = ""  # the frame key of the orchestrator's own harness
CONTEXT_INSTRUCTION = (
    "The passages above come from the company's knowledge base. Use them only when they answer the "
    "question, and say which source you used."
)


@dataclass(frozen=True)
class HarnessRoute:
    """A harness the orchestrator may invoke: its own, or one collaborator's."""

    name: str  # agent name: part of its runtimeSessionId
    harness_arn: str
    guardrail: GuardrailChecker


@dataclass
class Frame:
    harness: str  # OWN or the delegate tool name
    queue: list[ToolUse]  # the harness's tool calls still to answer; the first one is being answered
    results: list[dict[str, Any]] = field(default_factory=list)  # toolResult blocks already answered


@dataclass
class _Run:
    """One invocation: its budget, identifiers and what it has spent."""

    session_id: str
    deadline: float
    attempt: Attempt[HarnessTurn]
    actor: str
    trace_parent: str
    user_text: str = ""
    context: list[dict[str, Any]] | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0
    delegations: int = 0


class HarnessInvoker:
    def __init__(
        self,
        *,
        client: Any,
        own: HarnessRoute,
        collaborators: Mapping[str, HarnessRoute],
        confirmation_tools: Mapping[str, ConfirmationTool],
        tool_runner: ConfirmedToolRunner,
        knowledge: KnowledgeRetriever | None,
        logger: logging.Logger | Any,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._own = own
        self._collaborators = dict(collaborators)
        self._confirmation_tools = dict(confirmation_tools)
        self._tool_runner = tool_runner
        self._knowledge = knowledge
        self._logger = logger
        self._clock = clock

    def invoke(
        self,
        *,
        session_id: str,
        text: str,
        deadline: float,
        retrieved_context: list[dict[str, Any]] | None = None,
        confirmation: tuple[ConfirmationDecision, PendingConfirmation] | None = None,
        attempt: Attempt[Any] = run_once,
        principal: str | None = None,
        correlation_id: str = "",
    ) -> AgentReply:
        run = _Run(
            session_id=session_id,
            deadline=deadline,
            attempt=attempt,
            actor=actor_id(session_id, principal),
            trace_parent=trace_parent(correlation_id or session_id),
        )
        if confirmation is None:
            return self._start(run, text, retrieved_context)
        return self._resume(run, *confirmation)

    # -- the turn ----------------------------------------------------------------------------------

    def _start(self, run: _Run, text: str, retrieved_context: list[dict[str, Any]] | None) -> AgentReply:
        verdict = self._own.guardrail.check(text, Source.INPUT)
        if verdict.blocked:
            return self._reply(run, AgentReply(answer=verdict.text, blocked="input"))
        run.user_text = verdict.text
        if retrieved_context is None and self._knowledge is not None:
            retrieved_context = self._knowledge.retrieve(verdict.text)
        run.context = retrieved_context or None
        content = [{"text": verdict.text}]
        if run.context:
            passages = format_context(run.context)
            content.append({"text": f"<retrieved_context>\n{passages}\n</retrieved_context>\n{CONTEXT_INSTRUCTION}"})
        turn = self._call(run, OWN, content)
        if not turn.tool_uses:
            return self._final(run, turn)
        return self._drive(run, [Frame(OWN, list(turn.tool_uses))])

    def _resume(self, run: _Run, decision: ConfirmationDecision, pending: PendingConfirmation) -> AgentReply:
        stack = self._decode(pending)
        use = stack[-1].queue[0]
        tool = self._confirmation_tools[use.name]
        if decision.decision is Decision.CONFIRM:
            assert use.input is not None  # _decode checked it
            result = self._tool_runner.run(tool, use.input, run.session_id, use.tool_use_id)
        else:
            result = declined(use.tool_use_id)
        self._logger.info(
            "confirmation answered", extra={"tool": tool.gateway_tool, "decision": decision.decision.value}
        )
        stack[-1].results.append(result)
        stack[-1].queue.pop(0)
        return self._drive(run, stack)

    def _drive(self, run: _Run, stack: list[Frame]) -> AgentReply:
        while True:
            frame = stack[-1]
            if frame.queue:
                use = frame.queue[0]
                if use.name in self._confirmation_tools and use.input is not None:
                    return self._ask_user(run, stack, use)
                result = self._answer(run, stack, frame, use)
                if result is not None:  # None: a collaborator's frame was pushed and answers first
                    frame.results.append(result)
                    frame.queue.pop(0)
                continue
            turn = self._call(run, frame.harness, frame.results)
            if turn.tool_uses:
                frame.queue, frame.results = list(turn.tool_uses), []
                continue
            if len(stack) == 1:
                return self._final(run, turn)
            stack.pop()
            parent = stack[-1]
            parent.results.append(self._delegate_answer(frame.harness, parent.queue.pop(0), turn))

    def _answer(self, run: _Run, stack: list[Frame], frame: Frame, use: ToolUse) -> dict[str, Any] | None:
        if use.input is None:
            return tool_result(use.tool_use_id, "error", text="The tool input was not a JSON object; call it again.")
        if frame.harness == OWN and use.name in self._collaborators:
            return self._delegate(run, stack, use)
        self._logger.warning("harness asked for a tool the orchestrator does not run", extra={"tool": use.name})
        return tool_result(use.tool_use_id, "error", text=f"The tool {use.name} is not available.")

    def _delegate(self, run: _Run, stack: list[Frame], use: ToolUse) -> dict[str, Any] | None:
        route = self._collaborators[use.name]
        if run.delegations >= MAX_DELEGATIONS_PER_TURN:
            return tool_result(
                use.tool_use_id,
                "error",
                text="The delegation limit of this turn is reached; answer with what you have.",
            )
        run.delegations += 1
        assert use.input is not None
        request = use.input.get("request")
        request = request if isinstance(request, str) and request.strip() else json.dumps(use.input, ensure_ascii=False)
        verdict = route.guardrail.check(request, Source.INPUT)
        self._logger.info("delegating", extra={"collaborator": route.name, "blocked": verdict.blocked})
        if verdict.blocked:
            return tool_result(
                use.tool_use_id, "error", text=f"{route.name} refused the request: its guardrail blocked it."
            )
        turn = self._call(run, use.name, [{"text": verdict.text}])
        if turn.tool_uses:
            stack.append(Frame(use.name, list(turn.tool_uses)))
            return None
        return self._delegate_answer(use.name, use, turn)

    def _delegate_answer(self, harness: str, use: ToolUse, turn: HarnessTurn) -> dict[str, Any]:
        route = self._collaborators[harness]
        if turn.filtered or not turn.text:
            return tool_result(use.tool_use_id, "error", text=f"{route.name} gave no answer.")
        verdict = route.guardrail.check(turn.text, Source.OUTPUT)
        if verdict.blocked:
            return tool_result(use.tool_use_id, "error", text=f"{route.name}'s answer was withheld by its guardrail.")
        return tool_result(use.tool_use_id, "success", text=verdict.text[:MAX_DELEGATE_ANSWER_CHARS])

    def _final(self, run: _Run, turn: HarnessTurn) -> AgentReply:
        if turn.filtered:
            return self._reply(run, AgentReply(blocked="output"))
        if not turn.text:
            raise AgentUnavailableError("harness ended its turn without an answer", in_stream=True)
        grounding = format_context(run.context) if run.context else None
        verdict = self._own.guardrail.check(turn.text, Source.OUTPUT, query=run.user_text or None, grounding=grounding)
        if verdict.blocked:
            return self._reply(run, AgentReply(answer=verdict.text, blocked="output"))
        citations = citations_from_context(run.context) if run.context else []
        return self._reply(run, AgentReply(answer=verdict.text, citations=citations))

    def _ask_user(self, run: _Run, stack: list[Frame], use: ToolUse) -> AgentReply:
        tool = self._confirmation_tools[use.name]
        assert use.input is not None
        parameters = {
            str(k): (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))[:MAX_PARAMETER_CHARS]
            for k, v in use.input.items()
        }
        request = ConfirmationRequest(
            invocation_id=use.tool_use_id,
            action_group=tool.target,
            api_path=tool.operation,
            http_method="",
            parameters=parameters,
            resume=_encode(stack),
        )
        return self._reply(run, AgentReply(confirmation=request))

    # -- calls -------------------------------------------------------------------------------------

    def _call(self, run: _Run, harness: str, content: list[dict[str, Any]]) -> HarnessTurn:
        route = self._own if harness == OWN else self._collaborators[harness]
        run.calls += 1
        if run.calls > MAX_HARNESS_CALLS_PER_TURN:
            raise AgentInvocationError(f"more than {MAX_HARNESS_CALLS_PER_TURN} harness calls in one turn")
        if self._clock() >= run.deadline:
            raise AgentTimeoutError("no time left for another harness call", in_stream=True)
        request = {
            "harnessArn": route.harness_arn,
            "runtimeSessionId": runtime_session_id(run.session_id, route.name),
            "actorId": run.actor,
            "traceParent": run.trace_parent,
            "messages": [{"role": "user", "content": content}],
        }

        def once() -> HarnessTurn:
            return mapped_call(
                lambda: read_harness_stream(
                    self._client.invoke_harness(**request)["stream"], deadline=run.deadline, clock=self._clock
                )
            )

        turn = run.attempt(once)
        run.input_tokens += turn.input_tokens
        run.output_tokens += turn.output_tokens
        return turn

    def _reply(self, run: _Run, reply: AgentReply) -> AgentReply:
        reply.input_tokens, reply.output_tokens = run.input_tokens, run.output_tokens
        return reply

    def _decode(self, pending: PendingConfirmation) -> list[Frame]:
        """The stack saved with the confirmation; refused when it is not one this configuration can resume."""
        try:
            state = json.loads(pending.resume)
            stack = [
                Frame(str(f["harness"]), [ToolUse.from_record(u) for u in f["queue"]], list(f["results"]))
                for f in state["frames"]
            ]
            use = stack[-1].queue[0]
            valid = (
                state["v"] == RESUME_VERSION
                and stack[0].harness == OWN
                and all(f.harness in self._collaborators for f in stack[1:])
                and all(f.queue for f in stack)
                and use.tool_use_id == pending.invocation_id
                and use.name in self._confirmation_tools
                and isinstance(use.input, dict)
                and all(isinstance(r, dict) and "toolResult" in r for f in stack for r in f.results)
            )
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            valid = False
        if not valid:
            raise AgentInvocationError("the pending action cannot be resumed by this agent (state missing or changed)")
        return stack


def _encode(stack: list[Frame]) -> str:
    frames = [
        {"harness": f.harness, "queue": [u.to_record() for u in f.queue], "results": [_compact(r) for r in f.results]}
        for f in stack
    ]
    return json.dumps({"v": RESUME_VERSION, "frames": frames}, ensure_ascii=False, separators=(",", ":"))


def _compact(result: dict[str, Any]) -> dict[str, Any]:
    block = result["toolResult"]
    text = json.dumps(block["content"], ensure_ascii=False)
    if len(text) <= MAX_PENDING_RESULT_CHARS:
        return result
    shortened = text[:MAX_PENDING_RESULT_CHARS] + " (shortened while waiting for the user)"
    return {"toolResult": {**block, "content": [{"text": shortened}]}}
