"""A throw-away hub for the tests and the load benchmark: set up in a temporary folder, with
its own accounts and ports, started, and removed with everything it made (accounts, homes,
groups, processes, folder) when the `with` block ends."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hubctl  # noqa: E402


@dataclass
class RunningHub:
    hub: hubctl.Hub
    passwords: dict[str, str]
    log: Path
    process: subprocess.Popen
    learners: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.hub.url

    def add_learners(self, names: list[str]) -> None:
        made = hubctl.add_users(self.hub, names, passwords={n: _password() for n in names})
        self.passwords.update({name: pw for name, pw in made.items() if pw})
        self.learners += names

    def as_instructor(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        return hubctl.run_as(self.hub, self.hub.instructor, *command, check=check)

    def as_user(self, user: str, *command: str) -> subprocess.CompletedProcess:
        """`command` as `user` in their terminal's folder and environment; not checked."""
        return hubctl.run_as(self.hub, user, *command, check=False)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def _password() -> str:
    return secrets.token_urlsafe(12)


def _free_ports(count: int = 3) -> int:
    """A port p with p .. p+count-1 free on 127.0.0.1."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if first + count > 65000:
            continue
        try:
            sockets = []
            for port in range(first, first + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no three free ports in a row on 127.0.0.1")


def _wait_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the hub exited with {process.returncode}:\n"
                               + log.read_text(errors="replace")[-3000:])
        try:
            with urllib.request.urlopen(f"{url}hub/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"the hub did not answer within {timeout:.0f} s; see {log}")


def _stop(process: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _remove_everything(hub: hubctl.Hub, users: list[str]) -> None:
    try:
        hubctl.remove_users(hub, [u for u in users if hubctl._account(u)])
    finally:
        for group in (hub.learners_group, hub.instructors_group):
            subprocess.run(["groupdel", group], capture_output=True, check=False)
        # The proxy and any server a killed hub left behind run from the hub's folder.
        subprocess.run(["pkill", "-KILL", "-f", str(hub.home)], capture_output=True, check=False)
        subprocess.run(["rm", "-rf", str(hub.home)], check=False)


@contextmanager
def throwaway_hub(log: Path, prefix: str = "mlcx") -> Iterator[RunningHub]:
    """A running hub with an instructor (`<prefix><hex>-teach`), removed afterwards."""
    name = f"{prefix}{secrets.token_hex(3)}"
    home = Path(tempfile.mkdtemp(prefix=f"course-hub-{name}-"))
    home.chmod(0o755)
    hub = hubctl.Hub(home=home, name=name, port=_free_ports(), instructor=f"{name}-teach")
    running = None
    process = None
    try:
        instructor_password = _password()
        hubctl.setup(hub, passwords={hub.instructor: instructor_password})
        command, env = hubctl.hub_command(hub)
        log.parent.mkdir(parents=True, exist_ok=True)
        log.touch(mode=0o600)
        log.chmod(0o600)  # the hub's log names every account: root's only
        with log.open("w") as out:
            process = subprocess.Popen(command, cwd=hub.state, env=env, stdout=out,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True)
        _wait_up(hub.url, process, log)
        running = RunningHub(hub, {hub.instructor: instructor_password}, log, process)
        yield running
    finally:
        if process is not None:
            _stop(process)
        users = [hub.instructor, *(running.learners if running else [])]
        _remove_everything(hub, users)
