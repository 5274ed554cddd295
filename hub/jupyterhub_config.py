"""JupyterHub for one cohort of the course, on one machine (copied by hub/hubctl.py setup).

Learners and the instructor log in with their system accounts (PAM). Each gets a JupyterLab
server running as themselves in the hub's environment:
- learners: their home, nbgrader's Assignment List and Validate, no instructor panels;
- the instructor: `~/course` (the course folder) with nbgrader's formgrader, whose Autograde
  and Generate Feedback buttons run the course's sandboxed grading.
Both share nbgrader's exchange (one folder, one course id). Settings: `$COURSE_HUB_SETTINGS`.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # roles.py, copied beside this file
from roles import server_environment  # noqa: E402

c = get_config()  # noqa: F821  (provided by traitlets when JupyterHub loads this file)

hub = json.loads(Path(os.environ["COURSE_HUB_SETTINGS"]).read_text())
state = Path(hub["state"])
environment_bin = Path(hub["env"]) / "bin"

c.JupyterHub.bind_url = f"http://127.0.0.1:{hub['port']}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{hub['hub_port']}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{hub['api_port']}"
c.ConfigurableHTTPProxy.command = [hub["proxy"]]
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every server it started

c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {hub["learners_group"], hub["instructors_group"]}
c.PAMAuthenticator.open_sessions = False

c.Spawner.cmd = [str(environment_bin / "jupyterhub-singleuser")]
LEARNER_PROCESSES = 1024
c.Spawner.default_url = "/lab"
# 2 cores, many learners logging in at once: a server may take a while to come up.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300


def course_role(spawner) -> None:
    """Learner or instructor: what the server shows, where it opens, which exchange it uses."""
    folder, env = server_environment(hub, spawner.user.name)
    spawner.notebook_dir = str(folder)
    spawner.environment.update(env)
    if "COURSE_ROOT" in env:
        # The formgrader reads nbgrader_config.py from the server's working folder, which the
        # spawner sets to the home folder: start in the course folder, as `make formgrader`.
        spawner.cmd = ["/bin/sh", "-c", 'cd "$COURSE_ROOT" && exec "$0" "$@"',
                       str(environment_bin / "jupyterhub-singleuser")]
    else:
        # A learner's processes and threads, all servers and kernels together: a fork bomb in
        # a notebook stops there instead of taking the machine from everyone.
        spawner.cmd = ["prlimit", f"--nproc={LEARNER_PROCESSES}:{LEARNER_PROCESSES}", "--",
                       str(environment_bin / "jupyterhub-singleuser")]


c.Spawner.pre_spawn_hook = course_role
