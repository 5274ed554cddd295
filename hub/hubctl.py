"""The course's JupyterHub on one machine: set it up, add accounts, start it (as root).

    python hub/hubctl.py setup [--home H] [--port P] [--instructor NAME]   (make hub)
    python hub/hubctl.py start [--home H]                                   (make hub)
    python hub/hubctl.py users NAME... [--instructor] [--home H]            (make hub-users)
    python hub/hubctl.py remove-users NAME... [--home H]                    (make hub-remove-users)

The hub's folder (`--home`, default /srv/ml-for-cx-hub) holds everything but the accounts:
`env/` (the Python environment every server runs in, built from /usr/bin/python3.11 so that
every user may run it, with `course` installed as a package: no source/), `config/` (what
learners and the instructor see), `exchange/` (nbgrader's exchange, shared by all), `proxy/`
(configurable-http-proxy from the npm registry) and `state/` (the hub's database and secret,
root's only). Accounts are system users in two groups, `<name>-learners` and
`<name>-instructors`; their homes are private (700). The instructor's course folder is
`~<instructor>/course`: a copy of this repository, whose `.venv` is the hub's environment.
"""

from __future__ import annotations

import argparse
import grp
import hashlib
import json
import os
import pwd
import re
import secrets
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # roles.py, beside this file
import roles  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
HUB_FILES = REPO / "hub"
HUB_PYTHON = Path("/usr/bin/python3.11")  # not a pyenv in root's home: other users cannot run it
DEFAULT_HOME = Path("/srv/ml-for-cx-hub")
ACCOUNT = re.compile(r"^[a-z_][a-z0-9_-]{0,30}$")  # Debian's useradd accepts these
SETTINGS = "hub.json"
FIRST_HUMAN_UID = 1000
# What the instructor's copy of the course leaves out: tools' folders and grading state.
NOT_COPIED = {".git", ".venv", "workspace", "submitted", "autograded", "feedback", "artifacts",
              ".exchange", "gradebook.db", "grades.csv", ".pytest_cache", ".ruff_cache", "dist"}


