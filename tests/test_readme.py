from __future__ import annotations

from pathlib import Path

import readme_sync

REPO = Path(__file__).resolve().parents[1]


def test_readme_opens_with_the_two_commands() -> None:
    lines = (REPO / "README.md").read_text().splitlines()
    block = lines[lines.index("```sh") + 1 : lines.index("```sh") + 3]
    assert block[0].startswith("make preview STAGE=crawl")
    assert block[1].startswith("make test")
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_generated_sections_are_up_to_date() -> None:
    assert readme_sync.main(["--check"]) == 0, "run `make readme`"
