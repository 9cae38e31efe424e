"""Deterministic pre-guard and output check: code first, before any model sees the text.

The seed's principle "deterministic logic first": length limits, PII redaction (`shared.pii`) and
well-known prompt-injection phrasings, in English, Korean and mixed Korean-English, are cheap,
predictable and testable in code. Bedrock Guardrails still run behind this (on the agent and on the
fallback model); this layer only stops the obvious cases early and keeps raw PII out of prompts,
logs, session history and escalation messages. It is a heuristic, not a guardrail: README.md says
what it does not catch.

Cost is linear in the input and bounded per request: at most `max_input_chars` plus a margin are
read, injection rules are chains of keyword searches (one linear pass per keyword set, then a
bounded-distance join in Python), and no pattern has an unbounded repetition next to another one.
`make bench` prints the worst time on adversarial inputs.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from enum import StrEnum
from string import ascii_lowercase

from shared.pii import REDACTION_MARGIN, PiiKind, normalize, redact


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


class KeywordSet:
    """Alternative keywords, English (matched on lower-cased text, bounded by anything but an ASCII
    letter, so "instructions를" counts: `\\b` sees no boundary between Latin letters and Hangul) and
    Korean. Each alternative starts with a literal character, so a lookahead on the set of first
    characters lets the regex engine skip every other position at C speed."""

    def __init__(self, *alternatives: str) -> None:
        # An alternative starts with a literal character, or an escaped one ("\\[system\\]").
        assert not {a[0] for a in alternatives} & set("()[]?*+.^$|{}"), "alternatives start with a literal"
        firsts = {a[1] if a.startswith("\\") else a[0] for a in alternatives}
        body = "|".join(f"{a}(?![a-z])" if a[0] in ascii_lowercase else a for a in alternatives)
        self.pattern = re.compile(f"(?=[{''.join(re.escape(c) for c in sorted(firsts))}])(?:{body})")

    def hits(self, lowered: str) -> list[tuple[int, int]]:
        return [
            (m.start(), m.end())
            for m in self.pattern.finditer(lowered)
            if not (
                m.start() > 0 and lowered[m.start()] in ascii_lowercase and lowered[m.start() - 1] in ascii_lowercase
            )
        ]


class KeywordChain:
    """Keyword sets that must follow one another, each within `gap` characters of the previous one:
    ("ignore", "previous", "instructions"). One regex pass per set finds every occurrence (each set is
    searched once per text, whichever rules share it); the chain is then joined by position, so
    repeating a keyword thousands of times costs thousands of steps, not millions (a regex like
    `ignore.{0,30}previous` backtracks over every gap of every repeat)."""

    def __init__(self, name: str, sets: tuple[KeywordSet, ...], gaps: tuple[int, ...] = ()) -> None:
        assert len(gaps) == len(sets) - 1
        self.name = name
        self._sets = sets
        self._gaps = gaps

    def search(self, lowered: str, found: dict[KeywordSet, list[tuple[int, int]]]) -> bool:
        ends: list[int] | None = None
        for index, keywords in enumerate(self._sets):
            if keywords not in found:
                found[keywords] = keywords.hits(lowered)
            hits = found[keywords]
            if ends is not None:
                previous, gap = sorted(ends), self._gaps[index - 1]
                hits = [(s, e) for s, e in hits if _follows(previous, s, gap)]
            if not hits:
                return False
            ends = [e for _, e in hits]
        return True


def _follows(ends: list[int], start: int, gap: int) -> bool:
    """Some earlier keyword ends at most `gap` characters before `start`."""
    index = bisect_right(ends, start) - 1
    return index >= 0 and start - ends[index] <= gap


# English and Korean side by side in each set, so that mixed phrasings ("previous instructions를
# 무시해", "ignore 이전 지시") match the same chains as single-language ones.
_IGNORE_EN = KeywordSet("ignore", "disregard", "forget", "override", "bypass", "skip")
_IGNORE_KO = KeywordSet("무시", "잊어", "잊고", "잊으", r"따르지\s?마", r"따르지\s?말", "ignore", "disregard", "forget")
_EARLIER = KeywordSet(
    *("previous", "prior", "above", "earlier", "preceding", "all", "any", "your", "system", "initial", "original"),
    *("이전", "위의", "위에", "앞의", "앞에서", "앞선", "기존", "지금까지", "모든", "너의", "당신의", "시스템"),
)
_RULES = KeywordSet(
    *("instructions?", "prompts?", "rules", "directions", "guidelines", "guardrails", "constraints", "polic(?:y|ies)"),
    *("지시", "지침", "명령", "규칙", "프롬프트", "제약"),
)
_REVEAL_EN = KeywordSet(
    *("reveal", "show", "print", "repeat", "display", "output", "leak", "dump"),
    *(r"give\s+me", r"tell\s+me", r"what\s+(?:is|are|was|were)"),
)
_REVEAL_KO = KeywordSet(
    "보여", "알려", "출력", "공개", "말해", "읊어", "그대로", "적어", "show", "print", "reveal", "tell"
)
_SECRET = KeywordSet(
    *("system", "initial", "hidden", "original", "secret", "developer", "internal"),
    *("시스템", "숨겨진", "숨은", "원래", "초기", "내부"),
)
_PROMPT = KeywordSet("prompts?", "instructions?", "messages?", "프롬프트", "지시", "지침", "명령", "설정")
_ROLE_EN = KeywordSet(
    r"you\s+are\s+(?:now|no\s+longer)", r"from\s+now\s+on", r"act\s+as", r"pretend\s+(?:to\s+be|you\s+are)"
)
_ROLE_KO = KeywordSet("지금부터", "이제부터", "앞으로", r"이제\s?너는", r"너는\s?이제", "역할극", "롤플레이")
_UNBOUND = KeywordSet(
    *("dan", "unrestricted", "jailbroken", r"developer\s+mode", "evil", "uncensored", "unfiltered"),
    r"no\s+(?:restrictions|limits|filters)",
    *(r"제한\s?(?:이\s?)?없는", r"검열\s?(?:이\s?)?없는", "무제한", "악당"),
)
_TURN_OFF = r"\s?(?:을|를)?\s?(?:무시|해제|우회|끄|꺼|풀어|없애)"

INJECTION_RULES: tuple[KeywordChain, ...] = (
    KeywordChain("ignore_instructions", (_IGNORE_EN, _EARLIER, _RULES), (30, 20)),
    KeywordChain("ko_ignore_instructions", (_EARLIER, _RULES, _IGNORE_KO), (12, 16)),
    KeywordChain("reveal_system_prompt", (_REVEAL_EN, _SECRET, _PROMPT), (30, 6)),
    KeywordChain("ko_reveal_system_prompt", (_SECRET, _PROMPT, _REVEAL_KO), (6, 16)),
    KeywordChain("role_override", (_ROLE_EN, _UNBOUND), (40,)),
    KeywordChain("ko_role_override", (_ROLE_KO, _UNBOUND), (30,)),
    KeywordChain(
        "jailbreak",
        (KeywordSet("jailbreak", r"do\s+anything\s+now", r"developer\s+mode\s+(?:enabled|on)", r"dan\s+mode"),),
    ),
    KeywordChain(
        "ko_jailbreak",
        (
            KeywordSet(
                *("탈옥", r"개발자\s?모드", r"dan\s?모드", r"관리자\s?모드"),
                *("제한" + _TURN_OFF, "검열" + _TURN_OFF, "필터" + _TURN_OFF, "가드레일" + _TURN_OFF),
                r"안전\s?(?:정책|장치|규칙)" + _TURN_OFF,
            ),
        ),
    ),
    # A line that pretends to be another turn of the conversation ("system:", "<system>"). Whitespace
    # runs are bounded: two adjacent unbounded ones (`<\s*/?\s*system`) cost a run of spaces its square.
    KeywordChain(
        "fake_system_turn",
        (
            KeywordSet(
                "\n" + r"[ \t]{0,8}(?:system|assistant|시스템|어시스턴트)[ \t]{0,8}:[ \t]{0,8}\S",
                r"<\s{0,8}/?\s{0,8}system\s{0,8}>",
                r"\[\s{0,8}system\s{0,8}\]",
            ),
        ),
    ),
)

# Bedrock prompt-template placeholders only appear in an answer when the model echoes its prompt.
_TEMPLATE_LEAK = re.compile(
    r"\$(instruction|tools|question|agent_scratchpad|prompt_session_attributes|knowledge_base_guideline|"
    r"memory_content|conversation_history|functions)\$"
)

# In answers, an e-mail address, phone number or bank account is usually the business's own contact
# detail; the Bedrock guardrail's PII filter handles the rest. Personal identifiers never belong there.
OUTPUT_PII = (PiiKind.CARD, PiiKind.KR_RRN, PiiKind.US_SSN, PiiKind.KR_PASSPORT, PiiKind.KR_DRIVER_LICENSE)


class Guard:
    def __init__(self, max_input_chars: int) -> None:
        self.max_input_chars = max_input_chars

    def check_input(self, text: str) -> Verdict:
        # Bounded work: only what could fit the limit (plus a margin so no finding is cut) is read,
        # and NFKC's expansion (up to 18 characters for one) is clipped before redaction.
        window = self.max_input_chars + REDACTION_MARGIN
        normalized = normalize(text[:window], limit=window)
        too_long = len(text) > self.max_input_chars or len(normalized) > self.max_input_chars
        redaction = redact(normalized[:window])
        if too_long:
            return Verdict(
                False, redaction.text[: self.max_input_chars], (BlockReason.TOO_LONG.value,), redaction.counts
            )
        # Lower-cased once for every rule; the line break in front makes a first-line "system:" a line start.
        lowered, found = "\n" + normalized.lower(), {}
        reasons = tuple(
            f"{BlockReason.PROMPT_INJECTION.value}:{rule.name}"
            for rule in INJECTION_RULES
            if rule.search(lowered, found)
        )
        return Verdict(not reasons, redaction.text, reasons, redaction.counts)

    def check_output(self, text: str) -> Verdict:
        # Not normalised: the answer is shown as the model wrote it; the recogniser reads full-width
        # digits and separators as they are.
        redaction = redact(text, OUTPUT_PII)
        if _TEMPLATE_LEAK.search(text):
            return Verdict(False, redaction.text, (BlockReason.PROMPT_LEAK.value,), redaction.counts)
        return Verdict(True, redaction.text, (), redaction.counts)
