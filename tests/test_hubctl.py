"""The hub's set-up commands refuse what they must not do, before they do anything.

(The whole hub, set up for real, is tests/test_hub.py: `make test-hub`, as root.)
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from course.paths import COURSE_ROOT

sys.path.insert(0, str(COURSE_ROOT / "hub"))
import hubctl  # noqa: E402
import roles  # noqa: E402


@pytest.fixture
def ran(monkeypatch):
    """The system commands the hub's set-up would run, recorded instead."""
    commands = []
    monkeypatch.setattr(hubctl, "_run", lambda *command, **kwargs: commands.append(command))
    monkeypatch.setattr(hubctl, "_require_root", lambda: None)
    return commands


@pytest.fixture
def hub(tmp_path, ran):
    return hubctl.Hub(home=tmp_path / "hub", name="t", port=8100, instructor="teacher")


@pytest.mark.parametrize("names", [["ana", "Bad Name"], ["ana", "root"], ["ana", ""],
                                   ["ana", "x" * 40]])
def test_bad_account_names_stop_before_any_account_is_made(hub, ran, names):
    with pytest.raises(hubctl.HubError, match="account|system account"):
        hubctl.add_users(hub, names)
    assert not [c for c in ran if c[0] in ("useradd", "chpasswd", "usermod")]


def test_no_accounts_is_a_clear_error(hub):
    with pytest.raises(hubctl.HubError, match="USERS="):
        hubctl.add_users(hub, [])


def test_only_the_hubs_own_accounts_are_removed(hub, ran, monkeypatch):
    """`nobody` stands for a learner of the hub, `daemon` for any other account."""
    monkeypatch.setattr(roles, "members",
                        lambda group: {"nobody"} if group == "t-learners" else set())
    monkeypatch.setattr(hubctl, "FIRST_HUMAN_UID", 0)
    with pytest.raises(hubctl.HubError, match="not an account of this hub"):
        hubctl.remove_users(hub, ["nobody", "daemon"])
    assert not [c for c in ran if c[0] == "userdel"], "nothing is removed when one is refused"


def test_the_hubs_folder_must_be_outside_the_repository(hub):
    inside = hubctl.Hub(home=COURSE_ROOT / "hubhome", name="t", port=8100)
    with pytest.raises(hubctl.HubError, match="outside the course repository"):
        hubctl.setup(inside)
    assert not (COURSE_ROOT / "hubhome").exists()


@pytest.mark.parametrize("port", ["0", "70000"])
def test_a_bad_port_is_a_clear_error(port, capsys, monkeypatch):
    monkeypatch.setattr(hubctl, "_require_root", lambda: None)
    assert hubctl.main(["--home", "/tmp/nohub", "setup", "--port", port]) == 2
    assert "--port" in capsys.readouterr().err


def test_settings_say_where_everything_is(hub):
    settings = hub.settings()
    assert settings["hub_port"] == 8101 and settings["api_port"] == 8102
    assert settings["exchange"] == str(hub.home / "exchange")
    assert settings["learners_group"] == "t-learners"
    assert settings["instructors_group"] == "t-instructors"


def test_each_role_gets_its_folder_exchange_and_panels(hub, monkeypatch):
    settings = hub.settings()
    groups = {"t-instructors": {"daemon"}, "t-learners": {"nobody"}}
    monkeypatch.setattr(roles, "members", lambda group: groups.get(group, set()))
    folder, env = roles.server_environment(settings, "daemon")
    assert folder == Path(roles.pwd.getpwnam("daemon").pw_dir) / "course"
    assert env["COURSE_ROOT"] == str(folder)
    assert env["JUPYTER_CONFIG_PATH"].split(":")[0] == str(folder / "config" / "instructor")
    folder, env = roles.server_environment(settings, "nobody")
    assert folder == Path(roles.pwd.getpwnam("nobody").pw_dir)
    assert "COURSE_ROOT" not in env
    assert env["JUPYTER_CONFIG_PATH"] == str(hub.home / "config" / "learner")
    for environment in (env,):
        assert environment["COURSE_EXCHANGE"] == str(hub.home / "exchange")
        assert environment["PATH"].startswith(str(hub.home / "env" / "bin"))
    with pytest.raises(ValueError, match="neither a learner nor an instructor"):
        roles.server_environment(settings, "root")


def test_the_learners_panels_keep_the_assignment_list_and_drop_the_instructors():
    import json

    lab = json.loads((COURSE_ROOT / "hub/learner/labconfig/page_config.json").read_text())
    server = json.loads((COURSE_ROOT / "hub/learner/jupyter_server_config.json").read_text())
    disabled = {name for name, off in lab["disabledExtensions"].items() if off}
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"} <= disabled
    assert "@jupyter/nbgrader:assignment-list" not in disabled
    extensions = server["ServerApp"]["jpserver_extensions"]
    assert extensions["nbgrader.server_extensions.assignment_list"] is True
    assert extensions["nbgrader.server_extensions.formgrader"] is False
