"""The referee's kernel: a plain ipykernel, for trusted code only, that dies with its parent.

Started by `course.grading.execute` through the `course-grading-referee` kernelspec. It runs
outside the sandbox, as the grading user: only the gradebook's copy of the instructor's cells
and the referee's own code ever run in it, never a line of a submission.
"""

from __future__ import annotations

import ctypes
import resource
import signal

PR_SET_PDEATHSIG = 1
MEMORY = 12 << 30  # the referee's own limit: a learner's data must not take the machine


def main() -> None:
    try:  # Linux: killed with the grading process, even by SIGKILL
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    except (ValueError, OSError):
        pass
    from ipykernel.kernelapp import launch_new_instance

    launch_new_instance()


if __name__ == "__main__":
    main()
