"""Personal data in free text: the one recogniser the pre-guard, the logs and the escalation message use.

It finds each documented format in the spellings people type: digits grouped by nothing, spaces,
hyphens, en/em dashes or dots; full-width digits (folded by `normalize`); Korean in e-mail local
parts and internationalised domains. Where a format carries a check, it is applied, so that
redaction stays precise:

- KR_RRN, 주민등록번호 / 외국인등록번호 YYMMDD-GNNNNNN: a real date and a sex/century digit 1-8; written
  without a separator, also the check digit or a label (주민, RRN) right before it.
- CARD, 13-19 digits, bare or grouped 4-4-4-4 (4-6-5, 4-6-4, 4-4-4-4-3 too): Luhn, and a length that
  fits the issuer the first digits name.
- KR_BRN, 사업자등록번호 NNN-NN-NNNNN: the National Tax Service check digit; bare, also a label (사업자).
- PHONE: Korean mobile (01x), Seoul (02), area codes (031-064), 070, 050x personal numbers, +82;
  other +CC numbers (8-15 digits); North American (NXX) NXX-XXXX. Prefix and group lengths.
- US_SSN, AAA-GG-SSSS with a separator: never-issued areas, groups and serials excluded.
- KR_DRIVER_LICENSE, RR-YY-NNNNNN-NN (region 11-28) or 서울 YY-NNNNNN-NN; bare 12 digits need 면허.
- KR_PASSPORT, M12345678 (until 2021-12) or M123A4567 (since); type letter M/S/R/G/D.
- KR_BANK_ACCOUNT, 10-14 digits right after a bank or account label (국민은행, 계좌, account): banks keep
  their check schemes private, so the label is the evidence.
- KR_ADDRESS: after a 시/도 or 시/군/구, a road (…로, …길) or 동/리/가 with its building or lot number and
  unit (101동 1203호); the city and district stay, they identify nobody.
- EMAIL, local@domain with Hangul allowed in both and IDN top-level domains (.한국, xn--…).

A number labelled as an order, waybill, ticket or model number (주문번호, 운송장, model) is not read as a
resident number or an account: date-led order numbers look like the one, any digits like the other.

Sources: RRN check digit: weights 2..9,2..5, (11 - sum mod 11) mod 10 (python-stdnum `stdnum.kr.rrn`);
since 2020-10-05 new numbers carry six random digits after the sex digit and no check digit
(기획재정부 "이렇게 달라집니다" 2020: 주민등록번호에서 지역번호 표시 폐지), hence the label rule for bare
numbers. BRN: OECD "Korea - Information on Tax Identification Numbers" (last digit checks the first
nine), weights 1,3,7,1,3,7,1,3,5 plus floor(9th digit x 5 / 10). Passport: passport.go.kr 여권이야기
(one letter M/S/R/G/D and eight digits), busanjin.go.kr 차세대 전자여권 (M123A4567 since 2021-12-21).
Driver's licence: 도로교통공단, region names replaced by numbers (11 서울 ... 28 경기북부). Bank accounts:
banks keep their check schemes private (이데일리 "계좌번호에 숨은 비밀"), so only labelled numbers count.

Cost is linear in the input: numbers are found by one tokenizer pass and checked a bounded number of
group spans at a time; e-mail addresses are anchored on "@" and scanned within RFC 5321's lengths;
addresses are checked token by token. No pattern here can backtrack over more than a few characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum


class PiiKind(StrEnum):
    EMAIL = "EMAIL"
    CARD = "CARD"
    KR_RRN = "KR_RRN"
    US_SSN = "US_SSN"
    PHONE = "PHONE"
    KR_BRN = "KR_BRN"
    KR_BANK_ACCOUNT = "KR_BANK_ACCOUNT"
    KR_PASSPORT = "KR_PASSPORT"
    KR_DRIVER_LICENSE = "KR_DRIVER_LICENSE"
    KR_ADDRESS = "KR_ADDRESS"


ALL_KINDS: frozenset[PiiKind] = frozenset(PiiKind)


@dataclass(frozen=True, order=True)
class Finding:
    start: int
    end: int
    kind: PiiKind


# -- normalisation -------------------------------------------------------------------------------

# Zero-width, soft hyphen and bidirectional controls: invisible, and used to split words past filters.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def _visible(text: str) -> str:
    return _INVISIBLE.sub("", text) if _INVISIBLE.search(text) else text


_NFKC_PIECE = 2_048


def normalize(text: str, limit: int | None = None) -> str:
    """NFKC (full-width digits and letters, compatibility forms) without invisible characters; at
    most `limit` characters of it. NFKC turns one character into as many as 18, so with a limit the
    text is folded piece by piece until the limit is reached: the work stays bounded by the limit."""
    if limit is None:
        return _visible(unicodedata.normalize("NFKC", text))
    if unicodedata.is_normalized("NFKC", text):
        return _visible(text[:limit])
    pieces, produced, start = [], 0, 0
    while start < len(text) and produced < limit:
        end = min(len(text), start + _NFKC_PIECE)
        # Cut where composition cannot reach across: before ASCII or a space (within a few characters).
        while end < min(len(text), start + _NFKC_PIECE + 64) and not (text[end].isascii() or text[end].isspace()):
            end += 1
        piece = unicodedata.normalize("NFKC", text[start:end])
        pieces.append(piece)
        produced += len(piece)
        start = end
    return _visible("".join(pieces)[:limit])


# -- check digits ----------------------------------------------------------------------------------


_LUHN_DOUBLED = str.maketrans("0123456789", "0246813579")  # 2d, minus 9 when 2d > 9


def luhn_valid(digits: str) -> bool:
    # Digit sums as byte sums (the ASCII codes minus 48 each): the check runs once per digit group.
    doubled = digits[-2::-2].translate(_LUHN_DOUBLED)
    return (sum(digits[-1::-2].encode()) + sum(doubled.encode()) - 48 * len(digits)) % 10 == 0


def rrn_check_digit_valid(digits: str) -> bool:
    """주민등록번호 check digit (numbers issued before 2020-10-05)."""
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=False))
    return (11 - total % 11) % 10 == int(digits[12])


def rrn_plausible(digits: str) -> bool:
    """13 digits: a real date of birth and a sex/century digit of a Korean (1-4) or a foreigner (5-8)."""
    sex = digits[6]
    if sex not in "12345678":
        return False
    year = (1900 if sex in "1256" else 2000) + int(digits[0:2])
    return _real_date(year, int(digits[2:4]), int(digits[4:6]))


def brn_valid(digits: str) -> bool:
    """사업자등록번호: tax office 101+, type not 00, serial not 0000, and the check digit."""
    if len(digits) != 10 or digits[:3] < "101" or digits[3:5] == "00" or digits[5:9] == "0000":
        return False
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=False)) + int(digits[8]) * 5 // 10
    return (10 - total % 10) % 10 == int(digits[9])


def _real_date(year: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return day <= (29 if leap else 28)
    return day <= (30 if month in (4, 6, 9, 11) else 31)


# -- numbers ---------------------------------------------------------------------------------------

# Dashes, dots and spaces, including their full-width forms, so that text that was not normalised
# (a model's answer) is read the same way.
_DASH_CHARS = "-\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"
_DOT_CHARS = ".\uff0e"
_SPACE_CHARS = " \u00a0\u3000"
# A digit group, optionally in parentheses; groups joined by a space, a dash or a dot (with optional
# spaces around it), or nothing right after a closing parenthesis: "+82 (0)10-1234-5678".
_GROUP = r"\(?\d+\)?"
_JOIN = rf"(?:[{_SPACE_CHARS}]?[{re.escape(_DASH_CHARS + _DOT_CHARS)}][{_SPACE_CHARS}]?|[{_SPACE_CHARS}]|(?<=\)))"
_CHUNK = re.compile(rf"\+?{_GROUP}(?:{_JOIN}{_GROUP})*")
_DIGITS = re.compile(r"\d+")
_MIN_NUMBER_CHARS = 9  # the shortest format, a Seoul landline, has nine digits
_MAX_SPAN_GROUPS = 6

_KR_AREA_CODES = frozenset(
    ("031", "032", "033", "041", "042", "043", "044", "051", "052", "053", "054", "055", "061", "062", "063", "064")
)
_DL_REGIONS = frozenset(str(code) for code in (*range(11, 27), 28))
_LABEL_WINDOW = 24
# The label nearest before a number says what it is; "주문번호" (order number) or "운송장" (waybill) after
# an earlier "입금" (deposit) means the number is an order, not an account. Longest spellings first.
# Matched on the lower-cased window before the number; the lookahead on first characters lets the
# engine skip the other positions at C speed.
_LABEL = re.compile(
    r"(?=[사주외등면전연휴핸카계통입송이은뱅금농신우운택예티모제시abcilmoprst])"
    r"(?:(?P<brn>사업자\s?등록\s?번호|사업자\s?번호|사업자|brn|business\s?(?:registration|number|no)|tax\s?id)"
    r"|(?P<rrn>주민\s?등록\s?번호|주민\s?번호|주민|외국인\s?등록\s?번호|rrn|resident)"
    r"|(?P<registration>등록\s?번호)"
    r"|(?P<license>면허|licen[cs]e)"
    r"|(?P<ssn>ssn|social\s?security)"
    r"|(?P<phone>전화|연락처|휴대폰|핸드폰|phone|mobile|tel|call)"
    r"|(?P<card>카드|card)"
    r"|(?P<bank>계좌|통장|입금|송금|이체|은행|뱅크|금고|농협|신협|우체국|account|acct|bank)"
    r"|(?P<other>주문|운송장|송장|택배|예약|order|tracking|invoice|reservation))"
)
_LABELS_FOR: dict[str, frozenset[PiiKind]] = {
    "brn": frozenset((PiiKind.KR_BRN,)),
    "rrn": frozenset((PiiKind.KR_RRN,)),
    "registration": frozenset((PiiKind.KR_BRN, PiiKind.KR_RRN)),
    "license": frozenset((PiiKind.KR_DRIVER_LICENSE,)),
    "ssn": frozenset((PiiKind.US_SSN,)),
    "phone": frozenset((PiiKind.PHONE,)),
    "card": frozenset((PiiKind.CARD,)),
    "bank": frozenset((PiiKind.KR_BANK_ACCOUNT,)),
    "other": frozenset(),
}
_DL_REGION_NAME = re.compile(
    r"(?:서울|부산|경기|강원|충북|충남|전북|전남|경북|경남|제주|대구|인천|광주|대전|울산)[ ]?\Z"
)


class _Number:
    """One run of digit groups ("010-1234-5678 900101-1234567" is one run of five groups)."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.spans = [m.span() for m in _DIGITS.finditer(text, start, end)]
        self.digits = [text[a:b] for a, b in self.spans]
        if not text[start:end].isascii():
            self.digits = [_ascii(d) for d in self.digits]
        self.lens = [b - a for a, b in self.spans]
        self.joins = [_join_kind(text[self.spans[k][1] : self.spans[k + 1][0]]) for k in range(len(self.spans) - 1)]
        self.plus = text[start] == "+"
        self.attached_before = _attached(text, start - 1, -1)
        self.attached_after = _attached(text, end, 1)
        self._label: str | None = None

    @property
    def label(self) -> str:
        """The group name of the nearest label before the number ("" when there is none)."""
        if self._label is None:
            found = list(_LABEL.finditer(self.text[max(0, self.start - _LABEL_WINDOW) : self.start].lower()))
            self._label = found[-1].lastgroup or "" if found else ""
        return self._label

    def labelled(self, kind: PiiKind) -> bool:
        return kind in _LABELS_FOR.get(self.label, frozenset())

    @property
    def labelled_other(self) -> bool:
        """Labelled as something that is not personal (an order, a waybill, a model number)."""
        return self.label == "other"

    def lengths(self, i: int, count: int) -> tuple[int, ...]:
        return tuple(self.lens[i : i + count])

    def joined(self, i: int, j: int) -> str:
        return "".join(self.digits[i : j + 1])

    def uniform(self, i: int, j: int) -> bool:
        """One kind of separator between the groups i..j (an identifier is typed consistently)."""
        return len(set(self.joins[i:j])) <= 1

    def isolated(self, i: int, j: int) -> bool:
        """No neighbouring group joined the way the span's own groups are: "1111-2222-3333" inside
        "1111-2222-3333-4444" is part of something longer, not a number of its own."""
        inner = self.joins[i] if j > i else None
        before = self.joins[i - 1] if i > 0 else None
        after = self.joins[j] if j < len(self.joins) else None
        if (i == 0 and self.attached_before) or (j == len(self.digits) - 1 and self.attached_after):
            return False
        return (before is None or before != inner) and (after is None or after != inner)


