"""The learner edition (make learner-edition): the course for a cohort, without its answers.

It must hold what a learner needs (release/, the `course` package of the notebooks, the
learner's README, `make lab` and `make test`) and nothing a test can find of the answers: no
source/, no gradebook, no file that holds most of any solution or hidden test. Its own
`make test` must pass in it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile

import pytest
from support import RELEASE_NOTEBOOKS, SOURCE_NOTEBOOKS, files_holding_secrets

from course.edition import NAME, build
from course.paths import COURSE_ROOT


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    return build(tmp_path_factory.mktemp("dist"))


def test_it_holds_the_learners_course_and_not_the_instructors(edition):
    folder, _ = edition
    released = {p.relative_to(COURSE_ROOT) for p in RELEASE_NOTEBOOKS}
    assert {p.relative_to(folder) for p in folder.glob("release/*/*.ipynb")} == released
    for needed in ("course/world", "course/exercises", "course/feedback.py", "docs/data.md",
                   "config/learner/nbgrader_config.py", "Makefile", "learner.mk",
                   "requirements.txt", "pyproject.toml", "tests/test_edition.py"):
        assert (folder / needed).exists(), f"the edition lacks {needed}"
    for absent in ("source", "course/grading", "course/instructor.py", "gradebook.db",
                   "hub", "autograded", "submitted"):
        assert not (folder / absent).exists(), f"the edition holds {absent}"


def test_nothing_in_it_holds_a_solution_or_a_hidden_test(edition):
    folder, _ = edition
    held = files_holding_secrets(folder)
    assert not held, "the learner edition holds answers:\n" + "\n".join(held)


def test_the_search_finds_answers_where_they_are(tmp_path):
    """The control: a source notebook, its solutions pasted into a module, a gradebook."""
    leaky = tmp_path / "leaky"
    (leaky / "notes").mkdir(parents=True)
    shutil.copy2(SOURCE_NOTEBOOKS[0], leaky / "notes" / "copy.ipynb")
    (leaky / "gradebook.db").write_text("")
    held = files_holding_secrets(leaky)
    assert any("copy.ipynb holds" in line and "solution" in line for line in held), held
    assert any("copy.ipynb holds" in line and "hidden test" in line for line in held), held
    assert any("gradebook" in line for line in held), held


def test_the_archive_is_the_folder(edition):
    folder, archive = edition
    with tarfile.open(archive) as tar:
        members = {m.name for m in tar.getmembers() if m.isfile()}
    files = {f"{NAME}/{p.relative_to(folder)}" for p in folder.rglob("*") if p.is_file()}
    assert members == files


def test_its_readme_starts_with_the_two_commands_and_pins_the_courses_versions(edition):
    folder, _ = edition
    readme = (folder / "README.md").read_text()
    commands = [line.split("#")[0].strip() for line in readme.split("```bash")[1]
                .split("```")[0].strip().splitlines()]
    assert commands == ["make lab", "make test"]
    assert "source/` has every solution" not in readme and "has no solutions" in readme
    pins = set((COURSE_ROOT / "requirements.txt").read_text().splitlines())
    for line in (folder / "requirements.txt").read_text().splitlines():
        assert line.startswith("#") or line in pins, f"{line} is not the course's pin"
    dry = subprocess.run(["make", "-n", "-o", ".venv/.installed", "lab", "test"], cwd=folder,
                         capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    assert "jupyter lab" in dry.stdout and "pytest" in dry.stdout


def test_its_own_make_test_passes_in_it(edition):
    folder, _ = edition
    # What `make lab` and `make test` add to the folder must not trouble its test: the
    # environment's packages (nbgrader's own source names the solution markers) and a
    # learner's workspace.
    tool = folder / ".venv" / "lib" / "site-packages" / "clearsolutions.py"
    tool.parent.mkdir(parents=True)
    tool.write_text('begin = "### BEGIN SOLUTION"\n')
    (folder / "workspace").mkdir()
    shutil.copytree(folder / "release" / "part0_orientation", folder / "workspace" / "part0")
    env = {k: v for k, v in os.environ.items() if k != "COURSE_ROOT"}
    env["PYTHONPATH"] = str(folder)  # this edition's `course`, not the course's own
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests"], cwd=folder, env=env, capture_output=True, text=True,
                          timeout=900)  # as its `make test` runs it
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "failed" not in done.stdout
