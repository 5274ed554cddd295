"""Grade a whole cohort: every student folder in submitted/, every assignment, in parallel.

1. Find every (student, assignment) submission and check its notebooks before anything runs:
   unreadable (not JSON, not a notebook), missing, unknown, tampered cells, odd files.
2. Make sure the gradebook knows every assignment (`generate_assignment` into a scratch
   release folder when it does not, so `release/` is never touched).
3. Copy each submission into its own small course copy ("unit") with a snapshot of the
   gradebook: readable notebooks and regular files only, no symlinks.
4. Grade every unit with nbgrader's own `Autograde` (what `nbgrader autograde` runs) in
   `jobs` worker processes (`course.grading.worker`); each kernel runs in the sandbox
   (`course.grading.launcher`). Units share nothing, so no SQLite file has two writers.
5. Record each finished unit, one at a time, from this process only: nbgrader's `Autograde`
   against the course's gradebook, with the unit's executed notebook replayed instead of run
   again (`course.grading.replay`).
6. Feedback without hidden tests (rendered by the workers, put in place once recorded),
   grades.csv, a per-notebook report and a summary.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import queue
import re
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from course.grading.execute import KERNEL_RESTARTED, NOT_RUN, REFEREE_FAILED, cell_role
from course.grading.limits import Limits
from course.grading.referee import NOTE_MIME
from course.grading.replay import executed_path
from course.grading.report import FAILED, MANUAL, NotebookScore, Problem, Progress, Summary
from course.grading.sandbox import (
    GradingEnvironment,
    autograde_steps,
    course_cell_timeout,
    prepare,
)
from course.paths import assignments as find_assignments
from course.paths import tool_environment

log = logging.getLogger("course.grading")


@dataclass
class Options:
    root: Path
    jobs: int = max(1, os.cpu_count() or 1)
    limits: Limits = field(default_factory=Limits)
    sandbox: bool = True
    referee: bool = True
    assignments: tuple[str, ...] = ()
    students: tuple[str, ...] = ()
    feedback: bool = True
    learner_outputs: bool = True
    keep_work: bool = False
    progress: bool = True
    work_dir: Path | None = None


@dataclass(frozen=True)
class SourceCell:
    name: str
    cell_type: str
    locked: bool
    visible_source: str  # as in the released notebook (hidden tests cut out)
    grade: bool
    solution: bool
    points: float | None


@dataclass
class Unit:
    """One student's submission of one assignment, graded by one worker."""

    student: str
    assignment: str
    dir: Path
    expected: list[str]
    staged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    feedback: bool = False  # the worker wrote its feedback pages
    recorded: bool = False

    @property
    def name(self) -> str:
        return f"{self.student}/{self.assignment}"

    @property
    def log(self) -> Path:
        return self.dir / "nbgrader.log"

    def kept_log(self, name: str) -> str:
        """Where `name` (nbgrader.log, record.log) is kept after the run."""
        return f"autograded/grading_logs/{self.assignment}__{self.student}__{name}"

    def problem(self, notebook: str, what: str, kind: str = "looked wrong") -> None:
        self.problems.append(Problem(self.student, self.assignment, notebook, what, kind))


# ---------------------------------------------------------------------------- set-up


def load_course_config(root: Path) -> Config:
    """The course's nbgrader configuration, as nbgrader loads it from `root`."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    if "db_url" not in config.CourseDirectory:
        config.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}"
    return config


def run_nbgrader(root: Path, *args: str) -> subprocess.CompletedProcess:
    """nbgrader's command line, run from the course folder `root`, its output captured."""
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=root,
                          capture_output=True, text=True, env=tool_environment(),
                          timeout=900)


def ensure_assignments(root: Path, db_url: str, names: list[str], scratch: Path) -> list[str]:
    """Add assignments the gradebook lacks (generate_assignment, release/ untouched)."""
    from nbgrader.api import Gradebook, MissingEntry

    missing = []
    with Gradebook(db_url) as gradebook:
        for name in names:
            try:
                gradebook.find_assignment(name)
            except MissingEntry:
                missing.append(name)
    errors = []
    for name in missing:
        result = run_nbgrader(root, "generate_assignment", name, "--force",
                           f"--CourseDirectory.release_directory={scratch / 'release'}")
        if result.returncode != 0:
            errors.append(f"generate_assignment {name} failed: {result.stderr[-500:]}")
    return errors