def _ascii(digits: str) -> str:
    return digits if digits.isascii() else "".join(str(unicodedata.digit(c)) for c in digits)


_SIMPLE_JOINS = {" ": " ", "-": "-", ".": ".", "": ""}


def _join_kind(between: str) -> str:
    if between in _SIMPLE_JOINS:
        return _SIMPLE_JOINS[between]
    if any(c in _DASH_CHARS for c in between):
        return "-"
    if any(c in _DOT_CHARS for c in between):
        return "."
    return " " if any(c in _SPACE_CHARS for c in between) else ""


def _attached(text: str, index: int, step: int) -> bool:
    """The character at `index` glues the number to a word: a letter, or a dash/dot before a letter
    ("ORD-2024..."). Hangul does not: Korean particles follow numbers ("010-1234-5678로")."""
    if not 0 <= index < len(text):
        return False
    char = text[index]
    if char.isascii() and (char.isalnum() or char == "_"):
        return True
    if step > 0:  # "010-1234-5678.pdf": a file extension does not make the number part of a word
        return False
    beyond = index + step
    return (
        char in _DASH_CHARS + _DOT_CHARS
        and 0 <= beyond < len(text)
        and text[beyond].isascii()
        and text[beyond].isalpha()
    )


def _rrn(number: _Number, i: int) -> int | None:
    lengths = number.lengths(i, 2)
    if lengths == (6, 7) and number.isolated(i, i + 1):
        return i + 1 if rrn_plausible(number.joined(i, i + 1)) else None
    if lengths[:1] == (13,):
        digits = number.digits[i]
        if rrn_plausible(digits) and (rrn_check_digit_valid(digits) or number.labelled(PiiKind.KR_RRN)):
            return i
    return None


