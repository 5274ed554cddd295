"""Part 3, Starting (開始編), notebooks 04-06: visible checks and hints.

04 step 3, personalisation with ML · 05 an honest A/B test · 06 production questions.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Mapping
from statistics import NormalDist

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline

from course.exercises._shapes import customer_ids as _ids
from course.exercises._shapes import is_number as _is_number
from course.features import FEATURES, recipient_features, top_share_access_rate
from course.feedback import Exercise, NotYet, call_learner, expect
from course.metrics import lift, precision_at_k, two_proportion_test
from course.money import Money, Rate
from course.personalisation import is_course_model, lift_ci


def _close(a: float, b: float, rel: float = 1e-6) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-9)




class _FormulaModel:
    """A stand-in for a fitted model: scores from a fixed formula of the features.

    It insists on exactly the FEATURES columns, as a scikit-learn model trained on them does.
    """

    def __init__(self, weights: Mapping[str, float] | None = None):
        self.weights = dict(weights or {"access_rate": 30.0, "brand_share": 2.0,
                                        "brand_orders": 0.3, "mails_28d": -0.2})

    def _score(self, features: pd.DataFrame) -> np.ndarray:
        if not isinstance(features, pd.DataFrame):
            raise NotYet("the model expects a DataFrame with the FEATURES columns, e.g. "
                         "features[FEATURES].")
        extra = [c for c in features.columns if c not in FEATURES]
        missing = [c for c in FEATURES if c not in features.columns]
        if extra or missing:
            what = f"columns it was not trained on ({extra[:3]})" if extra else (
                f"no column {missing[:3]}")
            raise NotYet(f"the model was given {what}: a model trained on FEATURES must be "
                         "scored on exactly those columns, features[FEATURES] (no customer_id).")
        z = sum(w * np.log1p(features[c].to_numpy(dtype=float)) for c, w in self.weights.items())
        return 1 / (1 + np.exp(-(z - 4)))

    def predict_proba(self, features: pd.DataFrame) -> np.ndarray:
        p = self._score(features)
        return np.column_stack([1 - p, p])

    def predict(self, features: pd.DataFrame) -> np.ndarray:
        return self._score(features) > 0.5


# ======================================================================================
# 04 · Step 3: personalisation with ML
# ======================================================================================

EVALUATION_KEYS = ("auc", "precision_at_budget")


def _evaluation(result: object) -> tuple[float, float]:
    expect(isinstance(result, Mapping), "`offline_evaluation` should return a dict such as "
           "{'auc': 0.7, 'precision_at_budget': 0.12}.")
    missing = [k for k in EVALUATION_KEYS if k not in result]
    expect(not missing, f"your dict lacks the keys {missing}.")
    auc, precision = result["auc"], result["precision_at_budget"]
    expect(_is_number(auc) and _is_number(precision), "both values should be numbers.")
    expect(0 <= precision <= 1, f"precision_at_budget is {precision}: give it as a fraction "
           "between 0 and 1 (0.12 is 12%), not a percentage or a count.")
    return float(auc), float(precision)


def _check_offline_evaluation(offline_evaluation, *, test, share) -> None:
    labels = test["accessed"].to_numpy()
    scores = np.log1p(test["access_rate"].to_numpy() * 100) + 0.3 * test["brand_share"].to_numpy()
    try:
        result = call_learner(offline_evaluation, test.copy(), scores.copy(), share)
    except NotYet as error:
        if "continuous" in str(error):
            raise NotYet("roc_auc_score takes the labels first, then the scores: "
                         "roc_auc_score(test['accessed'], scores).") from None
        raise
    auc, precision = _evaluation(result)
    right_auc = roc_auc_score(labels, scores)
    expect(not _close(auc, 1 - right_auc, 1e-4), "your AUC is upside down (1 − AUC): the higher "
           "a score, the likelier an access. roc_auc_score(labels, scores) in that order.")
    expect(_close(auc, right_auc, 1e-6), "the AUC is not that of these scores against the "
           "`accessed` labels of `test` (sklearn.metrics.roc_auc_score(labels, scores)).")
    right = top_share_access_rate(test, scores, share)
    k = max(1, math.ceil(share * len(test)))
    pooled = precision_at_k(scores, labels, k)
    expect(not (_close(precision, pooled, 1e-9) and not _close(pooled, right, 1e-9)),
           "you took the top scores of the whole table at once. Each past campaign mails its own "
           "list: take the top `share` of each campaign's recipients "
           "(course.features.top_share_access_rate does it).")
    bottom = top_share_access_rate(test, -scores, share)
    expect(not _close(precision, bottom, 1e-9), "you measured the lowest scores: a list mails "
           "the customers with the highest scores first.")
    expect(not _close(precision, labels.mean(), 1e-9), "that is the access rate of every mail in "
           "`test`, as random mailing gets; keep only the top `share` of each campaign.")
    expect(_close(precision, right, 1e-9), "precision_at_budget is not the access rate of the "
           "top `share` of each campaign's recipients by score.")
    _, wider = _evaluation(call_learner(offline_evaluation, test.copy(), scores.copy(), 0.3))
    expect(_close(wider, top_share_access_rate(test, scores, 0.3), 1e-9), "with share=0.3 your "
           "precision is wrong: use the `share` you are given.")


def _fit_quietly(train_access_model, train: pd.DataFrame) -> tuple[object, float, list]:
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = call_learner(train_access_model, train)
    return model, time.perf_counter() - started, caught


def _scores_of(model: object, table: pd.DataFrame) -> np.ndarray:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            proba = model.predict_proba(table[FEATURES])
    except NotYet:
        raise
    except Exception as error:
        raise NotYet(f"your model cannot score the FEATURES columns ({type(error).__name__}: "
                     f"{str(error).splitlines()[0][:160]}). Train it on train[FEATURES] exactly: "
                     "no ids, no label.") from None
    proba = np.asarray(proba)
    expect(proba.ndim == 2 and proba.shape == (len(table), 2), "predict_proba should give two "
           "columns, P(no access) and P(access): train on the True/False column `accessed`.")
    return proba[:, 1]


def _check_train_access_model(train_access_model, *, train, test, share) -> None:
    model, seconds, caught = _fit_quietly(train_access_model, train.copy())
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        raise NotYet("scikit-learn warned that the fit did not converge: put a StandardScaler "
                     "(after np.log1p of the counts) before the model, or raise max_iter.")
    expect(model is not None, "`train_access_model` returned None: return the fitted pipeline.")
    expect(not is_course_model(model), "that is the course's own model "
           "(course.personalisation.fit_access_model), kept for notebooks 05 and 06: build and "
           "fit your own pipeline here.")
    expect(isinstance(model, Pipeline), "return a scikit-learn Pipeline (make_pipeline(...)."
           "fit(...)), so that the same preparation of the features runs at prediction time; "
           f"you returned a {type(model).__name__}.")
    expect(hasattr(model, "predict_proba"), "the pipeline's last step should be a classifier "
           "with predict_proba, e.g. LogisticRegression.")
    n_in = getattr(model, "n_features_in_", len(FEATURES))
    expect(n_in == len(FEATURES), f"your model was trained on {n_in} columns; train it on the "
           f"{len(FEATURES)} columns of FEATURES (the label `accessed` is not a feature).")
    scores = _scores_of(model, test)
    labels = test["accessed"].to_numpy()
    auc = roc_auc_score(labels, scores)
    rule_scores = test["brand_orders"].to_numpy() - test["days_since_order"].to_numpy() / 1_000
    rule_auc, rule_precision = roc_auc_score(labels, rule_scores), top_share_access_rate(
        test, rule_scores, share)
    expect(auc > 0.5, f"your model's AUC on later campaigns is {auc:.2f}, worse than chance: "
           "did you train on the label `accessed` (not its opposite)?")
    expect(auc >= rule_auc + 0.03, f"your model's AUC on later campaigns ({auc:.2f}) is no better "
           f"than the rule's ({rule_auc:.2f}): use all FEATURES; the mail history is where a "
           "model can beat the rule.")
    expect(auc >= 0.70, f"your model's AUC on later campaigns is {auc:.2f}; a pipeline with "
           "np.log1p, a StandardScaler and a LogisticRegression on FEATURES reaches about 0.75.")
    precision = top_share_access_rate(test, scores, share)
    expect(precision > rule_precision, f"at the mail budget your model's lists reach "
           f"{precision:.1%}, not more than the rule's {rule_precision:.1%}: try the log of the "
           "counts (np.log1p), which are heavy-tailed.")
    expect(seconds < 60, f"training took {seconds:.0f} s: a first model should train in seconds "
           "(a LogisticRegression, or fewer iterations).")
    inverted = train.sample(min(len(train), 20_000), random_state=3)
    inverted["accessed"] = ~inverted["accessed"].astype(bool)
    upside_down, _, _ = _fit_quietly(train_access_model, inverted)
    expect(roc_auc_score(labels, _scores_of(upside_down, test)) < 0.5, "trained on a table "
           "whose labels were turned upside down, your function still predicts the real "
           "accesses: it must train on the table it is given, not on the notebook's `train` "
           "or an earlier model.")


def _release_scores(site, model: _FormulaModel, brand_id: int,
                    release_id: int | None) -> pd.Series:
    """The stand-in model's score of every customer for a release, indexed by customer_id."""
    features = recipient_features(site, brand_id, release_id)
    scores = model.predict_proba(features[FEATURES])[:, 1]
    return pd.Series(scores, index=features["customer_id"].to_numpy())


