"""The course's benchmarks: notebooks against their floor, the world generator, the test command.

    python benchmarks/run.py                       # notebooks and world
    python benchmarks/run.py --only notebooks world
    python benchmarks/run.py --only test-command   # `make test` on a fresh clone (minutes)

Prints one table per section and writes every figure to benchmarks/results/<UTC time>.csv.
Figures, not tests: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import os
import platform
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


def _run_notebook(path: Path, workdir: Path) -> float:
    """Seconds to execute `path` top to bottom in a fresh kernel (default parameters)."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(nb, kernel_name="python3", timeout=600,
                   resources={"metadata": {"path": str(workdir)}}).execute()
    return time.perf_counter() - started


def _parse(code: str) -> ast.Module:
    """The cell as Python, with IPython magics and shell lines left out."""
    lines = [line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))]
    return ast.parse("\n".join(lines))


def _floor_notebook(path: Path, target: Path) -> Path:
    """A notebook that only starts the kernel and makes the same imports as `path`."""
    source = nbformat.read(path, as_version=4)
    imports = sorted({ast.unparse(node) for cell in source.cells if cell.cell_type == "code"
                      for node in ast.walk(_parse(cell.source))
                      if isinstance(node, ast.Import | ast.ImportFrom)})
    floor = nbformat.v4.new_notebook()
    floor.cells = [nbformat.v4.new_code_cell("\n".join(imports) or "pass")]
    nbformat.write(floor, target)
    return target


def bench_notebooks() -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for path in notebooks(SOURCE):
            seconds = _run_notebook(path, path.parent)
            floor = _run_notebook(_floor_notebook(path, Path(scratch) / "floor.ipynb"),
                                  Path(scratch))
            rows.append({"section": "notebooks", "item": f"{path.parent.name}/{path.name}",
                         "seconds": round(seconds, 2), "floor_seconds": round(floor, 2),
                         "ratio": round(seconds / floor, 2)})
            print(f"  {rows[-1]['item']:<55} {seconds:6.1f} s  floor {floor:5.1f} s  "
                  f"x{seconds / floor:4.1f}", flush=True)
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
                        choices=["notebooks", "world", "test-command"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000, 1_000_000])
    args = parser.parse_args(argv)
    os.environ["PATH"] = tool_environment()["PATH"]
    print(f"machine: {machine()}")
    rows: list[Row] = []
    for section in args.only:
        print(f"\n{section}")
        if section == "notebooks":
            rows += bench_notebooks()
        elif section == "world":
            rows += bench_world(args.sizes)
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