def card_issuer_plausible(digits: str) -> bool:
    """The length fits the issuer the first digits name (ISO/IEC 7812 major industry identifier and
    the networks' IIN ranges): Visa 4 (13, 16, 19), Amex 34/37 (15), Diners 30/36/38 (14), JCB 35,
    Mastercard 51-55 and 2221-2720, Discover/UnionPay 6, national use 9 (Korean domestic cards).
    Date-led order numbers ("2024031512345678") are thereby never card numbers."""
    length, first = len(digits), digits[0]
    if length == 13:
        return first == "4"
    if length in (14, 15):
        return first == "3"
    if first == "2":
        return length == 16 and "2221" <= digits[:4] <= "2720"
    return first in "34569" if length == 16 else first in "456"


def _card_layouts(number: _Number, i: int) -> tuple[int, ...]:
    """Last group of each way the groups from i can spell a card, most common first: 4-4-4-4, then
    4-4-4-4-1..3 (17-19 digits), 4-4-4-1 (13), Amex 4-6-5 and Diners 4-6-4."""
    lengths = number.lens[i : i + 5]
    if len(lengths) < 3 or lengths[0] != 4:
        return ()
    if lengths[1] == 6:
        return (i + 2,) if lengths[2] in (4, 5) else ()
    if lengths[1] != 4 or lengths[2] != 4 or len(lengths) < 4:
        return ()
    if lengths[3] == 1:
        return (i + 3,)
    if lengths[3] != 4:
        return ()
    return (i + 3, i + 4) if len(lengths) == 5 and 1 <= lengths[4] <= 3 else (i + 3,)


