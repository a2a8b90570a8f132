"""The README stays a five-minute read, and the documentation's links lead somewhere (docs/testing.md).

- README.md is at most 8,000 characters, and it starts (right under its title) with the two commands a
  newcomer needs: one installs and starts the app, one installs everything and runs all tests; both
  name files that exist, and CI (``.ci/run``) runs the same test command.
- Every relative link and image in README.md and docs/*.md points to a file of the repository, and a
  link's ``#anchor`` to a heading of that file (GitHub's anchors: lower case, punctuation dropped,
  spaces as hyphens). Links inside code are not links.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))

MAX_README_CHARS = 8000
RUN_APP = "pip install -r requirements.txt && streamlit run app.py"
RUN_TESTS = "bash scripts/test.sh"

FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.S | re.M)
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.M)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _prose(text: str) -> str:
    """The text without fenced code blocks and inline code spans."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: markup and punctuation dropped, lower case, spaces as hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text
    text = re.sub(r"<[^>]+>", "", text).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for heading in HEADING.findall(FENCE.sub("", _text(path))):
        slug = _slug(heading)
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        anchors.add(slug if n == 0 else f"{slug}-{n}")
    return anchors


def _links(path: Path) -> list[str]:
    return [m.group(1) for m in LINK.finditer(_prose(_text(path)))]


# --------------------------------------------------------------------------- the README
def test_readme_is_at_most_8000_characters() -> None:
    size = len(_text(README))
    assert size <= MAX_README_CHARS, (
        f"README.md is {size:,} characters (at most {MAX_README_CHARS:,}): move reference material to docs/"
    )


def test_readme_starts_with_the_two_commands() -> None:
    lines = [line for line in _text(README).splitlines() if line.strip()]
    assert lines[0].startswith("# "), "README.md opens with its title"
    assert lines[1].startswith("```"), "right under the title comes the block with the two commands"
    end = lines.index("```", 2)
    commands = [line.split("#", 1)[0].strip() for line in lines[2:end]]
    assert commands == [RUN_APP, RUN_TESTS], f"the README's first block is {commands}, not the two commands"


def test_the_two_commands_name_files_that_exist() -> None:
    for name in ("requirements.txt", "app.py", "scripts/test.sh", "requirements-dev.txt"):
        assert (ROOT / name).is_file(), f"{name} is missing (the README's commands use it)"
    ci = _text(ROOT / ".ci" / "run")
    assert re.search(rf"^exec {re.escape(RUN_TESTS)}\s*$", ci, re.M), ".ci/run runs the README's test command"


# --------------------------------------------------------------------------- links
@pytest.mark.parametrize("path", [README, *DOCS], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_points_to_an_existing_file(path: Path) -> None:
    assert DOCS, "docs/*.md exists"
    broken: list[str] = []
    for target in _links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # http:, https:, mailto: …
            continue
        file_part, _, anchor = target.partition("#")
        dest = (path.parent / unquote(file_part)).resolve() if file_part else path
        if not dest.exists():
            broken.append(f"{target}: no such file")
        elif ROOT not in dest.parents and dest != ROOT:
            broken.append(f"{target}: outside the repository")
        elif anchor and dest.suffix == ".md" and unquote(anchor) not in _anchors(dest):
            broken.append(f"{target}: no heading #{anchor} in {dest.relative_to(ROOT)}")
    assert not broken, f"{path.relative_to(ROOT)}: " + "; ".join(broken)


def test_the_slugs_follow_github() -> None:
    assert _slug("`attention_core.attention`") == "attention_coreattention"
    assert _slug("The live view (`bench/live.py`)") == "the-live-view-benchlivepy"
    assert _slug("The server's script runs") == "the-servers-script-runs"
