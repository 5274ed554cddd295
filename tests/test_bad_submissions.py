"""A cohort of bad submissions, made from the real notebooks, graded the way instructors do.

One cohort of the first assignment (small shop) is graded ONCE with the instructor command
(`python -m course.instructor grade`, what `make grade` runs), in parallel, in the sandbox;
every test below reads that one run. A second, stock serial `nbgrader autograde` of the same
cohort (same sandboxed kernel, same limits) proves the parallel scores are the serial ones.
With pytest-xdist each run is built by one worker, the others wait for it (a file lock).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from support import (
    ASSIGNMENTS,
    CI_PARAMETERS,
    copy_course,
    hidden_test_lines,
    live_markup,
    run_nbgrader,
)

from course.grading.bad_submissions import STUDENTS, make_cohort, set_parameters
from course.grading.feedback import MIN_HIDDEN_LINE
from course.grading.limits import Limits
from course.grading.provision import sandbox_status
from course.grading.sandbox import prepare

ASSIGNMENT = ASSIGNMENTS[0]
CELL_TIMEOUT = 15  # seconds; a cell of the small shop needs about one, even on a busy machine
MEMORY = "2G"


# ----------------------------------------------------------------------- building


def _once(folder: Path, name: str, build) -> dict:
    """Run `build` once for all xdist workers; the others wait, then read its result."""
    folder.mkdir(parents=True, exist_ok=True)
    result = folder / f"{name}.json"
    with open(folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            try:
                data = build(folder / name)
            except Exception:  # noqa: BLE001 - the waiting workers must see the failure too
                data = {"error": traceback.format_exc()}
            result.write_text(json.dumps(data))
    data = json.loads(result.read_text())
    if "error" in data:
        pytest.fail(f"building {name} failed:\n{data['error']}")
    return data


@pytest.fixture(scope="session")
def shared(tmp_path_factory, worker_id) -> Path:
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


def small_course(target: Path) -> Path:
    """A course copy whose notebooks build the small CI shop, with its gradebook."""
    root = copy_course(target)
    set_parameters(root / "source", CI_PARAMETERS)
    result = run_nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    assert result.returncode == 0, result.stderr[-2000:]
    return root


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


class Listener:
    """A TCP server on the grading machine that the attacker tries to reach."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.5)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> int:
        self.running = False
        self.thread.join()
        self.server.close()
        return self.connections


def _build_parallel(folder: Path) -> dict:
    root = small_course(folder / "course")
    marker = Path(tempfile.gettempdir()) / f"course-attack-{uuid.uuid4().hex}"
    listener = Listener()
    try:
        cases = make_cohort(root, ASSIGNMENT, attacks=sandbox_status().available,
                            host_port=listener.port, host_tmp_file=marker)
        source_hash = _tree_hash(root / "source")
        start = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "course.instructor", "grade", "--root", str(root),
             "--jobs", "2", "--cell-timeout", str(CELL_TIMEOUT), "--memory", MEMORY],
            capture_output=True, text=True, timeout=1200)
        seconds = time.monotonic() - start
    finally:
        connections = listener.close()
    return {
        "root": str(root),
        "cases": {name: vars(case) for name, case in cases.items()},
        "returncode": result.returncode,
        "stdout": result.stdout,
        "stderr": result.stderr[-5000:],
        "seconds": seconds,
        "source_unchanged": _tree_hash(root / "source") == source_hash,
        "marker_exists": marker.exists(),
        "connections": connections,
    }


def _build_serial(folder: Path) -> dict:
    """Stock `nbgrader autograde` of the same cohort (made again, the same way), one student
    after the other; independent of the parallel run, so xdist can build both at once."""
    root = small_course(folder / "course")
    cases = make_cohort(root, ASSIGNMENT, attacks=sandbox_status().available)
    (root / "nbgrader_config.py").rename(root / "course_config.py")
    environment = prepare(folder / "environment", Limits(cell_timeout=CELL_TIMEOUT,
                                                         memory=2 * 2**30), CELL_TIMEOUT)
    (root / "nbgrader_config.py").write_text(
        environment.config_file(root / "course_config.py", root))
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force"],
        cwd=root, env=environment.env(folder / "runtime"), capture_output=True, text=True,
        timeout=1800)
    seconds = time.monotonic() - start
    environment.cleanup()
    failed = sorted(set(re.findall(
        r"There was an error processing assignment '[^']+' for student '([^']+)'",
        result.stderr)))
    return {"root": str(root), "returncode": result.returncode, "failed": failed,
            "seconds": seconds, "stderr": result.stderr[-3000:], "students": sorted(cases)}


@pytest.fixture(scope="session")
def graded(shared) -> dict:
    return _once(shared, "bad-cohort-parallel", _build_parallel)


@pytest.fixture(scope="session")
def serial(shared) -> dict:
    return _once(shared, "bad-cohort-serial", _build_serial)


# ----------------------------------------------------------------------- reading


