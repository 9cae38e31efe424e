"""What `pulumi new <template> --dir <dir> --stack <stack> --yes -c key=value ...` lays down, offline.

The Pulumi CLI cannot be installed here, so the tests emulate its documented behaviour: the template's files
are copied with `${PROJECT}` and `${DESCRIPTION}` replaced, the project file loses its `template` section, and
`Pulumi.<stack>.yaml` holds an answer for every `template.config` question (the value given, else its
default), keyed as the CLI keys it: namespaced keys as they are, others under the project's name.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import yaml

from selfservice import load_prompts


def pulumi_new(
    template: Path, target: Path, *, stack: str, config: Mapping[str, str], description: str = "A sandbox"
) -> Path:
    project = target.name
    shutil.copytree(template, target, ignore=shutil.ignore_patterns("__pycache__"))
    for path in target.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("${PROJECT}", project).replace("${DESCRIPTION}", description))
    project_file = target / "Pulumi.yaml"
    settings = yaml.safe_load(project_file.read_text())
    settings.pop("template")
    project_file.write_text(yaml.safe_dump(settings, sort_keys=False))
    answers = {}
    for prompt in load_prompts(template):
        value = config.get(prompt.key, prompt.default)
        if value is None:
            raise ValueError(f"pulumi new would prompt for {prompt.key}: {prompt.description}")
        answers[prompt.key if ":" in prompt.key else f"{project}:{prompt.key}"] = value
    (target / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump({"config": answers}, sort_keys=False))
    return target
