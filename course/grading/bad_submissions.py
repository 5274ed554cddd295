"""A cohort of bad submissions made from the course's own notebooks, for tests and benchmarks.

`make_cohort(root, assignment)` writes `submitted/<student>/<assignment>/` into a course
folder (a throw-away copy), one student per way a submission goes wrong, each built from the
assignment's released notebooks with the solutions filled in. The first notebook of the
assignment is the one spoiled; its other notebooks are submitted answered. Exercises are
found from nbgrader's metadata (an answer cell, then its test cell), never listed, and
destructive changes go to the last exercise, which no other exercise builds on.

Each `Case` says which test cells should score what, so a test can check the grades.
"""

from __future__ import annotations

import ast
import base64
import copy
import json
import pickle
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course.grading.attacks import ATTACKS
from course.grading.attacks import attack_code as referee_attack_code
from course.paths import notebooks

TIMESTAMP = "2026-01-01 00:00:00.000000 UTC"
# Every student make_cohort can write ("hard_coded" needs function answers, "attacker" the
# sandbox).
STUDENTS = (
    "solution", "blank", "tampered_test", "deleted_test", "deleted_answer",
    "answer_as_markdown", "endless_loop", "stubborn_loop", "kernel_exit", "memory_hog",
    "hard_coded",
    "invalid_json", "missing_notebook", "attacker",
) + tuple(f"attack_{attack.name}" for attack in ATTACKS)


@dataclass
class Exercise:
    answer_id: str
    test_id: str
    points: float
    functions: list[str]


@dataclass
class Case:
    student: str
    what: str
    notebook: str = ""
    expected: dict[str, float] = field(default_factory=dict)  # test cell -> auto score
    report: str = ""  # a phrase the grading report must contain ("" when none)


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _find(nb, grade_id: str) -> int:
    for index, cell in enumerate(nb.cells):
        if _meta(cell).get("grade_id") == grade_id:
            return index
    raise KeyError(grade_id)


def _strip_solution_markers(source: str) -> str:
    return "\n".join(line for line in source.split("\n")
                     if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line)


def answered(release, source):
    """The released notebook with every answer cell holding the solution (no markers)."""
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        grade_id = _meta(cell).get("grade_id")
        if _meta(cell).get("solution") and grade_id:
            solution = source.cells[_find(source, grade_id)].source
            if cell.cell_type == "markdown":
                cell.source = "A written answer: " + _strip_solution_markers(solution)[:200]
            else:
                cell.source = _strip_solution_markers(solution)
    return nb


def exercises(nb, source) -> list[Exercise]:
    """Code answer cells, each with the first autograded test cell after it."""
    found = []
    answer = None
    for cell in nb.cells:
        meta = _meta(cell)
        if cell.cell_type != "code" or not meta:
            continue
        if meta.get("solution") and not meta.get("grade"):
            answer = meta["grade_id"]
        elif meta.get("grade") and not meta.get("solution") and answer:
            code = _strip_solution_markers(source.cells[_find(source, answer)].source)
            try:
                names = [node.name for node in ast.parse(code).body
                         if isinstance(node, ast.FunctionDef)]
            except SyntaxError:
                names = []
            found.append(Exercise(answer, meta["grade_id"], float(meta.get("points", 0)),
                                  names))
            answer = None
    return found


def points_of_tests(nb) -> dict[str, float]:
    return {_meta(cell)["grade_id"]: float(_meta(cell).get("points", 0)) for cell in nb.cells
            if cell.cell_type == "code" and _meta(cell).get("grade")
            and not _meta(cell).get("solution")}


# The key under which a hard-coded answer looks up a call: the arguments' data, hashed.
_KEY_FUNCTION = '''
def _answer_key(args, kwargs):
    def one(value):
        try:
            import pandas as pd
            if isinstance(value, (pd.DataFrame, pd.Series, pd.Index)):
                hashed = pd.util.hash_pandas_object(value, index=True)
                total = int(hashed.sum()) if len(hashed) else 0
                return ("pandas", type(value).__name__, value.shape, total)
        except Exception:
            pass
        return ("value", repr(value))
    return repr((tuple(one(a) for a in args), tuple(sorted((k, one(v))
                                                           for k, v in kwargs.items()))))
'''


