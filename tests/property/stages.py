"""Generated environment files through the real program and the real policy pack, memoized per spec.

A spec (the parsed YAML of an environment file) is written to a temporary file; a stack config points
`agent-platform:environment` at it, exactly as `Pulumi.<stack>.yaml` does. The program runs through
`engine.run_program` on the mock monitor, and the pack is started as its own process and evaluated over
the analyzer protocol by `engine.analyzer.evaluate` - the pack reads the same file through the stack
config. Every `RegisterResource` call is also counted by a spy on the engine's monitor, so a duplicate
URN (which the recorder would silently overwrite) and "no resource at all" are both observable.

A run takes seconds and ~10 MB, so the properties of one spec share it: when a spec's `up` run first
happens, every check of `invariants.STAGE_CHECKS` is evaluated and only the findings (and a fingerprint
for the determinism property) are kept; whole runs live in a small least-recently-used cache.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from unittest import mock

import yaml
from hypothesis import assume

import engine.program
from engine import ProgramError, ProgramRun, StackConfig, evaluate
from engine.pack_process import policy_pack_for
from engine.policy_report import PolicyReport
from engine.program import Mode
from engine.recorder import RecordingMonitor
from environments import Environment, EnvironmentFileError, parse_environment
from tests.property import invariants

REPO = Path(__file__).resolve().parents[2]
PACK = REPO / "policies"
PROJECT = "agent-platform"
REGION = "us-east-1"


def spec_key(spec: Any) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def write_spec(directory: Path, spec: Any, name: str | None = None) -> Path:
    """The spec as an environment file (UTF-8 YAML, as a team would write it)."""
    text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)
    path = directory / f"{name or hashlib.sha256(text.encode()).hexdigest()[:16]}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def stack_config(environment_file: Path, stack: str) -> StackConfig:
    """What `Pulumi.<stack>.yaml` with `agent-platform:environment: <file>` gives the program and the pack."""
    return StackConfig(
        project=PROJECT,
        stack=stack,
        project_dir=REPO,
        main=REPO / "__main__.py",
        config={"aws:region": REGION, f"{PROJECT}:environment": str(environment_file)},
    )


class SpyMonitor(RecordingMonitor):
    """The engine's recording monitor, also keeping every RegisterResource call (URN), duplicates included."""

    last: ClassVar[SpyMonitor | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calls: list[str] = []
        SpyMonitor.last = self

    def RegisterResource(self, request: Any) -> Any:
        self.calls.append(self.make_urn(request.parent, request.type, request.name))
        return super().RegisterResource(request)


@contextmanager
def spying() -> Iterator[type[SpyMonitor]]:
    SpyMonitor.last = None
    with mock.patch.object(engine.program, "RecordingMonitor", SpyMonitor):
        yield SpyMonitor


@dataclass
class Attempt:
    """One program run: every RegisterResource call, and the run or the program's error."""

    calls: list[str]
    run: ProgramRun | None = None
    error: ProgramError | None = None
    finished: float = field(default_factory=time.monotonic)


def run_stack(stack: StackConfig, mode: Mode) -> Attempt:
    with spying() as spy:
        try:
            run = engine.program.run_program(stack, mode)
        except ProgramError as error:
            return Attempt(list(spy.last.calls) if spy.last else [], error=error)
    return Attempt(list(spy.last.calls) if spy.last else [], run=run)


FACETS = (
    "type",
    "parent",
    "custom",
    "provider",
    "inputs",
    "outputs",
    "dependencies",
    "property dependencies",
    "options",
)


def fingerprint(run: ProgramRun) -> dict[str, tuple[str, ...]]:
    """Per URN, a digest of each facet of the registration (what two runs of one spec must share)."""

    def digest(value: Any) -> str:
        return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]

    return {
        r.urn: tuple(
            digest(v)
            for v in (
                r.type,
                r.parent,
                r.custom,
                r.provider,
                r.inputs,
                r.outputs,
                sorted(r.dependencies),
                {k: sorted(v) for k, v in r.property_dependencies.items()},
                (r.protect, r.retain_on_delete, sorted(r.ignore_changes), r.delete_before_replace),
            )
        )
        for r in run.registrations
    }


