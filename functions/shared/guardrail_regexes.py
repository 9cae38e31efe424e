"""The Bedrock guardrail's custom regex entities, kept in step with the pre-guard's recogniser.

`shared.pii` finds personal data before a model sees it; the guardrail (the Guardrail component)
filters what the agent and the fallback model receive and write, with Bedrock's managed PII types
plus these patterns for the formats the managed types do not know (Korean identifiers, Hangul in
e-mail addresses, separators other than spaces and hyphens). The Guardrail component imports this
module at deploy time (`from shared.guardrail_regexes import GUARDRAIL_REGEXES`, with `functions/`
importable as for the tools' schemas) and passes each entry as a
`GuardrailSensitiveInformationPolicyConfigRegexesConfigArgs(name, description, pattern, action)`.
A test proves each pattern matches every canonical spelling the recogniser's conformance corpus
generates for its kind, so the two cannot drift apart silently.

Limits (Bedrock API reference, GuardrailRegexConfig): name 1-100 characters, description up to
1,000, pattern up to 500; at most 10 regex entities per guardrail ("Amazon Bedrock endpoints and
quotas": Regex entities in Sensitive Information Filter, 10, not adjustable).

The patterns use the common subset of regex dialects (character classes, bounded repetition,
groups, alternation), no lookaround or word boundaries (`\\b` sees none between a digit and Hangul),
and cannot check a check digit: they are wider than the
recogniser (a guardrail that anonymises a look-alike costs little) except where BLOCK would refuse
a whole request, which is why the blocking ones require separators. Digits are ASCII or full-width
(the guardrail sees the raw text; the pre-guard folds full-width digits first).

Importing this module needs nothing beyond the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.pii import PiiKind

MAX_REGEXES = 10
MAX_PATTERN_CHARS = 500
MAX_NAME_CHARS = 100
MAX_DESCRIPTION_CHARS = 1_000

_D = "[0-9\uff10-\uff19]"  # a digit, ASCII or full-width
# One separator: hyphens and dashes, dots, spaces (ASCII, full-width, no-break, ideographic).
_SEP = "[-\u2010\u2011\u2013\u2014\u2212\uff0d.\uff0e \u00a0\u3000]"
_OPT = f"{_SEP}?"


_REGION_NAMES = "서울|부산|경기|강원|충북|충남|전북|전남|경북|경남|제주|대구|인천|광주|대전|울산"
_ADDRESS_UNIT = (
    f"( \\([가-힣0-9]{{1,12}}\\)| {_D}{{1,5}}(동|호|층)| [가-힣A-Za-z0-9]{{1,15}}(아파트|빌딩|빌라|타워|오피스텔))"
)


@dataclass(frozen=True)
class GuardrailRegex:
    name: str
    description: str
    pattern: str
    action: str  # BLOCK refuses the request or answer; ANONYMIZE replaces the match with {NAME}
    kind: PiiKind


GUARDRAIL_REGEXES: tuple[GuardrailRegex, ...] = (
    GuardrailRegex(
        name="korean-resident-registration-number",
        description="주민등록번호 / 외국인등록번호 YYMMDD-GNNNNNN with any separator (hyphen, dash, dot, space)",
        pattern=f"{_D}{{2}}[01\uff10\uff11]{_D}[0-3\uff10-\uff13]{_D}{_SEP}[1-8\uff11-\uff18]{_D}{{6}}",
        action="BLOCK",
        kind=PiiKind.KR_RRN,
    ),
    GuardrailRegex(
        name="korean-phone-number",
        description="Korean mobile, landline, 070 and 050x numbers, national (010-1234-5678) or +82",
        pattern=(
            f"(\\+82{_OPT}(\\(0\\))?{_OPT}|0)(1[016789]|2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70|50[2-8])"
            f"{_OPT}{_D}{{3,4}}{_OPT}{_D}{{4}}"
        ),
        action="ANONYMIZE",
        kind=PiiKind.PHONE,
    ),
    GuardrailRegex(
        name="korean-business-registration-number",
        description="사업자등록번호 NNN-NN-NNNNN",
        pattern=f"[1-9]{_D}{{2}}{_SEP}{_D}{{2}}{_SEP}{_D}{{5}}",
        action="ANONYMIZE",
        kind=PiiKind.KR_BRN,
    ),
    GuardrailRegex(
        name="korean-driver-license-number",
        description="운전면허번호 RR-YY-NNNNNN-NN (region code 11-28) or with the region name (서울 YY-NNNNNN-NN)",
        pattern=(f"((1[1-9]|2[0-8]){_SEP}|({_REGION_NAMES}) ?){_D}{{2}}{_SEP}{_D}{{6}}{_SEP}{_D}{{2}}"),
        action="BLOCK",
        kind=PiiKind.KR_DRIVER_LICENSE,
    ),
    GuardrailRegex(
        name="korean-passport-number",
        description="여권번호: M/S/R/G/D and eight digits (until 2021-12) or three digits, a letter, four digits",
        pattern="[MSRGD]([0-9]{8}|[0-9]{3}[A-Z][0-9]{4})",
        action="BLOCK",
        kind=PiiKind.KR_PASSPORT,
    ),
    GuardrailRegex(
        name="korean-bank-account-number",
        description="계좌번호: 10-14 digits in up to four groups after a bank or account label (국민은행, 계좌)",
        pattern=(
            "(계좌|통장|은행|뱅크|농협|신협|우체국|금고|account|bank)[^0-9\uff10-\uff19]{0,12}"
            f"{_D}{{2,6}}{_OPT}{_D}{{2,6}}{_OPT}{_D}{{2,7}}({_OPT}{_D}{{2,3}})?"
        ),
        action="BLOCK",
        kind=PiiKind.KR_BANK_ACCOUNT,
    ),
    GuardrailRegex(
        name="card-number-any-separator",
        description="Payment card numbers in 4-4-4-4, 4-6-5 or 4-6-4 groups with dots, dashes or spaces",
        pattern=f"[2-69]{_D}{{3}}{_SEP}({_D}{{4}}{_SEP}{_D}{{4}}{_SEP}{_D}{{1,4}}|{_D}{{6}}{_SEP}{_D}{{4,5}})",
        action="BLOCK",
        kind=PiiKind.CARD,
    ),
    GuardrailRegex(
        name="email-address-any-script",
        description="E-mail addresses with Hangul (or any script) in the local part or an internationalised domain",
        pattern='[^\\s@\uff20<>()\\[\\],;:"]{1,64}[@\uff20][^\\s@\uff20<>()\\[\\],;:"]{1,253}[.\u3002][^\\s@\uff20.\u3002<>()\\[\\],;:"]{2,63}',
        action="ANONYMIZE",
        kind=PiiKind.EMAIL,
    ),
    GuardrailRegex(
        name="korean-street-address",
        description="도로명/지번 주소: 시/도, 시/군/구, a road (…로, …길) or 동/리/가, building or lot number, unit",
        pattern=(
            "[가-힣]{2,10} ([가-힣]{1,8}(시|군|구) ){1,2}[가-힣][가-힣0-9]{0,15}(로|길|동|리|가) ?"
            f"(산 ?)?{_D}{{1,5}}(-{_D}{{1,5}})?"
            f"{_ADDRESS_UNIT}{{0,4}}"
        ),
        action="ANONYMIZE",
        kind=PiiKind.KR_ADDRESS,
    ),
)
