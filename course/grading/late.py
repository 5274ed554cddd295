"""The course's late-submission penalty: a share of the notebook's score per day late.

nbgrader computes how late a submission is from its `timestamp.txt` and the assignment's due
date in the gradebook (`make due`), then asks the configured plugin for the penalty
(`c.AssignLatePenalties.plugin_class` in nbgrader_config.py). With no due date nothing is late.
"""

from __future__ import annotations

import math

from nbgrader.plugins import BasePlugin
from traitlets import Float

DAY = 24 * 3600  # seconds


class PerDayLatePenalty(BasePlugin):
    """`share_per_day` of the notebook's score for each day late or part of one, up to all of it."""

    share_per_day = Float(
        0.1, help="Share of the notebook's score lost per started day late (0.1: 10%)."
    ).tag(config=True)

    def late_submission_penalty(self, student_id: str, score: float,
                                total_seconds_late: float) -> float | None:
        if total_seconds_late <= 0:
            return None
        if not 0 <= self.share_per_day <= 1:
            raise ValueError(f"share_per_day must be between 0 and 1, got {self.share_per_day}")
        days = math.ceil(total_seconds_late / DAY)
        penalty = min(score, score * self.share_per_day * days)
        self.log.info("%s: %d day(s) late, penalty %g of %g points", student_id, days, penalty,
                      score)
        return penalty