def _is_top(ids: np.ndarray, scores: pd.Series, n: int) -> bool:
    """Are `ids` n customers whose scores are all among the n highest (ties either way)?"""
    if len(ids) != n or len(np.unique(ids)) != n or not np.isin(ids, scores.index).all():
        return False
    threshold = np.sort(scores.to_numpy())[::-1][n - 1]
    return bool((scores.loc[ids].to_numpy() >= threshold - 1e-12).all())


def _later_release(site) -> pd.Series:
    """An upcoming release that is not its brand's next one (if any brand has two)."""
    upcoming = site.upcoming_releases.sort_values(["release_date", "release_id"])
    second = upcoming[upcoming.duplicated("brand_id")]
    return second.iloc[0] if len(second) else upcoming.iloc[1]


def _check_model_recipients(model_recipients, *, site, n) -> None:
    release = _later_release(site)
    brand_id, release_id = int(release["brand_id"]), int(release["release_id"])
    model = _FormulaModel()
    shop = site.copy()
    calls, sent = shop.oracle_calls, len(shop.sent_log)
    raw = call_learner(model_recipients, model, shop, brand_id, release_id, n)
    expect(shop.oracle_calls == calls, "your function called oracle_recipients: it reads the "
           "hidden truth, which no real shop has. Pick from the model's scores.")
    expect(len(shop.sent_log) == sent, "your function sent mails: picking the recipients must "
           "not mail them.")
    ids = _ids(raw, "model_recipients")
    scores = _release_scores(site, model, brand_id, release_id)
    expect(len(ids) == n, f"your list has {len(ids)} customers; it should have `n` = {n}.")
    expect(len(np.unique(ids)) == n, "your list repeats customers.")
    if not _is_top(ids, scores, n) and _is_top(ids + 1, scores, n):
        raise NotYet("those are row positions (counted from 0), not customer ids: take the "
                     "`customer_id` column of the features at those rows.")
    expect(np.isin(ids, scores.index).all(), "your list holds ids that are not customers of "
           "the shop.")
    expect(not _is_top(ids, -scores, n), "your list holds the lowest scores: sort the scores "
           "from highest to lowest.")
    if not _is_top(ids, scores, n):
        next_one = _release_scores(site, model, brand_id, None)
        expect(not _is_top(ids, next_one, n), "your list is right for the brand's next release, "
               "but not for the `release_id` you are given: pass it to recipient_features (its "
               "features differ: fatigue and tenure depend on the send day).")
        raise NotYet("your list is not the `n` customers with the highest predicted access "
                     "probability for this release (score recipient_features(site, brand_id, "
                     "release_id)[FEATURES] with the model).")
    ranked = scores.loc[ids].to_numpy()
    expect((np.diff(ranked) <= 1e-12).all(), "the right customers, but not best first: order "
           "the list by score, highest first.")
    small = _ids(call_learner(model_recipients, model, site.copy(), brand_id, release_id, 7),
                 "model_recipients")
    expect(_is_top(small, scores, 7), "with n=7 your list should be the 7 best: use the `n` "
           "you are given.")
    other = site.upcoming_releases[site.upcoming_releases["brand_id"] != brand_id].iloc[0]
    other_brand, other_release = int(other["brand_id"]), int(other["release_id"])
    picked = _ids(call_learner(model_recipients, model, site.copy(), other_brand,
                               other_release, n), "model_recipients")
    expect(_is_top(picked, _release_scores(site, model, other_brand, other_release), n),
           "for another release your list is wrong: build the features of the `brand_id` and "
           "`release_id` you are given.")