def source_cells(db_url: str, assignment: str) -> dict[str, list[SourceCell]]:
    """Per notebook of `assignment`, its nbgrader cells as the gradebook knows them."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import ClearHiddenTests

    clear = ClearHiddenTests(enforce_metadata=False)
    cells: dict[str, list[SourceCell]] = {}
    with Gradebook(db_url) as gradebook:
        for notebook in gradebook.find_assignment(assignment).notebooks:
            points = {cell.name: float(cell.max_score) for cell in notebook.grade_cells}
            solutions = {cell.name for cell in notebook.solution_cells}
            cells[notebook.name] = []
            for cell in notebook.source_cells:
                node = nbformat.v4.new_code_cell(cell.source or "")
                clear._remove_hidden_test_region(node)
                cells[notebook.name].append(SourceCell(
                    cell.name, cell.cell_type, bool(cell.locked), node.source,
                    cell.name in points, cell.name in solutions, points.get(cell.name)))
    return cells


# ------------------------------------------------------------------ checking submissions


def _cell_label(cell: SourceCell) -> str:
    if cell.grade and not cell.solution:
        return f"test cell {cell.name}"
    if cell.solution:
        return f"answer cell {cell.name}"
    return f"locked cell {cell.name}"


def tampering(nb: nbformat.NotebookNode, cells: list[SourceCell], add_missing: bool) -> list[str]:
    """What a submission changed in the cells nbgrader restores or relies on."""
    found: dict[str, nbformat.NotebookNode] = {}
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id:
            found.setdefault(grade_id, cell)
    notes = []
    for source in cells:
        label = _cell_label(source)
        cell = found.get(source.name)
        if cell is None:
            if source.grade and add_missing:
                notes.append(f"{label} deleted: put back from the source and graded")
            elif source.grade:
                notes.append(f"{label} deleted: not put back (add_missing_cells is off), 0")
            elif source.solution:
                notes.append(f"{label} deleted: its tests run without it")
            else:
                notes.append(f"{label} deleted: cannot be put back, later cells may fail")
            continue
        if cell.cell_type != source.cell_type:
            notes.append(f"{label} changed from {source.cell_type} to {cell.cell_type}: "
                         "type restored")
        if source.locked and cell.source.rstrip() != source.visible_source.rstrip():
            notes.append(f"{label} edited: restored from the source")
        if source.grade:
            points = cell.metadata.get("nbgrader", {}).get("points")
            try:
                changed = float(points) != source.points
            except (TypeError, ValueError):
                changed = True
            if changed:
                notes.append(f"points of {source.name} changed to {points!r}: "
                             f"restored to {source.points:g}")
    return notes


def _copy_regular_files(source: Path, target: Path, unit: Unit) -> None:
    """Copy a submission's files except notebooks, refusing symlinks and special files."""
    for dirpath, dirnames, filenames in os.walk(source):
        here = Path(dirpath)
        for dirname in list(dirnames):
            if dirname == ".ipynb_checkpoints" or (here / dirname).is_symlink():
                if (here / dirname).is_symlink():
                    unit.problem("", f"symlink {(here / dirname).relative_to(source)} "
                                 "not graded")
                dirnames.remove(dirname)
        for filename in filenames:
            path = here / filename
            relative = path.relative_to(source)
            if path.suffix == ".ipynb":
                if here != source:
                    unit.problem("", f"notebook in a subfolder ignored: {relative}")
                continue
            mode = path.lstat().st_mode
            if not stat.S_ISREG(mode):
                kind = "symlink" if stat.S_ISLNK(mode) else "special file"
                unit.problem("", f"{kind} {relative} not graded")
                continue
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


