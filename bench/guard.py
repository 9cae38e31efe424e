"""The pre-guard's worst case: time of `Guard.check_input` on adversarial inputs at the largest input
the platform accepts (25,000 characters, Bedrock's inputText limit), and its cost per character at
several sizes to show it grows linearly.

    .venv/bin/python -m bench.guard [--repeats 5]

Adversarial inputs are the shapes that make backtracking regexes and per-match loops blow up:
one character repeated, a keyword repeated (with and without what would complete a rule), digit
groups and separators, "@" runs, lines of whitespace. Each is timed `repeats` times in this
process (the best of them is reported: the guard is pure CPU, so the minimum is its cost and the
rest is the machine's noise); the target is 50 ms or less at 25,000 characters.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO_ROOT / "functions")]

from shared.guard import Guard  # noqa: E402

MAX_INPUT_CHARS = 25_000
TARGET_MS = 50.0
SIZES = (1_000, 5_000, 25_000)


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "one letter": _repeat("a"),
    "one digit": _repeat("1"),
    "one Hangul syllable": _repeat("가"),
    "spaces": _repeat(" "),
    "newlines": _repeat("\n"),
    "newline + spaces": _repeat("\n    "),
    "tabs then 'system'": lambda size: "\t" * (size - 7) + "system:",
    "'<' then spaces": lambda size: "<" + " " * (size - 1),
    "digit groups '1 '": _repeat("1 "),
    "digit groups '0-'": _repeat("0-"),
    "card-like groups": _repeat("4111 "),
    "phone-like groups": _repeat("010-1234-"),
    "RRN-like groups": _repeat("900101-"),
    "'@' runs": _repeat("@"),
    "'a@' runs": _repeat("a@"),
    "long local part + '@'": _repeat("a" * 70 + "@"),
    "dotted domain labels": lambda size: "a@" + ("b." * size)[: size - 2],
    "'ignore ' repeated": _repeat("ignore "),
    "'ignore all ' repeated": _repeat("ignore all "),
    "'ignore previous ' repeated": _repeat("ignore previous "),
    "'이전 지시 ' repeated": _repeat("이전 지시 "),
    "'지시' repeated": _repeat("지시"),
    "'system prompt ' repeated": _repeat("system prompt "),
    "'you are now ' repeated": _repeat("you are now "),
    "'서울시 강남구 ' repeated": _repeat("서울시 강남구 "),
    "'강남구 역삼동 ' repeated": _repeat("강남구 역삼동 "),
    "'계좌 ' + digits repeated": _repeat("계좌 1234 "),
    "'+' runs": _repeat("+1 "),
    "'M1234' repeated": _repeat("M1234"),
    "ligatures NFKC x18": _repeat("\ufdfa"),
    "mixed realistic text": _repeat("안녕하세요, 주문 2024031500123 관련 문의입니다. 010-1234-5678로 연락 주세요. "),
}


def best_ms(guard: Guard, text: str, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        guard.check_input(text)
        best = min(best, (time.perf_counter() - started) * 1000)
    return best


def measure(repeats: int = 5) -> list[dict[str, float | str]]:
    guard = Guard(MAX_INPUT_CHARS)
    rows: list[dict[str, float | str]] = []
    for name, build in ADVERSARIAL.items():
        row: dict[str, float | str] = {"input": name}
        for size in SIZES:
            row[f"ms_{size}"] = best_ms(guard, build(size), repeats)
        rows.append(row)
    return rows


def table(rows: list[dict[str, float | str]]) -> list[str]:
    worst = max(rows, key=lambda r: float(r[f"ms_{MAX_INPUT_CHARS}"]))
    worst_ms = float(worst[f"ms_{MAX_INPUT_CHARS}"])
    lines = [
        f"| adversarial input | {' | '.join(f'{size:,} chars ms' for size in SIZES)} "
        f"| µs per char at {MAX_INPUT_CHARS:,} |",
        "|---|" + "---:|" * (len(SIZES) + 1),
    ]
    for row in rows:
        cells = " | ".join(f"{float(row[f'ms_{size}']):.2f}" for size in SIZES)
        per_char = 1000 * float(row[f"ms_{MAX_INPUT_CHARS}"]) / MAX_INPUT_CHARS
        lines.append(f"| {row['input']} | {cells} | {per_char:.2f} |")
    mark = "✓" if worst_ms <= TARGET_MS else "✗ MISSED"
    lines += [
        "",
        f"- worst at {MAX_INPUT_CHARS:,} characters: {worst_ms:.1f} ms ({worst['input']}), "
        f"target ≤ {TARGET_MS:.0f} ms {mark}",
    ]
    return lines


def conformance_table(examples: int) -> list[str]:
    """Recall and false-positive rate per category of the generated conformance corpus."""
    sys.path.insert(0, str(REPO_ROOT))
    from tests.functions.shared.pii_corpus import conformance_rows

    lines = ["| what | category | examples | rate |", "|---|---|---:|---:|"]
    lines += [
        f"| {section} | {name} | {count} | {100 * rate:.1f} % |"
        for section, name, count, rate in conformance_rows(examples)
    ]
    return lines


def section(repeats: int = 5, examples: int = 200) -> list[str]:
    """The pre-guard's part of BENCHMARKS.md (`make bench`)."""
    return [
        "## 4b. Pre-guard (functions/shared/guard.py, shared/pii.py)",
        "",
        f"Worst time of `Guard.check_input` on adversarial inputs (best of {repeats} runs each):",
        "",
        *table(measure(repeats)),
        "",
        f"Conformance on generated text ({examples} examples per row, tests/functions/shared/pii_corpus.py):",
        "recall for personal data and injections, false-positive rate for benign look-alikes. The tests assert",
        "100 % on canonical formats and spellings and 0 % on the benign rows; documented gaps and injection",
        "rates are measured here only.",
        "",
        *conformance_table(examples),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--examples", type=int, default=200)
    args = parser.parse_args()
    print("\n".join(section(args.repeats, args.examples)))


if __name__ == "__main__":
    main()
