"""Visible checks and hints of every exercise, one module per assignment.

A notebook imports its assignment's module (`from course.exercises import part0_orientation
as ex`) and calls `ex.<exercise>.hint()` and `ex.<exercise>.check(...)`. Checks tell the
learner what is wrong without giving the expected answer; hidden tests live in the
instructor's source notebooks only.
"""