offline_evaluation = Exercise(
    key="part3-offline-evaluation",
    goal="Judge a recipient list offline, on later campaigns: AUC and precision at the budget.",
    answer_names=["offline_evaluation"],
    checker=_check_offline_evaluation,
    hints=[
        "sklearn.metrics.roc_auc_score(labels, scores), labels first: "
        "roc_auc_score(test['accessed'], scores).",
        "course.features.top_share_access_rate(test, scores, share) keeps the top `share` of "
        "each campaign's recipients and returns their access rate.",
    ],
    success="Now any list, a rule's or a model's, can be judged before a single mail is sent.",
)

train_access_model = Exercise(
    key="part3-train-access-model",
    goal="Step 3: learn from mail and purchase history who accesses the site from a mail.",
    answer_names=["train_access_model"],
    checker=_check_train_access_model,
    hints=[
        "A scikit-learn pipeline chains steps: make_pipeline(step1, step2, classifier); "
        "which classifier gives a probability of access and weights you can read?",
        "X is train[FEATURES] and y is train['accessed']; return the fitted pipeline.",
        "Counts are heavy-tailed (most customers bought nothing, a few bought a lot): the log "
        "(np.log1p) makes them easier for a linear model.",
    ],
    success="Uncertainty 1 is answered: a model can be built from the shop's data.",
)

model_recipients = Exercise(
    key="part3-model-recipients",
    goal="Turn the model's predictions into a recipient list for an upcoming release.",
    answer_names=["model_recipients"],
    checker=_check_model_recipients,
    hints=[
        "recipient_features(site, brand_id, release_id) has one row per customer: a "
        "customer_id column, then FEATURES.",
        "model.predict_proba(features[FEATURES])[:, 1] is each customer's predicted chance to "
        "access.",
        "np.argsort(-scores)[:n] gives the rows of the n highest scores; return the "
        "customer_id of those rows.",
    ],
    success="The model now builds a list for any release, as the query did in step 2.",
)


# ======================================================================================
# 05 · An honest test
# ======================================================================================

def _two_arms(result: object, function: str = "split_into_arms") -> tuple[np.ndarray, np.ndarray]:
    expect(isinstance(result, tuple | list) and len(result) == 2, f"`{function}` should return "
           "two arrays of ids: (arm_a, arm_b).")
    return _ids(result[0], function), _ids(result[1], function)


def _check_split_into_arms(split_into_arms, *, customer_ids) -> None:
    everyone = np.asarray(customer_ids, dtype=np.int64)
    a, b = _two_arms(call_learner(split_into_arms, everyone.copy(), 0))
    expect(not np.intersect1d(a, b).size, "a customer is in both arms: each customer must get "
           "one mail only, the rule's or the model's.")
    expect(len(a) + len(b) == len(everyone) and np.array_equal(np.union1d(a, b), np.unique(
        everyone)), "together the two arms should hold every customer id you are given, once.")
    expect(abs(len(a) - len(b)) <= 1, f"the arms have {len(a):,} and {len(b):,} customers: "
           "split into two halves.")
    z_order = (a.mean() - everyone.mean()) / (everyone.std() / math.sqrt(len(a)) + 1e-12)
    expect(abs(z_order) < 6, "your arms split the ids in order. Customer ids follow sign-up "
           "order, so one arm would hold the older customers, with longer histories: the test "
           "would compare customers, not lists. Draw the arms at random.")
    even = (a % 2 == 0).mean()
    expect(abs(even - 0.5) < 6 * 0.5 / math.sqrt(len(a)), "your arms follow the parity of the "
           "ids: a rule, not chance. Draw the arms at random (a shuffle with the seed).")
    again = _two_arms(call_learner(split_into_arms, everyone.copy(), 0))
    expect(set(again[0].tolist()) == set(a.tolist()), "with the same seed the arms should be the "
           "same: use the `seed` for the random generator (np.random.default_rng(seed)).")
    other = _two_arms(call_learner(split_into_arms, everyone.copy(), 1))
    expect(set(other[0].tolist()) != set(a.tolist()), "another seed gives the same arms: draw "
           "them with a generator seeded by `seed`.")
    few = np.array([40, 7, 13, 99, 5])
    c, d = _two_arms(call_learner(split_into_arms, few.copy(), 3))
    expect(sorted(c.tolist() + d.tolist()) == sorted(few.tolist()) and abs(len(c) - len(d)) <= 1,
           "on five ids (40, 7, 13, 99, 5) the arms should hold those ids, two and three: work "
           "with the ids you are given, not with positions.")


