"""Self-service for product teams: a new agent, tool or stage from `templates/`, compliant by construction.

`make new-agent|new-tool|new-stage VAR=value ...` (README "Self-service") and the projects `pulumi new
templates/<kind>` creates ask the same questions (templates/<kind>/Pulumi.yaml), render the same files and
validate them the same way: with the environment schema, the tool manifest and the Tool component's schema
generation, before anything is written.
"""

from selfservice.changes import ChangeConflictError, FileChange, apply_changes
from selfservice.errors import AnswerError, Problem
from selfservice.kinds import KINDS, make_command
from selfservice.project import Project
from selfservice.prompts import Answers, Prompt, collect_answers, load_prompts, make_var

__all__ = [
    "KINDS",
    "AnswerError",
    "Answers",
    "ChangeConflictError",
    "FileChange",
    "Problem",
    "Project",
    "Prompt",
    "apply_changes",
    "collect_answers",
    "load_prompts",
    "make_command",
    "make_var",
]
