"""Deterministic pre-guard and output check: code first, before any model sees the text.

The seed's principle "deterministic logic first": length limits, PII redaction and well-known
prompt-injection phrasings are cheap, predictable and testable in code. Bedrock Guardrails still run
behind this (on the agent and on the fallback model); this layer only stops the obvious cases early
and keeps raw PII out of prompts, logs, session history and escalation messages.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum


class PiiKind(StrEnum):
    EMAIL = "EMAIL"
    CARD = "CARD"
    KR_RRN = "KR_RRN"  # 주민등록번호
    US_SSN = "US_SSN"
    PHONE = "PHONE"


class BlockReason(StrEnum):
    TOO_LONG = "too_long"
    PROMPT_INJECTION = "prompt_injection"
    PROMPT_LEAK = "prompt_leak"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    redacted_text: str
    reasons: tuple[str, ...] = ()  # why it was blocked: "<BlockReason>" or "<BlockReason>:<rule>"
    redactions: dict[str, int] = field(default_factory=dict)  # PiiKind value -> count


_NOT_DIGIT_BEFORE = r"(?<![\d])"
_NOT_DIGIT_AFTER = r"(?![\d])"
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# 13-19 digits, optionally grouped by single spaces or hyphens; the Luhn check removes most false hits.
_CARD_CANDIDATE = re.compile(_NOT_DIGIT_BEFORE + r"\d(?:[ -]?\d){12,18}" + _NOT_DIGIT_AFTER)
# YYMMDD-GNNNNNN with a plausible month and day; G (1-4) encodes century and sex.
_KR_RRN = re.compile(_NOT_DIGIT_BEFORE + r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])-[1-4]\d{6}" + _NOT_DIGIT_AFTER)
# AAA-GG-SSSS without the never-issued 000/666/9xx areas, 00 group or 0000 serial.
_US_SSN = re.compile(_NOT_DIGIT_BEFORE + r"(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}" + _NOT_DIGIT_AFTER)
_PHONE = re.compile(
    "|".join(
        (
            # Korean mobile, with or without hyphens: 010-1234-5678, 01012345678
            _NOT_DIGIT_BEFORE + r"01[016789][- ]?\d{3,4}[- ]?\d{4}" + _NOT_DIGIT_AFTER,
            # Korean landline: 02-123-4567, 031-1234-5678
            _NOT_DIGIT_BEFORE + r"0\d{1,2}-\d{3,4}-\d{4}" + _NOT_DIGIT_AFTER,
            # International E.164-ish: +82 10 1234 5678, +1-415-555-0100
            r"\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,4}" + _NOT_DIGIT_AFTER,
            # North American with separators: (415) 555-0100, 415-555-0100, 415.555.0100
            _NOT_DIGIT_BEFORE + r"(?:\(\d{3}\) ?|\d{3}[.-])\d{3}[.-]\d{4}" + _NOT_DIGIT_AFTER,
        )
    )
)

# Applied in this order: specific identifiers first, so a card or RRN is never half-eaten as a phone.
_INPUT_PII: tuple[PiiKind, ...] = (PiiKind.EMAIL, PiiKind.CARD, PiiKind.KR_RRN, PiiKind.US_SSN, PiiKind.PHONE)
# In answers, an e-mail address or phone number is usually the business's own contact detail; the
# Bedrock guardrail's PII filter handles the rest. Government ids and card numbers never belong there.
_OUTPUT_PII: tuple[PiiKind, ...] = (PiiKind.CARD, PiiKind.KR_RRN, PiiKind.US_SSN)

_INJECTION_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        (
            "ignore_instructions",
            r"\b(ignore|disregard|forget|override|bypass)\b.{0,30}\b(previous|prior|above|earlier|preceding|all|your|"
            r"system)\b.{0,20}\b(instructions?|prompts?|rules|directions|guidelines|guardrails)\b",
        ),
        (
            "reveal_system_prompt",
            r"\b(reveal|show|print|repeat|display|output|leak|tell me|what is|what are)\b.{0,30}\b(system|initial|"
            r"hidden|original|secret)\s+(prompt|instructions?|message)",
        ),
        ("role_override", r"\byou are (now|no longer)\b.{0,40}\b(dan|unrestricted|jailbroken|developer mode|evil)\b"),
        ("jailbreak", r"\b(jailbreak|do anything now|developer mode enabled)\b"),
        ("fake_system_turn", r"(^|\n)\s*(system|assistant)\s*:\s*\S|<\s*/?\s*system\s*>|\[\s*system\s*\]"),
        (
            "ko_ignore_instructions",
            r"(이전|위의|앞의|앞선|기존|모든)\s*(지시|지침|명령|규칙|프롬프트)\S*\s*(을|를|은|는)?\s*(모두\s*)?(무시|잊)",
        ),
        (
            "ko_reveal_system_prompt",
            r"(시스템|숨겨진|원래)\s*(프롬프트|지시|지침)\S*\s*(을|를)?\s*(보여|알려|출력|공개|말해)",
        ),
        ("ko_jailbreak", r"(탈옥|제한\s*(이|을)?\s*(없는|해제|풀어)|개발자\s*모드)"),
    )
)

# Bedrock prompt-template placeholders only appear in an answer when the model echoes its prompt.
_TEMPLATE_LEAK = re.compile(
    r"\$(instruction|tools|question|agent_scratchpad|prompt_session_attributes|knowledge_base_guideline|"
    r"memory_content|conversation_history|functions)\$"
)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _redact(text: str, kinds: tuple[PiiKind, ...]) -> tuple[str, dict[str, int]]:
    counts: Counter[str] = Counter()
    for kind in kinds:
        if kind is PiiKind.CARD:
            text = _CARD_CANDIDATE.sub(lambda match: _redact_cards(match.group(0), counts), text)
        else:
            text, found = _PATTERNS[kind].subn(f"[{kind.value}]", text)
            if found:
                counts[kind.value] += found
    return text, dict(counts)


def _redact_cards(candidate: str, counts: Counter[str]) -> str:
    """Redact every Luhn-valid run of whole digit groups (13-19 digits) inside a candidate, longest
    first: a card number followed by another number ("4111 1111 1111 1111 2 items") must not hide
    behind the longer, invalid run. Runs start and end at group boundaries, as people type cards."""
    groups = [(m.start(), m.end()) for m in re.finditer(r"\d+", candidate)]
    pieces, last, first = [], 0, 0
    while first < len(groups):
        for end_group in range(len(groups) - 1, first - 1, -1):
            begin, end = groups[first][0], groups[end_group][1]
            digits = re.sub(r"\D", "", candidate[begin:end])
            if 13 <= len(digits) <= 19 and luhn_valid(digits):
                pieces.append(candidate[last:begin] + f"[{PiiKind.CARD.value}]")
                counts[PiiKind.CARD.value] += 1
                last, first = end, end_group + 1
                break
        else:
            first += 1
    return "".join(pieces) + candidate[last:]


_PATTERNS: dict[PiiKind, re.Pattern[str]] = {
    PiiKind.EMAIL: _EMAIL,
    PiiKind.CARD: _CARD_CANDIDATE,
    PiiKind.KR_RRN: _KR_RRN,
    PiiKind.US_SSN: _US_SSN,
    PiiKind.PHONE: _PHONE,
}


def normalize(text: str) -> str:
    """NFKC folds full-width and compatibility forms; invisible characters are dropped so that
    "ig\u200bnore previous instructions" cannot slip past the heuristics."""
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE)


class Guard:
    def __init__(self, max_input_chars: int) -> None:
        self.max_input_chars = max_input_chars

    def check_input(self, text: str) -> Verdict:
        normalized = normalize(text)
        redacted, redactions = _redact(normalized, _INPUT_PII)
        # NFKC can expand a character into several, so the limit applies to what the model would see too.
        if max(len(text), len(redacted)) > self.max_input_chars:
            return Verdict(False, redacted, (BlockReason.TOO_LONG.value,), redactions)
        reasons = tuple(
            f"{BlockReason.PROMPT_INJECTION.value}:{name}" for name, rule in _INJECTION_RULES if rule.search(normalized)
        )
        return Verdict(not reasons, redacted, reasons, redactions)

    def check_output(self, text: str) -> Verdict:
        redacted, redactions = _redact(text, _OUTPUT_PII)
        if _TEMPLATE_LEAK.search(text):
            return Verdict(False, redacted, (BlockReason.PROMPT_LEAK.value,), redactions)
        return Verdict(True, redacted, (), redactions)
