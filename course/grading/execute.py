"""nbgrader's Execute, with a trusted referee, made to survive a kernel that dies or hangs.

Every test cell, and every locked cell, runs in the referee's kernel (`RefereeKernel`, trusted:
no learner code ever runs in it); answer cells and the learner's own cells run in the learner's
(sandboxed) kernel, and locked cells there too, so that answers find the set-up they build on.
A test cell's outputs, and so its score, are the referee's (see `course.grading.referee`).

Stock nbgrader interrupts a cell that runs past `Execute.timeout` and goes on, which handles an
ordinary endless loop. But a kernel that dies (a memory limit, `os._exit`, the wall clock) or
keeps running after the interrupt (a loop with a bare `except:`) makes nbgrader give up on the
whole submission: the student is left ungraded and the run reports an error.

`SandboxExecute` instead marks that cell as failed (an error output, so a test cell scores 0),
starts a fresh kernel, runs the cells above it again silently to rebuild the state, and goes
on with the rest of the notebook. After `max_restarts` restarts the remaining cells are marked
as not run. Every other cell is executed exactly as stock nbgrader does. How long an interrupted
cell may take to stop is nbclient's `iopub_timeout` (set from `Limits.interrupt_grace`).
"""

from __future__ import annotations

import ast
import atexit
import copy
import os
import queue
import shutil
import tempfile
import time
from pathlib import Path

from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import output_from_msg
from nbgrader.preprocessors import Execute
from traitlets import Integer, Unicode

KERNEL_RESTARTED = "KernelRestarted"
NOT_RUN = "NotRun"
REFEREE_FAILED = "RefereeFailed"
MAX_REFEREE_FAILURES = 2
# Errors of the learner's kernel that say a limit was hit: kept on a locked cell's outputs.
_LIMIT_ERRORS = {"CellTimeoutError", "MemoryError", KERNEL_RESTARTED, NOT_RUN}


def cell_role(cell) -> str:
    """'test' (the referee only), 'locked' (both kernels), 'learner' (the learner's kernel)."""
    if cell.cell_type != "code":
        return "text"
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("grade") and not meta.get("solution"):
        return "test"
    if meta.get("locked") and not meta.get("solution"):
        return "locked"
    return "learner"


class RefereeError(RuntimeError):
    """The referee's own kernel failed (not the learner's)."""


