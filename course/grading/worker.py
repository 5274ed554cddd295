"""A grading worker: one process that grades submissions one after another.

Starting nbgrader costs about 2-3 s (imports); a process per submission would spend more on
that than on grading a short notebook. So the cohort runner starts `jobs` workers, and each
imports nbgrader once and grades the units it is handed, in-process, with nbgrader's own
`Autograde` converter (what `nbgrader autograde` runs) in the unit's private course copy.

Protocol: one JSON object per line on stdin, `{"dir": ..., "assignment": ..., "student": ...,
"feedback": true, "learner_outputs": true}`; one JSON line back on stdout when that unit is
done, `{"ok": true, "feedback": true}` or `{"ok": false, "error": "..."}`. With "feedback",
the worker also writes the unit's feedback (`course.grading.feedback.write_feedback`), so the
HTML is rendered in parallel too. Everything else the unit prints (nbgrader's log, the
kernel's stderr) goes to the unit's `nbgrader.log`.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import warnings


def grade(unit_dir: str, assignment: str, student: str, feedback: bool = False,
          learner_outputs: bool = True) -> dict:
    """Stock nbgrader Autograde of one student's assignment in the course copy `unit_dir`,
    then (if asked) its feedback without the hidden tests."""
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    from course.grading.feedback import write_feedback

    logger = logging.getLogger(f"course.grading.worker.{unit_dir}")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("[Autograde | %(levelname)s] %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        config = PyFileConfigLoader("nbgrader_config.py", path=unit_dir).load_config()
        coursedir = CourseDirectory(config=config, log=logger)
        coursedir.assignment_id = assignment
        coursedir.student_id = student
        app = Autograde(coursedir=coursedir, config=config, log=logger)
        app.force = True
        app.create_student = True
        app.start()
    except Exception as error:  # noqa: BLE001 - report it, stay alive for the next unit
        logger.exception("grading failed")
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}
    if not feedback:
        return {"ok": True}
    try:
        write_feedback(config, assignment, student, learner_outputs, logger)
        return {"ok": True, "feedback": True}
    except Exception as error:  # noqa: BLE001
        logger.exception("feedback failed")
        return {"ok": True, "feedback": False,
                "error": f"feedback: {type(error).__name__}: {error}"}
    finally:
        logger.removeHandler(handler)


def main() -> int:
    answers = os.fdopen(os.dup(1), "w")  # the protocol keeps the real stdout to itself
    warnings.simplefilter("ignore")
    for line in sys.stdin:
        job = json.loads(line)
        log = os.open(os.path.join(job["dir"], "nbgrader.log"),
                      os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        result = grade(job["dir"], job["assignment"], job["student"],
                       job.get("feedback", False), job.get("learner_outputs", True))
        sys.stdout.flush()
        sys.stderr.flush()
        answers.write(json.dumps(result) + "\n")
        answers.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