def stage(unit: Unit, submitted: Path, cells: dict[str, list[SourceCell]],
          add_missing: bool) -> None:
    """Check a submission and copy what can be graded into the unit's course copy."""
    source = submitted / unit.student / unit.assignment
    target = unit.dir / "submitted" / unit.student / unit.assignment
    target.mkdir(parents=True, exist_ok=True)
    _copy_regular_files(source, target, unit)
    present = set()
    for path in sorted(source.glob("*.ipynb")):
        name = path.stem
        present.add(name)
        if name not in cells:
            unit.problem(path.name, "not a notebook of this assignment: ignored")
            continue
        if path.is_symlink() or not path.is_file():
            unit.problem(name, "not a regular file: scored 0")
            continue
        try:
            text = path.read_text(encoding="utf-8")
            json.loads(text)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            unit.problem(name, f"not valid JSON ({error.__class__.__name__}: {error}): scored 0")
            continue
        try:
            nb = nbformat.reads(text, as_version=4)
        except Exception as error:  # noqa: BLE001 - any unreadable notebook is scored 0
            unit.problem(name, f"not a readable notebook ({error}): scored 0")
            continue
        for note in tampering(nb, cells[name], add_missing):
            unit.problem(name, note)
        (target / path.name).write_text(text, encoding="utf-8")
        unit.staged.append(name)
    for name in sorted(set(cells) - present):
        unit.problem(name, "missing from the submission: scored 0")


def make_unit_root(unit: Unit, root: Path, db_path: Path, environment: GradingEnvironment,
                   course_config_file: Path) -> None:
    """The unit's private course: config, gradebook snapshot, source files (no notebooks)."""
    shutil.copyfile(db_path, unit.dir / "gradebook.db")
    source = root / "source" / unit.assignment
    shutil.copytree(source, unit.dir / "source" / unit.assignment,
                    ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"),
                    dirs_exist_ok=True)
    (unit.dir / "nbgrader_config.py").write_text(
        environment.config_file(course_config_file, unit.dir))


# ------------------------------------------------------------------------ execution