def _card(number: _Number, i: int) -> int | None:
    if 13 <= len(number.digits[i]) <= 19:
        return i if _card_number(number.digits[i]) else None
    for j in _card_layouts(number, i):
        if number.uniform(i, j) and _card_number(number.joined(i, j)):
            return j
    return None


def _card_number(digits: str) -> bool:
    return card_issuer_plausible(digits) and luhn_valid(digits)


def _brn(number: _Number, i: int) -> int | None:
    if number.lengths(i, 3) == (3, 2, 5) and number.uniform(i, i + 2) and brn_valid(number.joined(i, i + 2)):
        return i + 2
    if len(number.digits[i]) == 10 and brn_valid(number.digits[i]) and number.labelled(PiiKind.KR_BRN):
        return i
    return None


def _driver_license(number: _Number, i: int) -> int | None:
    lengths = number.lengths(i, 4)
    if lengths == (2, 2, 6, 2) and number.digits[i] in _DL_REGIONS and number.uniform(i, i + 3):
        return i + 3 if number.isolated(i, i + 3) else None
    if i == 0 and lengths[:3] == (2, 6, 2) and number.uniform(0, 2) and number.isolated(0, 2):
        before = number.text[max(0, number.start - 4) : number.start]
        return 2 if _DL_REGION_NAME.search(before) else None
    if (
        len(number.digits[i]) == 12
        and number.digits[i][:2] in _DL_REGIONS
        and number.labelled(PiiKind.KR_DRIVER_LICENSE)
    ):
        return i
    return None


