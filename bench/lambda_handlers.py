"""Cold-import time and warm per-invocation overhead of every Lambda handler (a script, not a test).

    .venv/bin/python bench/lambda_handlers.py [--invocations 300] [--cold-runs 5] [--json]

- cold import: a fresh interpreter (one per run, median reported) imports the handler module with a
  Lambda-like environment: fake AWS credentials, LAMBDA_TASK_ROOT set and X-Ray tracing ON, so the
  Powertools Tracer patches botocore exactly as it does in Lambda. Interpreter start-up is excluded.
- first-call setup: in the same interpreter, building what the handler creates lazily on its first
  invocation (configuration and the real boto3 clients; creating a client makes no network call).
- warm overhead: another fresh interpreter calls the handler N times with the documented event from
  tests/events and in-memory AWS fakes that answer instantly, so what is measured is the handler's own
  work: Powertools decorators, routing, validation, guard, serialisation, EMF metrics and JSON logs
  (written to /dev/null). Tracing is off here: without an X-Ray daemon it would only measure UDP sends.

`measure()` returns the rows for a benchmark aggregator; nothing here touches AWS.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS_DIR = REPO_ROOT / "functions"
EVENTS_DIR = REPO_ROOT / "tests" / "events"

# Targets from the platform's design brief.
TARGETS_MS = {"orchestrator": {"cold_import_ms": 300.0, "warm_overhead_ms": 5.0}}

BASE_ENV = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_SESSION_TOKEN": "bench",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_LAMBDA_FUNCTION_NAME": "agent-platform-bench",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
    "POWERTOOLS_METRICS_NAMESPACE": "AgentPlatform",
    "POWERTOOLS_LOG_LEVEL": "INFO",
    "STAGE": "bench",
}
FUNCTION_ENV = {
    "orchestrator": {
        "POWERTOOLS_SERVICE_NAME": "orchestrator",
        "AGENT_ID": "AGENT12345",
        "AGENT_ALIAS_ID": "ALIAS12345",
        "AGENT_NAME": "support-assistant",
        "SESSION_TABLE_NAME": "sessions",
        "GUARDRAIL_ID": "gr7h2k9x4p1q",
        "GUARDRAIL_VERSION": "1",
        "ESCALATION_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/escalations",
    },
    "tools": {
        "POWERTOOLS_SERVICE_NAME": "tools",
        "TICKETS_TABLE_NAME": "tickets",
        "WORKLOAD_IDENTITY": "agent-platform-bench-public-holidays",
        "CREDENTIAL_PROVIDER": "agent-platform-bench-data-go-kr",
    },
    "kb-sync": {
        "POWERTOOLS_SERVICE_NAME": "kb-sync",
        "DOCUMENTS_BUCKET": "agent-platform-walk-documents",
        "KNOWLEDGE_SOURCES": json.dumps(
            {"product-docs": {"knowledgeBaseId": "KB12345678", "dataSourceId": "DS12345678", "prefix": "product-docs/"}}
        ),
    },
    "escalation": {
        "POWERTOOLS_SERVICE_NAME": "escalation",
        "ESCALATION_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:escalations",
    },
}


@dataclass(frozen=True)
class HandlerSpec:
    name: str
    module: str
    service: str
    event: str

    @property
    def handler_string(self) -> str:
        return f"{self.module}.lambda_handler"


HANDLERS = (
    HandlerSpec("orchestrator (API chat)", "orchestrator.handler", "orchestrator", "apigw_chat_request"),
    HandlerSpec("orchestrator (step: guard)", "orchestrator.handler", "orchestrator", "sfn_guard"),
    HandlerSpec("ticket_lookup", "ticket_lookup.handler", "tools", "bedrock_agent_get_ticket"),
    HandlerSpec("ticket_create", "ticket_create.handler", "tools", "bedrock_agent_create_ticket"),
    HandlerSpec("public_holidays", "public_holidays.handler", "tools", "bedrock_agent_list_holidays"),
    HandlerSpec("kb_sync", "kb_sync.handler", "kb-sync", "eventbridge_s3_object_created"),
    HandlerSpec("escalation", "escalation.handler", "escalation", "sqs_escalation_batch"),
)


def _fallback_model_id() -> str:
    """The light model as a us-east-1 stage calls it; imported here, in the parent, so that no worker's cold import
    loads the model catalogue (a Lambda never does)."""
    from environments.models import DEFAULTS, ModelUse, invocation

    return invocation(DEFAULTS[ModelUse.LIGHT].model_id, "us-east-1").model_id


def _env(spec: HandlerSpec, *, tracing: bool) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", ""), **BASE_ENV, **FUNCTION_ENV[spec.service]}
    if spec.service == "orchestrator":
        env["FALLBACK_MODEL_ID"] = _fallback_model_id()
    env["PYTHONPATH"] = os.pathsep.join([str(FUNCTIONS_DIR), str(FUNCTIONS_DIR / "tools")])
    env["PYTHONDONTWRITEBYTECODE"] = "0"
    if tracing:
        env["LAMBDA_TASK_ROOT"] = str(FUNCTIONS_DIR)  # Powertools Tracer only activates inside Lambda
    else:
        env["POWERTOOLS_TRACE_DISABLED"] = "1"
    return env


def _worker(spec: HandlerSpec, mode: str, invocations: int) -> dict[str, Any]:
    args = [sys.executable, str(Path(__file__).resolve()), "--worker", spec.name, "--mode", mode]
    args += ["--invocations", str(invocations)]
    result = subprocess.run(
        args, env=_env(spec, tracing=mode == "cold"), capture_output=True, text=True, timeout=300, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{spec.name} {mode} worker failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(invocations: int = 300, cold_runs: int = 7) -> list[dict[str, Any]]:
    """One row per handler: cold import, first-call setup and warm overhead, in milliseconds."""
    rows = []
    for spec in HANDLERS:
        # Compile bytecode once so every cold run measures a deployed archive (which ships .pyc or
        # compiles once per container), not the first compilation on this machine.
        _worker(spec, "cold", 0)
        cold = [_worker(spec, "cold", 0) for _ in range(cold_runs)]
        warm = _worker(spec, "warm", invocations)
        target = TARGETS_MS.get(spec.service, {})
        rows.append(
            {
                "handler": spec.name,
                "handler_string": spec.handler_string,
                "cold_import_ms": round(statistics.median(c["import_ms"] for c in cold), 1),
                "cold_import_min_ms": round(min(c["import_ms"] for c in cold), 1),
                "first_call_setup_ms": round(statistics.median(c["setup_ms"] for c in cold), 1),
                "warm_overhead_ms": round(warm["per_invocation_ms"], 3),
                "warm_p95_ms": round(warm["p95_ms"], 3),
                "invocations": invocations,
                "target_cold_import_ms": target.get("cold_import_ms"),
                "target_warm_overhead_ms": target.get("warm_overhead_ms"),
            }
        )
    return rows


# -- worker side (runs in the fresh interpreter) -------------------------------------------------


def _load_event(name: str) -> Any:
    return json.loads((EVENTS_DIR / f"{name}.json").read_text(encoding="utf-8"))


class _Context:
    function_name = "agent-platform-bench"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:agent-platform-bench"
    aws_request_id = "bench-request"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 28_000


class _FakeAws:
    """Instant, in-memory stand-ins for every AWS call the handlers make."""

    def __init__(self) -> None:
        self.turns = 0

    # bedrock-agent-runtime
    def invoke_agent(self, **request: Any) -> dict[str, Any]:
        usage = {"inputTokens": 1200, "outputTokens": 80}
        events = [
            {"trace": {"trace": {"orchestrationTrace": {"modelInvocationOutput": {"metadata": {"usage": usage}}}}}},
            {"chunk": {"bytes": b"Open Settings > Security and choose Reset password."}},
        ]
        return {"completion": iter(events), "sessionId": request["sessionId"]}

    # dynamodb
    def update_item(self, **_: Any) -> dict[str, Any]:
        self.turns += 1
        return {"Attributes": {"turn_count": {"N": str(self.turns)}}}

    def put_item(self, **_: Any) -> dict[str, Any]:
        return {}

    def query(self, **_: Any) -> dict[str, Any]:
        return {"Items": []}

    def get_item(self, **request: Any) -> dict[str, Any]:
        ticket = {
            "ticket_id": request["Key"]["ticket_id"]["S"],
            "title": "VPN drops",
            "description": "Every ten minutes.",
            "priority": "high",
            "requester": "Kim Minji",
            "status": "open",
            "created_at": "2025-03-10T13:40:52+00:00",
        }
        return {"Item": {k: {"S": v} for k, v in ticket.items()}}

    # sqs, sns
    def send_message(self, **_: Any) -> dict[str, Any]:
        return {"MessageId": "m-1"}

    def publish(self, **_: Any) -> dict[str, Any]:
        return {"MessageId": "n-1"}

    # bedrock-agent
    def list_ingestion_jobs(self, **_: Any) -> dict[str, Any]:
        return {"ingestionJobSummaries": []}

    def start_ingestion_job(self, **_: Any) -> dict[str, Any]:
        return {"ingestionJob": {"ingestionJobId": "JOB1234567", "status": "STARTING"}}

    # bedrock-agentcore (AgentCore Identity)
    def get_workload_access_token(self, **_: Any) -> dict[str, Any]:
        return {"workloadAccessToken": "bench-token"}

    def get_resource_api_key(self, **_: Any) -> dict[str, Any]:
        return {"apiKey": "bench-key"}

    # the external API of public_holidays (its fetch function)
    def fetch(self, _url: str, _timeout: float) -> Any:
        from public_holidays.calendar import HttpResponse

        return HttpResponse(200, (EVENTS_DIR / "kasi_rest_days_may.json").read_bytes())

    # bedrock-runtime
    def converse(self, **_: Any) -> dict[str, Any]:
        return {"output": {"message": {"content": [{"text": "Limited."}]}}, "usage": {}}


def _first_call_setup(spec: HandlerSpec, module: Any) -> None:
    """What the first invocation builds lazily: configuration and real boto3 clients."""
    if spec.service == "orchestrator":
        module.service()
    elif spec.service == "tools":
        api = sys.modules[spec.module.replace(".handler", ".api")]
        (api.calendar if hasattr(api, "calendar") else api.repository)()
    elif spec.service == "kb-sync":
        module.service()
    else:
        module.notifier()


def _install_fakes(spec: HandlerSpec, module: Any, fake: _FakeAws) -> None:
    if spec.service == "orchestrator":
        from orchestrator import runtime

        runtime.client = lambda *_args, **_kwargs: fake  # every client of build_service is the fake
        module.service.override(runtime.build_service(runtime.config(), metrics=module.metrics, logger=module.logger))
    elif spec.service == "tools" and spec.name == "public_holidays":
        from public_holidays.calendar import HolidayCalendar
        from shared.credentials import ApiKeyProvider

        key = ApiKeyProvider(lambda: fake, workload_name="bench", provider_name="bench")
        sys.modules["public_holidays.api"].calendar.override(HolidayCalendar(key, fetch=fake.fetch))
    elif spec.service == "tools":
        api = sys.modules[spec.module.replace(".handler", ".api")]
        api.repository.override(_tool_repository(spec, fake))
    elif spec.service == "kb-sync":
        from kb_sync.config import KbSyncConfig
        from kb_sync.ingestion import IngestionStarter
        from kb_sync.service import KbSyncService

        module.service.override(
            KbSyncService(KbSyncConfig.from_env(), IngestionStarter(fake), module.metrics, module.logger)
        )
    else:
        from escalation.notifier import Notifier

        module.notifier.override(Notifier(fake, os.environ["ESCALATION_TOPIC_ARN"]))


def _tool_repository(spec: HandlerSpec, fake: _FakeAws) -> Any:
    if spec.name == "ticket_lookup":
        from ticket_lookup.repository import TicketRepository

        return TicketRepository(fake, "tickets")
    from ticket_create.repository import TicketRepository as CreateRepository

    return CreateRepository(fake, "tickets")


def _run_worker(name: str, mode: str, invocations: int) -> dict[str, Any]:
    import importlib

    spec = next(s for s in HANDLERS if s.name == name)
    started = time.perf_counter()
    module = importlib.import_module(spec.module)
    import_ms = (time.perf_counter() - started) * 1000
    if mode == "cold":
        started = time.perf_counter()
        _first_call_setup(spec, module)
        return {"import_ms": import_ms, "setup_ms": (time.perf_counter() - started) * 1000}

    fake = _FakeAws()
    _install_fakes(spec, module, fake)
    event = _load_event(spec.event)
    handler: Callable[[Any, Any], Any] = module.lambda_handler
    context = _Context()
    with open(os.devnull, "w") as sink:
        real_stdout, sys.stdout = sys.stdout, sink
        try:
            for _ in range(20):  # warm-up: first-call paths, caches
                response = handler(json.loads(json.dumps(event)), context)
            _check_success(spec, response)  # measure the real success path, not an error shortcut
            durations = []
            for _ in range(invocations):
                fresh = json.loads(json.dumps(event))  # Lambda hands every invocation a new event
                started = time.perf_counter()
                handler(fresh, context)
                durations.append((time.perf_counter() - started) * 1000)
        finally:
            sys.stdout = real_stdout
    durations.sort()
    return {
        "per_invocation_ms": statistics.mean(durations),
        "p95_ms": durations[int(len(durations) * 0.95) - 1],
    }


def _check_success(spec: HandlerSpec, response: Any) -> None:
    ok = {
        "orchestrator (API chat)": lambda r: r["statusCode"] == 200 and not json.loads(r["body"])["fallback"],
        "orchestrator (step: guard)": lambda r: r["allowed"] is True,
        "ticket_lookup": lambda r: r["response"]["httpStatusCode"] == 200,
        "ticket_create": lambda r: r["response"]["httpStatusCode"] == 201,
        "public_holidays": lambda r: r["response"]["httpStatusCode"] == 200,
        "kb_sync": lambda r: r["outcome"] == "started",
        "escalation": lambda r: r["batchItemFailures"] == [],
    }[spec.name]
    if not ok(response):
        raise RuntimeError(f"{spec.name}: unexpected response {str(response)[:500]}")


def _print_table(rows: list[dict[str, Any]]) -> None:
    header = (
        f"{'handler':<28} {'cold import ms (median/min)':>28} {'first-call setup ms':>20} "
        f"{'warm overhead ms':>17} {'warm p95 ms':>12}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['handler']:<28} {row['cold_import_ms']:>19.1f} / {row['cold_import_min_ms']:>6.1f} "
            f"{row['first_call_setup_ms']:>20.1f} "
            f"{row['warm_overhead_ms']:>17.3f} {row['warm_p95_ms']:>12.3f}"
        )
    print(
        "\ntargets: orchestrator cold import <= 300 ms, warm overhead <= 5 ms/invocation "
        "(cold runs: median of fresh interpreters, tracing on; warm: in-memory AWS fakes, tracing off)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--invocations", type=int, default=300)
    parser.add_argument("--cold-runs", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=["cold", "warm"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_run_worker(args.worker, args.mode, args.invocations)))
        return
    rows = measure(args.invocations, args.cold_runs)
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        _print_table(rows)


if __name__ == "__main__":
    main()