def record_answers(nb, exercise_list: list[Exercise], workdir: Path) -> dict:
    """Run `nb` (answered) once and record what each answer function returned, per call."""
    from nbclient import NotebookClient

    nb = copy.deepcopy(nb)
    out = workdir / "recorded.pickle"
    setup = _KEY_FUNCTION + '''
_RECORDED = {}
def _record(names):
    for name in names:
        function = globals()[name]
        def wrapper(*args, _function=function, _name=name, **kwargs):
            result = _function(*args, **kwargs)
            _RECORDED.setdefault(_name, {})[_answer_key(args, kwargs)] = result
            return result
        globals()[name] = wrapper
'''
    for exercise in reversed(exercise_list):
        if exercise.functions:
            index = _find(nb, exercise.answer_id)
            nb.cells.insert(index + 1, nbformat.v4.new_code_cell(
                f"_record({exercise.functions!r})"))
    nb.cells.insert(0, nbformat.v4.new_code_cell(setup))
    nb.cells.append(nbformat.v4.new_code_cell(
        f"import pickle\nwith open({str(out)!r}, 'wb') as f:\n    pickle.dump(_RECORDED, f)"))
    NotebookClient(nb, kernel_name="python3", timeout=300, allow_errors=True,
                   resources={"metadata": {"path": str(workdir)}}).execute()
    return pickle.loads(out.read_bytes()) if out.is_file() else {}


def hard_coded_answer(functions: list[str], recorded: dict) -> str:
    """An answer cell that looks answers up in a table made from the visible shop."""
    table = {name: recorded[name] for name in functions if recorded.get(name)}
    blob = base64.b64encode(pickle.dumps(table)).decode()
    lines = [
        "# Hard-coded: the answers the visible check asks for, looked up, not computed.",
        "import base64, pickle", _KEY_FUNCTION,
        f"_TABLE = pickle.loads(base64.b64decode({blob!r}))",
    ]
    for name in table:
        lines += [
            f"def {name}(*args, **kwargs):",
            f"    answers = _TABLE[{name!r}]",
            "    return answers.get(_answer_key(args, kwargs), next(iter(answers.values())))",
        ]
    return "\n".join(lines)


ATTACK = '''
# An answer that tries to get at the grading: every attempt must fail in the sandbox.
import glob as _glob, json as _json, os as _os, socket as _socket, sqlite3 as _sqlite3
_results = {}
def _attempt(name, action):
    try:
        value = action()
        _results[name] = "SUCCEEDED: " + str(value)[:120]
    except BaseException as error:
        _results[name] = "blocked: " + type(error).__name__
def _nonempty(values):
    if not values:
        raise FileNotFoundError("nothing there")
    return values
def _write(path):
    with open(path, "w") as handle:
        handle.write("tampered")
    return path
def _gradebook():
    db = _sqlite3.connect("file:" + GRADEBOOK + "?mode=rw", uri=True)
    db.execute("UPDATE grade SET auto_score = 100")
    db.commit()
    return "gradebook updated"
def _connect(host, port):
    _socket.create_connection((host, port), timeout=3).close()
    return f"connected to {host}:{port}"
_attempt("read the source notebooks", lambda: open(SOURCE_NOTEBOOK).read(80))
_attempt("read the repository's source notebooks", lambda: _nonempty(_glob.glob(REPO_SOURCE)))
_attempt("read the graded notebook (hidden tests)", lambda: _nonempty(_glob.glob("*.ipynb")))
_attempt("write the gradebook", _gradebook)
_attempt("write into source/", lambda: _write(SOURCE_DIR + "/tampered.txt"))
_attempt("write another student's graded notebook", lambda: _write(OTHER_GRADED))
_attempt("write into the course package", lambda: _write(PACKAGE_DIR + "/tampered.py"))
_attempt("reach a server on the grading machine", lambda: _connect("127.0.0.1", HOST_PORT))
_attempt("reach the internet", lambda: _connect("1.1.1.1", 80))
_attempt("read /etc/shadow", lambda: open("/etc/shadow").read(10))
_attempt("become root", lambda: _os.setuid(0))
_attempt("signal the sandbox's first process", lambda: _os.kill(1, 9))
_attempt("write the machine's /tmp (lands in a throw-away tmpfs)", lambda: _write(HOST_TMP_FILE))
print("ATTACK-RESULTS " + _json.dumps(_results))
# Markup for whoever views this notebook (the formgrader, the feedback): it must not run.
from IPython.display import HTML as _HTML, display as _display
_display(_HTML('<script>window.PLANTED_SCRIPT = 1</script>'
               '<img src="x" onerror="window.PLANTED_ONERROR = 1">'))
'''


