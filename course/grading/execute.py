"""nbgrader's Execute, made to survive a kernel that dies or ignores the interrupt.

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

import copy

from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Integer

KERNEL_RESTARTED = "KernelRestarted"
NOT_RUN = "NotRun"


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

    def preprocess(self, nb, resources=None, km=None):
        self._restarts = 0
        self._culprits: set[int] = set()
        self._given_up = False
        return super().preprocess(nb, resources, km=km)

    def preprocess_cell(self, cell, resources, index):
        if self._given_up:
            if cell.cell_type == "code" and cell.source.strip():
                cell.outputs = [error_output(NOT_RUN, "not run: the kernel was stopped by a "
                                             "limit too often in the cells above")]
            return cell, self.resources
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
            for earlier, cell in enumerate(self.nb.cells[:index]):
                if earlier in self._culprits or cell.cell_type != "code":
                    continue
                # A copy: the outputs of the first run are the ones graded and shown.
                self.execute_cell(copy.deepcopy(cell), earlier, store_history=False)
        except (DeadKernelError, CellTimeoutError, RuntimeError, TimeoutError) as error:
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
