"""Part 1, Understanding (理解編): rules versus learning, task types, the winning pattern.

One `Exercise` per exercise of the four notebooks of `part1_understanding`. Checks compute
what they compare against from the data they are given, so they hold for any shop.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
from sklearn.exceptions import NotFittedError
from sklearn.metrics import roc_auc_score

from course.exercises._shapes import is_number as _is_number
from course.features import FEATURES, top_share_access_rate
from course.feedback import Exercise, NotYet, call_learner, expect
from course.money import Money, Rate, roi

# -- shared helpers ----------------------------------------------------------------------------


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence warnings of learner code: a check cell must not write to stderr."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _call(function: Callable[..., Any], *args: Any, what: str = "", **kwargs: Any) -> Any:
    with _quiet():
        return call_learner(function, *args, what=what, **kwargs)


def _words(value: object) -> str:
    """A free-text label, normalised: 'Anomaly_Detection ' -> 'anomaly detection'."""
    text = str(value).strip().lower().replace("_", " ").replace("-", " ")
    return " ".join(text.split())


def _expect_keys(given: dict, wanted: dict, name: str, what: str, source: str) -> None:
    """Every key of ``wanted`` is in the learner's dict ``given``."""
    missing = [key for key in wanted if key not in given]
    if missing:
        raise NotYet(f"{name} lacks the {what} {missing[0]!r}: copy the keys from {source}.")


def _as_picks(picks: object, index: pd.Index, name: str) -> pd.Series:
    """A learner's True/False decisions as a boolean Series on ``index``."""
    if isinstance(picks, pd.Series | np.ndarray | list):
        values = np.asarray(picks)
    else:
        raise NotYet(f"{name} should return one True/False per mail (a Series), not a "
                     f"{type(picks).__name__}.")
    expect(values.ndim == 1 and len(values) == len(index),
           f"{name} returned {len(values):,} values for {len(index):,} mails: give one "
           "decision per row of the table it receives.")
    if values.dtype != bool:
        whole = values.dtype.kind in "iu" and np.isin(values, (0, 1)).all()
        expect(whole, f"{name} returned numbers (dtype {values.dtype}), not decisions: a rule "
               "says yes or no, e.g. `features['some_column'] >= 2`.")
    return pd.Series(values.astype(bool), index=index)


def per_campaign_budget(test: pd.DataFrame, rule_picks: pd.Series, scores) -> pd.Series:
    """The model's list with, in every campaign, as many mails as the rule picked there."""
    campaign = test["campaign_id"]
    budget = rule_picks.astype(int).groupby(campaign).transform("sum")
    rank = pd.Series(np.asarray(scores, dtype=float), index=test.index).groupby(campaign).rank(
        ascending=False, method="first"
    )
    return rank <= budget


# -- notebook 1 · rules versus learning ---------------------------------------------------------


def _check_my_rule(my_rule, *, test: pd.DataFrame) -> None:
    features = test.drop(columns=["accessed"])
    try:
        picks = _call(my_rule, features.copy())
    except NotYet as error:
        if "accessed" in str(error):
            raise NotYet("your rule reads `accessed`, the outcome we want to predict: it is "
                         "not known when the mail is sent. Decide from the feature columns."
                         ) from None
        raise
    picks = _as_picks(picks, features.index, "`my_rule`")
    _expect_rule_reads_only_features(my_rule, features, picks)
    share = picks.mean()
    expect(share > 0, "your rule mails nobody: loosen its threshold.")
    expect(share <= 0.25, f"your rule mails {share:.0%} of the customers: that is hardly a "
           "choice. Keep it to at most 25% (a stricter threshold, or a brand-specific column).")
    expect(share >= 0.005, f"your rule mails only {share:.2%} of the customers: loosen it so "
           "that at least 0.5% get the mail.")
    base = test["accessed"].mean()
    rate = test.loc[picks, "accessed"].mean()
    expect(rate >= 2 * base, f"on the held-out campaigns your rule's mails bring {rate:.1%} of "
           f"their recipients to the site, {rate / base:.1f}× the {base:.1%} of all mails. Aim "
           "for at least 2×: a release mail is about one brand; who cares about *this* brand?")


def _expect_rule_reads_only_features(my_rule, features: pd.DataFrame, picks: pd.Series) -> None:
    """The same rows, shuffled, re-indexed and under unseen ids, get the same decisions."""
    shuffled = features.sample(frac=1.0, random_state=0)
    moved = shuffled.reset_index(drop=True).assign(
        customer_id=shuffled["customer_id"].to_numpy() + 10_000_000,
        campaign_id=shuffled["campaign_id"].to_numpy() + 1_000_000)
    message = ("your rule's decisions change when the same feature rows come in another "
               "order, on another index, with ids it has never seen: it reads something besides "
               "the features it is given (the outcomes of `test`, or the mail log?). Decide "
               "from the `features` argument alone: at send time nobody knows who will come.")
    try:
        again = _as_picks(_call(my_rule, moved), moved.index, "`my_rule`")
    except NotYet:
        raise NotYet(message + " (On those rows it failed.)") from None
    expect(np.array_equal(again.to_numpy(), picks.loc[shuffled.index].to_numpy()), message)


