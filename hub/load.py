"""A bounded load run: many learners log in, fetch, answer and submit at the same moment
through the hub and nbgrader's exchange; then the instructor collects. Nothing may be lost:
every learner's own answer must arrive in the instructor's `submitted/<learner>/`.

Used by tests/test_hub.py (which asserts) and benchmarks/hub_load.py (which prints figures).
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from client import Learner

MARK = "# load run: submitted by {name}, {nonce}"


@dataclass
class LoadResult:
    learners: int
    seconds: dict[str, float] = field(default_factory=dict)  # step -> wall time, all learners
    slowest: dict[str, float] = field(default_factory=dict)  # step -> slowest learner
    errors: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # learners whose answer did not arrive

    def text(self) -> str:
        rows = [f"{self.learners} learners at once:"]
        for step, seconds in self.seconds.items():
            slowest = self.slowest.get(step)
            extra = f" (slowest learner {slowest:.1f} s)" if slowest is not None else ""
            rows.append(f"  {step:<24} {seconds:6.1f} s{extra}")
        rows.append(f"  errors: {len(self.errors)}, submissions lost: {len(self.lost)}")
        rows += [f"    {problem}" for problem in self.errors[:10] + self.lost[:10]]
        return "\n".join(rows)


def _mark_answer(learner: Learner, assignment: str, nonce: str) -> None:
    """Write a cell naming the learner into each fetched notebook, as saving in Lab does."""
    for path in learner.notebooks(assignment):
        content = learner.read_notebook(path)
        content["cells"].append({
            "cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": MARK.format(name=learner.name, nonce=nonce)})
        learner.save_notebook(path, content)


def _all_at_once(step: str, learners: list[Learner], work, result: LoadResult) -> list[Learner]:
    """Run `work(learner)` for every learner at the same moment; keep those that succeeded."""
    barrier = threading.Barrier(len(learners))
    times: dict[str, float] = {}
    ok: list[Learner] = []
    lock = threading.Lock()

    def one(learner: Learner) -> None:
        barrier.wait()
        started = time.monotonic()
        try:
            work(learner)
        except Exception as error:  # noqa: BLE001 - counted and reported, the run goes on
            with lock:
                result.errors.append(f"{step} {learner.name}: {type(error).__name__}: {error}")
            return
        with lock:
            times[learner.name] = time.monotonic() - started
            ok.append(learner)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(learners)) as pool:
        list(pool.map(one, learners))
    result.seconds[step] = time.monotonic() - started
    if times:
        result.slowest[step] = max(times.values())
    return ok


def run_load(hub_url: str, passwords: dict[str, str], assignment: str, collect,
             submitted: Path, course_id: str = "ml-for-cx") -> LoadResult:
    """Every learner of `passwords` logs in, fetches, answers and submits at once; then
    `collect()` (the instructor's `nbgrader collect`) and each answer is looked for in
    `submitted/<learner>/<assignment>/`."""
    nonce = f"{time.time():.6f}"
    learners = [Learner(hub_url, name, password, course_id)
                for name, password in sorted(passwords.items())]
    result = LoadResult(len(learners))
    try:
        active = _all_at_once("log in and start", learners,
                              lambda one: (one.log_in(), one.start_server()), result)
        active = _all_at_once("fetch", active, lambda one: one.act("fetch", assignment),
                              result)
        active = _all_at_once("answer (save)", active,
                              lambda one: _mark_answer(one, assignment, nonce), result)
        _all_at_once("submit", active, lambda one: one.act("submit", assignment), result)
        started = time.monotonic()
        collect()
        result.seconds["collect (instructor)"] = time.monotonic() - started
        for learner in learners:
            mark = MARK.format(name=learner.name, nonce=nonce)
            folder = submitted / learner.name / assignment
            found = any(mark in path.read_text() for path in folder.glob("*.ipynb"))
            if not found:
                result.lost.append(f"{learner.name}: no notebook with its answer in {folder}")
    finally:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=max(1, len(learners))) as pool:
            list(pool.map(lambda one: one.stop_server(), learners))
        result.seconds["stop servers"] = time.monotonic() - started
    return result
