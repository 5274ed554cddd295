"""Orientation: reading the shop's tables and the course's one metric."""

from __future__ import annotations

import math
import numbers

import pandas as pd

from course.feedback import Exercise, call_learner, expect


def _a(value: object) -> str:
    """'a list', 'an ndarray': the type of `value` with its article."""
    name = type(value).__name__
    return f"{'an' if name[0].lower() in 'aeiou' else 'a'} {name}"


def _is_whole_number(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _check_count_buyers(count_buyers, *, site) -> None:
    orders = site.orders
    result = call_learner(count_buyers, orders.copy())
    expect(_is_whole_number(result),
           f"`count_buyers` should return a whole number, not {_a(result)}.")
    expect(result != len(orders), f"you returned {result:,}, the number of order lines: one "
           "customer can order many times. Count each customer once.")
    expect(result != len(site.customers), f"you returned {result:,}, every customer of the "
           "shop; count only those who appear in the orders table.")
    expect(result == orders["customer_id"].nunique(), f"you returned {result:,}; that is not "
           "the number of distinct customers in the orders table.")
    tiny = pd.DataFrame({"customer_id": [7, 7, 9], "order_id": [1, 2, 3]})
    expect(call_learner(count_buyers, tiny) == 2, "on a tiny table where customer 7 ordered "
           "twice and customer 9 once, `count_buyers` should give 2: use the table you are given.")


def _check_campaign_access_rate(campaign_access_rate, *, site) -> None:
    log = site.mail_log
    campaign = int(log["campaign_id"].iloc[len(log) // 2])
    mails = log[log["campaign_id"] == campaign]
    result = call_learner(campaign_access_rate, log.copy(), campaign)
    expect(isinstance(result, numbers.Real) and not isinstance(result, bool),
           f"return a number (a fraction), not {_a(result)}.")
    expect(not math.isnan(result), "your rate is NaN: did the filter keep any mail?")
    expect(result <= 1, f"your rate is {result:.2f}: that looks like a percentage or a count. "
           "Write rates as fractions between 0 and 1 (0.025 means 2.5%).")
    expect(not math.isclose(result, mails["accessed"].sum() / len(log)), "you divided by every "
           "mail in the log; divide by the mails of this campaign only.")
    if "purchased" in mails:
        expect(not math.isclose(result, mails["purchased"].mean()), "you measured purchases; "
               "the metric counts accesses to the site from the mail.")
    expect(math.isclose(result, mails["accessed"].mean(), rel_tol=1e-9), "not the access rate "
           "of that campaign: accesses from its mail ÷ mails it sent.")


def _check_best_campaign(best_campaign, *, site) -> None:
    log = site.mail_log
    result = call_learner(best_campaign, log.copy(), 100)
    rates = log.groupby("campaign_id")["accessed"].mean()
    sent = log["campaign_id"].value_counts()
    expect(_is_whole_number(result), f"return a campaign_id (a whole number), not {_a(result)}; "
           "a Series or a row is too much.")
    expect(result in rates.index, f"{result} is not a campaign_id of the mail log.")
    best_rate = max(rate for campaign, rate in rates.items() if sent[campaign] >= 100)
    expect(rates[result] == best_rate, f"campaign {result} is "
           "not the one with the highest access rate among campaigns that sent enough mails.")
    # The shop's campaigns are all large, so a tiny made-up log tests `min_sent` itself. It has
    # the mail log's columns, so any right way of counting mails works on it.
    campaigns = [1] * 12 + [2] * 1000 + [3] * 100
    tiny = pd.DataFrame({
        "campaign_id": campaigns,
        "customer_id": range(len(campaigns)),
        "accessed": [True] * 3 + [False] * 9 + [True] * 50 + [False] * 950
                    + [True] * 8 + [False] * 92,
    })
    for column in log.columns.difference(tiny.columns):
        tiny[column] = log[column].iloc[0]
    picked = call_learner(best_campaign, tiny, 100)
    expect(picked != 1, "in a log where campaign 1 sent only 12 mails (3 accesses), you picked "
           "it with min_sent=100: leave out campaigns that sent fewer than `min_sent` mails.")
    expect(picked == 3, "in a log with campaigns of 1,000 mails (5% access) and of exactly 100 "
           "mails (8% access), min_sent=100 should keep the 100-mail campaign: compare with >=.")
    expect(call_learner(best_campaign, tiny, 1) == 1, "with min_sent=1 every campaign counts, "
           "so the best rate wins, however few mails it sent: use the `min_sent` you are given.")


count_buyers = Exercise(
    key="part0-count-buyers",
    goal="Read the shop's data: how many customers ever bought?",
    answer_names=["count_buyers"],
    checker=_check_count_buyers,
    hints=[
        "One row of `orders` is one order line; the same customer appears on many rows.",
        "pandas counts distinct values with `Series.nunique()`.",
    ],
    success="Every step of the course starts from the shop's own data.",
)

campaign_access_rate = Exercise(
    key="part0-access-rate",
    goal="Measure the CX metric of one mail: accesses from the mail ÷ mails sent.",
    answer_names=["campaign_access_rate"],
    checker=_check_campaign_access_rate,
    hints=[
        "First keep only the rows of `mail_log` whose `campaign_id` is the one asked for.",
        "Each kept row is one mail sent; `accessed` is True when that mail brought the "
        "customer to the site.",
        "The mean of a True/False column is the share of True values.",
    ],
    success="This ratio is the customer-experience metric of every step of the course.",
)

best_campaign = Exercise(
    key="part0-best-campaign",
    goal="Compare campaigns fairly: a rate needs enough mails behind it.",
    answer_names=["best_campaign"],
    checker=_check_best_campaign,
    hints=[
        "Group `mail_log` by `campaign_id` and compute, per campaign, the access rate and "
        "the number of mails.",
        "Drop the campaigns with fewer than `min_sent` mails before you pick the maximum.",
        "`Series.idxmax()` returns the index label (here the campaign_id) of the largest value.",
    ],
    success="Small campaigns can look great by chance; Part 3 puts a confidence interval on it.",
)
