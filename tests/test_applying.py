"""Part 2's helpers: the board, funnel and grid figures, and the fair list trial."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from course.applying import (  # noqa: E402
    AISAS_STAGES,
    DOMAIN_EVENTS,
    TRIAL_LISTS,
    list_trial,
    plot_big_picture,
    plot_funnel,
    plot_priority_grid,
)
from course.world import make_fashion_site  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def site():
    return make_fashion_site(n_customers=3_000, seed=4)


@pytest.fixture(scope="module")
def trial(site):
    return list_trial(site)


def _board() -> pd.DataFrame:
    return pd.DataFrame({
        "timestamp": pd.to_datetime(["2025-05-01 10:00", "2025-05-01 10:00", "2025-05-01 10:05",
                                     "2025-06-03 19:00"]),
        "domain_event": ["learned of a release", "visited on release day", "purchased",
                         "missed the release date"],
    })


def _labelled(ax) -> None:
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_big_picture_draws_one_lane_per_domain_event_and_pink_problem_stickies():
    fig = plot_big_picture(_board(), title="a board")
    ax = fig.axes[0]
    _labelled(ax)
    assert ax.get_title() == "a board"
    assert [t.get_text() for t in ax.get_yticklabels()] == list(DOMAIN_EVENTS)
    sizes = [len(c.get_offsets()) for c in ax.collections]
    assert sizes == [3, 1]  # three domain events, one problem sticky


def test_big_picture_without_a_problem_has_no_pink_layer():
    fig = plot_big_picture(_board().iloc[:3])
    assert len(fig.axes[0].collections) == 1


@pytest.mark.parametrize(
    ("board", "error", "match"),
    [(pd.DataFrame({"timestamp": []}), ValueError, "domain_event"),
     (_board().iloc[:0], ValueError, "empty"),
     (_board().assign(domain_event="bought"), ValueError, "unknown"),
     ("not a table", TypeError, "timeline")],
)
def test_big_picture_rejects_bad_input(board, error, match):
    with pytest.raises(error, match=match):
        plot_big_picture(board)


def test_funnel_labels_each_stage_with_count_and_share():
    funnel = pd.Series([200, 150, 90, 60, 10], index=list(AISAS_STAGES))
    fig = plot_funnel(funnel)
    ax = fig.axes[0]
    _labelled(ax)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(AISAS_STAGES)
    texts = [t.get_text() for t in ax.texts]
    assert any("150" in t and "75%" in t for t in texts)


@pytest.mark.parametrize(
    ("funnel", "error"),
    [([1, 2], TypeError), (pd.Series(dtype=float), ValueError),
     (pd.Series([3, -1]), ValueError), (pd.Series(["a", "b"]), ValueError)],
)
def test_funnel_rejects_bad_input(funnel, error):
    with pytest.raises(error, match="funnel"):
        plot_funnel(funnel)


def test_priority_grid_puts_problems_in_their_cells():
    table = pd.DataFrame({"problem": ["missed", "stale", "sale"], "urgency": [3, 1, 1],
                          "importance": [3, 2, 2]})
    fig = plot_priority_grid(table)
    ax = fig.axes[0]
    _labelled(ax)
    texts = {t.get_text(): t.get_position() for t in ax.texts
             if not t.get_text().startswith("priority")}
    assert len(ax.texts) - len(texts) == 9  # each cell names its PoC priority
    assert texts["missed"] == (3, 3)
    assert texts["stale\nsale"] == (1, 2)  # two problems share a cell


@pytest.mark.parametrize(
    ("table", "error", "match"),
    [(pd.DataFrame({"problem": ["a"], "urgency": [4], "importance": [1]}), ValueError, "urgency"),
     (pd.DataFrame({"problem": ["a"], "urgency": [1]}), ValueError, "importance"),
     ([1, 2, 3], TypeError, "table")],
)
def test_priority_grid_rejects_bad_input(table, error, match):
    with pytest.raises(error, match=match):
        plot_priority_grid(table)


def test_trial_has_every_list_for_every_campaign(site, trial):
    assert set(trial["list"]) == set(TRIAL_LISTS)
    assert len(trial) == len(site.campaigns) * len(TRIAL_LISTS)
    sent = trial.pivot(index="campaign_id", columns="list", values="mails_sent")
    recipients = site.mail_log.groupby("campaign_id").size()
    assert (sent["random"] == np.maximum(1, np.round(recipients * 0.25))).all()
    assert (sent["random, twice the mails"] == np.maximum(1, np.round(recipients * 0.5))).all()
    assert np.allclose(trial["access_rate"], trial["accesses"] / trial["mails_sent"])


def test_trial_counts_come_from_the_mail_log(site, trial):
    # Half of the recipients chosen at random contain at most every access of the campaign.
    accesses = site.mail_log.groupby("campaign_id")["accessed"].sum()
    per_list = trial.pivot(index="campaign_id", columns="list", values="accesses")
    assert (per_list.le(accesses, axis=0)).all().all()
    assert (trial["top_page_visits"] >= trial["accesses"]).all()
    assert (trial["revenue_per_mail"] >= 0).all()


def test_trial_shows_better_aim_not_more_volume_moves_the_access_rate(trial):
    means = trial.groupby("list", observed=True)[["model_auc", "access_rate",
                                                  "top_page_visits"]].mean()
    assert abs(means.loc["random", "model_auc"] - 0.5) < 0.03
    assert means.loc["rule + mail history", "model_auc"] > means.loc["random", "model_auc"] + 0.04
    gain = means["access_rate"] / means.loc["random", "access_rate"] - 1
    assert gain["rule: bought the brand"] > 0.15 and gain["rule + mail history"] > 0.15
    assert abs(gain["random, twice the mails"]) < 0.1
    visits = means["top_page_visits"] / means.loc["random", "top_page_visits"] - 1
    assert visits.abs().max() < 0.05


def test_trial_is_reproducible_and_seeded(site, trial):
    again = list_trial(site)
    pd.testing.assert_frame_equal(trial, again)
    other = list_trial(site, seed=1)
    random = other["list"] == "random"
    assert not other.loc[random, "accesses"].equals(trial.loc[random, "accesses"])


@pytest.mark.parametrize(("args", "error"), [((object(),), TypeError), ((None,), TypeError)])
def test_trial_rejects_a_non_site(args, error):
    with pytest.raises(error, match="site"):
        list_trial(*args)


@pytest.mark.parametrize("seed", [-1, 1.5, True])
def test_trial_rejects_a_bad_seed(site, seed):
    with pytest.raises(ValueError, match="seed"):
        list_trial(site, seed=seed)