def _kr_prefix(digits: str) -> int:
    """Length of a Korean national prefix (trunk 0 included), 0 when there is none."""
    if digits.startswith("02"):
        return 2
    if digits[:3] in _KR_AREA_CODES or digits[:3] == "070" or (digits[:2] == "01" and digits[2:3] in "016789"):
        return 3 if len(digits) >= 3 else 0
    if digits[:3] == "050" and digits[3:4] in "2345678":
        return 4
    return 0


def _kr_national(digits: str) -> bool:
    prefix = _kr_prefix(digits)
    return prefix > 0 and len(digits) - prefix in (7, 8)


def _kr_phone(number: _Number, i: int) -> int | None:
    first = number.digits[i]
    if not first.startswith("0"):
        return None
    if _kr_national(first) and len(first) >= 9:  # bare: 01012345678, 0212345678
        return i if number.isolated(i, i) else None
    lengths = number.lengths(i, 3)
    if len(lengths) == 3 and _kr_prefix(first) == len(first) and lengths[1] in (3, 4) and lengths[2] == 4:
        return i + 2 if number.isolated(i, i + 2) else None
    return None


def _international_phone(number: _Number) -> int | None:
    """+82 10-1234-5678, +82 (0)2 123 4567: the Korean rules after the country code; other country
    codes: E.164's 8 to 15 digits in total."""
    digits = number.digits
    if digits[0] == "82":
        k = 2 if len(digits) > 1 and digits[1] == "0" else 1
        national = "0"
        for j in range(k, min(len(digits), k + 4)):
            national += digits[j]
            if _kr_national(national):
                return j
        return None
    total, best = 0, None
    for j in range(min(len(digits), _MAX_SPAN_GROUPS)):
        total += len(digits[j])
        if total > 15:
            break
        if total >= 8:
            best = j
    return best


