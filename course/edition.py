"""The learner edition: the course for a cohort that is not on a hub, without its answers.

`python -m course.edition DIST` (make learner-edition) writes `DIST/ml-for-cx-learner/` and
`DIST/ml-for-cx-learner.tar.gz`: the learner notebooks (release/), the `course` package the
notebooks need (the shop, checks, hints; not the grading or the instructor's commands), the
learner's part of the README, the two-command set-up (`make lab`, `make test`) and a test
that this copy works. No source/, no hidden tests, no solutions: `ex.<exercise>.solution()`
says that this edition has none.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from course.paths import COURSE_ROOT

NAME = "ml-for-cx-learner"
EDITION_FILES = COURSE_ROOT / "edition"
LEFT_OUT = ("grading", "instructor.py", "edition.py")  # the instructor's side of the package
DOCS = ("data.md", "glossary.md")
LEARNER_SECTIONS = ("What the course teaches", "For learners")
ANSWERS_PARAGRAPH = "This repository holds the answers"


def _sections(readme: str) -> dict[str, str]:
    """The README's `## ` sections by title, and its head (title to the first section)."""
    parts = re.split(r"^## ", readme, flags=re.M)
    found = {"": parts[0]}
    for part in parts[1:]:
        title, _, body = part.partition("\n")
        found[title.strip()] = body
    return found


def learner_readme(readme: str, commit: str) -> str:
    """The course README's learner part, with this edition's commands and no answer key."""
    sections = _sections(readme)
    title, _, rest = sections[""].partition("\n")
    intro = rest.strip().split("\n\n")[0]
    parts = [
        f"{title} · learner edition", "", intro, "",
        "```bash",
        "make lab    # set up, then open the course in JupyterLab at http://127.0.0.1:8888",
        "make test   # set up, then check that this copy of the course works",
        "```", "",
        "Both need only Python 3.11 (`python3.11` or `python3` on the PATH) and `make`. The "
        "first run creates a local virtual environment `.venv/` from the pinned "
        "`requirements.txt` (about a minute); later runs reuse it. `make help` lists every "
        "command.", "",
    ]
    for name in LEARNER_SECTIONS:
        body = "\n\n".join(p for p in sections[name].strip().split("\n\n")
                           if not p.startswith(ANSWERS_PARAGRAPH))
        parts += [f"## {name}", "", body, ""]
    parts += [
        "## This edition", "",
        "This is the course as a cohort receives it: the learner notebooks and the `course` "
        "package they use. It has no solutions and no hidden tests, so "
        "`ex.<exercise>.solution()` tells you to ask your instructor. Your instructor grades "
        "your notebooks with tests on a shop you have not seen: hand in the notebooks of "
        "`workspace/` as they ask (for example `tar czf part1.tar.gz "
        "workspace/part1_understanding`).", "",
        f"Made from the course at commit `{commit}`.", "",
    ]
    return "\n".join(parts)


def learner_requirements(requirements: str) -> str:
    """The pins of the learner environment, and pytest for `make test`."""
    lines = requirements.splitlines()
    start = lines.index("# Learner environment")
    kept = ["# Exact versions; installed into .venv by `make lab` / `make test`.", lines[start]]
    for line in lines[start + 1:]:
        if line.startswith("#"):
            break
        kept.append(line)
    kept += ["# Checking this copy (make test)",
             next(line for line in lines if line.startswith("pytest=="))]
    return "\n".join(kept) + "\n"


def learner_nbgrader_config(course_config: Path, exchange: Path | None = None) -> str:
    """What a learner's nbgrader needs of the course's configuration: its id, the time limit
    of Validate and, on the course's hub, the shared exchange."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(course_config.name, path=str(course_config.parent)).load_config()
    lines = [
        '"""nbgrader settings of a learner (written from the course\'s nbgrader_config.py)."""',
        "",
        "c = get_config()  # noqa: F821",
        f"c.CourseDirectory.course_id = {config.CourseDirectory.course_id!r}",
        f"c.Execute.timeout = {int(config.Execute.get('timeout', 90))}  # seconds per cell",
    ]
    if exchange is not None:
        lines.append(f"c.Exchange.root = {str(exchange)!r}")
    return "\n".join([*lines, ""])


def _commit(root: Path) -> str:
    done = subprocess.run(["git", "-C", str(root), "describe", "--always", "--dirty"],
                          capture_output=True, text=True, check=False)
    return done.stdout.strip() or "unknown"


def build(dist: Path, root: Path = COURSE_ROOT) -> tuple[Path, Path]:
    """Write the edition's folder and archive into `dist`; returns (folder, archive)."""
    folder = dist / NAME
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", *LEFT_OUT)
    shutil.copytree(root / "course", folder / "course", ignore=ignore)
    shutil.copytree(root / "release", folder / "release",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(root / "config" / "learner", folder / "config" / "learner")
    shutil.copytree(EDITION_FILES / "tests", folder / "tests",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "docs").mkdir()
    for doc in DOCS:
        shutil.copy2(root / "docs" / doc, folder / "docs" / doc)
    for name in ("pyproject.toml", "learner.mk"):
        shutil.copy2(root / name, folder / name)
    shutil.copy2(EDITION_FILES / "Makefile", folder / "Makefile")
    (folder / "README.md").write_text(
        learner_readme((root / "README.md").read_text(), _commit(root)))
    (folder / "requirements.txt").write_text(
        learner_requirements((root / "requirements.txt").read_text()))
    (folder / "nbgrader_config.py").write_text(
        learner_nbgrader_config(root / "nbgrader_config.py"))
    archive = dist / f"{NAME}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(folder, arcname=NAME)
    return folder, archive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.edition", description=__doc__)
    parser.add_argument("dist", type=Path, help="where to write the edition (e.g. dist)")
    args = parser.parse_args(argv)
    dist = args.dist.resolve()
    if dist == COURSE_ROOT or COURSE_ROOT in dist.parents and dist.name in (
            "course", "release", "source", "docs", "tests"):
        print(f"error: dist: {dist} is a folder of the course; give another (e.g. dist)",
              file=sys.stderr)
        return 2
    folder, archive = build(dist)
    print(f"learner edition: {folder}/ and {archive}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