class Worker:
    """One `course.grading.worker` process, restarted when it dies or has to be stopped."""

    running: set[Worker] = set()

    def __init__(self, environment: GradingEnvironment, run_dir: Path) -> None:
        self.environment = environment
        self.run_dir = run_dir
        self.process: subprocess.Popen | None = None
        Worker.running.add(self)

    def _start(self) -> subprocess.Popen:
        env = self.environment.env(self.run_dir / "runtime")
        return subprocess.Popen(
            [sys.executable, "-m", "course.grading.worker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
            start_new_session=True)

    def stop(self) -> None:
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()
            self.process = None

    def close(self) -> None:
        Worker.running.discard(self)
        if self.process is not None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.stop()
            self.process = None

    def grade(self, unit: Unit, timeout: float, feedback: bool, learner_outputs: bool) -> dict:
        """Send one unit; its result, or a failure after `timeout` seconds."""
        if self.process is None or self.process.poll() is not None:
            self.process = self._start()
        job = {"dir": str(unit.dir), "assignment": unit.assignment, "student": unit.student,
               "feedback": feedback, "learner_outputs": learner_outputs}
        try:
            self.process.stdin.write(json.dumps(job) + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            self.stop()
            return {"ok": False, "error": "the grading worker died"}
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.stop()
            if not ready:
                return {"ok": False, "timeout": True,
                        "error": f"grading took over {timeout:.0f} s and was stopped"}
            return {"ok": False, "error": "the grading worker died"}
        return json.loads(line)


def run_unit(unit: Unit, worker: Worker, environment: GradingEnvironment,
             options: Options) -> Unit:
    """Grade one submission in its own course copy (stock Autograde, in a worker)."""
    if not unit.staged:
        return unit
    start = time.monotonic()
    timeout = len(unit.staged) * (environment.limits.wall + 60) + 120
    result = worker.grade(unit, timeout, options.feedback, options.learner_outputs)
    unit.seconds = time.monotonic() - start
    unit.feedback = bool(result.get("feedback"))
    if result.get("timeout"):
        unit.problem("", f"{result['error']}: scored 0", FAILED)
    elif result.get("ok") and options.feedback and not unit.feedback:
        unit.problem("", f"feedback could not be written ({result.get('error')})", FAILED)
    check_execution(unit, environment)
    return unit


def run_units(units: list[Unit], environment: GradingEnvironment, run_dir: Path,
              options: Options, progress: Progress, finish: Callable[[Unit], str]) -> None:
    """`jobs` workers take units from one queue. As each unit comes back, this thread (the
    only one that writes the course's gradebook) calls `finish` on it: record, feedback."""
    pending: queue.Queue[Unit] = queue.Queue()
    for unit in units:
        pending.put(unit)
    finished: queue.Queue[Unit] = queue.Queue()

    def work() -> None:
        worker = Worker(environment, run_dir)
        try:
            while True:
                try:
                    unit = pending.get_nowait()
                except queue.Empty:
                    return
                try:
                    run_unit(unit, worker, environment, options)
                except Exception as error:  # noqa: BLE001 - one unit must not stop the rest
                    unit.problem("", f"could not be graded ({error}): scored 0", FAILED)
                finished.put(unit)
        finally:
            worker.close()

    threads = [threading.Thread(target=work, daemon=True)
               for _ in range(max(1, options.jobs))]
    for thread in threads:
        thread.start()
    try:
        for _ in units:
            unit = finished.get()
            score = finish(unit)
            note = f"{score}, {unit.seconds:.1f} s" + (f", {len(unit.problems)} problem(s)"
                                                        if unit.problems else "")
            progress.advance(unit.name, note, ok=not unit.problems)
    except BaseException:  # Ctrl-C: stop every worker and its kernels, then give up
        while not pending.empty():
            pending.get_nowait()
        for worker in list(Worker.running):
            worker.stop()
        raise
    for thread in threads:
        thread.join()
    progress.close()


_EXCEPTION_LINE = re.compile(r"^[\w.]*(Error|Exception|Exit)\b.*:")


def _last_error(log_file: Path) -> str:
    """The last exception line of an nbgrader log ("ZMQError: ..."), or ''."""
    try:
        lines = log_file.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    for line in reversed(lines):
        text = line.strip()
        if _EXCEPTION_LINE.match(text):
            return text[:200]
    return ""


def check_execution(unit: Unit, environment: GradingEnvironment) -> None:
    """Which notebooks the worker graded, and which cells hit a limit."""
    for name in list(unit.staged):
        path = executed_path(unit.dir, unit.assignment, unit.student, name)
        if not path.is_file():
            reason = _last_error(unit.log) or f"see {unit.kept_log('nbgrader.log')}"
            unit.problem(name, f"could not be graded ({reason}): scored 0", FAILED)
            continue
        nb = nbformat.read(path, as_version=4)
        not_run = 0
        said: set[str] = set()
        for index, cell in enumerate(nb.cells):
            label = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"
            judged = cell_role(cell) in ("test", "locked")
            for output in cell.get("outputs", []):
                # Only the referee writes the outputs of test and locked cells.
                notes = output.get("data", {}).get(NOTE_MIME) if judged else None
                if isinstance(notes, dict):
                    for note in notes.get("notes", []):
                        if not any(note in text for text in said):
                            said.add(note)
                            unit.problem(name, f"{label}: {note}")
                if output.get("output_type") != "error":
                    continue
                ename = output.get("ename")
                if judged and ename in ("AnswerNotJudged", "AnswerTimeout", REFEREE_FAILED):
                    text = str(output.get("evalue"))
                    if not any(note in text for note in said):
                        said.add(text)
                        unit.problem(name, f"{label}: {text}")
                    continue
                if ename == "CellTimeoutError":
                    unit.problem(name, f"{label}: stopped by the time limit "
                                 f"({environment.cell_timeout} s per cell)")
                elif ename == "MemoryError":
                    unit.problem(name, f"{label}: MemoryError (limit "
                                 f"{environment.limits.memory // 2**20} MiB)")
                elif ename == KERNEL_RESTARTED:
                    unit.problem(name, f"{label}: {output.get('evalue')}")
                elif ename == NOT_RUN:
                    not_run += 1
        if not_run:
            unit.problem(name, f"{not_run} cell(s) not run after repeated kernel restarts")


# ------------------------------------------------------------------------ recording


def _file_logger(path: Path) -> logging.Logger:
    logger = logging.getLogger(f"course.grading.unit.{path}")
    logger.handlers.clear()
    handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


def _close_logger(logger: logging.Logger) -> None:
    for handler in list(logger.handlers):
        handler.close()
        logger.removeHandler(handler)


def record_steps(worker_steps: list) -> list:
    """The worker's autograde steps after Execute that touch the gradebook, after a replay."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import IgnorePattern, LimitOutput

    from course.grading.execute import SandboxExecute
    from course.grading.replay import ReplayExecution

    position = worker_steps.index(SandboxExecute)
    notebook_only = (IgnorePattern, ClearMetadataPreprocessor, LimitOutput)
    after = [step for step in worker_steps[position + 1:] if step not in notebook_only]
    return [ReplayExecution, *after]


def record_unit(unit: Unit, config: Config, steps: list) -> None:
    """Stock Autograde into the course gradebook, with the unit's outputs replayed."""
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    submitted = unit.dir / "submitted" / unit.student / unit.assignment
    for name in list(unit.staged):  # not graded by the worker: scored 0 like a missing one
        if not executed_path(unit.dir, unit.assignment, unit.student, name).is_file():
            (submitted / f"{name}.ipynb").unlink(missing_ok=True)
            unit.staged.remove(name)
            unit.feedback = False  # its pages would miss that notebook's zero
    if not unit.staged:
        record_zero(unit, config)
        unit.recorded = True
        return
    config = copy.deepcopy(config)
    config.CourseDirectory.submitted_directory = str(unit.dir / "submitted")
    config.Autograde.autograde_preprocessors = steps
    config.ReplayExecution.unit_root = str(unit.dir)
    logger = _file_logger(unit.dir / "record.log")
    timestamp, settled = hand_grades(config.CourseDirectory.db_url, unit)
    try:
        coursedir = CourseDirectory(config=config, log=logger)
        coursedir.assignment_id = unit.assignment
        coursedir.student_id = unit.student
        app = Autograde(coursedir=coursedir, config=config, log=logger)
        app.force = True
        app.create_student = True
        app.start()
        unit.recorded = True
        keep_hand_grades(config.CourseDirectory.db_url, unit, timestamp, settled)
    except Exception as error:  # noqa: BLE001 - one failed record must not stop the cohort
        unit.feedback = False
        unit.problem("", f"could not be recorded in the gradebook ({error}); "
                     f"see {unit.kept_log('record.log')}", FAILED)
    finally:
        _close_logger(logger)


def hand_grades(db_url: str, unit: Unit) -> tuple[object, set[tuple[str, str]]]:
    """The submission's timestamp, and the cells a person has graded and nbgrader does not ask
    to review: (notebook, cell) pairs."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gradebook:
        try:
            submission = gradebook.find_submission(unit.assignment, unit.student)
        except MissingEntry:
            return None, set()
        settled = {(notebook.name, grade.name) for notebook in submission.notebooks
                   for grade in notebook.grades
                   if grade.manual_score is not None and not grade.needs_manual_grade}
        return submission.timestamp, settled


def keep_hand_grades(db_url: str, unit: Unit, timestamp: object,
                     settled: set[tuple[str, str]]) -> None:
    """After a re-grade of the same submission (same timestamp), the cells graded by hand stay
    graded: nbgrader's autograde flags every hand-graded cell for review again. A new
    submission (another timestamp) keeps nbgrader's flags: its answers may have changed."""
    from nbgrader.api import Gradebook

    if not settled:
        return
    with Gradebook(db_url) as gradebook:
        submission = gradebook.find_submission(unit.assignment, unit.student)
        if submission.timestamp != timestamp:
            return
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if (notebook.name, grade.name) in settled:
                    grade.needs_manual_grade = False
        gradebook.db.commit()


def record_zero(unit: Unit, config: Config) -> None:
    """Nothing gradable: a submission whose every notebook scores 0, as nbgrader does for a
    missing notebook, and no stale graded copy or feedback from an earlier run."""
    from nbgrader.api import Gradebook
    from nbgrader.utils import parse_utc

    timestamp_file = unit.dir / "submitted" / unit.student / unit.assignment / "timestamp.txt"
    kwargs = {}
    if timestamp_file.is_file():
        try:
            kwargs["timestamp"] = parse_utc(timestamp_file.read_text().strip())
        except ValueError:
            pass
    with Gradebook(config.CourseDirectory.db_url) as gradebook:
        gradebook.update_or_create_student(unit.student)
        submission = gradebook.update_or_create_submission(unit.assignment, unit.student,
                                                           **kwargs)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0
                grade.needs_manual_grade = False
        gradebook.db.commit()
    root = Path(config.CourseDirectory.root)
    for step in ("autograded", "feedback"):
        shutil.rmtree(root / step / unit.student / unit.assignment, ignore_errors=True)


def install_feedback(unit: Unit, root: Path) -> None:
    """Put the worker's feedback pages in place (once the unit is recorded, never before)."""
    made = unit.dir / "feedback" / unit.student / unit.assignment
    target = root / "feedback" / unit.student / unit.assignment
    shutil.rmtree(target, ignore_errors=True)
    if unit.feedback and made.is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(made, target)


def collect_scores(units: list[Unit], db_url: str, summary: Summary) -> None:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gradebook:
        for unit in units:
            try:
                submission = gradebook.find_submission(unit.assignment, unit.student)
            except MissingEntry:
                continue
            for notebook in submission.notebooks:
                waiting = [g for g in notebook.grades if g.needs_manual_grade]
                summary.scores.append(NotebookScore(
                    unit.student, unit.assignment, notebook.name, float(notebook.score),
                    float(notebook.max_score), len(waiting)))
                for grade in waiting:
                    if grade.manual_score is None:
                        what = f"{grade.name}: waits for a person (formgrader)"
                    else:
                        what = f"{grade.name}: graded by hand before, nbgrader asks to review"
                    summary.problems.append(Problem(unit.student, unit.assignment,
                                                    notebook.name, what, MANUAL))


def export_grades(config: Config, path: Path) -> None:
    from nbgrader.api import Gradebook

    from course.grading.export import CourseCsvExport

    plugin = CourseCsvExport(config=config, log=log)
    plugin.to = str(path)
    with Gradebook(config.CourseDirectory.db_url) as gradebook:
        plugin.export(gradebook)


# ------------------------------------------------------------------------ the cohort


def discover(root: Path, options: Options) -> tuple[list[tuple[str, str]], list[Problem]]:
    """(student, assignment) pairs to grade, and folders that are not gradable."""
    submitted = root / "submitted"
    known = find_assignments(root / "source")
    wanted = [a for a in known if not options.assignments or a in options.assignments]
    problems = [Problem("", name, "", "no such assignment in source/")
                for name in options.assignments if name not in known]
    pairs = []
    if not submitted.is_dir():
        return pairs, problems
    for student_dir in sorted(submitted.iterdir()):
        student = student_dir.name
        if student.startswith(".") or not student_dir.is_dir() or student_dir.is_symlink():
            continue
        if options.students and student not in options.students:
            continue
        for folder in sorted(student_dir.iterdir()):
            if folder.name.startswith("."):
                continue
            if folder.name not in known:
                problems.append(Problem(student, folder.name, "",
                                        "not an assignment of source/: ignored"))
            elif folder.is_symlink() or not folder.is_dir():
                problems.append(Problem(student, folder.name, "", "not a folder: ignored"))
            elif folder.name in wanted:
                pairs.append((student, folder.name))
    return pairs, problems


def grade_cohort(options: Options) -> Summary:
    """Grade every submission in `options.root`/submitted; see the module docstring."""
    start = time.monotonic()
    root = options.root.resolve()
    os.environ["PATH"] = tool_environment()["PATH"]
    course_config_file = root / "nbgrader_config.py"
    if not course_config_file.is_file():
        raise ValueError(f"root: no nbgrader_config.py in {root}")
    config = load_course_config(root)
    db_url = config.CourseDirectory.db_url
    if not db_url.startswith("sqlite:///"):
        raise ValueError(f"db_url: the cohort runner needs a SQLite gradebook, not {db_url}")
    pairs, problems = discover(root, options)
    if not pairs:
        summary = Summary(environment="nothing ran", jobs=0, problems=problems)
        summary.seconds = time.monotonic() - start
        print(f"Nothing to grade: no student folder with an assignment in {root / 'submitted'}",
              file=sys.stderr)
        return summary
    cell_timeout = options.limits.cell_timeout or course_cell_timeout(course_config_file)
    run_dir = Path(tempfile.mkdtemp(prefix="course-grading-", dir=options.work_dir))
    environment = prepare(run_dir / "environment", options.limits, cell_timeout,
                          sandbox=options.sandbox, referee=options.referee)
    summary = Summary(environment=environment.describe(), jobs=options.jobs,
                      problems=problems)
    if not environment.sandboxed:
        print("WARNING: learners' code runs WITHOUT the sandbox, with resource limits only: "
              f"{environment.status.reason or 'sandbox switched off'}", file=sys.stderr)
    try:
        with warnings.catch_warnings():  # SQLAlchemy and nbformat chatter from nbgrader
            warnings.simplefilter("ignore")
            units = _grade_units(root, pairs, config, course_config_file, environment, run_dir,
                                 options, summary)
            collect_scores(units, db_url, summary)
            export_grades(config, root / "grades.csv")
        summary.grades_csv = root / "grades.csv"
        if options.feedback:
            summary.feedback = root / "feedback"
        for unit in units:
            summary.problems += unit.problems
        summary.graded = len(units)
        _keep_logs(units, root / "autograded" / "grading_logs")
        summary.seconds = time.monotonic() - start
        summary.write_report(root / "autograded" / "grading_report.csv")
    finally:
        environment.cleanup()
        if not options.keep_work:
            shutil.rmtree(run_dir, ignore_errors=True)
    return summary


def _grade_units(root: Path, pairs: list[tuple[str, str]], config: Config,
                 course_config_file: Path, environment: GradingEnvironment, run_dir: Path,
                 options: Options, summary: Summary) -> list[Unit]:
    db_url = config.CourseDirectory.db_url
    names = sorted({assignment for _, assignment in pairs})
    for error in ensure_assignments(root, db_url, names, run_dir):
        summary.problems.append(Problem("", "", "", error, FAILED))
    cells = {}
    for name in names:
        try:
            cells[name] = source_cells(db_url, name)
        except Exception as error:  # noqa: BLE001
            summary.problems.append(Problem("", name, "", f"not in the gradebook: {error}",
                                            FAILED))
    add_missing = bool(config.OverwriteCells.get("add_missing_cells", False))
    db_path = Path(db_url.removeprefix("sqlite:///"))
    units = []
    for index, (student, assignment) in enumerate(pairs):
        if assignment not in cells:
            continue
        unit = Unit(student, assignment, run_dir / "units" / f"u{index:05d}",
                    sorted(cells[assignment]))
        unit.dir.mkdir(parents=True)
        stage(unit, root / "submitted", cells[assignment], add_missing)
        make_unit_root(unit, root, db_path, environment, course_config_file)
        units.append(unit)
    steps = record_steps(autograde_steps(config))

    def finish(unit: Unit) -> str:
        record_unit(unit, config, steps)
        install_feedback(unit, root)
        return _score(db_url, unit)

    progress = Progress(len(units), enabled=options.progress)
    run_units(units, environment, run_dir, options, progress, finish)
    return units


def _score(db_url: str, unit: Unit) -> str:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gradebook:
        try:
            submission = gradebook.find_submission(unit.assignment, unit.student)
        except MissingEntry:
            return "not recorded"
        return f"{submission.score:g}/{submission.max_score:g} points"


def _keep_logs(units: list[Unit], folder: Path) -> None:
    """The workers' nbgrader logs, kept beside the autograded notebooks for a closer look."""
    folder.mkdir(parents=True, exist_ok=True)
    for unit in units:
        for name in ("nbgrader.log", "record.log"):
            path = unit.dir / name
            if path.is_file():
                target = folder.parent.parent / unit.kept_log(name)
                shutil.copyfile(path, target)
