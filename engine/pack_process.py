"""The policy pack as the Pulumi CLI runs it: a child process that serves the analyzer gRPC protocol.

The pack's `__main__.py` is started with the stack's config in PULUMI_CONFIG and PULUMI_PROJECT /
PULUMI_STACK / PULUMI_DRY_RUN set; it prints its port on stdout, and the engine connects to it there.
"""

from __future__ import annotations

import functools
import json
import os
import selectors
import subprocess
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

import grpc
import yaml
from pulumi.runtime.proto import analyzer_pb2_grpc

from engine.project import StackConfig, UsageError

_MAX_MESSAGE = 400 * 1024 * 1024


class PolicyPackProcess:
    """A running policy pack: `with PolicyPackProcess(dir, env) as stub: stub.Analyze(...)`."""

    def __init__(self, pack_dir: Path, env: dict[str, str], start_timeout: float = 60.0) -> None:
        self.pack_dir = pack_dir
        self.env = env
        self.start_timeout = start_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._channel: grpc.Channel | None = None

    @functools.cached_property
    def manifest(self) -> dict[str, Any]:
        path = self.pack_dir / "PulumiPolicy.yaml"
        if not path.is_file():
            raise UsageError(f"{self.pack_dir} is not a policy pack (no PulumiPolicy.yaml)")
        manifest: dict[str, Any] = yaml.safe_load(path.read_text()) or {}
        return manifest

    @property
    def version(self) -> str | None:
        """The version PulumiPolicy.yaml declares (the CLI reports it instead of the one the pack reports)."""
        version = self.manifest.get("version")
        return str(version) if version else None

    def _python(self) -> str:
        """The interpreter PulumiPolicy.yaml's `virtualenv` names, else the engine's own."""
        runtime = self.manifest.get("runtime") or {}
        options = runtime.get("options") or {} if isinstance(runtime, dict) else {}
        virtualenv = options.get("virtualenv")
        if virtualenv:
            candidate = (self.pack_dir / virtualenv / "bin" / "python").absolute()
            if candidate.exists():
                return str(candidate)
        return sys.executable

    def start(self) -> PolicyPackProcess:
        """Spawn the pack now; its interpreter boots while the caller runs the program (saves ~1 s)."""
        if self._process is None:
            self._process = subprocess.Popen(
                [self._python(), "-u", "__main__.py"],
                cwd=self.pack_dir,
                env={**os.environ, **self.env},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        return self

    def __enter__(self) -> analyzer_pb2_grpc.AnalyzerStub:
        self.start()
        port = self._read_port()
        self._channel = grpc.insecure_channel(
            f"127.0.0.1:{port}",
            options=[("grpc.max_receive_message_length", _MAX_MESSAGE), ("grpc.max_send_message_length", _MAX_MESSAGE)],
        )
        grpc.channel_ready_future(self._channel).result(timeout=self.start_timeout)
        return analyzer_pb2_grpc.AnalyzerStub(self._channel)

    def _read_port(self) -> int:
        assert self._process is not None and self._process.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self._process.stdout, selectors.EVENT_READ)
        ready = selector.select(timeout=self.start_timeout)
        line = self._process.stdout.readline().decode().strip() if ready else ""
        if not line.isdigit():
            self._process.kill()
            _, stderr = self._process.communicate(timeout=10)
            detail = stderr.decode(errors="replace").strip().splitlines()
            raise UsageError(
                f"policy pack {self.pack_dir} failed to start: "
                + (detail[-1] if detail else f"expected a port on stdout, got {line!r}")
            )
        return int(line)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._channel is not None:
            self._channel.close()
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
            for stream in (self._process.stdout, self._process.stderr):
                if stream is not None:
                    stream.close()


def policy_pack_for(stack: StackConfig, mode: str, pack_dir: Path) -> PolicyPackProcess:
    """The pack process as the CLI starts it for this stack: config and identity in the environment."""
    env = {
        "PULUMI_CONFIG": json.dumps(stack.config),
        "PULUMI_PROJECT": stack.project,
        "PULUMI_STACK": stack.stack,
        "PULUMI_ORGANIZATION": "organization",
        "PULUMI_DRY_RUN": "true" if mode == "preview" else "false",
    }
    return PolicyPackProcess(pack_dir, env)