def attack_code(root: Path, assignment: str, notebook: str, host_port: int,
                host_tmp_file: Path) -> str:
    import course

    values = {
        "GRADEBOOK": str(root / "gradebook.db"),
        "SOURCE_NOTEBOOK": str(root / "source" / assignment / f"{notebook}.ipynb"),
        "SOURCE_DIR": str(root / "source" / assignment),
        "REPO_SOURCE": str(Path(course.__file__).resolve().parents[1] / "source" / "*" / "*"),
        "OTHER_GRADED": str(root / "autograded" / "solution" / assignment / f"{notebook}.ipynb"),
        "PACKAGE_DIR": str(Path(course.__file__).resolve().parent),
        "HOST_PORT": str(host_port),
        "HOST_TMP_FILE": str(host_tmp_file),
    }
    code = ATTACK
    for name, value in values.items():
        code = code.replace(name, value if name == "HOST_PORT" else repr(value))
    return code


STUBBORN_LOOP = '''
import time as _time
while True:  # a bare except swallows the interrupt: the kernel must be restarted
    try:
        _time.sleep(0.2)
    except BaseException:
        pass
'''
MEMORY_HOG = '''
_hog = bytearray(1 << 40)  # one terabyte at once
'''
MEMORY_CREEP = '''
def _creep():
    chunks = []
    while True:  # 64 MiB at a time, until the memory limit stops it
        chunks.append(bytearray(1 << 26))
_creep()
'''


def set_parameters(source: Path, values: dict[str, object]) -> None:
    """Set `values` (e.g. N_CUSTOMERS) in the `parameters` cell of every notebook under `source`,
    so that a course copy grades on a small shop; release it again afterwards."""
    for path in notebooks(source):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if "parameters" in cell.metadata.get("tags", []):
                for name, value in values.items():
                    cell.source = re.sub(rf"^{name}\s*=.*$", f"{name} = {value!r}", cell.source,
                                         flags=re.M)
        nbformat.write(nb, path)


def _write_notebook(folder: Path, name: str, nb) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")


