"""Run a Pulumi program in-process on the SDK's mock monitor, as `pulumi preview` / `pulumi up` would."""

from __future__ import annotations

import logging
import os
import runpy
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pulumi
from google.protobuf import empty_pb2
from pulumi.runtime import config as pulumi_config
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.mocks import MockEngine, MockSettings
from pulumi.runtime.stack import run_in_stack
from pulumi.runtime.sync_await import _sync_await

from engine.default_providers import attach_default_providers
from engine.fake_cloud import FakeCloud
from engine.project import StackConfig
from engine.recorder import STACK_TYPE, RecordingMonitor, Registration

Mode = Literal["preview", "up"]


class ProgramError(Exception):
    """The program failed; `short` is what a user needs, the cause keeps the traceback."""

    def __init__(self, short: str) -> None:
        super().__init__(short)
        self.short = short


@dataclass
class ProgramRun:
    stack: StackConfig
    mode: Mode
    registrations: list[Registration]
    warnings: list[str]
    seconds: float = 0.0  # wall time of the program run

    @property
    def root(self) -> Registration:
        return next(r for r in self.registrations if r.type == STACK_TYPE)

    @property
    def resources(self) -> list[Registration]:
        """Everything but the root stack, in registration order."""
        return [r for r in self.registrations if r.type != STACK_TYPE]


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _program_context(project_dir: Path, main: Path) -> Iterator[None]:
    """The language host runs programs from the project directory, with the program's own directory importable."""
    previous_cwd = os.getcwd()
    program_dir = str(main.parent)
    sys.path.insert(0, program_dir)
    os.chdir(project_dir)
    try:
        yield
    finally:
        os.chdir(previous_cwd)
        sys.path.remove(program_dir)


def _configure_runtime(monitor: RecordingMonitor, stack: StackConfig, preview: bool, logger: logging.Logger) -> None:
    info = monitor.GetDeploymentInfo(empty_pb2.Empty())  # type: ignore[no-untyped-call]  # MockMonitor: unannotated
    features = set(info.supportedFeatures)
    pulumi_settings.ROOT.set(None)
    pulumi_settings.configure(
        MockSettings(  # type: ignore[no-untyped-call]  # pulumi.runtime.mocks carries no annotations
            monitor=monitor,
            monitor_features=features,
            engine=MockEngine(logger),
            project=stack.project,
            stack=stack.stack,
            dry_run=preview,
            organization="organization",
            callbacks=None,
        )
    )
    pulumi_config.set_all_config(dict(stack.config), [])


def run_program(stack: StackConfig, mode: Mode) -> ProgramRun:
    """Run the stack's program (its `main`) once and return every registration it made."""

    def program() -> None:
        with _program_context(stack.project_dir, stack.main):
            runpy.run_path(str(stack.main), run_name="__main__")

    return run_callable(stack, program, mode)


def run_callable(stack: StackConfig, program: Callable[[], None], mode: Mode) -> ProgramRun:
    """Run any Pulumi program function as the stack's program (component tests use this)."""
    started = time.perf_counter()
    preview = mode == "preview"
    monitor = RecordingMonitor(FakeCloud(stack.region, preview))
    collector = _WarningCollector()
    logger = logging.getLogger(f"engine.program.{stack.stack}")
    logger.addHandler(collector)
    logger.propagate = False
    _configure_runtime(monitor, stack, preview, logger)
    try:
        _sync_await(run_in_stack(program))
    except pulumi.RunError as error:
        raise ProgramError(str(error)) from error
    except Exception as error:  # any program failure becomes a short message (traceback on demand)
        raise ProgramError(f"{type(error).__name__}: {error}") from error
    finally:
        logger.removeHandler(collector)
        pulumi_settings.ROOT.set(None)
    recorded = list(monitor.registrations.values())
    roots = [r for r in recorded if r.type == STACK_TYPE]
    rest = attach_default_providers(stack, [r for r in recorded if r.type != STACK_TYPE])
    return ProgramRun(stack, mode, roots + rest, collector.messages, time.perf_counter() - started)


def unknown_free(value: Any) -> bool:
    """True when no unknown sentinel hides anywhere in the value (used by tests and reports)."""
    from pulumi.runtime.rpc import UNKNOWN

    if isinstance(value, dict):
        return all(unknown_free(v) for v in value.values())
    if isinstance(value, list):
        return all(unknown_free(v) for v in value)
    return bool(value != UNKNOWN)
