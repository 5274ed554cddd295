"""The grading machinery's parts, without running a kernel: limits, the sandbox's command
line, tampering checks, and the feedback step that hides the hidden tests."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from course.grading import provision
from course.grading.cohort import SourceCell, tampering
from course.grading.feedback import WITHHELD, HideHiddenTests, hidden_regions
from course.grading.launcher import sandbox_command, socket_folder
from course.grading.limits import Limits, format_size, parse_size

TEST = """ex.check(site=site)
### BEGIN HIDDEN TESTS
_other = make_shop(seed=SEED + 1)
assert answer(_other.orders) == _other.orders.nunique(), "wrong on another shop"
### END HIDDEN TESTS"""


@pytest.mark.parametrize("text, size", [("4G", 4 * 2**30), ("512M", 512 * 2**20),
                                        ("1024", 1024), ("1.5g", 3 * 2**29), ("2GiB", 2**31)])
def test_sizes_are_parsed(text, size):
    assert parse_size(text) == size
    assert parse_size(format_size(size)) == size


@pytest.mark.parametrize("bad", ["", "lots", "-1G", "4X"])
def test_bad_sizes_name_the_parameter(bad):
    with pytest.raises(ValueError, match="size"):
        parse_size(bad)


def test_limits_reject_nonsense():
    with pytest.raises(ValueError, match="wall"):
        Limits(wall=0)
    with pytest.raises(ValueError, match="memory"):
        Limits(memory=2**20)


