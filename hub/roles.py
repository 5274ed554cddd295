"""Who is who on the course's hub, and the environment each one's server (or command) gets.

Used by jupyterhub_config.py for every server it starts, and by hubctl.py to run an
instructor's command exactly as the instructor's terminal in JupyterLab would.
"""

from __future__ import annotations

import grp
import os
import pwd
from pathlib import Path

LEARNER, INSTRUCTOR = "learner", "instructor"


def members(group: str) -> set[str]:
    try:
        return set(grp.getgrnam(group).gr_mem)
    except KeyError:
        return set()


def role(settings: dict, user: str) -> str:
    """`instructor` or `learner`; a ValueError for an account of neither group."""
    if user in members(settings["instructors_group"]):
        return INSTRUCTOR
    if user in members(settings["learners_group"]):
        return LEARNER
    raise ValueError(f"{user} is neither a learner nor an instructor of this course")


def server_environment(settings: dict, user: str) -> tuple[Path, dict[str, str]]:
    """(the folder the server opens, its environment variables) for `user`."""
    account = pwd.getpwnam(user)
    home = Path(account.pw_dir)
    env = {
        "PATH": f"{Path(settings['env']) / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "COURSE_EXCHANGE": settings["exchange"],
    }
    config = Path(settings["config"])
    if role(settings, user) == INSTRUCTOR:
        course = home / "course"
        env["COURSE_ROOT"] = str(course)  # `course` is installed in the hub's environment
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
            [str(course / "config" / "instructor"), str(config / "instructor")])
        return course, env
    env["JUPYTER_CONFIG_PATH"] = str(config / "learner")
    return home, env
