"""The course's benchmarks: notebooks against their floor, the world, grading, the test command.

    python benchmarks/run.py                          # notebooks and world (about 4 minutes)
    python benchmarks/run.py --only notebooks --repeat 3 --notebooks 'part3*'
    python benchmarks/run.py --only grading --students 30   # a cohort, graded twice (long)
    python benchmarks/run.py --only progress --repeat 3   # `make progress`, solved workspace
    python benchmarks/run.py --only loop --students 4     # grade, grade again, feedback only
    python benchmarks/run.py --only test-command      # `make test` on a fresh clone (minutes)

Prints one table per section and writes every figure to benchmarks/results/<UTC time>.csv.
A notebook's floor is a notebook that only starts a kernel and loads the same packages
(its imports, and what they load on the way). Figures, not tests: nothing here fails on a
slow machine. `make bench` runs the default sections; docs/performance.md has the figures.
"""

from __future__ import annotations

import argparse
import ast
import csv
import fnmatch
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from course.paths import SOURCE, notebooks, tool_environment  # noqa: E402

Row = dict[str, object]


_LOADED = "import json, sys\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"


def _run_notebook(path: Path, workdir: Path) -> tuple[float, set[str]]:
    """Seconds to execute `path` top to bottom in a fresh kernel (default parameters), and the
    top-level packages the kernel had loaded by the end."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(_LOADED))
    started = time.perf_counter()
    NotebookClient(nb, kernel_name="python3", timeout=600,
                   resources={"metadata": {"path": str(workdir)}}).execute(
        stderr=subprocess.DEVNULL)  # the kernel's start-up warnings are not ours
    seconds = time.perf_counter() - started
    return seconds, set(json.loads(nb.cells[-1].outputs[0]["text"]))


def _parse(code: str) -> ast.Module:
    """The cell as Python, with IPython magics and shell lines left out."""
    lines = [line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))]
    return ast.parse("\n".join(lines))


def _floor_notebook(path: Path, packages: set[str], target: Path) -> Path:
    """A notebook that only makes the imports of `path` and loads the same `packages`.

    Packages count too when the notebook loads them indirectly (course.planning imports
    scikit-learn only when it fits a model): the floor is the price of the libraries used.
    """
    source = nbformat.read(path, as_version=4)
    imports = sorted({ast.unparse(node) for cell in source.cells if cell.cell_type == "code"
                      for node in ast.walk(_parse(cell.source))
                      if isinstance(node, ast.Import | ast.ImportFrom)})
    loads = ("import importlib\n"
             f"for name in {sorted(packages)!r}:\n"
             "    try:\n        importlib.import_module(name)\n"
             "    except Exception:\n        pass")
    floor = nbformat.v4.new_notebook()
    floor.cells = [nbformat.v4.new_code_cell("\n".join(imports) or "pass"),
                   nbformat.v4.new_code_cell(loads)]
    nbformat.write(floor, target)
    return target


def bench_notebooks(pattern: str = "*", repeat: int = 1) -> list[Row]:
    """Each source notebook matching `pattern` against its floor: the median of `repeat` runs."""
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        empty = Path(scratch) / "empty.ipynb"
        nbformat.write(nbformat.v4.new_notebook(), empty)
        _, bare = _run_notebook(empty, Path(scratch))
        for path in notebooks(SOURCE):
            item = f"{path.parent.name}/{path.name}"
            if not fnmatch.fnmatch(item, pattern):
                continue
            runs, floors = [], []
            for _ in range(repeat):
                seconds, loaded = _run_notebook(path, path.parent)
                floor_nb = _floor_notebook(path, loaded - bare, Path(scratch) / "floor.ipynb")
                runs.append(seconds)
                floors.append(_run_notebook(floor_nb, Path(scratch))[0])
            seconds, floor = statistics.median(runs), statistics.median(floors)
            rows.append({"section": "notebooks", "item": item, "seconds": round(seconds, 2),
                         "floor_seconds": round(floor, 2), "ratio": round(seconds / floor, 2)})
            print(f"  {item:<55} {seconds:6.1f} s  floor {floor:5.1f} s  x{seconds / floor:4.1f}",
                  flush=True)
    total = sum(float(r["seconds"]) for r in rows)
    rows.append({"section": "notebooks", "item": "all notebooks", "seconds": round(total, 1)})
    print(f"  {'all notebooks':<55} {total:6.1f} s")
    return rows


def bench_world(sizes: list[int]) -> list[Row]:
    rows = []
    for n in sizes:
        out = subprocess.run([sys.executable, str(HERE / "world_bench.py"), "--one", str(n)],
                             capture_output=True, text=True, check=True, cwd=ROOT)
        measured = json.loads(out.stdout)
        rows.append({"section": "world", "item": f"{n:,} customers",
                     "seconds": round(measured["seconds"], 2),
                     "peak_mb": round(measured["peak_mb"])})
        print(f"  {rows[-1]['item']:<24} {measured['seconds']:7.2f} s  "
              f"{measured['peak_mb']:8,.0f} MB peak", flush=True)
    return rows


def bench_functions(customers: int = 20_000, repeat: int = 5) -> list[Row]:
    """The course functions the notebooks lean on, at the default shop size: best of `repeat`."""
    import pandas as pd

    from course.applying import list_trial
    from course.features import mail_training_table
    from course.personalisation import features_as_of, upcoming_features
    from course.planning import part3_results
    from course.world import make_fashion_site

    site = make_fashion_site(n_customers=customers, seed=0)
    table = mail_training_table(site)
    as_of = site.today - pd.Timedelta(days=120)
    later = table[table["send_date"] >= as_of]
    calls = {
        "make_fashion_site, same shop again": lambda: make_fashion_site(n_customers=customers,
                                                                        seed=0),
        "mail_training_table": lambda: mail_training_table(site),
        "upcoming_features": lambda: upcoming_features(site),
        "features_as_of, last 120 days": lambda: features_as_of(site, later, as_of),
        "list_trial": lambda: list_trial(site),
        "part3_results": lambda: part3_results(site, customers // 20, seed=0),
    }
    rows = []
    for name, call in calls.items():
        call()  # the first call pays for lazy imports
        best = min(_seconds(call) for _ in range(repeat))
        rows.append({"section": "functions", "item": name, "seconds": round(best, 3),
                     "customers": customers})
        print(f"  {name:<40} {best:7.3f} s", flush=True)
    return rows


def _seconds(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def bench_grading(students: int, customers: int, jobs: int) -> list[Row]:
    from cohort_bench import bench_cohort

    with tempfile.TemporaryDirectory() as scratch:
        measured = bench_cohort(Path(scratch), students, customers, jobs)
    stock, ours = measured["stock_seconds"], measured["course_seconds"]
    print(f"  cohort: {students} students x {measured['assignments']} assignments "
          f"({measured['notebooks']} notebooks), shop of {customers:,} customers")
    print(f"  stock serial nbgrader autograde   {stock:7.1f} s")
    print(f"  course grade --jobs {jobs}            {ours:7.1f} s  ({stock / ours:.2f}x faster)")
    print(f"  scores identical: {measured['identical']} "
          f"({measured['cells_compared']:,} graded cells compared)")
    for key in measured["differing"]:
        print(f"    differs: {key}")
    points = ", ".join(f"{kind} {value:.1f}" for kind, value in
                       measured["auto_points_per_student"].items())
    print(f"  auto points per student (of {measured['auto_points_possible']:.0f}): {points}")
    common = {"section": "grading", "students": students, "customers": customers,
              "notebooks": measured["notebooks"]}
    return [
        {**common, "item": "stock serial nbgrader autograde", "seconds": round(stock, 1)},
        {**common, "item": f"course grade --jobs {jobs}", "seconds": round(ours, 1),
         "ratio": round(stock / ours, 2), "identical": measured["identical"]},
    ]


def bench_progress(repeat: int = 1) -> list[Row]:
    """`python -m course.progress` (what `make progress` runs) on a fully solved workspace."""
    from course.workspace import solved_copy

    with tempfile.TemporaryDirectory() as scratch:
        workspace = solved_copy(Path(scratch) / "workspace")
        times, noise = [], ""
        for _ in range(repeat):
            started = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "course.progress", str(workspace)],
                                    capture_output=True, text=True, cwd=ROOT)
            times.append(time.perf_counter() - started)
            noise = noise or result.stderr.strip()
    passed = result.stdout.count("passed")
    seconds = statistics.median(times)
    print(f"  make progress, solved workspace: {seconds:.1f} s ({passed} exercises passed; "
          f"stderr {'empty' if not noise else repr(noise[:200])})")
    return [{"section": "progress", "item": "progress, solved workspace",
             "seconds": round(seconds, 1), "passed": passed, "stderr_empty": not noise}]


def bench_loop(students: int, assignment: str = "part1_understanding") -> list[Row]:
    """The instructor's loop on one cohort: `make grade`, the same again, `make feedback`."""
    from course.workspace import solved_copy

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "course"
        root.mkdir()
        shutil.copy2(ROOT / "nbgrader_config.py", root)
        for folder in ("source", "release"):
            shutil.copytree(ROOT / folder, root / folder)
        solved = solved_copy(Path(scratch) / "solved")
        for number in range(students):
            folder = root / "submitted" / f"learner{number:02d}" / assignment
            shutil.copytree(solved / assignment, folder)
            (folder / "timestamp.txt").write_text("2026-12-01 10:00:00.000000 UTC")

        def instructor(*args: str) -> float:
            command = [sys.executable, "-m", "course.instructor", *args, "--root", str(root)]
            return _seconds(lambda: subprocess.run(command, check=True, capture_output=True))

        grade = ("grade", "--assignment", assignment, "--quiet")
        first, again = instructor(*grade), instructor(*grade)
        feedback = instructor("feedback", "--assignment", assignment)
    print(f"  {students} learners x {assignment}: make grade {first:.1f} s, "
          f"again {again:.1f} s, make feedback {feedback:.1f} s (no notebook runs)")
    common = {"section": "loop", "students": students}
    return [{**common, "item": "make grade", "seconds": round(first, 1)},
            {**common, "item": "make grade again", "seconds": round(again, 1)},
            {**common, "item": "make feedback", "seconds": round(feedback, 1)}]