def _check_arm_list(arm_list, *, ranked_ids, arm, n) -> None:
    ranked = np.asarray(ranked_ids, dtype=np.int64)
    members = np.asarray(arm, dtype=np.int64)
    got = _ids(call_learner(arm_list, ranked.copy(), members.copy(), n), "arm_list")
    want = ranked[np.isin(ranked, members)][:n]
    top_then_filter = ranked[:n][np.isin(ranked[:n], members)]
    expect(not (len(got) == len(top_then_filter) < len(want)), "you took the top `n` of the "
           "whole ranking and then kept the arm's customers: that leaves about half a list. "
           "Keep the arm's customers first, then take `n` of them.")
    expect(np.isin(got, members).all(), "your list holds customers of the other arm.")
    expect(len(got) == len(want), f"your list has {len(got)} customers; it should have `n` "
           f"(or every ranked customer of the arm when there are fewer).")
    expect(set(got.tolist()) == set(want.tolist()), "your list is not the best-ranked customers "
           "of the arm: walk down the ranking and keep the arm's customers.")
    expect(got.tolist() == want.tolist(), "the right customers, but not in the ranking's order: "
           "keep the best first.")
    tiny = _ids(call_learner(arm_list, np.array([5, 3, 9, 1, 7, 2]), np.array([2, 3, 1, 8]), 2),
                "arm_list")
    expect(tiny.tolist() == [3, 1], "with ranking [5, 3, 9, 1, 7, 2], arm {1, 2, 3, 8} and n=2 "
           "the list should be [3, 1].")
    short = _ids(call_learner(arm_list, np.array([5, 3, 9]), np.array([3, 4]), 10), "arm_list")
    expect(short.tolist() == [3], "when the arm has fewer ranked customers than `n`, return "
           "those it has.")


READOUT_KEYS = ("control_rate", "treatment_rate", "lift", "lift_low", "lift_high", "p_value")


def _fake_season(rng: np.random.Generator, rate: float, mails: list[int]) -> pd.DataFrame:
    mails_arr = np.asarray(mails)
    accesses = rng.binomial(mails_arr, rate)
    return pd.DataFrame({
        "release_id": np.arange(1, len(mails) + 1), "brand_id": 1 + np.arange(len(mails)) % 4,
        "mails": mails_arr, "accesses": accesses, "orders": accesses // 3,
        "unsubscribed": np.zeros(len(mails), dtype=int), "access_rate": accesses / mails_arr,
    })


def _reference_readout(control: pd.DataFrame, treatment: pd.DataFrame) -> dict:
    x2, n2 = int(control["accesses"].sum()), int(control["mails"].sum())
    x1, n1 = int(treatment["accesses"].sum()), int(treatment["mails"].sum())
    low, high = lift_ci(x1, n1, x2, n2)
    return {"control_rate": x2 / n2, "treatment_rate": x1 / n1, "lift": lift(x1 / n1, x2 / n2),
            "lift_low": low, "lift_high": high,
            "p_value": two_proportion_test(x1, n1, x2, n2).p_value}


def _readout(result: object) -> dict:
    expect(isinstance(result, Mapping), "`ab_readout` should return a dict with the keys "
           f"{list(READOUT_KEYS)}.")
    missing = [k for k in READOUT_KEYS if k not in result]
    expect(not missing, f"your dict lacks the keys {missing}.")
    expect(all(_is_number(result[k]) for k in READOUT_KEYS), "every value of the read-out "
           "should be a number.")
    return {k: float(result[k]) for k in READOUT_KEYS}