def _expect_no_peek_at_held_out(train_model, train: pd.DataFrame, test: pd.DataFrame) -> None:
    """Trained on scrambled outcomes, a model cannot rank the held-out mails."""
    scrambled = train.assign(accessed=np.random.default_rng(0).permutation(
        train["accessed"].to_numpy()))
    model = _call(train_model, scrambled)
    with _quiet():
        auc = roc_auc_score(test["accessed"], np.asarray(model.predict_proba(test[FEATURES]))[:, 1])
    expect(auc < 0.65, f"trained on a `train` whose outcomes were shuffled, your model still "
           f"ranks the held-out mails well (AUC {auc:.2f}): it learned from rows it was not "
           "given, the held-out `test` (or the notebook's own `train`). Fit only on the table "
           "passed to `train_model`: judging on held-out rows is fair only if the model never "
           "saw them.")


def _check_train_model(train_model, *, train: pd.DataFrame, test: pd.DataFrame) -> None:
    model = _call(train_model, train.copy())
    expect(model is not None, "`train_model` returns None: end it with `return model` (the "
           "fitted model).")
    expect(not isinstance(model, np.ndarray | pd.Series | pd.DataFrame), "`train_model` "
           "returned predictions; return the fitted model itself.")
    expect(hasattr(model, "predict_proba"), f"a {type(model).__name__} has no predict_proba: "
           "use a classifier (e.g. LogisticRegression), which predicts the chance of an access.")
    try:
        with _quiet():
            proba = np.asarray(model.predict_proba(test[FEATURES]))
    except NotFittedError:
        raise NotYet("the model you return is not fitted yet: call `.fit(X, y)` on it.") from None
    except (ValueError, KeyError) as error:
        if "feature" in str(error).lower() or "column" in str(error).lower():
            raise NotYet("your model was trained on other columns than FEATURES: train it on "
                         "`train[FEATURES]` only (no ids, no dates, and never the label "
                         "`accessed`).") from None
        raise NotYet(f"predicting with your model failed: {error}") from None
    expect(proba.ndim == 2 and proba.shape == (len(test), 2), "your model should be a yes/no "
           "classifier of `accessed`: predict_proba must give two columns (no, yes).")
    auc = roc_auc_score(test["accessed"], proba[:, 1])
    expect(auc >= 0.70, f"your model's AUC on the held-out campaigns is {auc:.2f}. A model "
           "of the mail and purchase history should reach at least 0.70: predict "
           "`train['accessed']` from `train[FEATURES]`; for a linear model, np.log1p and "
           "StandardScaler on the counts help.")
    _expect_no_peek_at_held_out(train_model, train, test)


def _check_same_budget_rates(same_budget_rates, *, test: pd.DataFrame) -> None:
    picks = test["brand_orders"] >= 1
    scores = (test["access_rate"] + 0.01 * test["brand_share"]).to_numpy()
    scores = scores + 1e-9 * np.arange(len(test)) / len(test)  # no ties
    result = _call(same_budget_rates, test.copy(), picks.copy(), scores.copy())
    expect(isinstance(result, dict) and set(result) == {"rule", "model", "model_picks"},
           "return a dict with three keys: {'rule': ..., 'model': ..., 'model_picks': ...}.")
    expect(_is_number(result["rule"]) and _is_number(result["model"]), "'rule' and 'model' "
           "should be access rates (numbers between 0 and 1).")
    expect(math.isclose(result["rule"], test.loc[picks, "accessed"].mean(), abs_tol=1e-9),
           "the rule's rate is wrong: it is the share of the rule's picks that accessed.")
    expected = test.loc[per_campaign_budget(test, picks, scores), "accessed"].mean()
    if not math.isclose(result["model"], expected, abs_tol=1e-9):
        overall = test["accessed"].to_numpy()[np.argsort(-scores)[: picks.sum()]].mean()
        lowest = test.loc[per_campaign_budget(test, picks, -scores), "accessed"].mean()
        expect(not math.isclose(result["model"], overall, abs_tol=1e-9), "you took the best "
               "scores over all campaigns together; the budget is per campaign (each release "
               "mail goes out on its own day).")
        expect(not math.isclose(result["model"], lowest, abs_tol=1e-9), "you took the lowest "
               "scores: rank with ascending=False so that the highest score comes first.")
        raise NotYet("the model's rate is not that of a list with, in each campaign, the same "
                     "number of mails as the rule and the highest model scores. Keep the "
                     "scores on test's index: pd.Series(model_scores, index=test.index).")
    model_picks = _as_picks(result["model_picks"], test.index, "'model_picks'")
    per_campaign = model_picks.groupby(test["campaign_id"]).sum()
    expect(per_campaign.equals(picks.groupby(test["campaign_id"]).sum()), "'model_picks' "
           "should hold, in every campaign, as many mails as the rule picked there.")
    expect(math.isclose(result["model"], test.loc[model_picks, "accessed"].mean(),
                        abs_tol=1e-9), "'model' should be the access rate of 'model_picks': "
           "the mean of `accessed` over the rows the model picked.")
    # Two campaigns, on an index that does not start at 0: the rule picks 2 then 1 mails.
    tiny = pd.DataFrame({"campaign_id": [1, 1, 1, 1, 2, 2, 2],
                         "accessed": [False, True, False, False, True, False, True]},
                        index=[10, 11, 12, 13, 20, 21, 22])
    tiny_picks = pd.Series([True, False, False, True, False, False, True], index=tiny.index)
    tiny_scores = np.array([0.1, 0.9, 0.8, 0.7, 0.3, 0.2, 0.1])
    result = _call(same_budget_rates, tiny.copy(), tiny_picks.copy(), tiny_scores.copy())
    expect(math.isclose(result["rule"], 1 / 3, abs_tol=1e-9) and math.isclose(
        result["model"], 2 / 3, abs_tol=1e-9), "on a tiny table of two campaigns whose index "
           "starts at 10 the rates are wrong: keep everything on the table's own index.")