class RefereeKernel:
    """The trusted kernel: one per grading process, reset between notebooks."""

    _shared: RefereeKernel | None = None
    _shared_name = ""

    def __init__(self, kernel_name: str) -> None:
        from jupyter_client import KernelManager

        self.folder = Path(tempfile.mkdtemp(prefix="course-referee-"))
        os.chmod(self.folder, 0o700)  # its sockets: nobody but the grading user
        self.work = self.folder / "work"
        self.work.mkdir()
        self.km = KernelManager(kernel_name=kernel_name, transport="ipc",
                                ip=str(self.folder / "referee"))
        self.km.start_kernel(cwd=str(self.work))
        self.kc = self.km.blocking_client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)

    @classmethod
    def shared(cls, kernel_name: str) -> RefereeKernel:
        kernel = cls._shared
        if kernel is None or cls._shared_name != kernel_name or not kernel.km.is_alive():
            if kernel is not None:
                kernel.shutdown()
            kernel = cls._shared = cls(kernel_name)
            cls._shared_name = kernel_name
        return kernel

    @classmethod
    def fresh(cls, kernel_name: str) -> RefereeKernel:
        """The shared kernel, reset for a new notebook: empty namespace, no link."""
        kernel = cls.shared(kernel_name)
        kernel.call(_RESET.format(folder=str(kernel.work)))
        return kernel

    @classmethod
    def discard(cls) -> None:
        if cls._shared is not None:
            cls._shared.shutdown()
            cls._shared = None

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
            self.km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 - it is going away either way
            pass
        # Its sockets and working folder: left in /tmp, they outlived the grading account.
        shutil.rmtree(self.folder, ignore_errors=True)

    def run(self, source: str, timeout: float) -> tuple[list[NotebookNode], int | None]:
        """Execute a cell; its outputs as nbformat outputs, and its execution count."""
        outputs: list[NotebookNode] = []

        def keep(msg: dict) -> None:
            kind = msg["msg_type"]
            if kind == "clear_output":
                outputs.clear()
            elif kind in ("stream", "display_data", "execute_result", "error"):
                output = output_from_msg(msg)
                if (kind == "stream" and outputs and outputs[-1].output_type == "stream"
                        and outputs[-1].name == output.name):
                    outputs[-1].text += output.text
                else:
                    outputs.append(output)

        try:
            reply = self.kc.execute_interactive(source, output_hook=keep, timeout=timeout,
                                                allow_stdin=False)
        except TimeoutError:
            self.km.interrupt_kernel()
            raise
        return outputs, reply["content"].get("execution_count")

    def call(self, code: str, timeout: float = 120) -> None:
        """Run referee code silently; raise `RefereeError` if it fails."""
        msg_id = self.kc.execute(code, silent=True, store_history=False)
        reply = self._reply(msg_id, timeout)
        if reply["content"].get("status") != "ok":
            content = reply["content"]
            raise RefereeError(f"{content.get('ename')}: {content.get('evalue')}")

    def evaluate(self, expression: str, timeout: float = 60):
        """The value of a referee expression (a Python literal)."""
        msg_id = self.kc.execute("", silent=True, store_history=False,
                                 user_expressions={"value": expression})
        result = self._reply(msg_id, timeout)["content"].get("user_expressions", {})["value"]
        if result.get("status") != "ok":
            raise RefereeError(f"{result.get('ename')}: {result.get('evalue')}")
        return ast.literal_eval(result["data"]["text/plain"])

    def _reply(self, msg_id: str, timeout: float) -> dict:
        end = time.monotonic() + timeout
        while True:
            try:
                msg = self.kc.get_shell_msg(timeout=max(0.1, end - time.monotonic()))
            except queue.Empty:
                raise RefereeError("the referee's kernel did not answer") from None
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg


atexit.register(RefereeKernel.discard)