def _check_ab_readout(ab_readout) -> None:
    rng = np.random.default_rng(21)
    control = _fake_season(rng, 0.12, [900, 40, 700, 60, 1_000, 300])
    treatment = _fake_season(rng, 0.14, [100, 950, 80, 900, 200, 650])
    got = _readout(call_learner(ab_readout, control.copy(), treatment.copy()))
    want = _reference_readout(control, treatment)
    expect(got["control_rate"] <= 1 and got["treatment_rate"] <= 1, "give rates as fractions "
           "between 0 and 1, not percentages.")
    swapped = _reference_readout(treatment, control)
    expect(not (_close(got["control_rate"], swapped["control_rate"]) and not _close(
        got["control_rate"], want["control_rate"])), "control and treatment are swapped: the "
           "first argument is the control (the rule), the second the treatment (the model).")
    expect(not _close(got["control_rate"], control["access_rate"].mean()), "you averaged the "
           "releases' rates, so a release of 40 mails weighs as much as one of 1,000. Pool the "
           "season: total accesses ÷ total mails.")
    expect(_close(got["control_rate"], want["control_rate"]) and _close(
        got["treatment_rate"], want["treatment_rate"]), "the arms' rates should be each arm's "
           "total accesses ÷ total mails over the season.")
    expect(not _close(got["lift"], want["treatment_rate"] - want["control_rate"]), "that lift "
           "is a difference in percentage points; the lift is relative: "
           "(treatment − control) ÷ control.")
    expect(_close(got["lift"], want["lift"]), "the lift should be (treatment rate − control "
           "rate) ÷ control rate (course.metrics.lift(treatment, control)).")
    expect(got["lift_low"] <= got["lift"] <= got["lift_high"], "the interval should contain the "
           "lift: lift_low ≤ lift ≤ lift_high.")
    expect(_close(got["lift_low"], want["lift_low"]) and _close(got["lift_high"],
                                                                want["lift_high"]),
           "the interval is not lift_ci(treatment accesses, treatment mails, control accesses, "
           "control mails) from course.personalisation, over the pooled season.")
    expect(_close(got["p_value"], want["p_value"]), "the p-value should be the two-proportion "
           "test of the pooled counts (course.metrics.two_proportion_test(...).p_value).")


def _check_decide(decide) -> None:
    def verdict(**readout):
        base = {"control_rate": 0.12, "treatment_rate": 0.12 * (1 + readout["lift"])}
        answer = call_learner(decide, {**base, **readout}, 0.10, 0.05)
        expect(answer in ("go", "stop", "inconclusive"), "`decide` should return one of the "
               f"words 'go', 'stop' or 'inconclusive', not {answer!r}.")
        return answer

    expect(verdict(lift=0.18, lift_low=0.11, lift_high=0.25, p_value=1e-6) == "go",
           "a lift of +18% (interval +11% to +25%, p ≈ 0.000001) meets both criteria: go.")
    expect(verdict(lift=0.15, lift_low=0.01, lift_high=0.30, p_value=0.04) == "go",
           "a lift of +15% with p = 0.04 meets the criteria as written (lift ≥ min_lift, "
           "p < alpha): go, even though the interval reaches below +10%.")
    expect(verdict(lift=0.04, lift_low=0.01, lift_high=0.07, p_value=0.001) == "stop",
           "+4% is significant (p = 0.001) but even the interval's best case (+7%) is below the "
           "+10% the model must bring: stop. Significant is not the same as big enough.")
    expect(verdict(lift=-0.05, lift_low=-0.12, lift_high=0.02, p_value=0.2) == "stop",
           "a lift whose whole interval (−12% to +2%) is below +10% means the model cannot "
           "bring what was asked: stop.")
    expect(verdict(lift=0.20, lift_low=-0.10, lift_high=0.60, p_value=0.25) == "inconclusive",
           "+20% with an interval from −10% to +60% and p = 0.25 could be luck: the test "
           "cannot tell. Neither go (not significant) nor stop (+10% is inside the interval).")
    expect(verdict(lift=0.06, lift_low=-0.02, lift_high=0.14, p_value=0.12) == "inconclusive",
           "+6% with an interval reaching +14% cannot rule out the +10% the model needs, and "
           "is not significant: inconclusive.")
    strict = call_learner(decide, {"control_rate": 0.1, "treatment_rate": 0.115, "lift": 0.15,
                                   "lift_low": 0.05, "lift_high": 0.25, "p_value": 0.001},
                          0.20, 0.05)
    expect(strict == "inconclusive", "with min_lift=0.20, a lift of +15% (interval up to "
           "+25%) is not a go: use the `min_lift` you are given.")
    tight = call_learner(decide, {"control_rate": 0.1, "treatment_rate": 0.118, "lift": 0.18,
                                  "lift_low": 0.02, "lift_high": 0.34, "p_value": 0.02},
                         0.10, 0.01)
    expect(tight == "inconclusive", "with alpha=0.01, p = 0.02 is not significant: use the "
           "`alpha` you are given.")


def _reference_mails_per_arm(control_rate: float, min_lift: float, alpha: float,
                             power: float) -> float:
    p1, p2 = control_rate, control_rate * (1 + min_lift)
    p_bar = (p1 + p2) / 2
    z_alpha = NormalDist().inv_cdf(1 - alpha / 2)
    z_power = NormalDist().inv_cdf(power)
    top = z_alpha * math.sqrt(2 * p_bar * (1 - p_bar)) + z_power * math.sqrt(
        p1 * (1 - p1) + p2 * (1 - p2))
    return (top / (p2 - p1)) ** 2