def _normalise_choice(value: object, allowed: dict[str, str]) -> str | None:
    return allowed.get(_words(value))


WHO_DECIDES_ANSWERS = {
    "order of the new items inside a customer's release mail": "model",
    "which customers get a brand's release mail": "model",
    "who may join the invitation-only presale for top customers": "rule",
    "refusing a customer's request to pay later (deferred payment)": "rule",
}
_WHO_DECIDES_WHY = {
    "order of the new items inside a customer's release mail": "nobody asks why one item came "
    "before another; a better order just serves them better.",
    "which customers get a brand's release mail": "a mail that is a little better targeted "
    "needs no justification to the customer; accuracy is what counts.",
    "who may join the invitation-only presale for top customers": "customers left out will "
    "ask why, and the shop must answer with a reason they accept.",
    "refusing a customer's request to pay later (deferred payment)": "like a loan rejection, "
    "a refusal must be explained to the person it affects.",
}


def _check_who_decides(who_decides) -> None:
    expect(isinstance(who_decides, dict), "WHO_DECIDES should be a dict: {decision: 'rule' or "
           "'model'}.")
    _expect_keys(who_decides, WHO_DECIDES_ANSWERS, "WHO_DECIDES", "decision", "DECISIONS")
    for decision, answer in WHO_DECIDES_ANSWERS.items():
        choice = _normalise_choice(who_decides[decision], {"rule": "rule", "model": "model"})
        expect(choice is not None, f"{decision!r}: answer 'rule' or 'model', not "
               f"{who_decides[decision]!r}.")
        if choice != answer:
            raise NotYet(f"{decision!r}: think again. Does the person affected need a reason "
                         "they can check, or just a good result?")


# -- notebook 2 · which ML task is it -----------------------------------------------------------

TASK_ANSWERS = {
    "price a new item": "regression",
    "spot counterfeit items": "classification",
    "find mislabelled items": "anomaly detection",
    "segment customers": "clustering",
    "forecast a cohort's spend": "regression",
    "rank items for a customer": "ranking",
}
TASKS = {
    "regression": "regression",
    "classification": "classification",
    "anomaly detection": "anomaly detection",
    "anomaly": "anomaly detection",
    "clustering": "clustering",
    "ranking": "ranking",
    "recommendation": "ranking",
    "ranking / recommendation": "ranking",
    "ranking and recommendation": "ranking",
}
_TASK_NUDGES = {
    "price a new item": "what comes out is a price in yen: a number on a scale.",
    "spot counterfeit items": "the authenticity team has labelled past items genuine or "
    "counterfeit; the answer is one of two classes.",
    "find mislabelled items": "nobody has labelled which items are mislabelled; you look for "
    "the items that do not fit the rest.",
    "segment customers": "there are no segment labels to learn from: the groups come from "
    "the data itself.",
    "forecast a cohort's spend": "the answer is an amount of yen: a number on a scale.",
    "rank items for a customer": "the output is an order of items, different for each "
    "customer.",
}


def _check_task_types(task_types) -> None:
    expect(isinstance(task_types, dict), "TASK_TYPES should be a dict: {question: task type}.")
    _expect_keys(task_types, TASK_ANSWERS, "TASK_TYPES", "question", "QUESTIONS")
    wrong = []
    for question, answer in TASK_ANSWERS.items():
        task = _normalise_choice(task_types[question], TASKS)
        expect(task is not None, f"{question!r}: {task_types[question]!r} is not one of the "
               "task types: regression, classification, anomaly detection, clustering, ranking.")
        if task != answer:
            wrong.append(question)
    if wrong:
        first = wrong[0]
        raise NotYet(f"{len(wrong)} of {len(TASK_ANSWERS)} questions are not right yet. "
                     f"Start with {first!r}: {_TASK_NUDGES[first]}")


def _spend_in(orders: pd.DataFrame, start: pd.Timestamp, days: int) -> pd.Series:
    end = start + pd.Timedelta(days=days)
    window = orders[(orders["order_date"] >= start) & (orders["order_date"] < end)]
    return (window["price"] * window["quantity"]).groupby(window["customer_id"]).sum()


def spend_label(site, cutoff: pd.Timestamp, horizon_days: int = 90) -> pd.Series:
    """Yen spent by every customer signed up before ``cutoff`` in the horizon after it."""
    customers = site.customers.loc[site.customers["signup_date"] < cutoff, "customer_id"]
    spend = _spend_in(site.orders, cutoff, horizon_days)
    return spend.reindex(customers, fill_value=0).astype(float)


def _without_the_future(site, cutoff: pd.Timestamp):
    past = site.copy()
    past.orders = site.orders[site.orders["order_date"] < cutoff]
    past.events = site.events[site.events["timestamp"] < cutoff]
    past.mail_log = site.mail_log[site.mail_log["send_date"] < cutoff]
    return past


