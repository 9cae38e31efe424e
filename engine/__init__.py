"""The offline engine: run the Pulumi program on the SDK's mock monitor and the policy pack over gRPC."""

from engine.analyzer import evaluate
from engine.policy_report import PolicyReport, Violation
from engine.program import ProgramError, ProgramRun, run_program
from engine.project import StackConfig, UsageError, load_stack

__all__ = [
    "PolicyReport",
    "ProgramError",
    "ProgramRun",
    "StackConfig",
    "UsageError",
    "Violation",
    "evaluate",
    "load_stack",
    "run_program",
]
