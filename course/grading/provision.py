"""Set up what the grading sandbox needs, automatically, or say clearly why it cannot.

The sandbox needs, on Linux, `bwrap` (Debian package `bubblewrap`) and one of two ways to run
the learners' code as nobody in particular:
- as root: an unprivileged system user `grader`. Missing pieces are installed here
  (`apt-get install bubblewrap`, `useradd --system grader`), so a fresh machine grades in the
  sandbox without a manual step;
- as any other user (an instructor on the course's JupyterHub): a user namespace of its own,
  in which the kernel is `nobody` with no capabilities. This needs an installed `bwrap` and a
  kernel that lets unprivileged users create user namespaces.
When neither works (no bwrap, no apt-get, a container that forbids namespaces),
`sandbox_status()` says why and grading falls back to resource limits only.

`python -m course.grading.provision` sets everything up and prints the outcome.
"""

from __future__ import annotations

import fcntl
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GRADER_USER = "grader"
NOBODY = 65534  # the kernel's uid and gid inside a user namespace (unprivileged grading)
_LOCK = Path(tempfile.gettempdir()) / "course-grading-provision.lock"


@dataclass(frozen=True)
class SandboxStatus:
    """Whether kernels can run in the bubblewrap sandbox, and as whom."""

    available: bool
    reason: str = ""
    bwrap: str = ""
    uid: int = -1
    gid: int = -1
    userns: bool = False  # unprivileged: the kernel is `nobody` in a user namespace of its own


def _run(*command: str, timeout: float = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)


def _install_bubblewrap() -> str:
    """apt-get install bubblewrap (updating the package lists once if needed); '' on success."""
    if not shutil.which("apt-get"):
        return "bwrap is missing and there is no apt-get to install it (install bubblewrap)"
    install = ("apt-get", "install", "-y", "--no-install-recommends", "bubblewrap")
    result = _run(*install)
    if result.returncode != 0:
        _run("apt-get", "update")
        result = _run(*install)
    if result.returncode != 0 or not shutil.which("bwrap"):
        return "apt-get install bubblewrap failed: " + result.stderr.strip()[-300:]
    return ""


def _ensure_user() -> str:
    try:
        pwd.getpwnam(GRADER_USER)
        return ""
    except KeyError:
        pass
    if not shutil.which("useradd"):
        return f"no user {GRADER_USER!r} and no useradd to create it"
    result = _run(
        "useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", GRADER_USER
    )
    if result.returncode != 0 and "already exists" not in result.stderr:
        return f"useradd {GRADER_USER} failed: " + result.stderr.strip()[-300:]
    return ""


def identity_args(userns: bool) -> list[str]:
    """bwrap options that decide who the kernel is: a user namespace, or root's capabilities
    to switch to the grader user (with `setpriv`) and nothing else."""
    if userns:
        return ["--unshare-user", "--uid", str(NOBODY), "--gid", str(NOBODY),
                "--disable-userns", "--cap-drop", "ALL"]
    return ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
            "--cap-add", "CAP_SETPCAP"]


def as_kernel_user(userns: bool, uid: int, gid: int, processes: int = 64) -> list[str]:
    """What runs inside bwrap before the kernel's own command: in a user namespace, a limit on
    its processes (counted in that namespace only); as root, the switch to the grader user."""
    if userns:
        return ["prlimit", f"--nproc={processes}:{processes}", "--"]
    return ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--inh-caps=-all",
            "--bounding-set=-all", "--no-new-privs", "--"]


def _probe(bwrap: str, uid: int, gid: int, userns: bool = False) -> str:
    """Start a trivial sandbox with the options the kernel launcher uses; '' if it works."""
    command = [
        bwrap, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
        "--unshare-cgroup-try", "--die-with-parent", *identity_args(userns),
        "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
        "--perms", "1777", "--size", str(2**20), "--tmpfs", "/tmp",  # bubblewrap >= 0.7
    ]
    for name in ("bin", "lib", "lib64", "sbin"):
        path = Path("/") / name
        if path.is_symlink():
            command += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            command += ["--ro-bind", str(path), str(path)]
    command += ["--", *as_kernel_user(userns, uid, gid), "id", "-u"]
    try:
        result = _run(*command, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bwrap could not start: {error}"
    if result.returncode != 0 or result.stdout.strip() != str(uid):
        return f"bwrap does not work here: {result.stderr.strip()[-300:]}"
    return ""


def _unprivileged() -> SandboxStatus:
    """The sandbox of a user who is not root: bwrap in a user namespace, if the machine allows."""
    bwrap = shutil.which("bwrap") or ""
    if not bwrap:
        return SandboxStatus(False, "not running as root and bwrap is not installed: as root, "
                             "`apt-get install bubblewrap` (make hub does), or grade as root")
    problem = _probe(bwrap, NOBODY, NOBODY, userns=True)
    if problem:
        return SandboxStatus(False, "not running as root, and unprivileged user namespaces do "
                             f"not work here ({problem}): grade as root")
    return SandboxStatus(True, "", bwrap, NOBODY, NOBODY, userns=True)


def provision(install: bool = True) -> SandboxStatus:
    """Install what is missing (as root), then check that a sandbox really starts."""
    if not sys.platform.startswith("linux"):
        return SandboxStatus(False, "the sandbox needs Linux (bubblewrap)")
    if os.geteuid() != 0:
        return _unprivileged()
    if not shutil.which("setpriv"):
        return SandboxStatus(False, "setpriv (util-linux) is missing")
    _LOCK.touch(exist_ok=True)
    with open(_LOCK) as lock:  # parallel test workers must not run apt-get at the same time
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not shutil.which("bwrap"):
            problem = _install_bubblewrap() if install else "bwrap is not installed"
            if problem:
                return SandboxStatus(False, problem)
        problem = _ensure_user()
        if problem:
            return SandboxStatus(False, problem)
    user = pwd.getpwnam(GRADER_USER)
    bwrap = shutil.which("bwrap") or ""
    problem = _probe(bwrap, user.pw_uid, user.pw_gid)
    if problem:
        return SandboxStatus(False, problem)
    return SandboxStatus(True, "", bwrap, user.pw_uid, user.pw_gid)


@lru_cache(maxsize=1)
def sandbox_status() -> SandboxStatus:
    """`provision()` once per process."""
    return provision()


if __name__ == "__main__":
    status = sandbox_status()
    if status.available:
        who = ("nobody in a user namespace" if status.userns
               else f"user {GRADER_USER} ({status.uid})")
        print(f"grading sandbox ready: {status.bwrap}, {who}")
    else:
        print(f"grading sandbox NOT available: {status.reason}", file=sys.stderr)
    sys.exit(0 if status.available else 1)