def _with_an_order_at(site, when: pd.Timestamp, customer_id: int, yen: int):
    """A copy of the shop with one more order line of `yen`, placed exactly at `when`.

    The shop's orders never fall exactly on midnight, so `<` and `<=` at the cutoff or at the
    window's end only differ on an order placed there."""
    edge = site.copy()
    row = site.orders.iloc[[0]].assign(order_date=when, customer_id=customer_id, price=yen,
                                       quantity=1)
    if "order_id" in row:
        row = row.assign(order_id=site.orders["order_id"].max() + 1)
    edge.orders = pd.concat([site.orders, row], ignore_index=True)
    return edge


def _check_the_window_edges(spend_problem, site, cutoff, features, label) -> None:
    """An order at exactly the cutoff is the label's; one at exactly its end is nobody's."""
    someone, yen, horizon = int(label.index[0]), 12_345, pd.Timedelta(days=90)
    at_cutoff = _call(spend_problem, _with_an_order_at(site, cutoff, someone, yen), cutoff)
    edge_features, edge_label = at_cutoff
    same = (edge_features.shape == features.shape
            and np.allclose(edge_features.reindex(features.index).to_numpy(dtype=float),
                            features.to_numpy(dtype=float), equal_nan=True))
    expect(same, "an order placed exactly at the cutoff changes your features: on the cutoff "
           "day it has not happened yet. Compare with `< cutoff`, not `<=`.")
    expect(abs(float(edge_label[someone]) - float(label[someone]) - yen) < 0.5, "an order "
           "placed exactly at the cutoff is missing from your label: the window starts at the "
           "cutoff, included (`>= cutoff`).")
    at_end = _call(spend_problem, _with_an_order_at(site, cutoff + horizon, someone, yen), cutoff)
    expect(abs(float(at_end[1][someone]) - float(label[someone])) < 0.5, "an order placed "
           "exactly 90 days after the cutoff is in your label: the window ends there, excluded "
           "(`< cutoff + horizon`).")


def _check_spend_problem(spend_problem, *, site) -> None:
    cutoff = site.today - pd.Timedelta(days=90)
    result = _call(spend_problem, site, cutoff)
    expect(isinstance(result, tuple) and len(result) == 2, "return two things: "
           "`return features, label`.")
    features, label = result
    expect(isinstance(features, pd.DataFrame), f"the features should be a DataFrame, not a "
           f"{type(features).__name__}.")
    expect(isinstance(label, pd.Series), f"the label should be a Series, not a "
           f"{type(label).__name__}.")
    expected = spend_label(site, cutoff)
    ids = expected.index
    later = site.customers.loc[site.customers["signup_date"] >= cutoff, "customer_id"]
    expect(not features.index.isin(later).any(), "some rows are customers who signed up on or "
           "after the cutoff: on the cutoff day they did not exist yet.")
    expect(len(features) == len(ids) and features.index.isin(ids).all(), f"one row per "
           f"customer signed up before the cutoff ({len(ids):,}), indexed by customer_id; you "
           f"have {len(features):,}. Customers who bought nothing belong too (their spend is 0).")
    expect(label.index.equals(features.index), "the label's index should be the same as the "
           "features' (same customers, same order).")
    expect(features.shape[1] >= 2, "give the model at least two features.")
    numeric = features.select_dtypes("number")
    expect(numeric.shape[1] == features.shape[1], "every feature column should be a number "
           f"(these are not: {sorted(set(features) - set(numeric))[:3]}).")
    expect(np.isfinite(features.to_numpy(dtype=float)).all(), "some features are NaN or "
           "infinite: fill the gaps (e.g. a customer with no order).")
    mine = label.astype(float)
    truth = expected.reindex(label.index)
    if not np.allclose(mine.to_numpy(), truth.to_numpy(), atol=0.5):
        orders = site.orders
        lines = orders[(orders["order_date"] >= cutoff)
                       & (orders["order_date"] < cutoff + pd.Timedelta(days=90))]
        no_quantity = lines.groupby("customer_id")["price"].sum().reindex(label.index,
                                                                          fill_value=0)
        expect(not np.allclose(mine.to_numpy(), no_quantity.to_numpy(), atol=0.5),
               "the label forgets `quantity`: spend is price × quantity.")
        counts = lines.groupby("customer_id").size().reindex(label.index, fill_value=0)
        expect(not np.allclose(mine.to_numpy(), counts.to_numpy()), "the label counts orders; "
               "the question is about spend in yen (price × quantity).")
        past = _spend_in(orders, cutoff - pd.Timedelta(days=90), 90).reindex(label.index,
                                                                            fill_value=0)
        expect(not np.allclose(mine.to_numpy(), past.to_numpy(), atol=0.5), "the label is the "
               "spend of the 90 days *before* the cutoff; it should be the 90 days from it.")
        raise NotYet("the label is not each customer's spend (price × quantity) of the orders "
                     "placed from the cutoff (included) to 90 days later (excluded).")
    again = _call(spend_problem, _without_the_future(site, cutoff), cutoff)
    expect(isinstance(again, tuple) and len(again) == 2, "`spend_problem` should always "
           "return `features, label`.")
    past_features = again[0]
    same = (isinstance(past_features, pd.DataFrame) and past_features.shape == features.shape
            and np.allclose(past_features.reindex(features.index).to_numpy(dtype=float),
                            features.to_numpy(dtype=float), equal_nan=True))
    expect(same, "your features change when we delete every order, event and mail from the "
           "cutoff on: they read the future (leakage). Compute features only from data "
           "strictly before the cutoff.")
    _check_the_window_edges(spend_problem, site, cutoff, features, label)
    short = _call(spend_problem, site, cutoff, horizon_days=30)
    expect(isinstance(short, tuple) and len(short) == 2, "`spend_problem` should always "
           "return `features, label`.")
    want = spend_label(site, cutoff, 30).reindex(short[1].index)
    expect(np.allclose(short[1].astype(float).to_numpy(), want.to_numpy(), atol=0.5),
           "with horizon_days=30 your label is not the spend of the 30 days from the cutoff: "
           "use the `horizon_days` argument, not 90 typed in.")