def test_hidden_regions_are_cut_out_with_their_line_numbers():
    visible, hidden, region = hidden_regions(TEST, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
    assert "make_shop" not in visible and "hidden tests ran here" in visible
    assert len(hidden) == 2 and region == range(2, 6)
    assert hidden_regions("x = 1", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")[2] is None


def _graded_notebook(*outputs):
    cell = new_code_cell(TEST, outputs=list(outputs))
    cell.metadata.nbgrader = {"grade": True, "grade_id": "check", "points": 1, "locked": True,
                              "solution": False}
    learner = new_code_cell("print(In)", outputs=[
        new_output("stream", name="stdout", text="['x', '" + TEST.replace("\n", "\\n") + "']"),
    ])
    return new_notebook(cells=[cell, learner])


def _error(line: int, ename="AssertionError", evalue="wrong on another shop"):
    frame = (f"\x1b[0;31mCell In[7], line {line}\x1b[0m\n----> {line} assert "
             "answer(_other.orders) == _other.orders.nunique()")
    return new_output("error", ename=ename, evalue=evalue, traceback=["---", frame,
                                                                      f"{ename}: {evalue}"])


def _feedback(nb, **traits):
    step = HideHiddenTests(**traits)
    return step.preprocess(nb, {})[0]


def test_a_failing_hidden_test_shows_its_verdict_not_its_source():
    nb = _feedback(_graded_notebook(_error(4)))
    out = nb.cells[0].outputs[0]
    assert out.traceback == ["\x1b[0;31mHidden tests failed:\x1b[0m AssertionError: "
                             "wrong on another shop"]
    assert "_other" not in nb.cells[0].source
    assert nb.cells[1].outputs[0].text == WITHHELD, "a learner printing In[] sees nothing"


def test_other_errors_in_hidden_tests_keep_only_their_name():
    nb = _feedback(_graded_notebook(_error(3, "KeyError", "'campaign 17'")))
    assert "campaign 17" not in str(nb.cells[0].outputs[0])
    assert "KeyError" in nb.cells[0].outputs[0].traceback[0]


def test_a_visible_check_verdict_is_kept():
    verdict = new_output("error", ename="NotYet", evalue="count each customer once",
                         traceback=["Not yet: count each customer once"])
    nb = _feedback(_graded_notebook(verdict))
    assert nb.cells[0].outputs[0].traceback == ["Not yet: count each customer once"]


def test_learner_outputs_can_be_left_out():
    nb = _graded_notebook(new_output("stream", name="stdout", text="Correct!\n"))
    nb.cells[1].outputs = [new_output("stream", name="stdout", text="hello\n")]
    nb = _feedback(nb, learner_outputs=False)
    assert nb.cells[0].outputs[0].text == "Correct!\n"
    assert nb.cells[1].outputs == []


def _source(name, cell_type="code", locked=True, grade=False, solution=False, points=None,
            visible="x = 1"):
    return SourceCell(name, cell_type, locked, visible, grade, solution, points)


def test_tampering_is_named_cell_by_cell():
    cells = [_source("setup"), _source("answer", locked=False, solution=True),
             _source("check", grade=True, points=2.0, visible="ex.check()")]
    nb = new_notebook(cells=[new_code_cell("x = 2"), new_code_cell("assert True")])
    nb.cells[0].metadata.nbgrader = {"grade_id": "setup"}
    nb.cells[1].metadata.nbgrader = {"grade_id": "check", "points": 100}
    notes = tampering(nb, cells, add_missing=True)
    assert "locked cell setup edited: restored from the source" in notes
    assert "answer cell answer deleted: its tests run without it" in notes
    assert "test cell check edited: restored from the source" in notes
    assert "points of check changed to 100: restored to 2" in notes


def test_an_untouched_released_notebook_shows_no_tampering():
    cells = [_source("check", grade=True, points=1.0, visible="ex.check()")]
    nb = new_notebook(cells=[new_code_cell("ex.check()\n")])
    nb.cells[0].metadata.nbgrader = {"grade_id": "check", "points": 1}
    assert tampering(nb, cells, add_missing=True) == []


def _prepared_sockets(tmp_path: Path) -> Path:
    folder = tmp_path / "sockets"
    folder.mkdir()
    os.chmod(folder, 0o1733)
    return folder


def _connection(tmp_path: Path, ip: Path, transport="ipc") -> str:
    path = tmp_path / "kernel.json"
    path.write_text(f'{{"transport": "{transport}", "ip": "{ip}", "key": "k"}}')
    return str(path)


def _sandbox_args(settings: dict, work: Path, tmp_path: Path, sockets: Path) -> list[str]:
    """The launcher's bubblewrap command line for a kernel working in `work`."""
    fds: list[int] = []
    try:
        return sandbox_command(settings, str(work), _connection(tmp_path, sockets / "k"), [],
                               fds)
    finally:
        for fd in fds:
            os.close(fd)


@pytest.mark.skipif(os.geteuid() != 0, reason="socket folders are root's (the grading user)")
def test_the_sandbox_binds_nothing_of_the_course_but_its_code(tmp_path):
    course = tmp_path / "course"
    work = course / "autograded" / "alice" / "part0"
    work.mkdir(parents=True)
    (work / "notebook.ipynb").write_text("{}")  # holds the hidden tests
    (work / "data.csv").write_text("a,b\n")
    (work / "link.csv").symlink_to(course / "gradebook.db")
    sockets = _prepared_sockets(tmp_path)
    settings = {"bwrap": "bwrap", "python": "/venv/bin/python", "uid": 999, "gid": 999,
                "scratch": 2**20, "ro_binds": ["/venv", "/repo/course"], "mpl_cache": ""}
    args = _sandbox_args(settings, work, tmp_path, sockets)
    binds = [args[i + 1] for i, arg in enumerate(args) if arg in ("--bind", "--ro-bind")]
    assert str(course) not in binds and "/tmp" not in binds and "/" not in binds
    assert set(binds) >= {"/usr", "/venv", "/repo/course", str(sockets)}
    rw = [args[i + 1] for i, arg in enumerate(args) if arg == "--bind"]
    assert rw == [str(sockets)], "the only writable bind is the socket folder"
    copied = [args[i + 2] for i, arg in enumerate(args) if arg == "--file"]
    assert copied == [str(work / "data.csv")], "no notebook, no symlink enters the sandbox"
    for flag in ("--unshare-net", "--unshare-pid", "--die-with-parent", "--clearenv"):
        assert flag in args
    assert args[args.index("--cap-drop") + 1] == "ALL"
    assert "--no-new-privs" in args and "--reuid=999" in args


def test_only_a_prepared_socket_folder_is_shared(tmp_path):
    loose = tmp_path / "loose"
    loose.mkdir()
    with pytest.raises(SystemExit, match="prepared"):
        socket_folder(_connection(tmp_path, loose / "k"))
    with pytest.raises(SystemExit, match="ipc"):
        socket_folder(_connection(tmp_path, loose / "k", transport="tcp"))
    if os.geteuid() == 0:
        sockets = _prepared_sockets(tmp_path)
        assert socket_folder(_connection(tmp_path, sockets / "k")) == str(sockets)
        assert stat.S_IMODE(sockets.stat().st_mode) == 0o1733


def test_without_root_and_bwrap_the_sandbox_is_unavailable_and_says_why(monkeypatch):
    monkeypatch.setattr(provision.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(provision.shutil, "which", lambda name: None)
    status = provision.provision(install=False)
    assert not status.available
    assert "not running as root" in status.reason and "bubblewrap" in status.reason


def test_without_root_the_kernel_is_nobody_in_a_user_namespace(monkeypatch):
    if not provision.sandbox_status().available:
        pytest.skip("bwrap is not available here")
    monkeypatch.setattr(provision.os, "geteuid", lambda: 1000)
    status = provision.provision(install=False)
    if not status.available:
        pytest.skip(f"no unprivileged user namespaces here: {status.reason}")
    assert status.userns and status.uid == status.gid == provision.NOBODY


def test_a_user_namespace_sandbox_drops_every_capability_and_limits_its_own_processes(
        tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    sockets = _prepared_sockets(tmp_path)
    if sockets.stat().st_uid != os.geteuid():
        pytest.skip("the socket folder is not ours")
    settings = {"bwrap": "bwrap", "python": "/venv/bin/python", "uid": 65534, "gid": 65534,
                "userns": True, "processes": 77, "scratch": 2**20, "ro_binds": ["/venv"],
                "mpl_cache": ""}
    args = _sandbox_args(settings, work, tmp_path, sockets)
    assert {"--unshare-user", "--disable-userns", "--unshare-net"} <= set(args)
    assert args[args.index("--uid") + 1] == "65534"
    assert args[args.index("--cap-drop") + 1] == "ALL" and "--cap-add" not in args
    assert "setpriv" not in args, "no user to switch to inside a user namespace"
    assert args[args.index("prlimit") + 1] == "--nproc=77:77"


def test_the_sandbox_is_set_up_automatically():
    status = provision.sandbox_status()  # as root: apt-get install bubblewrap, useradd grader
    if not status.available:
        pytest.skip(f"the grading sandbox cannot be set up here: {status.reason}")
    assert Path(status.bwrap).is_file() and status.uid > 0
    assert provision.pwd.getpwuid(status.uid).pw_name == provision.GRADER_USER