def make_cohort(root: Path, assignment: str, attacks: bool = True, host_port: int = 9,
                host_tmp_file: Path | None = None, referee_attacks: bool = True,
                ) -> dict[str, Case]:
    """Write the bad cohort into `root`/submitted; return the cases by student."""
    release_dir = root / "release" / assignment
    names = sorted(path.stem for path in release_dir.glob("*.ipynb"))
    releases = {n: nbformat.read(release_dir / f"{n}.ipynb", as_version=4) for n in names}
    sources = {n: nbformat.read(root / "source" / assignment / f"{n}.ipynb", as_version=4)
               for n in names}
    target = names[0]
    release, source = releases[target], sources[target]
    good = answered(release, source)
    points = points_of_tests(release)
    full = dict(points)
    zero = {test: 0.0 for test in points}
    found = exercises(release, source)
    if not found:
        raise ValueError(f"{assignment}/{target}: no answer cell followed by a test cell")
    first, last = found[0], found[-1]
    cases: dict[str, Case] = {}

    def submit(student: str, what: str, nb=None, expected=None, report: str = "",
               raw: str | None = None) -> None:
        folder = root / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "timestamp.txt").write_text(TIMESTAMP)
        for other in names[1:]:
            _write_notebook(folder, other, answered(releases[other], sources[other]))
        if raw is not None:
            (folder / f"{target}.ipynb").write_text(raw)
        elif nb is not None:
            _write_notebook(folder, target, nb)
        cases[student] = Case(student, what, target, expected or {}, report)

    def spoiled(*changes):
        nb = copy.deepcopy(good)
        for change in changes:
            change(nb)
        return nb

    def append(grade_id, code):
        def change(nb):
            nb.cells[_find(nb, grade_id)].source += "\n" + code
        return change

    submit("solution", "the solution in the released notebook", good, full)
    submit("blank", "the released notebook, unanswered", copy.deepcopy(release), zero)

    def tamper(nb):
        nb.cells[_find(nb, last.answer_id)] = copy.deepcopy(
            release.cells[_find(release, last.answer_id)])
        test = nb.cells[_find(nb, last.test_id)]
        test.source = "assert True"
        test.metadata.nbgrader["points"] = 100
    submit("tampered_test", "test cell edited to `assert True` with 100 points, answer blank",
           spoiled(tamper), {**full, last.test_id: 0.0}, f"test cell {last.test_id} edited")

    def delete(grade_id):
        def change(nb):
            del nb.cells[_find(nb, grade_id)]
        return change
    submit("deleted_test", "a test cell deleted", spoiled(delete(first.test_id)), full,
           f"test cell {first.test_id} deleted: put back")
    submit("deleted_answer", "an answer cell deleted", spoiled(delete(last.answer_id)),
           {**full, last.test_id: 0.0}, f"answer cell {last.answer_id} deleted")

    def to_markdown(nb):
        cell = nb.cells[_find(nb, first.answer_id)]
        cell.cell_type = "markdown"
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
    submit("answer_as_markdown", "an answer cell turned into markdown", spoiled(to_markdown),
           full, f"answer cell {first.answer_id} changed from code to markdown")
    submit("endless_loop", "an endless loop after a correct answer",
           spoiled(append(first.answer_id, "while True:\n    pass\n")), full,
           f"{first.answer_id}: stopped by the time limit")
    submit("stubborn_loop", "an endless loop that swallows the interrupt",
           spoiled(append(last.answer_id, STUBBORN_LOOP)), {**full, last.test_id: 0.0},
           f"{last.answer_id}: the cell ran longer than")
    submit("kernel_exit", "an answer that ends the kernel's process",
           spoiled(append(last.answer_id, "import os\nos._exit(3)\n")),
           {**full, last.test_id: 0.0}, f"{last.answer_id}: the kernel stopped")
    submit("memory_hog", "a huge allocation and a creeping one after correct answers",
           spoiled(append(first.answer_id, MEMORY_HOG), append(last.answer_id, MEMORY_CREEP)),
           full, f"{first.answer_id}: MemoryError")
    with tempfile.TemporaryDirectory() as scratch:
        recorded = record_answers(good, found, Path(scratch))
    coded = [e for e in found if e.functions and all(recorded.get(f) for f in e.functions)]
    hard_code = _hard_coder(coded, recorded)
    if coded:
        submit("hard_coded", "answers looked up from the visible shop: pass the visible "
               "checks, fail the hidden tests", spoiled(hard_code),
               {**full, **{e.test_id: 0.0 for e in coded}})
    if referee_attacks:
        _add_referee_attacks(submit, release, good, found, coded, recorded, zero, full)
    submit("invalid_json", "a notebook that is not JSON", raw='{"cells": [ not json',
           expected=zero, report="not valid JSON")
    submit("missing_notebook", "no notebook at all, only a timestamp", expected=zero,
           report="missing from the submission")
    if attacks:
        host_tmp_file = host_tmp_file or Path(tempfile.gettempdir()) / "course-attack-marker"
        code = attack_code(root, assignment, target, host_port, host_tmp_file)
        submit("attacker", "reads hidden tests, writes the gradebook, opens the network",
               spoiled(append(first.answer_id, code)), full)
        link = root / "submitted" / "attacker" / assignment / "data.csv"
        link.symlink_to(root / "source" / assignment / f"{target}.ipynb")
        cases["attacker"].report = "symlink data.csv not graded"
    return cases


def _hard_coder(coded: list[Exercise], recorded: dict):
    def hard_code(nb):
        for exercise in coded:
            nb.cells[_find(nb, exercise.answer_id)].source = hard_coded_answer(
                exercise.functions, recorded)
    return hard_code


def _add_referee_attacks(submit, release, good, found: list[Exercise], coded: list[Exercise],
                         recorded: dict, zero: dict, full: dict) -> None:
    """One student per attack on the referee, each scored as its honest base."""
    functions = [name for exercise in found for name in exercise.functions]
    hard_code = _hard_coder(coded, recorded)
    for attack in ATTACKS:
        if attack.base == "hard_coded" and not coded:
            continue
        if attack.base == "blank":
            nb, expected = copy.deepcopy(release), dict(zero)
        else:
            nb = copy.deepcopy(good)
            hard_code(nb)
            expected = {**full, **{e.test_id: 0.0 for e in coded}}
        code = referee_attack_code(attack, functions)
        targets = found if attack.kind == "lie" else found[:1]
        for exercise in targets:
            cell = nb.cells[_find(nb, exercise.answer_id)]
            cell.source = (code if attack.base == "blank" else cell.source + "\n" + code)
        submit(f"attack_{attack.name}", f"attack ({attack.kind}): {attack.what}", nb, expected,
               attack.report)


def cases_json(cases: dict[str, Case]) -> str:
    return json.dumps({k: vars(v) for k, v in cases.items()}, indent=1)