def _check_monthly_value(monthly_value) -> None:
    value = _call(monthly_value, 10_000, 0.10, 0.13, Money(1_000))
    expect(not isinstance(value, Money), "you returned a Money (a one-off amount); the value "
           "recurs every month: return a Rate, e.g. Rate(yen, per='month').")
    expect(isinstance(value, Rate), f"return a Rate with its unit (Rate(yen, per='month')), "
           f"not a {type(value).__name__}.")
    monthly = value.per_month()
    expect(not math.isclose(monthly, 10_000 * 0.13 * 1_000, rel_tol=1e-6), "you counted every "
           "access of the model's list; count only what it adds over the rule you would use "
           "anyway (the difference of the two rates).")
    expect(not math.isclose(monthly, 10_000 * 3 * 1_000, rel_tol=1e-6), "the rates are "
           "fractions (0.13 means 13%); do not turn them into percentage points.")
    expect(math.isclose(monthly, 10_000 * 0.03 * 1_000, rel_tol=1e-6), "not yet: number of "
           "predictions per month × the effect of one prediction (its extra chance of an "
           "access × what an access is worth).")
    worse = _call(monthly_value, 2_000, 0.12, 0.10, Money(500))
    expected = 2_000 * (0.10 - 0.12) * 500
    expect(isinstance(worse, Rate) and math.isclose(worse.per_month(), expected, rel_tol=1e-6),
           "when the model is worse than the rule its value is negative: keep the sign.")


# -- notebook 3 · the winning pattern -----------------------------------------------------------


def reference_learning_curve(train, test, sizes, make_model, share=0.05) -> pd.DataFrame:
    """AUC and top-share access rate of models trained on the first n rows of ``train``."""
    rows = []
    for n in sizes:
        first = train.head(n)
        with _quiet():
            model = make_model().fit(first[FEATURES], first["accessed"])
            scores = model.predict_proba(test[FEATURES])[:, 1]
        rows.append({"n_mails": n, "auc": roc_auc_score(test["accessed"], scores),
                     "access_rate": top_share_access_rate(test, scores, share)})
    return pd.DataFrame(rows)


def _frame_with(result: object, columns: list[str], name: str) -> pd.DataFrame:
    expect(isinstance(result, pd.DataFrame), f"{name} should return a DataFrame, not a "
           f"{type(result).__name__}.")
    missing = [c for c in columns if c not in result]
    expect(not missing, f"{name}'s table lacks the column(s) {missing}; it needs {columns}.")
    return result.reset_index(drop=True)


def _check_learning_curve(learning_curve, *, train, test, make_model) -> None:
    sizes = [500, 4_000]
    result = _call(learning_curve, train, test, sizes)
    table = _frame_with(result, ["n_mails", "auc", "access_rate"], "`learning_curve`")
    expect(len(table) == len(sizes), f"one row per size: {len(sizes)} sizes gave "
           f"{len(table)} rows.")
    expect(table["n_mails"].tolist() == sizes, "`n_mails` should list the sizes asked for, "
           "in the same order.")
    reference = reference_learning_curve(train, test, sizes, make_model)
    if not np.allclose(table["auc"], reference["auc"], atol=1e-6):
        on_train, classes, no_column = [], [], []  # three common ways to get the AUC wrong
        for n in sizes:
            first = train.head(n)
            with _quiet():
                model = make_model().fit(first[FEATURES], first["accessed"])
                on_train.append(roc_auc_score(first["accessed"],
                                              model.predict_proba(first[FEATURES])[:, 1]))
                classes.append(roc_auc_score(test["accessed"], model.predict(test[FEATURES])))
                no_column.append(roc_auc_score(test["accessed"],
                                               model.predict_proba(test[FEATURES])[:, 0]))
        expect(not np.allclose(table["auc"], on_train, atol=1e-6), "you measured the AUC on "
               "the training mails; judge the model on the held-out `test` campaigns.")
        expect(not np.allclose(table["auc"], classes, atol=1e-6), "you scored with "
               "`predict()`, which gives 0/1 classes (nearly all 0 here): an AUC needs a score "
               "that ranks, the probability of an access, `predict_proba(...)[:, 1]`.")
        expect(not np.allclose(table["auc"], no_column, atol=1e-6), "you took column 0 of "
               "`predict_proba`, the probability of *no* access: column 1 is the chance of an "
               "access.")
        raise NotYet("the AUCs differ from a `make_model()` trained on the first n rows of "
                     "`train` (train.head(n)) and scored on `test`: those rows stand for the "
                     "first n mails whose outcome arrived.")
    expect(np.allclose(table["access_rate"], reference["access_rate"], atol=1e-6), "the AUCs "
           "are right but not the access rates: use top_share_access_rate(test, scores, "
           "share=0.05) with the model's probability of an access as the score.")


