"""Kernel launcher: run one learner notebook's ipykernel in a sandbox, under limits.

nbgrader starts every grading kernel through the kernelspec written by `course.grading.sandbox`:

    python -m course.grading.launcher SETTINGS.json {connection_file} [kernel options]

This process (trusted, the grading user's) builds the sandbox and waits for it; the learner's
code only ever runs inside. In "sandbox" mode the kernel runs in bubblewrap:

- new PID, network, IPC and UTS namespaces: no network at all (the kernel talks to nbgrader
  over ipc sockets in one bound folder), no view of other processes;
- a root file system of read-only binds: /usr, a few files of /etc, the Python installation,
  the virtual environment and the `course` package, nothing else of the course: no source/,
  no gradebook, no other submission, not even this notebook's own .ipynb;
- writable: fresh size-limited tmpfs for /tmp, /dev/shm and the working folder (a copy of the
  submission's other files), all gone when the kernel ends;
- as the unprivileged `grader` user with no capabilities and no_new_privs (when grading as
  root), or as `nobody` in a user namespace of its own, with no capabilities and no further
  user namespaces (when grading as another user, e.g. an instructor on the course's hub);
- resource limits (address space, CPU time, file size, processes), a memory and pids cgroup
  when cgroups v1 are writable, and a wall-clock limit after which the sandbox is killed.

In "limits" mode (no root or no bubblewrap) only the resource limits and the wall clock apply.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath

from course.grading.provision import as_kernel_user, identity_args

CONNECTION = "/run/grading/connection.json"
HOME = "/tmp/home"
# Read-only files of /etc that Python, locales, fonts and pwd lookups need (no secrets).
ETC_FILES = (
    "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
    "/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/fonts", "/etc/alternatives",
    "/etc/mime.types", "/etc/matplotlibrc",
)
ROOT_LINKS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
MAX_COPIED_FILES = 200
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                    "NUMEXPR_NUM_THREADS")
PASSED_VARIABLES = ("NBGRADER_EXECUTION", "LANG", "LC_ALL", "TZ", "PYTHONHASHSEED")


class _Stop(Exception):
    """SIGTERM or SIGHUP: stop the sandbox and clean up."""


def _ancestors(path: str) -> list[str]:
    parts = PurePosixPath(path).parents
    return [str(p) for p in reversed(parts) if str(p) != "/"]


def _within(path: str, tree: str) -> bool:
    return path == tree or path.startswith(tree.rstrip("/") + "/")


def _copy_folder(folder: Path, fds: list[int]) -> tuple[list[str], list[str]]:
    """bwrap arguments that copy `folder` (no notebooks, no symlinks) into the tmpfs there."""
    args: list[str] = []
    skipped: list[str] = []
    count = 0
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d != ".ipynb_checkpoints"
                             and not os.path.islink(os.path.join(dirpath, d)))
        for dirname in dirnames:
            args += ["--perms", "0777", "--dir", os.path.join(dirpath, dirname)]
        for filename in sorted(filenames):
            path = os.path.join(dirpath, filename)
            if filename.endswith(".ipynb"):
                continue  # the graded notebook holds the hidden tests
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
            except OSError:
                skipped.append(path)
                continue
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode) or count >= MAX_COPIED_FILES:
                os.close(fd)
                skipped.append(path)
                continue
            count += 1
            os.set_inheritable(fd, True)
            fds.append(fd)
            perms = "0777" if mode & 0o111 else "0666"
            args += ["--perms", perms, "--file", str(fd), path]
    return args, skipped


def _pipe_data(data: bytes, fds: list[int]) -> int:
    read, write = os.pipe()
    os.write(write, data)  # a connection file is far below the pipe's buffer size
    os.close(write)
    os.set_inheritable(read, True)
    fds.append(read)
    return read


def socket_folder(connection_file: str) -> str:
    """The folder of the kernel's ipc sockets: one prepared for it, never anything else."""
    info = json.loads(Path(connection_file).read_text())
    folder = Path(str(info.get("ip", ""))).parent
    if info.get("transport") != "ipc" or not folder.is_absolute():
        raise SystemExit("[grading sandbox] the kernel must use ipc sockets in an absolute folder")
    mode = folder.stat().st_mode
    if folder.is_symlink() or stat.S_IMODE(mode) != 0o1733 or folder.stat().st_uid != os.geteuid():
        raise SystemExit(f"[grading sandbox] {folder} is not a prepared socket folder (1733)")
    return str(folder)