def bench_test_command() -> list[Row]:
    with tempfile.TemporaryDirectory() as scratch:
        clone = Path(scratch) / "course"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        started = time.perf_counter()
        result = subprocess.run(["make", "test"], cwd=clone, capture_output=True, text=True,
                                env={k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"})
        seconds = time.perf_counter() - started
    summary = (result.stdout.strip().splitlines() or [""])[-1]
    print(f"  make test on a fresh clone: {seconds:.0f} s (exit {result.returncode}) {summary}")
    return [{"section": "test-command", "item": "make test, fresh clone",
             "seconds": round(seconds, 1), "exit": result.returncode}]


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/run.py", description=__doc__)
    parser.add_argument("--only", nargs="+", default=["notebooks", "world"],
                        choices=["notebooks", "world", "functions", "grading", "progress",
                                 "loop", "test-command"])
    parser.add_argument("--notebooks", default="*", metavar="PATTERN",
                        help="only notebooks whose part/name matches, e.g. 'part3*/0[46]*'")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each notebook and floor; the median is reported")
    parser.add_argument("--students", type=int, default=30, help="cohort size (grading)")
    parser.add_argument("--customers", type=int, default=4_000,
                        help="shop size of the cohort's notebooks (grading)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="students graded at once by the course's command (grading)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000, 1_000_000])
    args = parser.parse_args(argv)
    os.environ["PATH"] = tool_environment()["PATH"]
    print(f"machine: {machine()}")
    rows: list[Row] = []
    for section in args.only:
        print(f"\n{section}")
        if section == "notebooks":
            rows += bench_notebooks(args.notebooks, args.repeat)
        elif section == "world":
            rows += bench_world(args.sizes)
        elif section == "functions":
            rows += bench_functions()
        elif section == "grading":
            rows += bench_grading(args.students, args.customers, args.jobs)
        elif section == "progress":
            rows += bench_progress(args.repeat)
        elif section == "loop":
            rows += bench_loop(args.students)
        else:
            rows += bench_test_command()
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    out = out_dir / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}.csv"
    fields = sorted({key for row in rows for key in row}, key=lambda k: (k != "section", k))
    with out.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    print(f"\nwritten: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