def reference_simulation(train, test, mails_per_month, make_model, rule_score) -> pd.DataFrame:
    """Month by month: the rule's and the model's top-5% access rate as data accumulates."""
    collected = np.cumsum(mails_per_month).tolist()
    curve = reference_learning_curve(train, test, collected, make_model)
    rule_rate = top_share_access_rate(test, rule_score(test), 0.05)
    return pd.DataFrame({
        "month": range(1, len(collected) + 1),
        "training_mails": collected,
        "rule_rate": rule_rate,
        "model_rate": curve["access_rate"],
    })


def _check_simulate_months(simulate_months, *, train, test, make_model, rule_score) -> None:
    plan = [400, 800, 1_600]
    result = _call(simulate_months, train, test, plan)
    columns = ["month", "training_mails", "rule_rate", "model_rate"]
    table = _frame_with(result, columns, "`simulate_months`")
    expect(len(table) == len(plan), f"one row per month: {len(plan)} months gave {len(table)} "
           "rows.")
    expect(table["month"].tolist() == [1, 2, 3], "number the months 1, 2, 3, … (the first "
           "month is month 1).")
    expect(table["training_mails"].tolist() != plan, "data accumulates: in month m the model "
           "learns from every mail collected in months 1 to m, not only that month's.")
    expect(table["training_mails"].tolist() == np.cumsum(plan).tolist(), "`training_mails` "
           "should be the number of mails collected so far, month after month.")
    expect(table["rule_rate"].nunique() == 1, "the rule does not learn: its rate should be "
           "the same every month.")
    reference = reference_simulation(train, test, plan, make_model, rule_score)
    expect(math.isclose(table["rule_rate"].iloc[0], reference["rule_rate"].iloc[0],
                        abs_tol=1e-9), "`rule_rate` should be top_share_access_rate(test, "
           "rule_score(test), share=0.05).")
    expect(np.allclose(table["model_rate"], reference["model_rate"], atol=1e-6), "`model_rate` "
           "should be the top-5% access rate of a model trained on the first `training_mails` "
           "rows of train (your learning_curve can compute it).")


def _check_first_winning_month(first_winning_month) -> None:
    def run(model_rates, months=None, rule=0.10):
        months = months or list(range(1, len(model_rates) + 1))
        table = pd.DataFrame({"month": months, "training_mails": np.cumsum([500] * len(months)),
                              "rule_rate": rule, "model_rate": model_rates},
                             index=[i * 10 for i in range(len(months))])
        return _call(first_winning_month, table)

    answer = run([0.05, 0.11, 0.09, 0.12, 0.13])
    expect(answer != 2, "the model was ahead in month 2 but fell behind in month 3: from which "
           "month does it *stay* ahead?")
    expect(answer == 4, "on a made-up simulation where the model leads from month 4 on (after "
           f"a lucky month 2), your function gave {answer!r}.")
    expect(run([0.11, 0.12, 0.13]) == 1, "when the model leads from the first month, the "
           "answer is that month (1).")
    expect(run([0.05, 0.06, 0.07]) is None, "when the model never overtakes the rule, return "
           "None.")
    expect(run([0.08, 0.10, 0.12]) == 3, "a tie is not a lead: the model must be strictly "
           "above the rule.")
    expect(run([0.08, 0.11, 0.12], months=[7, 8, 9]) == 8, "answer with the value of the "
           "`month` column, not a position in the table.")


# -- notebook 4 · winning and losing patterns ----------------------------------------------------

PATTERN_ANSWERS = {
    "charge each order's exact amount to the customer's card": ("lose", "needs 100% accuracy"),
    "tell a customer why their pay-later request was refused": (
        "lose", "needs full explainability"),
    "predict demand in a new store whose customer data may not be used": (
        "lose", "no data accumulates"),
    "sort the catalogue by price, cheapest first": ("lose", "existing algorithm is enough"),
    "choose the new items on each of 2 million customers' home pages every day": (
        "win", "personalisation at scale"),
    "decide within 200 ms whether a card payment is fraud": ("win", "immediate response"),
    "let a model pick the colour of the order-confirmation page every day": (
        "lose", "no customer gain"),
}
CONDITIONS = {
    "win": ["personalisation at scale", "immediate response", "complex logic"],
    "lose": ["needs 100% accuracy", "needs full explainability", "no data accumulates",
             "existing algorithm is enough", "no customer gain"],
}
_PATTERN_NUDGES = {
    "charge each order's exact amount to the customer's card": "how many wrong charges would "
    "customers accept?",
    "tell a customer why their pay-later request was refused": "the customer is owed a reason "
    "they can check.",
    "predict demand in a new store whose customer data may not be used": "where would the "
    "training data come from, and would it grow?",
    "sort the catalogue by price, cheapest first": "a plain sort already gives the exact "
    "answer.",
    "choose the new items on each of 2 million customers' home pages every day": "no team of "
    "people could write a different page for each of millions of customers daily.",
    "decide within 200 ms whether a card payment is fraud": "the deadline is what rules out a "
    "person: the answer is needed immediately, within 200 ms, for every payment.",
    "let a model pick the colour of the order-confirmation page every day": "would any "
    "customer notice it, or miss it if it were gone?",
}


