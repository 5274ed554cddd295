"""The limits every graded notebook runs under, and how to write them on a command line."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def parse_size(text: str | int) -> int:
    """'4G', '512M', '1024' (bytes) -> bytes."""
    if isinstance(text, int):
        return text
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*", str(text), re.IGNORECASE)
    if not match:
        raise ValueError(f"size: give a number of bytes with K, M or G (e.g. 4G), not {text!r}")
    return int(float(match.group(1)) * _UNITS[match.group(2).upper()])


def format_size(size: int) -> str:
    for unit in ("T", "G", "M", "K"):
        if size >= _UNITS[unit] and size % _UNITS[unit] == 0:
            return f"{size // _UNITS[unit]}{unit}"
    return str(size)


@dataclass(frozen=True)
class Limits:
    """Per-notebook limits. Times in seconds, sizes in bytes.

    cell_timeout: one cell, enforced by nbgrader (interrupt, `CellTimeoutError`, score 0);
        None keeps `Execute.timeout` from nbgrader_config.py.
    interrupt_grace: how long an interrupted cell may take to stop before the kernel counts
        as unresponsive and is restarted.
    memory: address space of each process in the kernel (`RLIMIT_AS`: a clean MemoryError);
        with cgroups, also the whole sandbox's memory.
    cpu: CPU seconds of the kernel process (`RLIMIT_CPU`), a backstop.
    wall: lifetime of one kernel, a backstop behind the cell timeout.
    processes: processes and threads of the grader user (`RLIMIT_NPROC`), and per sandbox
        (cgroup `pids.max`).
    file_size: largest file a kernel may write (`RLIMIT_FSIZE`).
    scratch: size of each writable tmpfs in the sandbox (/tmp, /dev/shm, the working folder).
    """

    cell_timeout: int | None = None
    interrupt_grace: int = 10
    memory: int = 4 * 2**30
    cpu: int = 1800
    wall: int = 1800
    processes: int = 512
    file_size: int = 512 * 2**20
    scratch: int = 1 * 2**30

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if value is not None and (not isinstance(value, int) or value <= 0):
                raise ValueError(f"{name}: give a positive whole number, not {value!r}")
        if self.memory < 256 * 2**20:
            raise ValueError("memory: at least 256M (a Python kernel with pandas needs it)")

    def describe(self, cell_timeout: int) -> str:
        return (
            f"cell {cell_timeout} s, kernel {self.wall} s wall / {self.cpu} s CPU, "
            f"memory {format_size(self.memory)}, files {format_size(self.file_size)}, "
            f"{self.processes} processes"
        )
