"""What the user reads when the orchestrator speaks for itself: the limited-answer notice, refusals,
"we couldn't answer", the confirmation prompt. In the stage's first language (AGENT_LANGUAGE, `ko`
by default: the platform's users are Korean teams), with English kept for `en`.

The Workflow component may import `messages_for(language).handed_to_human` for the answer the state
machine gives when it escalated on its own (functions/ importable, as for the request contract).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Language(StrEnum):
    KO = "ko"
    EN = "en"


DEFAULT_LANGUAGE = Language.KO


@dataclass(frozen=True)
class Messages:
    limited_answer_notice: str
    blocked: str  # {reference}
    human_notified: str
    unavailable_escalated: str  # {reference}
    unavailable_retry: str  # {reference}
    confirmation: str  # {action_group} {operation} {details}
    confirmation_details: str  # {details}
    handed_to_human: str
    answer_in: str  # appended to the fallback model's system prompt


MESSAGES: dict[Language, Messages] = {
    Language.KO: Messages(
        limited_answer_notice=(
            "[제한된 답변] 지금은 상담 도우미가 원활하지 않아 도구나 회사 자료 없이 작성한 답변이며, "
            "내용이 불완전할 수 있습니다."
        ),
        blocked=(
            "요청하신 내용은 이대로는 도와드릴 수 없습니다. 잘못 판단한 것 같다면 표현을 바꿔 다시 질문하시거나 "
            "참조 번호 {reference}와 함께 고객지원팀에 문의해 주세요."
        ),
        human_notified=" 담당자에게 전달했습니다.",
        unavailable_escalated=(
            "지금은 답변을 드릴 수 없습니다. 담당자에게 전달했으며 이 대화에 대해 다시 연락드리겠습니다 "
            "(참조 번호 {reference})."
        ),
        unavailable_retry=(
            "지금은 답변을 드릴 수 없습니다. 몇 분 뒤 다시 시도해 주시고, 계속 같은 문제가 생기면 참조 번호 "
            "{reference}와 함께 고객지원팀에 문의해 주세요."
        ),
        confirmation=(
            "확인이 필요합니다: 도우미가 {action_group} 작업({operation})을 실행하려고 합니다{details}. "
            "계속하려면 확인(CONFIRM) 또는 거절(DENY)로 답해 주세요."
        ),
        confirmation_details=" (입력값: {details})",
        handed_to_human="정확한 답변을 드리기 어려워 담당자에게 질문을 전달했습니다. 담당자가 곧 연락드리겠습니다.",
        answer_in="Answer in Korean (한국어로 답하세요).",
    ),
    Language.EN: Messages(
        limited_answer_notice=(
            "[Limited answer] The assistant is degraded right now, so this reply was written without its tools "
            "or company knowledge and may be incomplete."
        ),
        blocked=(
            "I can't help with that request as written. If you think this is a mistake, rephrase it or "
            "contact support with reference {reference}."
        ),
        human_notified=" A support person has been notified.",
        unavailable_escalated=(
            "We couldn't answer right now. A support person has been notified and will follow up on this "
            "conversation (reference {reference})."
        ),
        unavailable_retry=(
            "We couldn't answer right now. Please try again in a few minutes; if it keeps happening, contact "
            "support with reference {reference}."
        ),
        confirmation=(
            "Please confirm: the assistant wants to run {action_group} ({operation}){details}. "
            "Reply with a confirmation (CONFIRM or DENY) to continue."
        ),
        confirmation_details=" with {details}",
        handed_to_human=(
            "I couldn't give you a reliable answer, so I have passed your question to a colleague who will get "
            "back to you."
        ),
        answer_in="Answer in the user's language.",
    ),
}


def messages_for(language: Language | str) -> Messages:
    return MESSAGES[Language(language)]


def blocked_answer(messages: Messages, reference: str, escalated: bool) -> str:
    return messages.blocked.format(reference=reference) + (messages.human_notified if escalated else "")


def unavailable_answer(messages: Messages, reference: str, escalated: bool) -> str:
    text = messages.unavailable_escalated if escalated else messages.unavailable_retry
    return text.format(reference=reference)


def confirmation_prompt(
    messages: Messages, action_group: str, http_method: str, api_path: str, parameters: dict[str, str]
) -> str:
    details = ", ".join(f"{name}={value}" for name, value in parameters.items())
    return messages.confirmation.format(
        action_group=action_group,
        # Bedrock Agents name an HTTP operation ("POST /tickets"); a harness tool has its operation id only.
        operation=" ".join(part for part in (http_method, api_path) if part),
        details=messages.confirmation_details.format(details=details) if details else "",
    )