def _check_patterns(patterns) -> None:
    expect(isinstance(patterns, dict), "PATTERNS should be a dict: {scenario: (verdict, "
           "condition)}.")
    _expect_keys(patterns, PATTERN_ANSWERS, "PATTERNS", "scenario", "SCENARIOS")
    conditions = {_words(c): c for cs in CONDITIONS.values() for c in cs}
    for scenario, (verdict, condition) in PATTERN_ANSWERS.items():
        answer = patterns[scenario]
        expect(isinstance(answer, tuple | list) and len(answer) == 2, f"{scenario!r}: give a "
               "pair (verdict, condition), e.g. ('win', 'immediate response').")
        given_verdict = _normalise_choice(answer[0], {"win": "win", "lose": "lose"})
        expect(given_verdict is not None, f"{scenario!r}: the verdict is 'win' or 'lose', not "
               f"{answer[0]!r}.")
        given_condition = conditions.get(_words(answer[1]))
        expect(given_condition is not None, f"{scenario!r}: {answer[1]!r} is not one of "
               "CONDITIONS.")
        expect(given_verdict == verdict, f"{scenario!r}: think again about the verdict; "
               f"{_PATTERN_NUDGES[scenario]}")
        expect(given_condition == condition, f"{scenario!r}: the verdict is right; which "
               f"condition explains it? {_PATTERN_NUDGES[scenario]}")


def _check_affordable_monthly_cost(affordable_monthly_cost) -> None:
    revenue = Rate(7_000_000, per="week")
    cost = _call(affordable_monthly_cost, revenue, 0.15, 0.40, 4.0)
    expect(isinstance(cost, Rate), f"return a Rate with its unit (e.g. Rate(yen, "
           f"per='month')), not a {type(cost).__name__}.")
    monthly = cost.per_month()
    gain = revenue.per_month() * 0.15 * 0.40
    expect(not math.isclose(monthly, 7_000_000 * 0.15 * 0.40 / 5, rel_tol=1e-3), "you used the "
           "weekly revenue as if it were monthly: convert it first (revenue.to('month')).")
    expect(not math.isclose(monthly, 4 * 7_000_000 * 0.15 * 0.40 / 5, rel_tol=1e-3), "a month "
           "is not four weeks (it is 365 / 12 / 7 ≈ 4.35 weeks): let Rate.to('month') convert.")
    expect(not math.isclose(monthly, revenue.per_month() * 0.15 / 5, rel_tol=1e-3), "revenue "
           "is not gain: the extra revenue only brings its margin (× margin_rate).")
    expect(not math.isclose(monthly, gain / 4.0, rel_tol=1e-3), "ROI = (gain − cost) / cost, "
           "so an ROI of 4 (400%) means gain = 5 × cost, not 4 × cost.")
    expect(math.isclose(monthly, gain / 5.0, rel_tol=1e-6), "not yet: the monthly gain is "
           "revenue × uplift × margin rate; the cost is the amount that gives that gain an "
           "ROI of `target_roi`.")
    expect(math.isclose(roi(revenue.to("month") * (0.15 * 0.40), cost), 4.0, rel_tol=1e-6),
           "course.money.roi of your cost should give back the target ROI.")
    other = _call(affordable_monthly_cost, Rate(300_000, per="day"), 0.10, 0.5, 1.0)
    expected = Rate(300_000, per="day").per_month() * 0.10 * 0.5 / 2.0
    expect(isinstance(other, Rate) and math.isclose(other.per_month(), expected, rel_tol=1e-6),
           "with a daily revenue and an ROI of 100% your function gives a wrong cost: "
           "convert any period to a month.")


# -- the exercises -------------------------------------------------------------------------------

my_rule = Exercise(
    key="part1-my-rule",
    goal="Deductive: write a rule by hand that picks who gets a release mail.",
    answer_names=["my_rule"],
    checker=_check_my_rule,
    hints=[
        "Look at FEATURE_DESCRIPTIONS: which column says how much a customer likes the "
        "mailed brand?",
        "A rule is a comparison that gives True/False per row, e.g. "
        "`features['brand_orders'] >= 1`; combine conditions with | (or) and & (and).",
        "`orders` counts purchases of any brand: a release mail is about one brand.",
    ],
    success="That is conventional software: you wrote the rule, the computer applies it.",
)

train_model = Exercise(
    key="part1-train-model",
    goal="Inductive: let a model learn who accesses from past mails and their outcomes.",
    answer_names=["train_model"],
    checker=_check_train_model,
    hints=[
        "X = train[FEATURES] (what was known when each mail was sent), y = train['accessed'] "
        "(what happened).",
        "from sklearn.linear_model import LogisticRegression; model = "
        "LogisticRegression(max_iter=1000).fit(X, y); return model",
        "Counts are heavy-tailed (a few customers bought 50 times): which two steps of "
        "sklearn.preprocessing, chained before the classifier with make_pipeline, tame them?",
    ],
    success="The rule came from data and answers, not from a person.",
)

same_budget_rates = Exercise(
    key="part1-same-budget",
    goal="Compare a rule and a model fairly: the same number of mails in every campaign.",
    answer_names=["same_budget_rates"],
    checker=_check_same_budget_rates,
    hints=[
        "The rule's rate is the mean of `accessed` over the rows it picked.",
        "Per campaign, the budget is the number of rule picks: "
        "rule_picks.groupby(test['campaign_id']).transform('sum').",
        "Put the scores on test's index, then rank them within each campaign, highest "
        "first (groupby(...).rank(ascending=False)). Which ranks fit in the budget?",
    ],
    success="Same budget, same campaigns: now the difference is the method, not the list size.",
)

