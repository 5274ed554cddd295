"""Grading a cohort that an instructor can trust (`make grade`; see docs/grading.md).

One job per module:
- `cohort`: find and check every submission, grade them in parallel, record, report;
- `worker`: a process that grades submissions with nbgrader's own Autograde, one by one;
- `replay`: records a worker's executed notebook in the course's one gradebook;
- `execute`: nbgrader's Execute, surviving kernels that die or ignore the interrupt;
- `sandbox`: the run's kernelspec, limits and nbgrader config; `launcher`: the kernel in
  bubblewrap; `provision`: installs bubblewrap and the `grader` user; `limits`: the limits;
- `feedback`: feedback that shows the hidden tests' results, never their source;
- `report`: progress bar, summary and report CSV;
- `bad_submissions`: a cohort of bad submissions made from the real notebooks (tests).
"""