def _nanp_phone(number: _Number, i: int) -> int | None:
    """(415) 555-0100, 415-555-0100, 415.555.0100: area and exchange codes start with 2-9."""
    if number.lengths(i, 3) != (3, 3, 4) or number.digits[i][0] in "01" or number.digits[i + 1][0] in "01":
        return None
    parenthesised = number.text[number.spans[i][0] - 1 : number.spans[i][0]] == "("
    if parenthesised:
        return i + 2 if number.isolated(i + 1, i + 2) else None
    if number.joins[i] in ("-", ".") and number.uniform(i, i + 2) and number.isolated(i, i + 2):
        return i + 2
    return None


def _us_ssn(number: _Number, i: int) -> int | None:
    if number.lengths(i, 3) != (3, 2, 4) or not number.uniform(i, i + 2) or number.joins[i] == "":
        return None
    area, group, serial = number.digits[i : i + 3]
    if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
        return None
    return i + 2 if number.isolated(i, i + 2) else None


def _bank_account(number: _Number, i: int) -> int | None:
    if i != 0 or not number.labelled(PiiKind.KR_BANK_ACCOUNT):
        return None
    total, best = 0, None
    for j in range(min(len(number.digits), 4)):
        total += len(number.digits[j])
        if total > 14:
            break
        if total >= 10 and number.uniform(0, j):
            best = j
    return best


_NUMBER_RULES = (
    (PiiKind.KR_RRN, _rrn),
    (PiiKind.CARD, _card),
    (PiiKind.KR_BRN, _brn),
    (PiiKind.KR_DRIVER_LICENSE, _driver_license),
    (PiiKind.PHONE, _kr_phone),
    (PiiKind.PHONE, _nanp_phone),
    (PiiKind.US_SSN, _us_ssn),
    (PiiKind.KR_BANK_ACCOUNT, _bank_account),
)


def _numbers(text: str, kinds: frozenset[PiiKind], found: list[Finding]) -> None:
    for chunk in _CHUNK.finditer(text):
        if chunk.end() - chunk.start() < _MIN_NUMBER_CHARS:
            continue
        number = _Number(text, chunk.start(), chunk.end())
        i = 0
        if number.plus and PiiKind.PHONE in kinds:
            j = _international_phone(number)
            if j is not None:
                found.append(Finding(chunk.start(), _span_end(number, j), PiiKind.PHONE))
                i = j + 1
        while i < len(number.digits):
            match = _first_rule(number, i, kinds)
            if match is None:
                i += 1
                continue
            kind, j = match
            found.append(Finding(_span_start(number, i), _span_end(number, j), kind))
            i = j + 1


def _rules_for(length: int) -> tuple[tuple[PiiKind, Callable[[_Number, int], int | None]], ...]:
    """The rules a span whose first group has `length` digits can match (in priority order)."""
    starts = {
        _rrn: (6, 13),
        _card: (4, *range(13, 20)),
        _brn: (3, 10),
        _driver_license: (2, 12),
        _kr_phone: (2, 3, 4, 9, 10, 11, 12),
        _nanp_phone: (3,),
        _us_ssn: (3,),
    }
    return tuple((kind, rule) for kind, rule in _NUMBER_RULES if length in starts.get(rule, ()))


_RULES_BY_LENGTH = {length: _rules_for(length) for length in range(1, 20)}
_BANK_RULE = ((PiiKind.KR_BANK_ACCOUNT, _bank_account),)


def _first_rule(number: _Number, i: int, kinds: frozenset[PiiKind]) -> tuple[PiiKind, int] | None:
    rules = _RULES_BY_LENGTH.get(len(number.digits[i]), ())
    if i == 0:
        # A number labelled as an order or waybill is one when its shape is also an order's: date-led
        # like a resident number, or any run of digits like an account.
        rules = tuple(r for r in rules if r[0] is not PiiKind.KR_RRN) if number.labelled_other else rules + _BANK_RULE
    for kind, rule in rules:
        if kind in kinds:
            j = rule(number, i)
            if j is not None:
                return kind, j
    return None