who_decides = Exercise(
    key="part1-who-decides",
    goal="Know where explainability matters more than accuracy.",
    answer_names=["WHO_DECIDES"],
    checker=_check_who_decides,
    hints=[
        "Ask of each decision: will the person affected ask *why*, and are they owed an answer?",
        "A loan rejection must be explained; the order of items in a list need not be.",
    ],
    success="Explainability and accuracy trade off: choose by who is affected.",
)

task_types = Exercise(
    key="part1-task-types",
    goal="Map business questions to ML task types.",
    answer_names=["TASK_TYPES"],
    checker=_check_task_types,
    hints=[
        "First ask what one answer looks like: a number, a class, an oddity, a group, or an "
        "order of items.",
        "Are there labelled examples to learn from? Without labels it is clustering or "
        "anomaly detection.",
    ],
    success="The task type decides the data you need and how you measure success.",
)

spend_problem = Exercise(
    key="part1-spend-problem",
    goal="Frame a business question as supervised learning: rows, features, label, no leakage.",
    answer_names=["spend_problem"],
    checker=_check_spend_problem,
    hints=[
        "Rows: site.customers with signup_date < cutoff, indexed by customer_id. Features: "
        "only orders with order_date < cutoff.",
        "Label: orders with cutoff <= order_date < cutoff + horizon_days; spend = price × "
        "quantity, summed per customer; reindex with fill_value=0 for those who bought nothing.",
        "groupby('customer_id') then .reindex(ids, fill_value=0) gives one value per customer, "
        "buyers or not.",
    ],
    success="One row per customer, features from the past, the label from the future.",
)

monthly_value = Exercise(
    key="part1-monthly-value",
    goal="Price one prediction: ML value = number of predictions × effect of one prediction.",
    answer_names=["monthly_value"],
    checker=_check_monthly_value,
    hints=[
        "One prediction's effect: (model_rate − rule_rate) extra accesses per mail × "
        "value_per_access.",
        "value_per_access is a Money; Money * number gives a Money, and `.yen` is its amount.",
        "The value per month is the predictions of a month times the effect of one; "
        "wrap the yen in a Rate with the right `per`.",
    ],
    success="Before building a model, know what each of its predictions is worth.",
)

learning_curve = Exercise(
    key="part1-learning-curve",
    goal="Measure a learning curve: model accuracy against the amount of training data.",
    answer_names=["learning_curve"],
    checker=_check_learning_curve,
    hints=[
        "For each n in sizes: the first n rows of train (the oldest mails), a fresh "
        "make_model(), fitted on their FEATURES and `accessed`.",
        "Two measures per model on the same held-out `test`: roc_auc_score of its "
        "probabilities, and top_share_access_rate of its best 5%.",
        "Collect one dict per size in a list, then pd.DataFrame(rows).",
    ],
    success="More data, a more accurate model: the flywheel's engine.",
)

simulate_months = Exercise(
    key="part1-simulate-months",
    goal="Simulate months: the rule stays flat while the model learns from accumulating data.",
    answer_names=["simulate_months"],
    checker=_check_simulate_months,
    hints=[
        "np.cumsum(mails_per_month) gives the mails collected by the end of each month.",
        "learning_curve(train, test, collected)['access_rate'] is the model's rate for each "
        "month.",
        "The rule's rate, top_share_access_rate(test, rule_score(test), share=0.05), is the "
        "same every month.",
    ],
    success="Data arrives every day; a rule changes only when someone rewrites it.",
)

first_winning_month = Exercise(
    key="part1-first-winning-month",
    goal="Read the simulation: from which month does the model stay ahead of the rule?",
    answer_names=["first_winning_month"],
    checker=_check_first_winning_month,
    hints=[
        "ahead = simulation['model_rate'] > simulation['rule_rate'] (strictly).",
        "Walk the months from the last one backwards while the model is ahead; the last "
        "month you reach is the answer (None if the last month is not a lead).",
    ],
    success="That month is when the model overtakes the rule for good.",
)

patterns = Exercise(
    key="part1-patterns",
    goal="Tell winning patterns from losing ones, with the reason.",
    answer_names=["PATTERNS"],
    checker=_check_patterns,
    hints=[
        "Losing: the CX needs (near) 100% accuracy or a full explanation, no data "
        "accumulates, plain software already solves it, or no customer would miss it.",
        "Winning: the logic is complex, there is scale, an answer is needed immediately, or "
        "every customer needs a different answer.",
    ],
    success="Before any model: check that the pattern can win.",
)

affordable_monthly_cost = Exercise(
    key="part1-affordable-cost",
    goal="Read a published case's ROI with explicit units.",
    answer_names=["affordable_monthly_cost"],
    checker=_check_affordable_monthly_cost,
    hints=[
        "First the gain per month: the category's revenue, converted to a month with "
        ".to(), times the uplift, times the margin.",
        "ROI = (gain − cost) / cost, so cost = gain / (1 + ROI).",
    ],
    success="Units converted explicitly: a weekly figure never poses as a monthly one.",
)
