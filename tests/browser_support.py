"""Helpers of the real-browser test: Debian's Chromium, a throw-away JupyterLab, artefacts."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course.paths import (
    COURSE_ROOT,
    LEARNER_JUPYTER_CONFIG,
    RELEASE,
    notebooks,
    tool_environment,
)

CHROMIUM = Path("/usr/bin/chromium")
INSTALL_SCRIPT = Path(__file__).with_name("install_browser.sh")
ARTIFACTS = COURSE_ROOT / "artifacts" / "browser"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# JupyterLab's news and update checks: off, so no toast covers the notebook.
NOTIFICATION_SETTINGS = {"fetchNews": "false", "checkForUpdates": False}


def chromium_or_reason() -> str | None:
    """Make sure /usr/bin/chromium exists (installing it if we may); else say why not."""
    if CHROMIUM.exists():
        return None
    if shutil.which("apt-get") is None:
        return f"{CHROMIUM} is missing and there is no apt-get to install it"
    try:
        done = subprocess.run(
            ["bash", str(INSTALL_SCRIPT)], capture_output=True, text=True, timeout=600
        )
    except subprocess.TimeoutExpired:
        return f"{INSTALL_SCRIPT.name} did not finish within 10 minutes"
    if CHROMIUM.exists():
        return None
    tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
    return (
        f"{CHROMIUM} is missing and {INSTALL_SCRIPT.name} could not install it "
        f"(exit {done.returncode}; run it as root): " + " | ".join(tail)
    )


def learner_notebook(tmp: Path) -> Path:
    """The first released notebook, or (while release/ is empty) a small generated one."""
    released = notebooks(RELEASE)
    return released[0] if released else generated_notebook(tmp)


def generated_notebook(tmp: Path) -> Path:
    """A title, `x = 1` and `print(x + 1)`: the stand-in while release/ has no notebook."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Browser check\n\nA generated notebook."),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("print(x + 1)"),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    path = tmp / "generated" / "part0_generated" / "00_browser_check.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def first_heading(nb: nbformat.NotebookNode) -> str | None:
    """The plain text of the first Markdown heading of the notebook, if it has one."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = re.match(r"\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", line)
            if match:
                text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", match.group(1))
                text = re.sub(r"<[^>]+>", "", text)
                return re.sub(r"[*_`]", "", text).strip() or None
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Lab:
    url: str
    token: str
    root: Path
    log: Path
    process: subprocess.Popen

    def page(self, relative: str) -> str:
        return f"{self.url}lab/tree/{relative}?reset&token={self.token}"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def _write_user_settings(config_dir: Path) -> None:
    settings = config_dir / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps(NOTIFICATION_SETTINGS))


def _wait_until_up(url: str, token: str, process: subprocess.Popen, log: Path, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"JupyterLab exited with {process.returncode}; see {log}:\n"
                + log.read_text(errors="replace")[-3000:]
            )
        try:
            with urllib.request.urlopen(f"{url}api/status?token={token}", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    raise TimeoutError(f"JupyterLab did not answer within {timeout:.0f} s; see {log}")


def _stop(process: subprocess.Popen) -> None:
    """Stop the server's process group, then any kernel it started in a session of its own."""
    try:
        import psutil

        children = psutil.Process(process.pid).children(recursive=True)
    except Exception:  # psutil missing or the server already gone
        children = []
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    for child in children:
        try:
            if child.is_running():
                child.kill()
        except Exception:
            pass


@contextmanager
def jupyterlab(
    workspace: Path, home: Path, log: Path, timeout: float = 60, extra_args: Sequence[str] = (),
    config_path: Path = LEARNER_JUPYTER_CONFIG,
) -> Iterator[Lab]:
    """JupyterLab serving `workspace` as `make lab` does (or, with the instructor's
    `config_path`, as `make formgrader` does), with throw-away user folders."""
    config_dir, data_dir, runtime_dir = (home / name for name in ("config", "data", "runtime"))
    for folder in (home, config_dir, data_dir, runtime_dir):
        folder.mkdir(parents=True, exist_ok=True)
    _write_user_settings(config_dir)
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(config_dir),
        JUPYTER_DATA_DIR=str(data_dir),
        JUPYTER_RUNTIME_DIR=str(runtime_dir),
        JUPYTER_CONFIG_PATH=str(config_path),  # as `make lab` (or `make formgrader`) sets it
        IPYTHONDIR=str(home / ".ipython"),
        PATH=tool_environment()["PATH"],
        PYTHONUNBUFFERED="1",
    )
    token = secrets.token_hex(24)
    log.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):  # a free port can be taken before the server binds it
        port = free_port()
        command = [
            sys.executable, "-m", "jupyter", "lab",
            "--no-browser", "--allow-root", "--ip", "127.0.0.1", "--port", str(port),
            "--ServerApp.port_retries=0", "--ServerApp.root_dir=.",
            f"--IdentityProvider.token={token}", *extra_args,
        ]  # fmt: skip
        with log.open("w") as log_file:
            process = subprocess.Popen(
                command, cwd=workspace, env=env, stdin=subprocess.DEVNULL,
                stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        url = f"http://127.0.0.1:{port}/"
        try:
            _wait_until_up(url, token, process, log, timeout)
            break
        except RuntimeError:
            _stop(process)
            if attempt == 2 or "already in use" not in log.read_text(errors="replace"):
                raise
        except BaseException:
            _stop(process)
            raise
    try:
        yield Lab(url=url, token=token, root=workspace, log=log, process=process)
    finally:
        _stop(process)
