"""The grading environment of one run: a sandboxed kernelspec, its limits and nbgrader config.

`prepare()` writes into the run's folder:
- `jupyter/kernels/course-grading-sandbox/kernel.json`, a kernelspec whose argv is
  `course.grading.launcher` (found through `JUPYTER_PATH`, so no installation in the system);
- `environment.json`, the launcher's settings (mode, user, limits, read-only trees);
- `mpl-cache/`, matplotlib's font list, built once and copied into every sandbox.
`configure(c, ...)`, called from a generated `nbgrader_config.py`, points nbgrader's
`Execute` at that kernel (through `SandboxExecute`), with the run's cell timeout and ipc
transport. The same config serves the parallel workers and a stock serial `nbgrader
autograde`, which is how the tests compare the two.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import course
from course.grading.limits import Limits
from course.grading.provision import SandboxStatus, sandbox_status
from course.paths import tool_environment

KERNEL_NAME = "course-grading-sandbox"
REFEREE_KERNEL_NAME = "course-grading-referee"
SOCKET_DIR_MODE = 0o1733


@dataclass
class GradingEnvironment:
    run_dir: Path
    limits: Limits
    cell_timeout: int
    status: SandboxStatus
    sandboxed: bool
    settings_path: Path
    jupyter_path: Path
    cgroups: dict = field(default_factory=dict)
    referee: bool = True

    @property
    def mode(self) -> str:
        return "sandbox" if self.sandboxed else "limits"

    def describe(self) -> str:
        if self.sandboxed:
            who = ("as nobody in a user namespace" if self.status.userns
                   else "as user 'grader'")
            where = f"bubblewrap sandbox {who}, no network, read-only course code"
        else:
            where = "NO SANDBOX (resource limits only): " + (self.status.reason or "--no-sandbox")
        cgroups = ", cgroups " + "+".join(sorted(self.cgroups)) if self.cgroups else ""
        judge = ("tests judged by the trusted referee" if self.referee else
                 "NO REFEREE (tests run in the learner's kernel: its code can fake the grade)")
        return f"{where}; {judge}; {self.limits.describe(self.cell_timeout)}{cgroups}"

    def env(self, runtime_dir: Path) -> dict[str, str]:
        """Environment of an nbgrader process grading in this environment."""
        runtime_dir.mkdir(parents=True, exist_ok=True)
        paths = [str(self.jupyter_path), os.environ.get("JUPYTER_PATH", "")]
        return dict(
            os.environ,
            PATH=tool_environment()["PATH"],
            JUPYTER_PATH=os.pathsep.join(p for p in paths if p),
            JUPYTER_RUNTIME_DIR=str(runtime_dir),
            PYTHONUNBUFFERED="1",
        )

    def config_file(self, course_config: Path, root: Path) -> str:
        """Text of an nbgrader_config.py: the course's config, at `root`, in this environment."""
        return "\n".join([
            "# Written by course.grading: the course's nbgrader config, graded in a sandbox.",
            "c = get_config()  # noqa: F821",
            f"load_subconfig({str(course_config)!r})  # noqa: F821",
            "from course.grading.sandbox import configure",
            f"configure(c, root={str(root)!r}, environment={str(self.settings_path)!r})",
            "",
        ])

    def cleanup(self) -> None:
        for group in self.cgroups.values():
            for child in sorted(Path(group).glob("kernel-*")):
                try:
                    child.rmdir()
                except OSError:
                    pass
            try:
                Path(group).rmdir()
            except OSError:
                pass


def autograde_steps(c) -> list:
    """nbgrader's autograde preprocessors (or the course's), with `SandboxExecute` for Execute."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute

    from course.grading.execute import SandboxExecute

    if "autograde_preprocessors" in c.Autograde:
        base = list(c.Autograde.autograde_preprocessors)
    else:
        base = list(Autograde.autograde_preprocessors.default())
    return [SandboxExecute if step in (Execute, "nbgrader.preprocessors.Execute") else step
            for step in base]


def configure(c, root: str, environment: str) -> None:
    """Called from a generated nbgrader_config.py (see `GradingEnvironment.config_file`)."""
    settings = json.loads(Path(environment).read_text())
    root_path = Path(root)
    c.CourseDirectory.root = str(root_path)
    c.CourseDirectory.db_url = f"sqlite:///{root_path / 'gradebook.db'}"
    c.Exchange.root = str(root_path / ".exchange")
    c.Autograde.autograde_preprocessors = autograde_steps(c)
    c.Execute.kernel_name = KERNEL_NAME
    # Test and locked cells are judged in the trusted referee's kernel (course.grading.referee).
    c.SandboxExecute.referee_kernel_name = (REFEREE_KERNEL_NAME if settings.get("referee", True)
                                            else "")
    c.Execute.timeout = settings["cell_timeout"]
    # How long nbclient waits for a cell's output to end after its reply (or its interrupt).
    c.Execute.iopub_timeout = settings["interrupt_grace"]
    # The kernel talks to nbgrader over unix sockets in this folder, the only one it shares.
    sockets = root_path / ".grading-sockets"
    sockets.mkdir(exist_ok=True)
    if settings["mode"] == "sandbox":
        os.chmod(sockets, SOCKET_DIR_MODE)  # the grader user may create sockets, not list
    c.KernelManager.transport = "ipc"
    c.KernelManager.ip = str(sockets / "kernel")


def course_cell_timeout(course_config: Path) -> int:
    """`Execute.timeout` of the course's nbgrader_config.py (nbgrader's default: 30)."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(course_config.name, path=str(course_config.parent)).load_config()
    return int(config.Execute.get("timeout", 30) or 30)


