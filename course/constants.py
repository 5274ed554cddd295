"""Kumo Closet's business figures, in one place: every notebook and test reads them from here.

Change a figure here and every notebook's sums follow; nothing is typed twice.
"""

from __future__ import annotations

YEN_PER_HOUR = {  # what an hour of each role costs the shop, in yen
    "marketing": 5_000,
    "developer": 6_000,
    "product manager": 6_000,
    "data scientist": 6_000,
    "ML engineer": 6_000,
}
MARGIN_YEN_PER_ORDER = 5_000  # gross margin of one order from a release mail
MAIL_YEN = 1  # sending one mail
TRAINING_MACHINE_YEN_PER_DAY = 4_000  # a machine rented for every day of a model's build
SERVING_MACHINE_YEN_PER_DAY = 1_500  # a machine kept running day and night to serve a model
SMALL_MACHINE_YEN_PER_HOUR = 50  # a small cloud machine, started for a batch job
# Step 3 in production as notebook 6 found it: a nightly batch job (the pipeline's data, the
# features and the scores) on a small machine, not a server running for live requests.
BATCH_MACHINE_YEN_PER_MONTH = 5_000
MARGIN_RATE = 0.30  # gross margin as a share of revenue: about ¥5,000 of a ¥17,000 order