def _span_start(number: _Number, i: int) -> int:
    start = number.spans[i][0]
    return start - 1 if start > 0 and number.text[start - 1] == "(" else start


def _span_end(number: _Number, j: int) -> int:
    end = number.spans[j][1]
    return end + 1 if end < len(number.text) and number.text[end] == ")" else end


# -- passports -------------------------------------------------------------------------------------

_PASSPORT = re.compile(r"(?<![A-Za-z0-9])[MSRGD](?:\d{8}|\d{3}[A-Z]\d{4})(?![A-Za-z0-9])", re.IGNORECASE)


# -- e-mail ----------------------------------------------------------------------------------------

# Local part: RFC 5322 atext and dots, plus any letter or digit (RFC 6531 allows UTF-8, e.g. 홍길동@...).
_LOCAL_SPECIALS = frozenset("!#$%&'*+/=?^`{|}~-._")
_MAX_LOCAL = 64
_MAX_DOMAIN = 253
# Domain: labels of letters (any script), digits and hyphens; the top-level domain is ASCII letters
# (cut where Hangul follows: "example.com으로"), an A-label (xn--...) or a Korean IDN TLD.
_DOMAIN = re.compile(
    r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?[.\u3002])+(?:xn--[a-z0-9-]{1,59}|[a-z]{2,63}(?![a-z])|한국|닷컴|닷넷)", re.I
)


def _emails(text: str, found: list[Finding]) -> None:
    at = text.find("@")
    while at != -1:
        start = at
        while start > 0 and at - start < _MAX_LOCAL and _local_char(text[start - 1]):
            start -= 1
        while start < at and text[start] == ".":
            start += 1
        domain = _DOMAIN.match(text, at + 1, min(len(text), at + 1 + _MAX_DOMAIN))
        if start < at and domain and text[at - 1] != ".":
            found.append(Finding(start, domain.end(), PiiKind.EMAIL))
        at = text.find("@", at + 1)


def _local_char(char: str) -> bool:
    return char.isalnum() or char in _LOCAL_SPECIALS


# -- addresses -------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\S+")
_PROVINCE = re.compile(
    r"(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주|충청북|충청남|전라북|전라남|경상북|경상남)"
    r"(?:특별시|광역시|특별자치시|특별자치도|도|시)?"
)
_DISTRICT = re.compile(r"[가-힣]{2,5}[시군구]|[중동서남북]구")
_NOT_DISTRICT = frozenset(("반드시", "오후시", "새로고침시"))
_STREET = re.compile(r"[가-힣][가-힣0-9]{0,15}(?:로|길|동|리|가)(?:\d{1,5}(?:-\d{1,5})?)?")
_STREET_NUMBER = re.compile(r"(?:산\s?)?\d{1,5}(?:-\d{1,5})?(?:번지|번길)?[,.)]?")
_UNIT = re.compile(
    r"\(?[가-힣0-9,\s]{0,12}\)|\d{1,5}(?:동|호|층)[,.]?|[가-힣A-Za-z0-9]{1,15}(?:아파트|빌딩|빌라|타워|오피스텔)[,.]?"
)
_CONTEXT_TOKENS = 3
_MAX_UNIT_TOKENS = 4