def _check_mails_per_arm(mails_per_arm) -> None:
    def run(*args):
        answer = call_learner(mails_per_arm, *args)
        expect(_is_number(answer), "`mails_per_arm` should return a number of mails, not a "
               f"{type(answer).__name__}.")
        return answer

    got = run(0.12, 0.10, 0.05, 0.8)
    exact = _reference_mails_per_arm(0.12, 0.10, 0.05, 0.8)
    one_sided = _reference_mails_per_arm(0.12, 0.10, 0.10, 0.8)
    expect(not abs(got - one_sided) <= 1, "that is the size for a one-sided test: the course's "
           "two-proportion test is two-sided, so use z for 1 − alpha/2.")
    absolute = _reference_mails_per_arm(0.12, 0.10 / 0.12, 0.05, 0.8)
    expect(not abs(got - absolute) <= 1, "you read min_lift as percentage points; it is "
           "relative: the treatment rate is control_rate × (1 + min_lift).")
    expect(not abs(got - math.sqrt(exact)) <= 1, "you forgot to square: n = (... / (p2 − "
           "p1))².")
    expect(abs(got - exact) <= 1, "not the number of mails per arm yet: check the formula in the "
           "notebook (z of 1 − alpha/2, z of power, p2 = p1 × (1 + min_lift)).")
    expect(got >= exact - 1e-6, f"{got:,.0f} mails per arm are not enough: round up, never "
           "down (a fraction of a mail is one more mail).")
    expect(float(got).is_integer(), "return a whole number of mails (math.ceil).")
    other = run(0.025, 0.5, 0.01, 0.9)
    other_exact = _reference_mails_per_arm(0.025, 0.5, 0.01, 0.9)
    expect(abs(other - other_exact) <= 1, "with other arguments (2.5%, +50%, alpha 0.01, power "
           "0.9) your size is wrong: use every argument you are given.")
    expect(other >= other_exact - 1e-6 and float(other).is_integer(), f"with other arguments "
           f"the size is {other_exact:,.2f} mails, and you gave {other:,}: round up with "
           "math.ceil, never to the nearest (round() can round down, leaving the test short).")


split_into_arms = Exercise(
    key="part3-split-into-arms",
    goal="Split customers at random into two arms, so the test compares lists, not customers.",
    answer_names=["split_into_arms"],
    checker=_check_split_into_arms,
    hints=[
        "rng = np.random.default_rng(seed); rng.permutation(ids) shuffles the ids.",
        "The first half of the shuffled ids is arm A, the rest arm B.",
    ],
    success="Chance, not a rule, decides who sees which list.",
)

arm_list = Exercise(
    key="part3-arm-list",
    goal="Give each arm the best-ranked customers it holds.",
    answer_names=["arm_list"],
    checker=_check_arm_list,
    hints=[
        "np.isin(ranked_ids, arm) is True where a ranked customer belongs to the arm.",
        "Keep those ids (in the ranking's order), then take the first n.",
    ],
    success="Each arm mails its own best customers by its own method.",
)

ab_readout = Exercise(
    key="part3-ab-readout",
    goal="Read out an A/B test: the lift of the CX metric, its interval and its p-value.",
    answer_names=["ab_readout"],
    checker=_check_ab_readout,
    hints=[
        "Pool the season: accesses = table['accesses'].sum(), mails = table['mails'].sum(), "
        "for each arm; wrap the sums in int().",
        "lift(treatment_rate, control_rate) and two_proportion_test(x_t, n_t, x_c, n_c) are in "
        "course.metrics; lift_ci(x_t, n_t, x_c, n_c) in course.personalisation.",
    ],
    success="A lift without its interval is a guess; with it, a measurement.",
)

decide = Exercise(
    key="part3-decide",
    goal="Decide go, stop or inconclusive with criteria written down before the test.",
    answer_names=["decide"],
    checker=_check_decide,
    hints=[
        "Go: the lift reaches min_lift and p_value < alpha.",
        "Stop: even the interval's upper end (lift_high) is below min_lift.",
        "Anything else: inconclusive, the test was too small to tell.",
    ],
    success="Three honest answers: go, stop, or 'we do not know yet'.",
)

mails_per_arm = Exercise(
    key="part3-mails-per-arm",
    goal="Size a test before running it: how many mails can show the lift that matters?",
    answer_names=["mails_per_arm"],
    checker=_check_mails_per_arm,
    hints=[
        "p1 = control_rate and p2 = control_rate * (1 + min_lift); p̄ = (p1 + p2) / 2.",
        "NormalDist().inv_cdf(1 - alpha / 2) and NormalDist().inv_cdf(power) give the two z.",
        "Return math.ceil(...) of the formula.",
    ],
    success="Now a test's size comes from the decision it must support, not from habit.",
)


# ======================================================================================
# 06 · Production questions
# ======================================================================================

def _check_monthly_scoring_cost(monthly_scoring_cost) -> None:
    def run(seconds, predictions, yen_per_hour):
        answer = call_learner(monthly_scoring_cost, seconds, predictions, yen_per_hour)
        expect(not isinstance(answer, Money), "you returned a Money: a cost paid every month is a "
               "Rate, Rate(..., per='month').")
        expect(isinstance(answer, Rate), "`monthly_scoring_cost` should return a Rate per month "
               f"(course.money), not a {type(answer).__name__}: a bare number hides its unit.")
        return answer.per_month()

    got = run(2e-6, 300_000, 40.0)
    right = 2e-6 * 300_000 / 3_600 * 40.0
    expect(not _close(got, right * 3_600), "you multiplied seconds by yen per hour: convert the "
           "seconds of computing to hours first (÷ 3,600).")
    expect(not _close(got, right * 60), "an hour has 3,600 seconds, not 60.")
    expect(not _close(got, right / 30) and not _close(got, right * 30), "the predictions are "
           "already per month: no conversion by days is needed.")
    expect(_close(got, right), "not the monthly cost yet: seconds per prediction × predictions "
           "per month ÷ 3,600 × yen per machine hour.")
    other = run(0.004, 1_000_000, 120.0)
    expect(_close(other, 0.004 * 1_000_000 / 3_600 * 120.0), "with other arguments your cost is "
           "wrong: use every argument you are given.")


def _month_index(result: pd.Series) -> pd.Index:
    index = result.index
    if isinstance(index, pd.PeriodIndex):
        return index
    raise NotYet("index the Series by month as a pandas Period, e.g. "
                 "mails['send_date'].dt.to_period('M'), so that months sort and plot well.")