class HubError(Exception):
    """A set-up step that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Hub:
    """Where a hub lives and how it is reached; written to `<home>/hub.json` by `setup`."""

    home: Path
    name: str = "ml-for-cx"
    port: int = 8000  # the hub's address; the hub's API and the proxy's API take the next two
    instructor: str = "instructor"

    @property
    def hub_port(self) -> int:
        return self.port + 1

    @property
    def api_port(self) -> int:
        return self.port + 2

    @property
    def env(self) -> Path:
        return self.home / "env"

    @property
    def exchange(self) -> Path:
        return self.home / "exchange"

    @property
    def config(self) -> Path:
        return self.home / "config"

    @property
    def state(self) -> Path:
        return self.home / "state"

    @property
    def proxy(self) -> Path:
        return self.home / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"

    @property
    def learners_group(self) -> str:
        return f"{self.name}-learners"

    @property
    def instructors_group(self) -> str:
        return f"{self.name}-instructors"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def course_folder(self, user: str) -> Path:
        return Path(pwd.getpwnam(user).pw_dir) / "course"

    def settings(self) -> dict:
        data = {key: str(value) if isinstance(value, Path) else value
                for key, value in asdict(self).items()}
        data.update(env=str(self.env), exchange=str(self.exchange), config=str(self.config),
                    state=str(self.state), proxy=str(self.proxy), hub_port=self.hub_port,
                    api_port=self.api_port,
                    learners_group=self.learners_group,
                    instructors_group=self.instructors_group)
        return data

    def save(self) -> None:
        (self.home / SETTINGS).write_text(json.dumps(self.settings(), indent=1) + "\n")

    @classmethod
    def load(cls, home: Path) -> Hub:
        path = home / SETTINGS
        if not path.is_file():
            raise HubError(f"no hub in {home}: run `make hub` (or hubctl.py setup) first")
        data = json.loads(path.read_text())
        return cls(home=home, name=data["name"], port=data["port"],
                   instructor=data["instructor"])


def _run(*command: str, timeout: float = 1800, **kwargs) -> subprocess.CompletedProcess:
    env = kwargs.pop("env", None) or dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env,
                          **kwargs)
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip()[-1500:]
        raise HubError(f"`{' '.join(command[:4])} ...` failed (exit {done.returncode}):\n{tail}")
    return done


def _say(message: str) -> None:
    print(f"hub: {message}", flush=True)


def _require_root() -> None:
    if os.geteuid() != 0:
        raise HubError("run this as root: the hub starts every user's server as that user")


# ------------------------------------------------------------------------------- set-up


def _digest(*paths: Path) -> str:
    """A hash of files' contents (folders: every file below them, .pyc aside)."""
    digest = hashlib.sha256()
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix == ".pyc":
                continue
            digest.update(str(file.relative_to(REPO)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def build_environment(hub: Hub) -> None:
    """The hub's Python environment: requirements.txt, then `course` as a package (no source/)."""
    if not HUB_PYTHON.is_file():
        raise HubError(f"{HUB_PYTHON} is missing: `apt-get install python3.11 python3.11-venv`")
    stamp = hub.env / ".requirements.sha256"
    wanted = _digest(REPO / "requirements.txt")
    pip = [str(hub.env / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
    if not (hub.env / "bin" / "python").exists():
        _say(f"building {hub.env} from {HUB_PYTHON} (a minute or two)")
        _run(str(HUB_PYTHON), "-m", "venv", str(hub.env))
    if not stamp.is_file() or stamp.read_text() != wanted:
        _say("installing requirements.txt into the hub's environment")
        _run(*pip, "install", "--quiet", "-r", str(REPO / "requirements.txt"))
        stamp.write_text(wanted)
    course_stamp = hub.env / ".course.sha256"
    course_digest = _digest(REPO / "course", REPO / "pyproject.toml")
    if not course_stamp.is_file() or course_stamp.read_text() != course_digest:
        _say("installing the course package (world, checks, hints) into the hub's environment")
        build = hub.home / "build"
        shutil.rmtree(build, ignore_errors=True)
        build.mkdir()
        shutil.copy2(REPO / "pyproject.toml", build)
        shutil.copytree(REPO / "course", build / "course",
                        ignore=shutil.ignore_patterns("__pycache__"))
        _run(*pip, "install", "--quiet", "--no-deps", "--force-reinstall", str(build))
        shutil.rmtree(build, ignore_errors=True)
        course_stamp.write_text(course_digest)
    # JupyterLab's defaults for everyone on the hub: no pop-up asking about Jupyter's news.
    settings = hub.env / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    shutil.copy2(HUB_FILES / "overrides.json", settings / "overrides.json")
    (hub.env / ".installed").touch()  # the instructor's `make` finds its environment ready


def install_proxy(hub: Hub) -> None:
    """configurable-http-proxy, pinned by hub/proxy/package-lock.json, from the npm registry."""
    folder = hub.home / "proxy"
    folder.mkdir(exist_ok=True)
    lock = HUB_FILES / "proxy" / "package-lock.json"
    if hub.proxy.exists() and (folder / "package-lock.json").read_bytes() == lock.read_bytes():
        return
    if not shutil.which("npm"):
        raise HubError("npm is missing (the proxy comes from the npm registry): "
                       "`apt-get install nodejs npm`")
    _say("installing configurable-http-proxy from the npm registry")
    shutil.copy2(HUB_FILES / "proxy" / "package.json", folder)
    shutil.copy2(lock, folder)
    _run("npm", "ci", "--no-audit", "--no-fund", "--prefix", str(folder), timeout=600)


def install_bubblewrap() -> None:
    """bwrap, for the instructor's sandboxed grading (a user namespace, no root needed)."""
    from course.grading.provision import _install_bubblewrap

    if shutil.which("bwrap"):
        return
    _say("installing bubblewrap (the grading sandbox)")
    problem = _install_bubblewrap()
    if problem:
        raise HubError(problem)


def course_config():
    """The course's nbgrader configuration (its course id and time limit are the hub's)."""
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()


def prepare_exchange(hub: Hub) -> None:
    """The shared exchange, with the course's folder in it already the instructor's: a learner
    who made it first would decide what the others fetch."""
    hub.exchange.mkdir(exist_ok=True)
    hub.exchange.chmod(0o1777)  # nbgrader wants 777; the sticky bit keeps folders their owner's
    folder = hub.exchange / course_config().CourseDirectory.course_id
    account = pwd.getpwnam(hub.instructor)
    if not folder.exists() and not folder.is_symlink():
        folder.mkdir()
        os.chown(folder, account.pw_uid, account.pw_gid)
        folder.chmod(0o755)
    elif folder.is_symlink() or folder.lstat().st_uid != account.pw_uid:
        raise HubError(f"{folder} is not the instructor's ({hub.instructor}): someone else made "
                       "it; look inside, remove it, and run make hub again")


def write_config(hub: Hub) -> None:
    """What the servers read: the learners' and the instructor's Jupyter configuration."""
    from course.edition import learner_nbgrader_config

    target = hub.config
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(HUB_FILES / "learner", target / "learner")
    shutil.copytree(HUB_FILES / "instructor", target / "instructor")
    for name in ("jupyterhub_config.py", "roles.py"):
        shutil.copy2(HUB_FILES / name, target / name)
    (target / "learner" / "nbgrader_config.py").write_text(
        learner_nbgrader_config(REPO / "nbgrader_config.py", exchange=hub.exchange))
    for path in [target, *target.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def _ensure_group(name: str) -> None:
    try:
        grp.getgrnam(name)
    except KeyError:
        _run("groupadd", name)


def _account(name: str) -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def _check_name(name: str) -> None:
    if not ACCOUNT.match(name or ""):
        raise HubError(f"account {name!r}: use lower-case letters, digits, '_' or '-' "
                       "(at most 31, starting with a letter)")


def add_users(hub: Hub, names: list[str], instructor: bool = False,
              passwords: dict[str, str] | None = None) -> dict[str, str | None]:
    """Create learner (or instructor) accounts with private homes; {name: new password or
    None for an account that already existed, whose password is left alone}."""
    _require_root()
    if not names:
        raise HubError('give the accounts, e.g. make hub-users USERS="ana ben"')
    for name in names:
        _check_name(name)
        found = _account(name)
        if found and found.pw_uid < FIRST_HUMAN_UID:
            raise HubError(f"{name!r} is a system account: choose another name")
    group = hub.instructors_group if instructor else hub.learners_group
    other = hub.learners_group if instructor else hub.instructors_group
    for needed in (hub.learners_group, hub.instructors_group):
        _ensure_group(needed)
    made: dict[str, str | None] = {}
    for name in names:
        if name in roles.members(other):
            raise HubError(f"{name!r} is already in {other}: one account, one role")
        if _account(name) is None:
            _run("useradd", "--create-home", "--shell", "/bin/bash", "--groups", group, name)
            password = (passwords or {}).get(name) or secrets.token_urlsafe(9)
            _run("chpasswd", input=f"{name}:{password}\n")
            made[name] = password
        else:
            _run("usermod", "--append", "--groups", group, name)
            made[name] = None
        home = Path(pwd.getpwnam(name).pw_dir)
        home.chmod(0o700)  # Debian's useradd makes homes 755: learners would read each other
        if not instructor and made[name]:
            _give_docs(hub, name, home)
    return made


LEARNER_DOCS = ("data.md", "glossary.md")  # the notebooks send learners to docs/data.md


def _give_docs(hub: Hub, name: str, home: Path) -> None:
    """The shop's tables and the glossary, in the learner's own `docs/` folder."""
    account = pwd.getpwnam(name)
    target = home / "docs"
    target.mkdir(exist_ok=True)
    os.chown(target, account.pw_uid, account.pw_gid)
    for doc in LEARNER_DOCS:
        shutil.copy2(REPO / "docs" / doc, target / doc)
        os.chown(target / doc, account.pw_uid, account.pw_gid)


def remove_users(hub: Hub, names: list[str]) -> list[str]:
    """Delete accounts of this hub (their homes and processes too); other accounts are refused."""
    _require_root()
    members = roles.members(hub.learners_group) | roles.members(hub.instructors_group)
    existing = [name for name in names if _account(name) is not None]
    for name in existing:  # all checked before any is removed
        if name not in members or _account(name).pw_uid < FIRST_HUMAN_UID:
            raise HubError(f"{name!r} is not an account of this hub: nothing removed")
    for name in existing:
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True, check=False)
        # userdel removes the home; what the account left in the shared temporary folders
        # would belong to the next account given its uid.
        subprocess.run(["find", "/tmp", "/var/tmp", "/dev/shm", "-xdev", "-user", name,
                        "-delete"], capture_output=True, check=False)
        _run("userdel", "--remove", name)
    return existing


def _copy_course(target: Path) -> None:
    """The repository's files (as checked out, local changes included) into `target`."""
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "--cached", "--others",
                             "--exclude-standard", "-z"], capture_output=True, check=False)
    if listed.returncode == 0:
        files = [REPO / name for name in listed.stdout.decode().split("\0") if name]
    else:  # not a git checkout: every file but the tools' folders
        files = [p for p in REPO.rglob("*") if p.is_file()]
    for path in files:
        relative = path.relative_to(REPO)
        if relative.parts[0] in NOT_COPIED or "__pycache__" in relative.parts:
            continue
        if not path.is_file():
            continue  # deleted in the working tree
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / relative)


def instructor_course(hub: Hub) -> Path:
    """`~<instructor>/course`: the course for the instructor, made once and then left alone."""
    folder = hub.course_folder(hub.instructor)
    if folder.exists():
        _say(f"{folder} exists: left as it is (the instructor's gradebook and work)")
        return folder
    _say(f"copying the course into {folder}")
    folder.mkdir()
    _copy_course(folder)
    (folder / ".venv").symlink_to(hub.env)
    account = pwd.getpwnam(hub.instructor)
    for path in [folder, *folder.rglob("*")]:
        os.lchown(path, account.pw_uid, account.pw_gid)
    return folder


def protect_answers() -> None:
    """This checkout holds every solution and hidden test (source/): learners with accounts on
    this machine must not be able to read it."""
    mode = REPO.stat().st_mode
    if mode & 0o077:
        REPO.chmod(mode & ~0o077)
        _say(f"{REPO} holds the answers (source/): made it private to its owner, so that "
             "learners on this machine cannot read it")


def setup(hub: Hub, passwords: dict[str, str] | None = None) -> dict[str, str | None]:
    """Everything the hub needs, idempotent; returns the passwords of accounts it created."""
    _require_root()
    if hub.home == Path("/") or not hub.home.is_absolute():
        raise HubError(f"--home: give an absolute folder for the hub, not {hub.home}")
    if hub.home == REPO or REPO in hub.home.parents:
        raise HubError("--home: the hub's folder must be outside the course repository")
    _check_name(hub.instructor)
    protect_answers()
    hub.home.mkdir(parents=True, exist_ok=True)
    hub.home.chmod(0o755)
    hub.state.mkdir(exist_ok=True)
    hub.state.chmod(0o700)
    install_bubblewrap()
    build_environment(hub)
    install_proxy(hub)
    write_config(hub)
    hub.save()
    made = add_users(hub, [hub.instructor], instructor=True, passwords=passwords)
    prepare_exchange(hub)
    instructor_course(hub)
    return made


def run_as(hub: Hub, user: str, *command: str, timeout: float = 3600,
           check: bool = True) -> subprocess.CompletedProcess:
    """`command` as `user`, in the folder and environment their server has (their terminal)."""
    folder, env = roles.server_environment(hub.settings(), user)
    account = pwd.getpwnam(user)
    env.update(HOME=account.pw_dir, USER=user, LOGNAME=user, SHELL="/bin/bash")
    done = subprocess.run(["runuser", "-u", user, "--", "env", "-i",
                           *(f"{key}={value}" for key, value in env.items()), *command],
                          cwd=folder, capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise HubError(f"{user}: `{' '.join(command)}` failed (exit {done.returncode}):\n"
                       + (done.stdout + done.stderr)[-3000:])
    return done


# ------------------------------------------------------------------------------- start


def hub_command(hub: Hub) -> tuple[list[str], dict[str, str]]:
    """The command line and environment that run the hub (as root, in its state folder)."""
    system = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    env = dict(os.environ, COURSE_HUB_SETTINGS=str(hub.home / SETTINGS),
               PATH=f"{hub.env / 'bin'}:{system}")
    command = [str(hub.env / "bin" / "jupyterhub"), "-f",
               str(hub.config / "jupyterhub_config.py")]
    return command, env


def start(hub: Hub) -> None:
    """Run the hub in the foreground (Ctrl+C stops it and every server it started)."""
    _require_root()
    command, env = hub_command(hub)
    _say(f"JupyterHub for {hub.name} at {hub.url} (instructor: {hub.instructor}); Ctrl+C stops it")
    os.chdir(hub.state)
    os.execve(command[0], command, env)


# --------------------------------------------------------------------------------- main


def _print_passwords(made: dict[str, str | None]) -> None:
    for name, password in made.items():
        if password:
            print(f"  {name}  password: {password}")
        else:
            print(f"  {name}  (existed: password unchanged; `passwd {name}` sets a new one)")
    if any(made.values()):
        print("Give each person their password; it is not stored anywhere.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hubctl.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, default=DEFAULT_HOME,
                        help=f"the hub's folder (default {DEFAULT_HOME})")
    sub = parser.add_subparsers(dest="command", required=True)
    set_up = sub.add_parser("setup", help="install and configure the hub (idempotent)")
    set_up.add_argument("--port", type=int, default=8000, help="the hub's address port")
    set_up.add_argument("--instructor", default="instructor", help="the instructor's account")
    set_up.add_argument("--name", default="ml-for-cx", help="prefix of the hub's two groups")
    sub.add_parser("start", help="run the hub in the foreground")
    users = sub.add_parser("users", help="create learner accounts (private homes)")
    users.add_argument("names", nargs="*")
    users.add_argument("--instructor", action="store_true", help="instructor accounts instead")
    remove = sub.add_parser("remove-users", help="delete accounts of this hub and their homes")
    remove.add_argument("names", nargs="*")
    args = parser.parse_args(argv)
    home = args.home.resolve()
    try:
        if args.command == "setup":
            if not 1 <= args.port <= 65000:
                raise HubError(f"--port: give a port between 1 and 65000, not {args.port}")
            hub = Hub(home=home, name=args.name, port=args.port, instructor=args.instructor)
            made = setup(hub)
            _print_passwords(made)
            _say(f"ready: {hub.url}; learners: make hub-users USERS=\"ana ben\"")
        elif args.command == "start":
            start(Hub.load(home))
        elif args.command == "users":
            _print_passwords(add_users(Hub.load(home), args.names, args.instructor))
        else:
            removed = remove_users(Hub.load(home), args.names)
            _say("removed: " + (", ".join(removed) or "nobody"))
    except HubError as error:
        print(f"hub: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