def _grades(root: str, student: str) -> dict[str, tuple]:
    with Gradebook(f"sqlite:///{Path(root) / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, student)
        return {
            (notebook.name, grade.name): (grade.auto_score, grade.manual_score,
                                          grade.needs_manual_grade, grade.max_score)
            for notebook in submission.notebooks for grade in notebook.grades
        }


def _report(graded: dict) -> dict[str, str]:
    path = Path(graded["root"]) / "autograded" / "grading_report.csv"
    rows: dict[str, str] = {}
    for line in path.read_text().splitlines()[1:]:
        student = line.split(",", 1)[0]
        rows[student] = rows.get(student, "") + line
    return rows


def _graded_notebook(graded: dict, student: str) -> nbformat.NotebookNode:
    case = graded["cases"][student]
    path = (Path(graded["root"]) / "autograded" / student / ASSIGNMENT
            / f"{case['notebook']}.ipynb")
    return nbformat.read(path, as_version=4)


def _cell(nb, grade_id: str):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _errors(cell) -> list[str]:
    return [o.get("ename", "") for o in cell.get("outputs", []) if o.output_type == "error"]


def _case(graded: dict, student: str) -> dict:
    if student not in graded["cases"]:
        reason = ("the sandbox is not available: " + sandbox_status().reason
                  if student == "attacker" else "this notebook has no function answers")
        pytest.skip(f"no {student!r} student: {reason}")
    return graded["cases"][student]


# ----------------------------------------------------------------------- tests


def test_the_instructor_command_grades_the_whole_cohort(graded):
    assert graded["returncode"] == 0, graded["stdout"][-3000:] + graded["stderr"]
    assert f"Graded {len(graded['cases'])} submission(s)" in graded["stdout"]
    assert "Looked wrong:" in graded["stdout"] and "Needs manual grading:" in graded["stdout"]
    assert "grading [" in graded["stderr"], "a progress bar on stderr"
    grades_csv = (Path(graded["root"]) / "grades.csv").read_text()
    for student in graded["cases"]:
        assert f",{student}," in grades_csv


@pytest.mark.parametrize("student", STUDENTS)
def test_each_bad_submission_gets_the_right_score(graded, student):
    case = _case(graded, student)
    grades = _grades(graded["root"], student)
    got = {cell: grades[(case["notebook"], cell)][0] for cell in case["expected"]}
    assert got == case["expected"], case["what"]
    maximum = {cell: grades[(case["notebook"], cell)][3] for cell in case["expected"]}
    solution = _grades(graded["root"], "solution")
    assert maximum == {cell: solution[(case["notebook"], cell)][3] for cell in maximum}, \
        "points come from the source, whatever the submission says"
    waiting = [cell for cell in case["expected"] if grades[(case["notebook"], cell)][2]]
    assert not waiting, "no autograded test is left 'needs manual grade'"


@pytest.mark.parametrize("student", [s for s in STUDENTS if s not in ("solution", "blank")])
def test_each_bad_submission_is_reported(graded, student):
    case = _case(graded, student)
    row = _report(graded).get(student, "")
    assert case["report"] in row, f"{case['what']}: report says {row!r}"
    if case["report"]:
        assert case["report"] in graded["stdout"], "the summary lists it under 'Looked wrong'"


def test_a_tampered_test_cell_is_restored_with_its_points(graded):
    nb = _graded_notebook(graded, "tampered_test")
    case = graded["cases"]["tampered_test"]
    (test_id,) = [cell for cell, score in case["expected"].items() if score == 0]
    cell = _cell(nb, test_id)
    assert cell.source != "assert True" and "BEGIN HIDDEN TESTS" in cell.source
    assert cell.metadata.nbgrader["points"] != 100
    assert _errors(cell), "the restored test ran on the blank answer and failed"


def test_a_deleted_test_cell_is_put_back_and_run(graded):
    nb = _graded_notebook(graded, "deleted_test")
    restored = [c for c in nb.cells if "was missing from the submission" in c.source]
    assert len(restored) == 1 and restored[0].outputs, "put back, executed, scored"
    assert not _errors(restored[0])


def test_an_endless_loop_is_stopped_and_the_rest_graded(graded):
    nb = _graded_notebook(graded, "endless_loop")
    stopped = [c for c in nb.cells if "CellTimeoutError" in _errors(c)]
    assert len(stopped) == 1
    later = nb.cells[nb.cells.index(stopped[0]) + 1:]
    assert any(c.get("outputs") for c in later), "the cells after it ran"


def test_an_interrupt_swallowing_loop_restarts_the_kernel(graded):
    nb = _graded_notebook(graded, "stubborn_loop")
    restarted = [c for c in nb.cells if "KernelRestarted" in _errors(c)]
    assert len(restarted) == 1
    assert "NotRun" not in {e for c in nb.cells for e in _errors(c)}


def test_a_kernel_that_dies_is_restarted_and_the_rest_graded(graded):
    nb = _graded_notebook(graded, "kernel_exit")
    restarted = [c for c in nb.cells if "KernelRestarted" in _errors(c)]
    assert len(restarted) == 1
    later = nb.cells[nb.cells.index(restarted[0]) + 1:]
    assert any(c.get("outputs") for c in later), "the cells after it ran in a new kernel"


def test_memory_bombs_fail_with_memory_error_and_the_rest_is_graded(graded):
    nb = _graded_notebook(graded, "memory_hog")
    assert sum("MemoryError" in _errors(c) for c in nb.cells) == 2
    assert not any("KernelRestarted" in _errors(c) for c in nb.cells), "no kernel died"


def test_a_hard_coded_answer_passes_the_visible_checks_and_fails_the_hidden_tests(graded):
    case = _case(graded, "hard_coded")
    nb = _graded_notebook(graded, "hard_coded")
    failed = [cell for cell, score in case["expected"].items() if score == 0]
    assert failed
    for test_id in failed:
        cell = _cell(nb, test_id)
        printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert "Correct!" in printed, f"{test_id}: the visible check passes"
        assert _errors(cell) == ["AssertionError"], f"{test_id}: a hidden test fails"


def test_unreadable_and_missing_notebooks_score_zero_and_the_run_goes_on(graded):
    for student in ("invalid_json", "missing_notebook"):
        grades = _grades(graded["root"], student)
        assert grades and all(value[0] == 0 for value in grades.values())
    assert _grades(graded["root"], "solution"), "students after them were graded"


def test_an_attacking_answer_changes_nothing(graded):
    _case(graded, "attacker")
    nb = _graded_notebook(graded, "attacker")
    printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    results = json.loads(printed.split("ATTACK-RESULTS ", 1)[1].splitlines()[0])
    escaped = {name: outcome for name, outcome in results.items()
               if not outcome.startswith("blocked") and "/tmp" not in name}
    assert not escaped, f"the sandbox let these through: {escaped}"
    assert results["write the machine's /tmp (lands in a throw-away tmpfs)"].startswith(
        "SUCCEEDED"), "the kernel has a writable /tmp of its own"
    assert not graded["marker_exists"], "nothing the kernel wrote reached the machine's /tmp"
    assert graded["connections"] == 0, "no connection reached the server on the machine"
    assert graded["source_unchanged"]
    package = Path(__import__("course").__file__).parent
    assert not (package / "tampered.py").exists()
    for student, case in graded["cases"].items():  # nobody's grade moved
        grades = _grades(graded["root"], student)
        assert {c: grades[(case["notebook"], c)][0] for c in case["expected"]} == \
            case["expected"]


def test_an_answers_html_does_not_run_in_its_feedback(graded):
    if "attacker" not in graded["cases"]:
        pytest.skip("the attacking submission runs only with the sandbox")
    folder = Path(graded["root"]) / "feedback" / "attacker" / ASSIGNMENT
    html = "".join(page.read_text() for page in folder.glob("*.html"))
    assert "PLANTED_SCRIPT" in html, "the planted output is not in the feedback at all"
    assert not live_markup(html), f"the answer's markup would run: {live_markup(html)}"


def test_feedback_shows_hidden_test_results_but_not_their_source(graded):
    import html

    hidden = hidden_test_lines(Path(__file__).parents[1] / "source" / ASSIGNMENT,
                               MIN_HIDDEN_LINE)
    assert hidden, "the assignment has hidden tests"
    feedback = Path(graded["root"]) / "feedback"
    pages = sorted(feedback.glob(f"*/{ASSIGNMENT}/*.html"))
    assert {page.parts[-3] for page in pages} >= {"solution", "blank", "hard_coded"} & set(
        graded["cases"])
    for page in pages:
        text = html.unescape(page.read_text())
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"{page.relative_to(feedback)} shows hidden tests: {leaked[:3]}"
        assert "hidden tests ran here" in text
    # The graded notebooks do hold the hidden tests: the feedback step is what removes them.
    raw = "".join(c.source for c in _graded_notebook(graded, "solution").cells)
    assert any(line in raw for line in hidden)
    if "hard_coded" in graded["cases"]:
        notebook = graded["cases"]["hard_coded"]["notebook"]
        page = feedback / "hard_coded" / ASSIGNMENT / f"{notebook}.html"
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
        assert "Hidden tests failed: AssertionError:" in text, "the result is shown"


def test_parallel_scores_equal_a_stock_serial_run(graded, serial):
    assert not serial["failed"] or serial["failed"] == ["invalid_json"], serial["stderr"]
    assert serial["students"] == sorted(graded["cases"]), "the same cohort both times"
    for student in graded["cases"]:
        parallel = _grades(graded["root"], student)
        if student in ("invalid_json", "missing_notebook"):
            # Stock nbgrader stops on the broken file or skips the empty folder; the cohort
            # runner scores them 0, as nbgrader scores a missing notebook.
            assert all(value[0] == 0 for value in parallel.values())
            continue
        assert parallel == _grades(serial["root"], student), student
    timing = {"parallel_jobs_2_s": round(graded["seconds"], 1),
              "stock_serial_s": round(serial["seconds"], 1),
              "students": len(graded["cases"])}
    out = Path(__file__).parents[1] / "artifacts" / "grading"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bad-cohort-timing.json").write_text(json.dumps(timing, indent=1))