def _check_monthly_precision(monthly_precision, *, mails, scores, share) -> None:
    # A shuffled copy with a non-default index: scores follow the rows by position.
    order = np.random.default_rng(8).permutation(len(mails))
    shuffled = mails.iloc[order]
    shuffled_scores = np.asarray(scores)[order]
    try:
        result = call_learner(monthly_precision, shuffled.copy(), shuffled_scores.copy(), share)
    except NotYet as error:
        if any(name in str(error) for name in ("IndexError", "KeyError", "NaN")):
            raise NotYet(f"{error} — `scores` is a NumPy array that follows the rows of `mails` "
                         "by position, while `mails` keeps the index labels of a larger table: "
                         "pick a month's scores with a True/False mask (`scores[mask]`), not "
                         "with index labels, and do not line them up on the index "
                         "(pd.Series(scores) is indexed 0, 1, 2, …).") from None
        raise
    expect(isinstance(result, pd.Series), "`monthly_precision` should return a pandas Series "
           f"(one number per month), not a {type(result).__name__}.")
    months = _month_index(result)
    month = shuffled["send_date"].dt.to_period("M")
    wanted = sorted(month.unique())
    expect(sorted(months) == wanted, f"your Series has {len(months)} months; `mails` covers "
           f"{len(wanted)}: one value per month that has mails.")
    expect(((result >= 0) & (result <= 1)).all(), "give access rates as fractions between 0 "
           "and 1.")
    first = wanted[0]
    rows = (month == first).to_numpy()
    right = top_share_access_rate(shuffled[rows], shuffled_scores[rows], share)
    k = max(1, math.ceil(share * rows.sum()))
    pooled = precision_at_k(shuffled_scores[rows], shuffled["accessed"].to_numpy()[rows], k)
    got = float(result.loc[first])
    expect(not (_close(got, pooled, 1e-9) and not _close(pooled, right, 1e-9)), "you ranked the "
           "whole month at once; each campaign mails its own list: take the top `share` of each "
           "campaign (course.features.top_share_access_rate on the month's rows).")
    expect(not _close(got, shuffled.loc[rows, "accessed"].mean(), 1e-9), "that is the access "
           "rate of every mail of the month; keep only the top `share` of each campaign.")
    expect(_close(got, right, 1e-9), "the first month's value is not the access rate of the top "
           "`share` of its campaigns. Do the scores follow the rows of `mails` by position "
           "(a NumPy array has no index)?")
    for m in wanted[1:]:
        rows = (month == m).to_numpy()
        expect(_close(float(result.loc[m]), top_share_access_rate(
            shuffled[rows], shuffled_scores[rows], share), 1e-9),
            f"the value of {m} is not the access rate of the top `share` of its campaigns.")
    wider = call_learner(monthly_precision, shuffled.copy(), shuffled_scores.copy(), 0.3)
    rows = (month == first).to_numpy()
    expect(isinstance(wider, pd.Series) and _close(float(wider.loc[first]), top_share_access_rate(
        shuffled[rows], shuffled_scores[rows], 0.3), 1e-9), "with share=0.3 the first month's "
           "value is wrong: use the `share` you are given, not the notebook's BUDGET_SHARE.")


def _check_should_retrain(should_retrain) -> None:
    def run(history, reference=0.10, max_drop=0.2, patience=2):
        answer = call_learner(should_retrain, list(history), reference, max_drop, patience)
        expect(isinstance(answer, bool | np.bool_), "`should_retrain` should return True or "
               f"False, not a {type(answer).__name__}.")
        return bool(answer)

    expect(not run([0.10, 0.09, 0.085]), "0.09 and 0.085 are within 20% of the reference 0.10 "
           "(the limit is 0.08): no retraining yet.")
    expect(run([0.10, 0.07, 0.075]), "the last two months (0.07, 0.075) are both below the limit "
           "0.10 × (1 − 0.2) = 0.08: retrain. The drop is relative to the reference, and the "
           "rule looks at the latest `patience` months.")
    expect(not run([0.10, 0.095, 0.07]), "one bad month (0.07) can be noise: with patience=2, "
           "retrain only when the last two months are both below the limit.")
    expect(not run([0.06, 0.07, 0.09]), "the last month (0.09) is fine again: look at the "
           "latest `patience` months, not the first ones.")
    expect(not run([0.07]), "with fewer months than `patience`, there is not enough evidence: "
           "return False.")
    expect(run([0.10, 0.08, 0.08], max_drop=0.05), "0.08 is 20% below the reference 0.10, "
           "more than max_drop=0.05 allows (the limit is 0.095): retrain. Did you subtract "
           "max_drop from the reference? The drop is relative: reference × (1 − max_drop).")
    expect(run([0.10, 0.085, 0.085], max_drop=0.1), "0.085 is more than 10% below 0.10 (the "
           "limit is 0.09): with max_drop=0.1, retrain.")
    expect(run([0.10, 0.07, 0.07, 0.07], patience=3), "three months below the limit with "
           "patience=3: retrain.")
    expect(not run([0.10, 0.10, 0.07, 0.07], patience=3), "with patience=3, two bad months are "
           "not enough: use the `patience` you are given.")
    expect(not run([0.12, 0.085, 0.085]), "the history starts at 0.12, but the reference is "
           "0.10: the limit is 0.10 × (1 − 0.2) = 0.08, and 0.085 is above it. Compare with the "
           "`reference` you are given, not with the first month.")
    expect(not run([0.10, 0.082, 0.082]), "0.082 is 18% below the reference 0.10, within "
           "max_drop=0.2: no retraining. Measure the drop against the reference, "
           "(reference − value) ÷ reference, not ÷ value.")