def _addresses(text: str, found: list[Finding]) -> None:
    """ "서울특별시 강남구 테헤란로 152 (역삼동) 12층": the street and number onwards is personal once a
    province or district precedes it; "강남구" alone is a neighbourhood, not an address."""
    tokens: list[tuple[int, int, str]] = []
    following = -1  # tokens up to this index are inside the last address found
    for match in _TOKEN.finditer(text):
        tokens.append((match.start(), match.end(), match.group()))
    for index, (start, _, token) in enumerate(tokens):
        last = token[-2] if token[-1] == "," and len(token) > 1 else token[-1]
        if index <= following or not (last in "로길동리가" or last.isdigit()):
            continue  # cheap test first: most words end otherwise
        end = _address_end(tokens, index)
        if end is not None:
            found.append(Finding(start, tokens[end][1], PiiKind.KR_ADDRESS))
            following = end


def _address_end(tokens: list[tuple[int, int, str]], index: int) -> int | None:
    street = tokens[index][2]
    if not _STREET.fullmatch(street.rstrip(",")) or not _has_context(tokens, index):
        return None
    if street[-1].isdigit():  # "테헤란로152": the number is fused to the road name
        end = index
    elif index + 1 < len(tokens) and _STREET_NUMBER.fullmatch(tokens[index + 1][2]):
        end = index + 1
    else:
        return None
    for after in range(end + 1, min(len(tokens), end + 1 + _MAX_UNIT_TOKENS)):
        if not _UNIT.fullmatch(tokens[after][2]):
            break
        end = after
    return end


def _has_context(tokens: list[tuple[int, int, str]], index: int) -> bool:
    for _, _, token in tokens[max(0, index - _CONTEXT_TOKENS) : index]:
        word = token.rstrip(",")
        if _PROVINCE.fullmatch(word) or (_DISTRICT.fullmatch(word) and word not in _NOT_DISTRICT):
            return True
    return False


# -- the recogniser --------------------------------------------------------------------------------


def find_pii(text: str, kinds: Iterable[PiiKind] = ALL_KINDS) -> list[Finding]:
    """Non-overlapping findings in `text` (normalised with `normalize` first), in text order."""
    wanted = frozenset(kinds)
    found: list[Finding] = []
    if PiiKind.EMAIL in wanted and "@" in text:
        _emails(text, found)
    _numbers(text, wanted, found)
    if PiiKind.KR_PASSPORT in wanted:
        found.extend(Finding(m.start(), m.end(), PiiKind.KR_PASSPORT) for m in _PASSPORT.finditer(text))
    if PiiKind.KR_ADDRESS in wanted:
        _addresses(text, found)
    return _without_overlaps(found)


def _without_overlaps(found: list[Finding]) -> list[Finding]:
    """Earliest first; of two findings starting together the longer one (an e-mail address whose
    local part is a phone number is an e-mail address)."""
    kept: list[Finding] = []
    for finding in sorted(found, key=lambda f: (f.start, -f.end)):
        if kept and finding.start < kept[-1].end:
            continue
        kept.append(finding)
    return kept


@dataclass(frozen=True)
class Redaction:
    text: str
    counts: dict[str, int]  # PiiKind value -> how many were replaced


def redact(text: str, kinds: Iterable[PiiKind] = ALL_KINDS) -> Redaction:
    """Replace every finding with its placeholder, "[KR_RRN]"; `text` must be normalised."""
    findings = find_pii(text, kinds)
    if not findings:
        return Redaction(text, {})
    pieces, last = [], 0
    for finding in findings:
        pieces += [text[last : finding.start], f"[{finding.kind.value}]"]
        last = finding.end
    pieces.append(text[last:])
    return Redaction("".join(pieces), dict(Counter(f.kind.value for f in findings)))


# Findings are shorter than this (the longest, an e-mail address, is 64 + 1 + 253), so clipping a
# text this far past a limit never cuts one that starts before the limit.
REDACTION_MARGIN = 320


def scrub(value: object, limit: int = 500) -> str:
    """A value fit for a log line: normalised, personal data replaced, at most `limit` characters.
    The work is bounded by `limit`, whatever the size of the value."""
    text = value if isinstance(value, str) else str(value)
    text = normalize(text[: limit + REDACTION_MARGIN])[: limit + REDACTION_MARGIN]
    return redact(text).text[:limit]
