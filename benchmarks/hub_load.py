"""Time a cohort on the course's hub: many learners fetch, answer and submit at once.

    sudo .venv/bin/python benchmarks/hub_load.py [--learners 20] [--rounds 1]

Sets up a throw-away hub (as `make hub` does, in a temporary folder with its own accounts),
releases part 0, and runs `hub/load.py` against it: every learner logs in and starts a
server, then all fetch, save an answer and submit at the same moment; then the instructor
collects. Prints the wall time of each step and whether any submission was lost; removes the
hub, its accounts and their processes afterwards. Figures: docs/performance.md §7.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "hub"))
from load import run_load  # noqa: E402
from throwaway import throwaway_hub  # noqa: E402

ASSIGNMENT = "part0_orientation"


def _learners(text: str) -> int:
    count = int(text)
    if not 1 <= count <= 200:
        raise argparse.ArgumentTypeError("give between 1 and 200 learners")
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=_learners, default=20)
    parser.add_argument("--rounds", type=int, choices=range(1, 6), default=1,
                        help="load runs on the same hub (each with fresh accounts)")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("error: the hub creates system accounts: run this as root", file=sys.stderr)
        return 2
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    log = Path(tempfile.gettempdir()) / "course-hub-load.log"
    started = time.monotonic()
    with throwaway_hub(log, prefix="mlcb") as running:
        print(f"hub set up and started in {time.monotonic() - started:.1f} s")
        running.as_instructor("nbgrader", "generate_assignment", ASSIGNMENT, "--force")
        running.as_instructor("nbgrader", "release_assignment", ASSIGNMENT)
        course = running.hub.course_folder(running.hub.instructor)
        lost = 0
        for round_ in range(1, args.rounds + 1):
            names = [f"{running.hub.name}-r{round_}l{i:03d}" for i in range(args.learners)]
            running.add_learners(names)
            result = run_load(
                running.url, {n: running.passwords[n] for n in names}, ASSIGNMENT,
                collect=lambda: running.as_instructor("nbgrader", "collect", ASSIGNMENT),
                submitted=course / "submitted")
            print(f"round {round_}: " + result.text())
            lost += len(result.lost) + len(result.errors)
    print(f"done in {time.monotonic() - started:.1f} s; hub log: {log}")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