class Runs:
    """The few most recent program runs (a run holds every registration: ~10 MB)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._attempts: OrderedDict[tuple[str, str], Attempt] = OrderedDict()

    def get(self, key: tuple[str, str]) -> Attempt | None:
        if key in self._attempts:
            self._attempts.move_to_end(key)
        return self._attempts.get(key)

    def put(self, key: tuple[str, str], attempt: Attempt) -> None:
        self._attempts[key] = attempt
        while len(self._attempts) > self.capacity:
            self._attempts.popitem(last=False)


@dataclass
class Stage:
    """One generated spec: its file and stack config; its runs (cached), findings, fingerprint and reports (kept)."""

    spec: dict[str, Any]
    path: Path
    stack: StackConfig
    runs: Runs
    findings: dict[str, list[str]] = field(default_factory=dict)
    up_fingerprint: dict[str, tuple[str, ...]] | None = None
    up_finished: float = 0.0
    reports: dict[str, PolicyReport] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return spec_key(self.spec)

    def attempt(self, mode: Mode) -> Attempt:
        cached = self.runs.get((self.key, mode))
        if cached is None:
            cached = run_stack(self.stack, mode)
            self.runs.put((self.key, mode), cached)
            if mode == "up" and cached.run is not None and self.up_fingerprint is None:
                self._judge(cached)
        return cached

    def _judge(self, attempt: Attempt) -> None:
        assert attempt.run is not None
        subject = invariants.Subject(attempt.run, attempt.calls, self.environment)
        self.findings = {check.__name__: check(subject) for check in invariants.STAGE_CHECKS}
        self.up_fingerprint = fingerprint(attempt.run)
        self.up_finished = attempt.finished

    @property
    def environment(self) -> Environment:
        return parse_environment(self.spec, str(self.path))

    def run(self, mode: Mode = "up") -> ProgramRun:
        attempt = self.attempt(mode)
        if attempt.error is not None:
            raise AssertionError(f"the program failed on a valid spec ({mode}): {attempt.error.short}\n{self.shown}")
        assert attempt.run is not None
        return attempt.run

    def check(self, check: invariants.Check) -> list[str]:
        """What `check` finds in the `up` run (evaluated with every other stage check at the first `up` run)."""
        if check.__name__ not in self.findings:
            run = self.run("up")
            if check.__name__ not in self.findings:
                self.findings[check.__name__] = check(
                    invariants.Subject(run, self.attempt("up").calls, self.environment)
                )
        return self.findings[check.__name__]

    def report(self, mode: Mode = "preview") -> PolicyReport:
        """The pack's verdict over the analyzer protocol, as `pulumi preview|up --policy-pack policies`."""
        if mode not in self.reports:
            pack = policy_pack_for(self.stack, mode, PACK).start()  # boots while the program runs
            try:
                run = self.run(mode)
            except BaseException:
                pack.__exit__(None, None, None)
                raise
            self.reports[mode] = evaluate(run, PACK, {}, pack)
        return self.reports[mode]

    @property
    def shown(self) -> str:
        """A one-paragraph summary of the spec (hypothesis prints the whole spec as the falsifying example)."""
        spec = self.spec
        agents = ", ".join(
            f"{a.get('name')}(tools={a.get('tools', [])}, kb={a.get('knowledge_sources', [])},"
            f" collaborators={a.get('collaborators', [])})"
            for a in spec.get("agents", [])
        )
        sources = [(k.get("name"), k.get("sync_schedule", "default")) for k in spec.get("knowledge_sources", [])]
        return (
            f"spec: stage {spec.get('stage')!r}, tier {spec.get('tier')}, owner_stage "
            f"{spec.get('account', {}).get('owner_stage')!r}, knowledge {sources}, agents: {agents}\nfile: {self.path}"
        )


def _valid(spec: dict[str, Any]) -> bool:
    try:
        parse_environment(spec)
    except EnvironmentFileError:
        return False
    return True


class Workbench:
    """Writes generated specs to files and keeps their stages (findings, reports) and a few recent runs."""

    def __init__(self, directory: Path, runs: int = 6, stages: int = 2000) -> None:
        self.directory = directory
        self.runs = Runs(runs)
        self.capacity = stages
        self._stages: OrderedDict[str, Stage] = OrderedDict()
        self._copies = 0

    def stage(self, spec: dict[str, Any]) -> Stage:
        """The stage of a valid spec.

        A spec the schema refuses is skipped (`assume`): only explicit edge cases can be refused, once a
        schema fix makes them invalid; generated specs are valid (test_environment_specs checks that).
        """
        assume(_valid(spec))
        key = spec_key(spec)
        if key in self._stages:
            self._stages.move_to_end(key)
            return self._stages[key]
        path = write_spec(self.directory, spec, key[:16])
        stage = Stage(spec, path, stack_config(path, stack=str(spec["stage"])), self.runs)
        self._stages[key] = stage
        if len(self._stages) > self.capacity:
            self._stages.popitem(last=False)
        return stage

    def fresh(self, spec: dict[str, Any]) -> Stage:
        """The same spec in another file, sharing nothing with the memo: for the determinism property."""
        self._copies += 1
        path = write_spec(self.directory, spec, f"copy-{self._copies}-{spec_key(spec)[:8]}")
        return Stage(spec, path, stack_config(path, stack=str(spec["stage"])), Runs(2))

    def file(self, spec: Any, name: str) -> Path:
        return write_spec(self.directory, spec, name)