def sandbox_command(settings: dict, cwd: str, connection_file: str, extra: list[str],
                    fds: list[int]) -> list[str]:
    """The bubblewrap command line that runs the kernel; fills `fds` with fds to pass on."""
    scratch = str(settings["scratch"])
    env = {
        "PATH": f"{Path(settings['python']).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": HOME, "USER": "grader", "LOGNAME": "grader", "SHELL": "/bin/sh",
        "IPYTHONDIR": "/tmp/ipython", "PYTHONDONTWRITEBYTECODE": "1",
        "LANG": "C.UTF-8",
        **{name: "1" for name in THREAD_VARIABLES},
        **{name: os.environ[name] for name in PASSED_VARIABLES if name in os.environ},
    }
    userns = bool(settings.get("userns"))
    args = [
        settings["bwrap"], "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
        "--unshare-cgroup-try", "--die-with-parent", "--hostname", "grading",
        *identity_args(userns), "--clearenv",
    ]
    for name, value in env.items():
        args += ["--setenv", name, value]
    args += ["--ro-bind", "/usr", "/usr"]
    for name in ROOT_LINKS:
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    for path in ETC_FILES:
        args += ["--ro-bind-try", path, path]
    args += [
        "--proc", "/proc", "--dev", "/dev",
        "--perms", "1777", "--size", scratch, "--tmpfs", "/dev/shm",
        "--perms", "1777", "--size", scratch, "--tmpfs", "/tmp",
    ]
    # Read-only trees (Python, venv, course package), the ipc socket folder, the work folder.
    mounts: list[tuple[str, list[str]]] = []
    bound: list[str] = ["/usr"]
    for tree in sorted(set(settings["ro_binds"]), key=len):
        if any(_within(tree, other) for other in bound):
            continue  # already visible through a bind of its parent
        bound.append(tree)
        mounts.append((tree, ["--ro-bind", tree, tree]))
    sockets = socket_folder(connection_file)
    mounts.append((sockets, ["--bind", sockets, sockets]))
    mounts.append((cwd, ["--perms", "0777", "--size", scratch, "--tmpfs", cwd]))
    made = {"/usr", "/tmp", "/proc", "/dev", "/run", "/run/grading"}
    args += ["--perms", "0755", "--dir", "/run", "--perms", "0755", "--dir", "/run/grading"]
    for destination, mount in sorted(mounts, key=lambda item: item[0]):
        for parent in _ancestors(destination):
            covered = any(_within(parent, tree) for tree in bound if tree != parent)
            if parent not in made and not covered:
                args += ["--perms", "0755", "--dir", parent]
                made.add(parent)
        args += mount
        made.add(destination)
    # The connection file (root-only on disk) as a read-only copy.
    fd = _pipe_data(Path(connection_file).read_bytes(), fds)
    args += ["--perms", "0444", "--ro-bind-data", str(fd), CONNECTION]
    # A writable home, with matplotlib's font cache so that no kernel rebuilds it.
    args += ["--perms", "0777", "--dir", HOME]
    cache = Path(settings.get("mpl_cache") or "/nonexistent")
    fonts = sorted(cache.glob("fontlist-*.json")) if cache.is_dir() else []
    if fonts:
        target = f"{HOME}/.cache/matplotlib"
        args += ["--perms", "0777", "--dir", f"{HOME}/.cache", "--perms", "0777", "--dir", target]
        fd = os.open(fonts[-1], os.O_RDONLY | os.O_CLOEXEC)
        os.set_inheritable(fd, True)
        fds.append(fd)
        args += ["--perms", "0666", "--file", str(fd), f"{target}/{fonts[-1].name}"]
    copy_args, skipped = _copy_folder(Path(cwd), fds)
    for path in skipped:
        print(f"[grading sandbox] not copied into the sandbox: {path}", file=sys.stderr)
    args += copy_args
    kernel = [settings["python"], "-m", "ipykernel_launcher", "-f", CONNECTION, *extra]
    who = as_kernel_user(userns, settings["uid"], settings["gid"], settings.get("processes", 64))
    return [*args, "--chdir", cwd, "--", *who, *kernel]