def _cgroup_parents(run_id: str) -> dict[str, str]:
    """One child cgroup (v1) per controller, below this process's own; {} if not writable."""
    if os.geteuid() != 0:
        return {}
    parents = {}
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return {}
    for line in lines:
        _, controllers, path = line.split(":", 2)
        for controller in ("memory", "pids"):
            if controller not in controllers.split(","):
                continue
            base = Path("/sys/fs/cgroup") / controller / path.lstrip("/")
            group = base / f"course-grading-{run_id}"
            try:
                group.mkdir(exist_ok=True)
                limit_file = "memory.limit_in_bytes" if controller == "memory" else "pids.max"
                if not (group / limit_file).exists():
                    group.rmdir()
                    continue
            except OSError:
                continue
            parents[controller] = str(group)
    return parents


def _build_font_cache(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-c", "import matplotlib.font_manager"],
        env=dict(os.environ, MPLCONFIGDIR=str(target)),
        capture_output=True,
        timeout=300,
        check=False,
    )


def _read_only_trees() -> list[str]:
    """What the kernel must see: Python, the virtual environment, the `course` package."""
    trees = {
        str(Path(sys.base_prefix).resolve()),
        str(Path(sys.prefix)),
        str(Path(sys.prefix).resolve()),
        str(Path(course.__file__).resolve().parent),
        str(Path(sys.executable).resolve().parent.parent),
    }
    return sorted(tree for tree in trees if tree not in ("/", ""))


def write_referee_kernelspec(kernels: Path) -> None:
    """The trusted referee's kernelspec: the grader's own Python, no sandbox, one BLAS thread."""
    from course.grading.launcher import THREAD_VARIABLES

    folder = kernels / REFEREE_KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "course.grading.trusted_kernel", "-f",
                 "{connection_file}"],
        "display_name": "Python 3 (grading referee, trusted)",
        "language": "python",
        "env": {name: "1" for name in THREAD_VARIABLES},
        "metadata": {"debugger": False},
    }
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1))


def prepare(run_dir: Path, limits: Limits, cell_timeout: int, sandbox: bool = True,
            referee: bool = True) -> GradingEnvironment:
    """Write the kernelspec and launcher settings for one grading run into `run_dir`."""
    run_dir.mkdir(parents=True, exist_ok=True)
    status = sandbox_status() if sandbox else SandboxStatus(False, "--no-sandbox was given")
    sandboxed = status.available
    cgroups = _cgroup_parents(f"{os.getpid()}-{run_dir.name}")
    font_cache = run_dir / "mpl-cache"
    _build_font_cache(font_cache)
    settings = {
        "mode": "sandbox" if sandboxed else "limits",
        "bwrap": status.bwrap,
        "uid": status.uid,
        "gid": status.gid,
        "userns": status.userns,
        "python": sys.executable,
        "ro_binds": _read_only_trees(),
        "mpl_cache": str(font_cache),
        "cgroups": cgroups,
        "cell_timeout": cell_timeout,
        "referee": referee,
        **{key: value for key, value in asdict(limits).items() if key != "cell_timeout"},
    }
    settings_path = run_dir / "environment.json"
    settings_path.write_text(json.dumps(settings, indent=1))
    kernel_dir = run_dir / "jupyter" / "kernels" / KERNEL_NAME
    kernel_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "course.grading.launcher", str(settings_path),
                 "{connection_file}"],
        "display_name": "Python 3 (grading sandbox)",
        "language": "python",
        "interrupt_mode": "message",
        "metadata": {"debugger": False},
    }
    (kernel_dir / "kernel.json").write_text(json.dumps(spec, indent=1))
    write_referee_kernelspec(run_dir / "jupyter" / "kernels")
    return GradingEnvironment(
        run_dir=run_dir,
        limits=limits,
        cell_timeout=cell_timeout,
        status=status,
        sandboxed=sandboxed,
        settings_path=settings_path,
        jupyter_path=run_dir / "jupyter",
        cgroups=cgroups,
        referee=referee,
    )
