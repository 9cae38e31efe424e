"""`make bench`: feedback speed, scale and the deployment critical path; prints tables, writes BENCHMARKS.md.

Targets (2-core machine): run preview incl. policies <= 5 s, crawl <= 3 s; 200 agents <= 60 s and
<= 2 GiB, time per resource flat within 2x from 10 to 200 agents; Analyze <= 1 ms per resource,
AnalyzeStack linear; orchestrator cold import <= 300 ms, warm overhead <= 5 ms per invocation; the
pre-guard <= 50 ms at 25,000 adversarial characters (bench/guard.py, with its conformance table).
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import tempfile
from pathlib import Path

from bench import guard, lambda_handlers, machine
from bench.critical_path import critical_path
from bench.engine_runs import REPO, EngineRun, run_engine
from bench.scale import write_project
from engine import load_stack, run_program

PROFILES = Path(__file__).with_name("PROFILES.md")
PREVIEW_TARGETS = {"crawl": 3.0, "walk": 5.0, "run": 5.0}
SCALE_AGENTS = (1, 10, 50, 200)


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗ MISSED"


def _best_of(runs: int, stack: str, project: Path, out: Path) -> EngineRun:
    """Median by wall time of a few cold runs (fresh interpreters, as `make preview`)."""
    samples = sorted((run_engine(project, stack, out) for _ in range(runs)), key=lambda r: r.wall_seconds)
    return samples[len(samples) // 2]


def preview_section(runs: int, out: Path) -> list[str]:
    lines = [
        "## 1. Offline preview per stage (`make preview`, cold process, policies included)",
        "",
        "| stage | resources | wall s | program s | policies s | peak RSS MiB | target | |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for stage, target in PREVIEW_TARGETS.items():
        r = _best_of(runs, stage, REPO, out)
        lines.append(
            f"| {stage} | {r.resources} | {r.wall_seconds:.2f} | {r.program_seconds:.2f} | {r.policy_seconds:.2f} "
            f"| {r.peak_rss_mib:.0f} | ≤ {target:.0f} s | {_mark(r.wall_seconds <= target)} |"
        )
    return lines


def scale_section(out: Path) -> list[str]:
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        for agents in SCALE_AGENTS:
            stack = write_project(Path(directory), agents)
            rows.append((agents, run_engine(Path(directory), stack, out)))
    lines = [
        "## 2. Scale: the run tier with N agents",
        "",
        "| agents | resources | wall s | peak RSS MiB | ms per resource | Analyze ms/resource | AnalyzeStack s |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for agents, r in rows:
        lines.append(
            f"| {agents} | {r.resources} | {r.wall_seconds:.2f} | {r.peak_rss_mib:.0f} | "
            f"{1000 * r.wall_seconds / r.resources:.2f} | {r.analyze_ms_per_resource:.2f} "
            f"| {r.analyze_stack_seconds:.2f} |"
        )
    by_agents = dict(rows)
    per_resource = {a: r.wall_seconds / r.resources for a, r in rows}
    flat = per_resource[200] <= 2 * per_resource[10]
    analyze = statistics.mean(r.analyze_ms_per_resource for _, r in rows)
    stack_per_resource = [r.analyze_stack_seconds / r.resources for _, r in rows if r.resources > 500]
    linear = len(stack_per_resource) < 2 or max(stack_per_resource) <= 2 * min(stack_per_resource)
    big = by_agents[200]
    lines += [
        "",
        f"- 200 agents: {big.wall_seconds:.1f} s (target ≤ 60 s) {_mark(big.wall_seconds <= 60)}, "
        f"peak {big.peak_rss_mib:.0f} MiB (target ≤ 2048 MiB) {_mark(big.peak_rss_mib <= 2048)}",
        f"- time per resource, 200 vs 10 agents: {per_resource[200] / per_resource[10]:.2f}x "
        f"(target ≤ 2x) {_mark(flat)}",
        f"- `Analyze`: {analyze:.2f} ms per resource on average (target ≤ 1 ms) {_mark(analyze <= 1.0)}",
        f"- `AnalyzeStack` per resource from 50 to 200 agents: "
        f"{' / '.join(f'{1000 * v:.2f} ms' for v in stack_per_resource)} (linear) {_mark(linear)}",
    ]
    return lines


def critical_path_section() -> list[str]:
    lines = [
        "## 3. Deployment critical path (longest chain of dependent resources)",
        "",
        "`pulumi up` creates independent resources in parallel; this chain is what remains serial.",
        "",
    ]
    for stage in ("crawl", "walk", "run"):
        chain = critical_path(run_program(load_stack(REPO, stage), "preview"))
        lines += [f"- **{stage}**: {len(chain)} resources: " + " → ".join(f"`{step}`" for step in chain)]
    return lines


def lambda_section(invocations: int, cold_runs: int) -> list[str]:
    rows = lambda_handlers.measure(invocations=invocations, cold_runs=cold_runs)
    lines = [
        "## 4. Lambda handlers (AWS calls mocked)",
        "",
        "| handler | cold import ms (median) | first-call setup ms | warm overhead ms/invocation (p95) | |",
        "|---|---:|---:|---:|---|",
    ]
    for row in rows:
        ok = ""
        if row["target_cold_import_ms"] is not None:
            ok = _mark(
                row["cold_import_ms"] <= row["target_cold_import_ms"]
                and row["warm_overhead_ms"] <= row["target_warm_overhead_ms"]
            )
        lines.append(
            f"| {row['handler']} | {row['cold_import_ms']:.0f} | {row['first_call_setup_ms']:.0f} | "
            f"{row['warm_overhead_ms']:.2f} ({row['warm_p95_ms']:.2f}) | {ok} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="cold preview runs per stage (median reported)")
    parser.add_argument("--quick", action="store_true", help="fewer samples, for a smoke run")
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    out = Path(tempfile.mkdtemp(prefix="bench-build-"))
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = ["# Benchmarks", "", f"Measured {now} with `make bench` on:", ""]
    header += [f"- {key}: {value}" for key, value in machine.describe().items()]
    sections = [header, preview_section(runs, out)]
    scale_lines = scale_section(out)
    sections += [
        scale_lines,
        critical_path_section(),
        lambda_section(100 if args.quick else 300, 3 if args.quick else 7),
        guard.section(3 if args.quick else 5, 50 if args.quick else 200),
        [PROFILES.read_text().rstrip()],  # why the figures are what they are: kept by hand, with the fixes
    ]
    text = "\n\n".join("\n".join(section) for section in sections) + "\n"
    print(text)
    args.output.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
