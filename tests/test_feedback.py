"""The feedback module: clear verdicts, hints one at a time, failures that still fail."""

import nbclient
import nbformat
import pytest

from course.feedback import Exercise, NotYet, call_learner, expect


def _exercise(**overrides):
    def checker(answer, limit=10):
        kind = type(answer).__name__
        expect(isinstance(answer, int), f"`answer` should be a whole number, not {kind}.")
        expect(answer <= limit,
               f"your list has {answer:,} customers; a mail goes to at most {limit:,}.")

    settings = dict(key="q", goal="count", answer_names=["answer"], checker=checker,
                    hints=["first", "second"])
    settings.update(overrides)
    return Exercise(**settings)


def test_check_prints_correct_when_the_answer_holds(capsys):
    _exercise().check({"answer": 7})
    assert "Correct!" in capsys.readouterr().out


def test_check_names_what_is_wrong_and_does_not_pass(capsys):
    with pytest.raises(NotYet, match="your list has 1,204 customers"):
        _exercise().check({"answer": 1204}, limit=1000)
    assert "Correct" not in capsys.readouterr().out


def test_undefined_answer_is_explained_not_a_name_error():
    with pytest.raises(NotYet, match="`answer` is not defined yet"):
        _exercise().check({})


def test_check_reads_the_callers_globals():
    global answer
    answer = 3
    try:
        _exercise().check()
    finally:
        del answer


def test_not_started_answer_is_reported():
    def checker(answer):
        call_learner(answer)

    def stub():
        raise NotImplementedError()

    with pytest.raises(NotYet, match="NotImplementedError"):
        _exercise(checker=checker).check({"answer": stub})


def test_crash_in_learner_code_is_named():
    def learner(x):
        return {}["brand"]

    with pytest.raises(NotYet, match=r"`learner` raised KeyError: 'brand'"):
        call_learner(learner, 1)
    with pytest.raises(NotYet, match="should be a function"):
        call_learner(42)


def test_hints_are_revealed_one_at_a_time(capsys):
    exercise = _exercise()
    exercise.hint()
    assert "Hint 1 of 2: first" in capsys.readouterr().out
    exercise.hint()
    exercise.hint()
    out = capsys.readouterr().out
    assert "Hint 2 of 2 (last hint): second" in out and "first" not in out


@pytest.mark.parametrize("hints", [[], ["a", "b", "c", "d"]])
def test_exercise_needs_one_to_three_hints(hints):
    with pytest.raises(ValueError, match="hints"):
        _exercise(hints=hints)


def test_in_a_kernel_a_failed_check_is_a_short_error_output():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from course.feedback import Exercise, expect\n"
            "ex = Exercise('q', 'g', ['x'], lambda x: expect(x == 3, 'x is off'), ['h'])"
        ),
        nbformat.v4.new_code_cell("x = 2\nex.check()"),
        nbformat.v4.new_code_cell("x = 3\nex.check()"),
    ]
    nbclient.NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=60).execute()
    failed, passed = nb.cells[1].outputs, nb.cells[2].outputs
    assert [o.output_type for o in failed] == ["error"], "nbgrader needs an error output"
    assert failed[0].ename == "NotYet"
    assert "x is off" in failed[0].traceback[0] and len(failed[0].traceback) == 2
    assert all(o.output_type == "stream" for o in passed) and "Correct!" in passed[0].text


def test_ungraded_cells_read_as_waiting_and_their_points_are_named():
    from course.grading.feedback import mark_pending

    page = ('<h4>nb (Score: 4.0 / 9.0)</h4><li>Test cell</a> (Score: 4.0 / 4.0)</li>'
            '<li>Written response</a> (Score: nan / 3.0)</li>'
            '<li>Written response</a> (Score: nan / 2.0)</li>'
            '<span>Score: nan / 3.0 <a href="#top">(Top)</a></span>')
    shown = mark_pending(page)
    assert "nan" not in shown
    assert "(Score: waiting for your instructor, out of 3)" in shown
    assert "<small>— 5 point(s) waiting for your instructor</small></h4>" in shown
    assert "(Score: 4.0 / 4.0)" in shown, "graded cells keep their score"
    assert mark_pending(shown) == shown
    assert mark_pending("<h4>nb (Score: 9.0 / 9.0)</h4>") == "<h4>nb (Score: 9.0 / 9.0)</h4>"


def test_solution_comes_after_the_last_hint_and_only_with_source(capsys, monkeypatch, tmp_path):
    from course import solutions
    from course.exercises import part0_orientation as ex

    exercise = ex.count_buyers
    exercise._hints_shown = 0
    exercise.solution()
    assert "Try the hints first" in capsys.readouterr().out
    for _ in exercise.hints:
        exercise.hint()
    capsys.readouterr()
    exercise.solution()
    shown = capsys.readouterr().out
    assert "def count_buyers(orders):" in shown and "### BEGIN SOLUTION" not in shown
    assert "NotImplementedError" not in shown
    monkeypatch.setattr(solutions, "SOURCE", tmp_path / "no-source")  # a learner edition
    exercise.solution()
    assert "has no solutions" in capsys.readouterr().out
    exercise._hints_shown = 0
    exercise.solution()  # no promise of a solution after the hints where there is none
    shown = capsys.readouterr().out
    assert "has no solutions" in shown and "hints first" not in shown


def test_every_exercise_has_a_solution_to_show():
    import importlib
    import inspect

    from course.feedback import Exercise
    from course.solutions import solution_source

    missing = []
    for name in ("part0_orientation", "part1_understanding", "part2_applying", "part3_starting",
                 "part3_personalisation", "part3_plan"):
        module = importlib.import_module(f"course.exercises.{name}")
        for key, exercise in inspect.getmembers(module, lambda v: isinstance(v, Exercise)):
            if solution_source(exercise.answer_names, exercise.module) is None:
                missing.append(f"{name}.{key}")
    assert not missing, f"no solution found for {missing}"
    # Two exercises define `learning_curve`: each shows its own notebook's solution.
    shown = {name: solution_source(("learning_curve",), f"course.exercises.{name}")
             for name in ("part1_understanding", "part3_personalisation")}
    assert "n_mails" in shown["part1_understanding"] and "n_mails" not in shown[
        "part3_personalisation"]