def limits_command(settings: dict, connection_file: str, extra: list[str]) -> list[str]:
    return [settings["python"], "-m", "ipykernel_launcher", "-f", connection_file, *extra]


def _make_cgroups(settings: dict) -> list[Path]:
    """Child cgroups (v1) for this kernel's memory and processes; [] when unavailable."""
    made = []
    name = f"kernel-{os.getpid()}"
    parents = settings.get("cgroups") or {}
    try:
        if parents.get("memory"):
            group = Path(parents["memory"]) / name
            group.mkdir()
            made.append(group)
            limit = str(settings["memory"] + 512 * 2**20)  # room for the launcher and bwrap
            (group / "memory.limit_in_bytes").write_text(limit)
            if (group / "memory.memsw.limit_in_bytes").exists():
                try:
                    (group / "memory.memsw.limit_in_bytes").write_text(limit)
                except OSError:
                    pass
        if parents.get("pids"):
            group = Path(parents["pids"]) / name
            group.mkdir()
            made.append(group)
            (group / "pids.max").write_text(str(settings["processes"]))
    except OSError as error:
        print(f"[grading sandbox] cgroups not used: {error}", file=sys.stderr)
    return made


def _remove_cgroups(groups: list[Path]) -> None:
    for group in groups:
        for _ in range(20):
            try:
                group.rmdir()
                break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.1)


def _die_with_parent() -> None:
    """Get SIGTERM when nbgrader (our parent) dies, so no sandbox outlives a killed run."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: python -m course.grading.launcher SETTINGS.json CONNECTION_FILE [args]",
              file=sys.stderr)
        return 2
    settings = json.loads(Path(argv[0]).read_text())
    connection_file = os.path.abspath(argv[1])
    extra = [arg for arg in argv[2:] if arg.startswith("--") and "\n" not in arg]
    parent = os.getppid()
    _die_with_parent()
    if os.getppid() != parent:
        return 1
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # interrupts arrive as messages

    def stop(signum, frame):
        raise _Stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)

    fds: list[int] = []
    sandboxed = settings["mode"] == "sandbox"
    if sandboxed:
        command = sandbox_command(settings, os.getcwd(), connection_file, extra, fds)
        env = {}
    else:
        command = limits_command(settings, connection_file, extra)
        env = dict(os.environ, **{name: "1" for name in THREAD_VARIABLES})
    groups = _make_cgroups(settings)

    def limit() -> None:  # in the child, before exec
        for group in groups:
            (group / "cgroup.procs").write_text(str(os.getpid()))
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        resource.setrlimit(resource.RLIMIT_AS, (settings["memory"], settings["memory"]))
        resource.setrlimit(resource.RLIMIT_CPU, (settings["cpu"], settings["cpu"] + 5))
        resource.setrlimit(resource.RLIMIT_FSIZE, (settings["file_size"],) * 2)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        # Counts the grader user's processes (for root it would not apply). In a user
        # namespace it would count all the instructor's processes: set inside instead.
        if sandboxed and not settings.get("userns"):
            resource.setrlimit(resource.RLIMIT_NPROC, (settings["processes"],) * 2)

    process = None
    try:
        process = subprocess.Popen(command, pass_fds=fds, preexec_fn=limit, env=env)
        for fd in fds:
            os.close(fd)
        try:
            return process.wait(timeout=settings["wall"])
        except subprocess.TimeoutExpired:
            print(f"[grading sandbox] kernel killed after {settings['wall']} s (wall limit)",
                  file=sys.stderr)
            return 137
    except _Stop:
        return 143
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        _remove_cgroups(groups)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