def error_output(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(
        output_type="error",
        ename=ename,
        evalue=evalue,
        traceback=[f"\x1b[0;31m{ename}\x1b[0m: {evalue}"],
    )


class SandboxExecute(Execute):
    max_restarts = Integer(
        2, help="Kernel restarts per notebook before the remaining cells are not run."
    ).tag(config=True)
    referee_kernel_name = Unicode(
        "", help="Kernelspec of the trusted referee; empty: every cell runs in the learner's "
        "kernel, as in stock nbgrader (then the learner's code can fake its grade)."
    ).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._restarts = 0
        self._culprits: set[int] = set()
        self._given_up = False
        self._referee: RefereeKernel | None = None
        self._linked: dict | None = None
        self._trusted: set[str] = set()
        self._watch: set[str] = set()
        self._set_up: list[int] = []
        self._referee_failures = 0
        self._set_up_key = ""
        self._restored = False
        if self.referee_kernel_name:
            self._referee = RefereeKernel.fresh(self.referee_kernel_name)
            self._set_up, self._set_up_key = set_up_cells(nb)
        return super().preprocess(nb, resources, km=km)

    def preprocess_cell(self, cell, resources, index):
        if self._given_up:
            if cell.cell_type == "code" and cell.source.strip():
                cell.outputs = [error_output(NOT_RUN, "not run: the kernel was stopped by a "
                                             "limit too often in the cells above")]
            return cell, self.resources
        role = cell_role(cell) if self._referee is not None else "learner"
        started = time.monotonic()
        try:
            return self._route(role, cell, resources, index)
        finally:
            self.log.info("Cell %d (%s): %.2f s", index, role, time.monotonic() - started)

    def _route(self, role, cell, resources, index):
        if role == "test":
            self._judge(cell, index)
            return cell, self.resources
        if role == "locked":
            self._in_learner(cell, resources, index)
            limits = [o for o in cell.outputs if o.get("output_type") == "error"
                      and o.get("ename") in _LIMIT_ERRORS]
            if not self._given_up:
                self._judge(cell, index)
                cell.outputs.extend(limits)
            return cell, self.resources
        return self._in_learner(cell, resources, index)

    # ----------------------------------------------------------------- the referee's cells

    def _link(self) -> None:
        """Point the referee at the learner's current kernel (a new one after a restart)."""
        if self.km is None:
            return
        info = {key: value.decode() if isinstance(value, bytes) else value
                for key, value in self.km.get_connection_info(session=False).items()}
        if info != self._linked:
            self._referee.call(f"__course_referee__.connect({info!r}, {float(self.timeout)!r})")
            self._linked = info

    def _judge(self, cell, index: int) -> None:
        """Run a cell in the referee; its outputs become the cell's outputs."""
        referee = self._referee
        if not cell.source.strip():
            cell.outputs = []
            return
        if index in self._set_up and self._from_kept_set_up(cell, index):
            return
        if self._referee_failures >= MAX_REFEREE_FAILURES:  # a submission that stalls the grader
            cell.outputs = [error_output(REFEREE_FAILED, "not judged: the grader failed on this "
                                         "notebook too often in the cells above")]
            return
        try:
            t0 = time.monotonic()
            self._link()
            t1 = time.monotonic()
            referee.call(f"__course_referee__.bind(get_ipython().user_ns, {cell.source!r}, "
                         f"{sorted(self._trusted)!r}, {sorted(self._watch)!r})")
            t2 = time.monotonic()
            outputs, count = referee.run(cell.source, timeout=2 * float(self.timeout) + 30)
            t3 = time.monotonic()
            notes = referee.evaluate("__course_referee__.take_notes()")
            self.log.info("Referee, cell %d: link %.2f s, bind %.2f s, run %.2f s, notes %.2f s",
                          index, t1 - t0, t2 - t1, t3 - t2, time.monotonic() - t3)
        except (TimeoutError, RefereeError, DeadKernelError, RuntimeError) as error:
            self.log.warning("Cell %d: the referee failed (%s); restarting it", index, error)
            cell.outputs = [error_output(REFEREE_FAILED, f"the grader could not judge this cell "
                                         f"({type(error).__name__}: {error})")]
            self._referee_failures += 1
            self._restart_referee(index)
            return
        cell.outputs = outputs
        cell.execution_count = count
        if notes:
            cell.outputs.append(note_output(notes))
        self._learned(cell)
        if self._set_up and index == self._set_up[-1]:
            self._keep_set_up()

    def _learned(self, cell) -> None:
        """What a trusted cell defines: the referee never asks the learner for it."""
        self._trusted |= _stored_names(cell.source)
        if "parameters" in cell.metadata.get("tags", []):
            self._watch |= _stored_names(cell.source)

    def _from_kept_set_up(self, cell, index: int) -> bool:
        """The set-up cells' outputs and state, kept from an earlier submission, if any."""
        kept = _KEPT_OUTPUTS.get(self._set_up_key)
        if kept is None:
            return False
        self._link()  # its baseline: the learner's kernel before any answer ran
        if not self._restored:
            try:
                found = self._referee.evaluate(
                    f"__course_referee__.restore({self._set_up_key!r}, get_ipython().user_ns)")
            except RefereeError:
                found = False
            if not found:
                _KEPT_OUTPUTS.pop(self._set_up_key, None)
                return False
            self._restored = True
        outputs, count = kept[index]
        cell.outputs = copy.deepcopy(outputs)
        cell.execution_count = count
        self._learned(cell)
        return True

    def _keep_set_up(self) -> None:
        try:
            kept = self._referee.evaluate(
                f"__course_referee__.keep({self._set_up_key!r}, get_ipython().user_ns)")
        except RefereeError:
            kept = False
        if kept:
            _KEPT_OUTPUTS[self._set_up_key] = {
                i: (copy.deepcopy(self.nb.cells[i].outputs), self.nb.cells[i].execution_count)
                for i in self._set_up}

    def _restart_referee(self, index: int) -> None:
        RefereeKernel.discard()
        self._referee = RefereeKernel.fresh(self.referee_kernel_name)
        self._linked = None
        trusted: set[str] = set()
        for cell in self.nb.cells[:index]:
            # The trusted cells above, without the learner's answers: what they define is
            # rebuilt, and a submission cannot stall this replay as it may have stalled the cell.
            if cell_role(cell) in ("test", "locked") and cell.source.strip():
                try:
                    self._referee.run(cell.source, timeout=2 * float(self.timeout) + 30)
                except (TimeoutError, RefereeError, RuntimeError):
                    pass
                trusted |= _stored_names(cell.source)
        self._trusted = trusted

    # ----------------------------------------------------------------- the learner's cells

    def _in_learner(self, cell, resources, index):
        try:
            return super().preprocess_cell(cell, resources, index)
        except (DeadKernelError, CellTimeoutError) as error:
            if isinstance(error, DeadKernelError):
                reason = ("the kernel stopped while running this cell (a memory or time "
                          "limit, or the code ended the process)")
            else:
                reason = (f"the cell ran longer than {self.timeout} s and did not stop when "
                          "interrupted")
            self.log.warning("Cell %d: %s; restarting the kernel", index, reason)
            cell.outputs.append(error_output(KERNEL_RESTARTED, reason + "; the kernel was "
                                             "restarted and the cells above run again"))
            self._culprits.add(index)
            self._restart(index)
            return cell, self.resources

    def _restart(self, index: int) -> None:
        self._restarts += 1
        if self._restarts > self.max_restarts:
            self._given_up = True
            self._stop_kernel()
            return
        try:
            self._stop_kernel()
            self.km = self.create_kernel_manager()  # a stopped manager cannot start again
            self.start_new_kernel()
            self.start_new_kernel_client()
            if self._referee is not None:
                self._link()  # before the cells above run again: a clean kernel's baseline
            for earlier, cell in enumerate(self.nb.cells[:index]):
                if earlier in self._culprits or cell.cell_type != "code":
                    continue
                if self._referee is not None and cell_role(cell) == "test":
                    continue
                # A copy: the outputs of the first run are the ones graded and shown.
                self.execute_cell(copy.deepcopy(cell), earlier, store_history=False)
        except (DeadKernelError, CellTimeoutError, RuntimeError, TimeoutError,
                RefereeError) as error:
            self.log.warning("Restarted kernel failed too (%s); not running the rest", error)
            self._given_up = True
            self._stop_kernel()

    def _stop_kernel(self) -> None:
        if self.kc is not None:
            try:
                self.kc.stop_channels()
            except Exception:  # noqa: BLE001 - a dead channel must not stop grading
                pass
            self.kc = None
        if self.km is not None:
            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:  # noqa: BLE001
                pass


_RESET = """
get_ipython().reset(new_session=False)
import os as _os, sys as _sys
from course.grading.referee import REFEREE as __course_referee__
__course_referee__.forget()
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
_os.chdir({folder!r})
del _os, _sys
"""


# The outputs of the kept set-up cells, by key (the referee's kernel keeps their state).
_KEPT_OUTPUTS: dict[str, dict[int, tuple]] = {}


def set_up_cells(nb) -> tuple[list[int], str]:
    """The locked cells at the top of a notebook that read nothing of the learner's, and a key
    made of their sources: the referee's state after them is the same for every submission."""
    import hashlib

    from course.grading.referee import _ALWAYS_THERE, cell_names, checked_exercises

    cells, trusted = [], set()
    digest = hashlib.sha256()
    for index, cell in enumerate(nb.cells):
        role = cell_role(cell)
        if role not in ("test", "locked") or not cell.source.strip():
            continue
        stored, loaded = cell_names(cell.source)
        if role == "test" or loaded - stored - trusted - _ALWAYS_THERE \
                or checked_exercises(cell.source) or "%" in cell.source:
            break
        cells.append(index)
        trusted |= stored
        digest.update(f"{index}\0{cell.source}\0".encode())
    return cells, digest.hexdigest()


def _stored_names(source: str) -> set[str]:
    from course.grading.referee import cell_names

    return cell_names(source)[0]


def note_output(notes: list[str]) -> NotebookNode:
    """The referee's notes on a cell: read by the grading report, shown in the feedback."""
    from course.grading.referee import NOTE_MIME

    text = "".join(f"Note from the grader: {note}\n" for note in notes)
    return NotebookNode(output_type="display_data", metadata={},
                        data={NOTE_MIME: {"notes": list(notes)}, "text/plain": text})