class _SpyFit:
    """A stand-in for a training function: records what it is given, scores by a formula."""

    def __init__(self):
        self.seen: list[pd.Index] = []

    def __call__(self, table: pd.DataFrame) -> _FormulaModel:
        if not isinstance(table, pd.DataFrame) or not {"accessed", *FEATURES} <= set(table):
            raise NotYet("`fit` takes a table like `train` (FEATURES and the label `accessed`): "
                         "pass it a sample of rows of `train`.")
        self.seen.append(table.index)
        n = len(table)
        # More rows, more weight on the informative mail history: a curve that rises.
        return _FormulaModel({"access_rate": 30.0 * min(1.0, n / 5_000), "brand_share": 2.0,
                              "views": 1.0})


def _expected_curve(test: pd.DataFrame, sizes, share: float) -> pd.Series:
    spy = _SpyFit()
    values = {}
    for size in sizes:
        model = spy(pd.DataFrame(0, index=range(size), columns=[*FEATURES, "accessed"]))
        values[size] = top_share_access_rate(test, model.predict_proba(test[FEATURES])[:, 1],
                                             share)
    return pd.Series(values)


def _check_learning_curve(learning_curve, *, train, test, share) -> None:
    sizes = [500, 2_000, 8_000]
    spy = _SpyFit()
    result = call_learner(learning_curve, train.copy(), test.copy(), sizes, spy, share, 0)
    expect(isinstance(result, pd.Series), "`learning_curve` should return a pandas Series, one "
           f"value per size, not a {type(result).__name__}.")
    expect(len(spy.seen) == len(sizes), f"`fit` was called {len(spy.seen)} times for "
           f"{len(sizes)} sizes: train one model per size.")
    used = [len(index) for index in spy.seen]
    expect(sorted(used) == sorted(sizes), f"the models were trained on {used} rows; train each "
           f"on exactly `size` rows of `train` ({sizes}).")
    for index in spy.seen:
        expect(index.isin(train.index).all(), "a model was trained on rows that are not in "
               "`train`: never train on `test`, whose campaigns come later.")
        expect(index.is_unique, "a sample repeats rows: sample without replacement.")
    biggest = spy.seen[used.index(max(sizes))]
    expect(not biggest.equals(train.index[:max(sizes)]), "you took the first rows of `train`: "
           "they are its oldest campaigns. Take a random sample (train.sample(size, "
           "random_state=seed)).")
    expect(list(result.index) == sizes, "index the Series by the sizes, in the order given.")
    expected = _expected_curve(test, sizes, share)
    for size in sizes:
        expect(_close(float(result.loc[size]), float(expected.loc[size]), 1e-9),
               f"the value for {size} rows is not the access rate at the budget "
               "(top_share_access_rate of the model's scores on `test`, with `share`).")
    again = _SpyFit()
    call_learner(learning_curve, train.copy(), test.copy(), sizes, again, share, 0)
    same = len(spy.seen) == len(again.seen) and all(
        a.equals(b) for a, b in zip(spy.seen, again.seen, strict=True))
    expect(same, "with the same seed the samples should be the same: use `seed` "
           "(random_state=seed).")


monthly_scoring_cost = Exercise(
    key="part3-monthly-scoring-cost",
    goal="Answer a production question: what do the predictions cost per month?",
    answer_names=["monthly_scoring_cost"],
    checker=_check_monthly_scoring_cost,
    hints=[
        "Machine seconds per month = seconds per prediction × predictions per month; an hour "
        "is 3,600 seconds.",
        "Return Rate(yen, per='month') from course.money.",
    ],
    success="Scoring is cheap here; the question becomes how fresh the data must be.",
)

monthly_precision = Exercise(
    key="part3-monthly-precision",
    goal="Monitor a model month by month on the feedback its mails bring back.",
    answer_names=["monthly_precision"],
    checker=_check_monthly_precision,
    hints=[
        "month = mails['send_date'].dt.to_period('M') gives each mail its month.",
        "For each month, a True/False mask of its mails; the mask picks both the rows of "
        "`mails` and the matching scores (by position), then top_share_access_rate.",
        "Build the Series from a dict {month: value}, sorted by month.",
    ],
    success="This is the dashboard that tells when the model goes stale.",
)

should_retrain = Exercise(
    key="part3-should-retrain",
    goal="Write a retraining rule that reacts to decay but not to one noisy month.",
    answer_names=["should_retrain"],
    checker=_check_should_retrain,
    hints=[
        "The limit is reference × (1 − max_drop).",
        "Look at history[-patience:] and require every value to be below the limit.",
        "With fewer than `patience` months, return False.",
    ],
    success="A rule written down in advance, like the go/stop criteria of the test.",
)

learning_curve = Exercise(
    key="part3-learning-curve",
    goal="Draw the learning curve: how the model improves as labels accumulate (the flywheel).",
    answer_names=["learning_curve"],
    checker=_check_learning_curve,
    hints=[
        "For each size: sample = train.sample(size, random_state=seed); model = fit(sample).",
        "Each model scores the same held-out `test` (the probability of an access); the "
        "measure is top_share_access_rate of those scores.",
        "Return pd.Series({size: value, ...}) in the order of `sizes`.",
    ],
    success="More labels, a better list: the flywheel turns on the shop's own mails.",
)
