"""Run the offline engine in a fresh interpreter, the way `make preview` does, and measure it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from environments.catalog import REPO_ROOT as REPO


@dataclass(frozen=True)
class EngineRun:
    stack: str
    wall_seconds: float
    peak_rss_mib: float
    program_seconds: float
    policy_seconds: float
    analyze_calls: int
    analyze_seconds: float
    analyze_stack_seconds: float
    resources: int
    mandatory: int

    @property
    def analyze_ms_per_resource(self) -> float:
        return 1000 * self.analyze_seconds / max(self.analyze_calls, 1)


def _peak_rss_mib(rusage_kib: int) -> float:
    return rusage_kib / 1024


def run_engine(project_dir: Path, stack: str, out: Path) -> EngineRun:
    """`python -m engine preview --stack <stack> --json` in a child process; wall time and peak RSS of the
    whole tree (the engine and the policy pack it starts)."""
    command = [sys.executable, "-m", "engine", "preview", "--stack", stack, "-C", str(project_dir), "--json"]
    command += ["--policy-pack", str(REPO / "policies"), "--out", str(out)]
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, stdout=stdout, stderr=stderr, env=os.environ.copy())
        # wait4 reports this child's own peak RSS, including the policy pack it started and waited for.
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        output, errors = stdout.read(), stderr.read()
    if process.returncode not in (0, 1):
        raise RuntimeError(f"engine failed on {stack}: {errors.decode()[-2000:]}")
    peak = _peak_rss_mib(usage.ru_maxrss)
    stdout = output
    summary = json.loads(stdout)["summary"]
    timings = summary["policyTimings"]
    policy = sum(v for k, v in timings.items() if k.endswith("Seconds"))
    return EngineRun(
        stack=stack,
        wall_seconds=wall,
        peak_rss_mib=peak,
        program_seconds=summary["programSeconds"],
        policy_seconds=policy,
        analyze_calls=int(timings["analyzeCalls"]),
        analyze_seconds=timings["analyzeSeconds"],
        analyze_stack_seconds=timings["analyzeStackSeconds"],
        resources=summary["resources"],
        mandatory=summary["violations"]["mandatory"],
    )
