"""Wrong and right answers of Part 1, Understanding (理解編)."""

from catalogue import Right, Wrong

_WHO = ("order of the new items inside a customer's release mail",
        "which customers get a brand's release mail",
        "who may join the invitation-only presale for top customers",
        "refusing a customer's request to pay later (deferred payment)")


def _who(*answers):
    return "WHO_DECIDES = " + repr(dict(zip(_WHO, answers, strict=True)))


_TASKS = ("price a new item", "spot counterfeit items", "find mislabelled items",
          "segment customers", "forecast a cohort's spend", "rank items for a customer")


def _tasks(*answers):
    return "TASK_TYPES = " + repr(dict(zip(_TASKS, answers, strict=True)))


_SPEND = '''
def spend_problem(site, cutoff, horizon_days=90):
    day = pd.Timedelta(days=1)
    {customers}
    o = site.orders.assign(spend=site.orders["price"] * site.orders["quantity"])
    past = o[{past}]
    g = past.groupby("customer_id")
    last = g["order_date"].max().reindex(ids)
    features = pd.DataFrame({{
        "spend_before": g["spend"].sum().reindex(ids, fill_value=0),
        "lines_before": g.size().reindex(ids, fill_value=0),
        "days_since_order": {days},
    }}, index=ids)
    w = o[{window}]
    label = w.groupby("customer_id")[{value}].{agg}(){reindex}.astype(float)
    return features, label
'''
_SPEND_OK = dict(
    customers='ids = pd.Index(site.customers.loc[site.customers["signup_date"] < cutoff, '
              '"customer_id"])',
    past='o["order_date"] < cutoff',
    days='((cutoff - last) / day).fillna(999)',
    window='(o["order_date"] >= cutoff) & (o["order_date"] < cutoff + horizon_days * day)',
    value='"spend"', agg="sum", reindex=".reindex(ids, fill_value=0)")


def _spend(**changes):
    return _SPEND.format(**{**_SPEND_OK, **changes})


_CURVE = """
def learning_curve(train, test, sizes):
    rows = []
    for n in sizes:
        first = train.head(n)
        model = make_model().fit(first[FEATURES], first['accessed'])
        scores = {score}
        rows.append({{'n_mails': n, 'auc': roc_auc_score(test['accessed'], scores),
                     'access_rate': top_share_access_rate(test, scores, share=0.05)}})
    return pd.DataFrame(rows)
"""

_SIM = """
def simulate_months(train, test, mails_per_month):
    collected = {collected}
    curve = learning_curve(train, test, collected)
    return pd.DataFrame({{
        "month": {month},
        "training_mails": collected,
        "rule_rate": {rule},
        "model_rate": curve["access_rate"].to_numpy(),
    }})
"""

_SCENARIO = {
    "charge": "charge each order's exact amount to the customer's card",
    "later": "tell a customer why their pay-later request was refused",
    "store": "predict demand in a new store whose customer data may not be used",
    "sort": "sort the catalogue by price, cheapest first",
    "home": "choose the new items on each of 2 million customers' home pages every day",
    "fraud": "decide within 200 ms whether a card payment is fraud",
    "colour": "let a model pick the colour of the order-confirmation page every day",
}


def _patterns(**changes):
    """The solution's PATTERNS with the given scenarios answered otherwise."""
    lines = ["PATTERNS = dict(ex.PATTERN_ANSWERS)"]
    lines += [f"PATTERNS[{_SCENARIO[name]!r}] = {answer!r}" for name, answer in changes.items()]
    return "\n".join(lines)


_RANK = ("rank = pd.Series(model_scores, index=test.index).groupby(c).rank(ascending=False, "
         "method='first')")


def _budget(rank: str, chosen: str, rule: str = "float(test.loc[rule_picks, 'accessed'].mean())"
            ) -> str:
    """A same_budget_rates whose model list is `chosen`, from the per-campaign `budget`."""
    return ("def same_budget_rates(test, rule_picks, model_scores):\n"
            "    c = test['campaign_id']\n"
            "    budget = rule_picks.astype(int).groupby(c).transform('sum')\n"
            f"    {rank}\n"
            f"    chosen = pd.Series(np.asarray({chosen}), index=test.index)\n"
            f"    return {{'rule': {rule},\n"
            "            'model': float(test.loc[chosen, 'accessed'].mean()),\n"
            "            'model_picks': chosen}")


CASES = {
    "my_rule": [
        Wrong("buyers of any brand, not of the mailed brand",
              "def my_rule(features):\n    return features['orders'] >= 1", "%"),
        Wrong("reads the outcome column `accessed`",
              "def my_rule(features):\n    return features['accessed']", "reads `accessed`"),
        Wrong("returns a score (the past access rate), not a decision",
              "def my_rule(features):\n    return features['access_rate']", "numbers"),
        Wrong("threshold so strict almost nobody is mailed",
              "def my_rule(features):\n    return features['brand_orders'] >= 15", "only"),
        Wrong("leakage: looks up the outcome of the rows it is given in `test`",
              "def my_rule(features):\n"
              "    return test.loc[features.index, 'accessed'].astype(bool)",
              "besides the features"),
        Wrong("leakage: joins the mail log's outcomes on the ids",
              "def my_rule(features):\n"
              "    log = site.mail_log[['campaign_id', 'customer_id', 'accessed']]\n"
              "    got = features[['campaign_id', 'customer_id']].merge(log, how='left')\n"
              "    return got['accessed'].fillna(False).astype(bool).to_numpy()",
              "besides the features"),
        Wrong("mails everyone who has ever been mailed",
              "def my_rule(features):\n    return features['mails'] >= 1", "25%"),
        Right("gt(0) on brand orders", "def my_rule(features):\n"
              "    return features['brand_orders'].gt(0)"),
        Right("eval with a share of the brand", "def my_rule(features):\n"
              "    return features.eval('brand_orders >= 1 or brand_share >= 0.2')"),
    ],
    "train_model": [
        Wrong("leakage: fitted on train and the held-out test together",
              "def train_model(train):\n"
              "    both = pd.concat([train, test])\n"
              "    model = make_pipeline(FunctionTransformer(np.log1p), StandardScaler(),\n"
              "                          LogisticRegression(max_iter=1000))\n"
              "    return model.fit(both[FEATURES], both['accessed'])", "held-out"),
        Wrong("returns the predictions, not the model",
              "def train_model(train):\n"
              "    model = LogisticRegression(max_iter=1000).fit(train[FEATURES], "
              "train['accessed'])\n"
              "    return model.predict_proba(train[FEATURES])", "predictions"),
        Wrong("a regression model, no predict_proba",
              "from sklearn.linear_model import LinearRegression\n"
              "def train_model(train):\n"
              "    return LinearRegression().fit(train[FEATURES], train['accessed'])",
              "predict_proba"),
        Wrong("trained on every numeric column, ids included",
              "def train_model(train):\n"
              "    X = train.select_dtypes('number')\n"
              "    return LogisticRegression(max_iter=1000).fit(X, train['accessed'])",
              "other columns"),
        Wrong("forgets to fit",
              "def train_model(train):\n"
              "    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))",
              "not fitted"),
        Wrong("forgets the return",
              "def train_model(train):\n"
              "    model = LogisticRegression(max_iter=1000)\n"
              "    model.fit(train[FEATURES], train['accessed'])", "return model"),
        Right("gradient-boosted trees", "from sklearn.ensemble import "
              "HistGradientBoostingClassifier\n"
              "def train_model(train):\n"
              "    model = HistGradientBoostingClassifier(max_iter=30, max_leaf_nodes=15,\n"
              "                                           min_samples_leaf=100, random_state=0)\n"
              "    return model.fit(train[FEATURES], train['accessed'].astype(int))"),
        Right("log1p inside a FunctionTransformer on a copy, liblinear",
              "def train_model(train):\n"
              "    X = train.loc[:, FEATURES]\n"
              "    model = make_pipeline(FunctionTransformer(np.log1p), StandardScaler(),\n"
              "                          LogisticRegression(solver='liblinear'))\n"
              "    model.fit(X, train['accessed'].to_numpy())\n"
              "    return model"),
    ],
    "same_budget_rates": [
        Wrong("best scores over all campaigns together",
              "def same_budget_rates(test, rule_picks, model_scores):\n"
              "    k = int(rule_picks.sum())\n"
              "    picks = np.zeros(len(test), dtype=bool)\n"
              "    picks[np.argsort(-model_scores)[:k]] = True\n"
              "    picks = pd.Series(picks, index=test.index)\n"
              "    return {'rule': float(test.loc[rule_picks, 'accessed'].mean()),\n"
              "            'model': float(test.loc[picks, 'accessed'].mean()),\n"
              "            'model_picks': picks}",
              "over all campaigns"),
        Wrong("ranks with the lowest score first",
              _budget("rank = pd.Series(model_scores, index=test.index).groupby(c).rank("
                      "method='first')", "rank <= budget"), "lowest"),
        Wrong("the rule's rate is the share of mails it picks",
              _budget(_RANK, "rank <= budget", rule="float(rule_picks.mean())"), "rule's rate"),
        Wrong("scores put on a fresh 0..n index, test's own index kept",
              _budget("rank = pd.Series(model_scores).groupby(c).rank(ascending=False, "
                      "method='first')", "rank.to_numpy() <= budget.to_numpy()"),
              "test's index"),
        Wrong("the average budget of a campaign, not each campaign's",
              _budget(_RANK, "rank <= rule_picks.sum() / c.nunique()"), "in each campaign"),
        Wrong("off by one: rank < budget", _budget(_RANK, "rank < budget"),
              "same number of mails"),
        Wrong("no model_picks: only the two rates",
              "def same_budget_rates(test, rule_picks, model_scores):\n"
              "    c = test['campaign_id']\n"
              "    budget = rule_picks.astype(int).groupby(c).transform('sum')\n"
              f"    {_RANK}\n"
              "    return {'rule': float(test.loc[rule_picks, 'accessed'].mean()),\n"
              "            'model': float(test.loc[rank <= budget, 'accessed'].mean())}",
              "three keys"),
        Wrong("model_picks as the customer ids, not True/False",
              "def same_budget_rates(test, rule_picks, model_scores):\n"
              "    c = test['campaign_id']\n"
              "    budget = rule_picks.astype(int).groupby(c).transform('sum')\n"
              f"    {_RANK}\n"
              "    chosen = rank <= budget\n"
              "    return {'rule': float(test.loc[rule_picks, 'accessed'].mean()),\n"
              "            'model': float(test.loc[chosen, 'accessed'].mean()),\n"
              "            'model_picks': test.loc[chosen, 'customer_id']}",
              "one decision per row"),
        Right("everything on positions, consistently",
              "def same_budget_rates(test, rule_picks, model_scores):\n"
              "    c = test['campaign_id'].reset_index(drop=True)\n"
              "    budget = rule_picks.reset_index(drop=True).astype(int).groupby(c)"
              ".transform('sum')\n"
              "    rank = pd.Series(model_scores).groupby(c).rank(ascending=False, "
              "method='first')\n"
              "    chosen = (rank <= budget).to_numpy()\n"
              "    acc = test['accessed'].reset_index(drop=True)\n"
              "    return {'rule': float(test.loc[rule_picks, 'accessed'].mean()),\n"
              "            'model': float(acc[chosen].mean()), 'model_picks': chosen}"),
        Right("nlargest in a loop over campaigns",
              "def same_budget_rates(test, rule_picks, model_scores):\n"
              "    scores = pd.Series(model_scores, index=test.index)\n"
              "    chosen = []\n"
              "    for cid, rows in test.groupby('campaign_id'):\n"
              "        k = int(rule_picks.loc[rows.index].sum())\n"
              "        chosen.extend(scores.loc[rows.index].nlargest(k, keep='first').index)\n"
              "    return {'rule': test['accessed'][rule_picks].mean(),\n"
              "            'model': test.loc[chosen, 'accessed'].mean(),\n"
              "            'model_picks': test.index.isin(chosen)}"),
    ],
    "who_decides": [
        Wrong("accuracy first everywhere: all model",
              _who("model", "model", "model", "model"), "think again"),
        Wrong("the presale is about top customers: a model picks them",
              _who("model", "model", "model", "rule"), "presale"),
        Wrong("refusing pay-later is credit scoring: a model",
              _who("model", "model", "rule", "model"), "pay later"),
        Wrong("the items' order is a fixed rule",
              _who("rule", "model", "rule", "rule"), "order of the new items"),
        Wrong("answers ML instead of model",
              _who("ML", "ML", "rule", "rule"), "answer 'rule' or 'model'"),
        Right("capitalised, with spaces", _who(" Model", "MODEL", "Rule ", "rule")),
    ],
    "task_types": [
        Wrong("mislabelled items as classification",
              _tasks("regression", "classification", "classification", "clustering",
                     "regression", "ranking"), "find mislabelled items"),
        Wrong("counterfeits as anomaly detection",
              _tasks("regression", "anomaly detection", "anomaly detection", "clustering",
                     "regression", "ranking"), "spot counterfeit items"),
        Wrong("segments as classification",
              _tasks("regression", "classification", "anomaly detection", "classification",
                     "regression", "ranking"), "segment customers"),
        Wrong("a forecast as time series, not a task type",
              _tasks("regression", "classification", "anomaly detection", "clustering",
                     "time series", "ranking"), "not one of the task types"),
        Wrong("ranking as regression of a score",
              _tasks("regression", "classification", "anomaly detection", "clustering",
                     "regression", "regression"), "rank items"),
        Right("other spellings: Anomaly_Detection, recommendation",
              _tasks("Regression", "classification ", "Anomaly_Detection", "clustering",
                     "regression", "recommendation")),
        Right("the notebook's own name: ranking / recommendation",
              _tasks("regression", "classification", "anomaly", "clustering",
                     "regression", "ranking / recommendation")),
    ],
    "spend_problem": [
        Wrong("label forgets quantity", _spend(value='"price"'), "quantity"),
        Wrong("label counts order lines", _spend(value='"spend"', agg="count"),
              "counts orders"),
        Wrong("label is the 90 days before the cutoff",
              _spend(window='(o["order_date"] >= cutoff - horizon_days * day) '
                            '& (o["order_date"] < cutoff)'), "before"),
        Wrong("only customers who bought in the window",
              _spend(customers='ids = pd.Index(sorted(set(site.orders.loc[(site.orders['
                               '"order_date"] >= cutoff) & (site.orders["order_date"] < cutoff '
                               '+ horizon_days * day), "customer_id"]) & set(site.customers.loc['
                               'site.customers["signup_date"] < cutoff, "customer_id"])))'),
              "bought nothing"),
        Wrong("every customer, also those who signed up after the cutoff",
              _spend(customers='ids = pd.Index(site.customers["customer_id"])'),
              "did not exist yet"),
        Wrong("features from every order, also after the cutoff (leakage)",
              _spend(past='o["order_date"] == o["order_date"]'), "leakage"),
        Wrong("days since order left NaN for non-buyers",
              _spend(days='(cutoff - last) / day'), "NaN"),
        Wrong("label window starts the day after the cutoff",
              _spend(window='(o["order_date"] >= cutoff + day) & (o["order_date"] < cutoff + '
                            '(horizon_days + 1) * day)'), "cutoff (included)"),
        Wrong("features from orders up to the cutoff, included",
              _spend(past='o["order_date"] <= cutoff'), "< cutoff"),
        Wrong("label window includes its last instant",
              _spend(window='(o["order_date"] >= cutoff) & (o["order_date"] <= cutoff + '
                            'horizon_days * day)'), "excluded"),
        Wrong("label window starts just after the cutoff",
              _spend(window='(o["order_date"] > cutoff) & (o["order_date"] < cutoff + '
                            'horizon_days * day)'), "included"),
        Wrong("horizon typed in as 90 days, horizon_days ignored",
              _spend(window='(o["order_date"] >= cutoff) & (o["order_date"] < cutoff + '
                            '90 * day)'), "horizon"),
        Right("query strings and a merge-free pivot", '''
def spend_problem(site, cutoff, horizon_days=90):
    end = cutoff + pd.Timedelta(days=horizon_days)
    ids = site.customers.query("signup_date < @cutoff")["customer_id"].to_numpy()
    o = site.orders.eval("spend = price * quantity")
    before = o.query("order_date < @cutoff")
    features = pd.DataFrame(index=pd.Index(ids, name="customer_id"))
    features["n_lines"] = before["customer_id"].value_counts().reindex(ids).fillna(0)
    features["spend"] = before.groupby("customer_id")["spend"].sum().reindex(ids).fillna(0)
    after = o.query("@cutoff <= order_date < @end")
    label = after.groupby("customer_id")["spend"].sum().reindex(ids).fillna(0.0)
    label.index = features.index
    return features, label
'''),
    ],
    "monthly_value": [
        Wrong("counts every access of the model's list",
              "def monthly_value(predictions_per_month, rule_rate, model_rate, value_per_access):\n"
              "    return Rate(predictions_per_month * (value_per_access * model_rate).yen, "
              "per='month')", "count only what it adds"),
        Wrong("percentage points instead of fractions",
              "def monthly_value(predictions_per_month, rule_rate, model_rate, value_per_access):\n"
              "    points = 100 * (model_rate - rule_rate)\n"
              "    return Rate(predictions_per_month * points * value_per_access.yen, "
              "per='month')", "percentage points"),
        Wrong("returns a Money, not a Rate",
              "def monthly_value(predictions_per_month, rule_rate, model_rate, value_per_access):\n"
              "    return value_per_access * (model_rate - rule_rate) * predictions_per_month",
              "recurs every month"),
        Wrong("returns a bare number of yen",
              "def monthly_value(predictions_per_month, rule_rate, model_rate, value_per_access):\n"
              "    return predictions_per_month * (model_rate - rule_rate) * "
              "value_per_access.yen", "return a Rate"),
        Wrong("the gap as a distance: abs() loses the sign",
              "def monthly_value(predictions_per_month, rule_rate, model_rate, value_per_access):\n"
              "    gap = abs(model_rate - rule_rate)\n"
              "    return Rate(predictions_per_month * gap * value_per_access.yen, per='month')",
              "negative"),
        Wrong("rule minus model",
              "def monthly_value(predictions_per_month, rule_rate, model_rate, value_per_access):\n"
              "    gap = rule_rate - model_rate\n"
              "    return Rate(predictions_per_month * gap * value_per_access.yen, per='month')",
              "extra chance"),
        Right("a yearly Rate of twelve months",
              "def monthly_value(predictions_per_month, rule_rate, model_rate, value_per_access):\n"
              "    per_year = 12 * predictions_per_month * (model_rate - rule_rate)\n"
              "    return Rate(per_year * value_per_access.yen, per='year')"),
        Right("Money arithmetic then a Rate",
              "def monthly_value(predictions_per_month, rule_rate, model_rate, value_per_access):\n"
              "    total = value_per_access * ((model_rate - rule_rate) * predictions_per_month)\n"
              "    return Rate(total.yen, 'month')"),
    ],
    "learning_curve": [
        Wrong("predict() (0/1 classes) instead of predict_proba as the score",
              _CURVE.format(score="model.predict(test[FEATURES])"), "predict_proba"),
        Wrong("AUC measured on the training rows",
              _CURVE.format(score="model.predict_proba(test[FEATURES])[:, 1]").replace(
                  "roc_auc_score(test['accessed'], scores)",
                  "roc_auc_score(first['accessed'], "
                  "model.predict_proba(first[FEATURES])[:, 1])"), "training mails"),
        Wrong("a random sample of n rows, not the first n",
              _CURVE.format(score="model.predict_proba(test[FEATURES])[:, 1]").replace(
                  "train.head(n)", "train.sample(n, random_state=0)"), "train.head(n)"),
        Wrong("the last n rows, not the first",
              _CURVE.format(score="model.predict_proba(test[FEATURES])[:, 1]").replace(
                  "train.head(n)", "train.tail(n)"), "first n rows"),
        Wrong("the probability of no access (column 0)",
              _CURVE.format(score="model.predict_proba(test[FEATURES])[:, 0]"), "column 0"),
        Wrong("access rate of the top 10%, not 5%",
              _CURVE.format(score="model.predict_proba(test[FEATURES])[:, 1]").replace(
                  "share=0.05", "share=0.10"), "share=0.05"),
        Right("iloc slices and a dict of lists",
              "def learning_curve(train, test, sizes):\n"
              "    out = {'n_mails': [], 'auc': [], 'access_rate': []}\n"
              "    for n in sizes:\n"
              "        part = train.iloc[:n]\n"
              "        fitted = make_model().fit(part[FEATURES], part['accessed'])\n"
              "        yes = list(fitted.classes_).index(True)\n"
              "        p = fitted.predict_proba(test[FEATURES])[:, yes]\n"
              "        out['n_mails'].append(n)\n"
              "        out['auc'].append(roc_auc_score(test['accessed'], p))\n"
              "        out['access_rate'].append(top_share_access_rate(test, p))\n"
              "    return pd.DataFrame(out)"),
    ],
    "simulate_months": [
        Wrong("each month's mails only, not accumulated",
              _SIM.format(collected="list(mails_per_month)", month="range(1, len(collected) + 1)",
                          rule="top_share_access_rate(test, rule_score(test), share=0.05)"),
              "accumulates"),
        Wrong("months numbered from 0",
              _SIM.format(collected="np.cumsum(mails_per_month).tolist()",
                          month="range(len(collected))",
                          rule="top_share_access_rate(test, rule_score(test), share=0.05)"),
              "month 1"),
        Wrong("the rule's rate measured on train",
              _SIM.format(collected="np.cumsum(mails_per_month).tolist()",
                          month="range(1, len(collected) + 1)",
                          rule="top_share_access_rate(train, rule_score(train), share=0.05)"),
              "rule_rate"),
        Wrong("the rule's AUC as its rate",
              _SIM.format(collected="np.cumsum(mails_per_month).tolist()",
                          month="range(1, len(collected) + 1)",
                          rule="roc_auc_score(test['accessed'], rule_score(test))"),
              "rule_rate"),
        Wrong("the model's AUC as its rate",
              _SIM.format(collected="np.cumsum(mails_per_month).tolist()",
                          month="range(1, len(collected) + 1)",
                          rule="top_share_access_rate(test, rule_score(test), share=0.05)"
                          ).replace('curve["access_rate"]', 'curve["auc"]'),
              "model_rate"),
        Right("a loop with a running total",
              "def simulate_months(train, test, mails_per_month):\n"
              "    rule = top_share_access_rate(test, rule_score(test), share=0.05)\n"
              "    rows, total = [], 0\n"
              "    for month, new in enumerate(mails_per_month, start=1):\n"
              "        total += new\n"
              "        rate = learning_curve(train, test, [total])['access_rate'].iloc[0]\n"
              "        rows.append({'month': month, 'training_mails': total,\n"
              "                     'rule_rate': rule, 'model_rate': rate})\n"
              "    return pd.DataFrame(rows)"),
    ],
    "first_winning_month": [
        Wrong("the first month the model is ahead, even by luck",
              "def first_winning_month(simulation):\n"
              "    ahead = simulation[simulation['model_rate'] > simulation['rule_rate']]\n"
              "    return int(ahead['month'].iloc[0]) if len(ahead) else None", "stay"),
        Wrong("a tie counts as a lead (>=)",
              "def first_winning_month(simulation):\n"
              "    ahead = (simulation['model_rate'] >= simulation['rule_rate']).to_numpy()\n"
              "    if not ahead[-1]:\n"
              "        return None\n"
              "    start = len(ahead) - 1\n"
              "    while start > 0 and ahead[start - 1]:\n"
              "        start -= 1\n"
              "    return int(simulation['month'].iloc[start])", "tie"),
        Wrong("the position in the table plus one, not the month",
              "def first_winning_month(simulation):\n"
              "    ahead = (simulation['model_rate'] > simulation['rule_rate']).to_numpy()\n"
              "    if not ahead[-1]:\n"
              "        return None\n"
              "    start = len(ahead) - 1\n"
              "    while start > 0 and ahead[start - 1]:\n"
              "        start -= 1\n"
              "    return start + 1", "month"),
        Wrong("the index label, not the month",
              "def first_winning_month(simulation):\n"
              "    ahead = simulation['model_rate'] > simulation['rule_rate']\n"
              "    if not ahead.iloc[-1]:\n"
              "        return None\n"
              "    behind = ahead[~ahead]\n"
              "    after = (ahead.index[ahead.index > behind.index[-1]] if len(behind)\n"
              "             else ahead.index)\n"
              "    return after[0]", "your function gave"),
        Wrong("returns 0 when the model never wins",
              "def first_winning_month(simulation):\n"
              "    ahead = (simulation['model_rate'] > simulation['rule_rate']).to_numpy()\n"
              "    months = simulation['month'].to_numpy()\n"
              "    if not ahead[-1]:\n"
              "        return 0\n"
              "    start = len(ahead) - 1\n"
              "    while start > 0 and ahead[start - 1]:\n"
              "        start -= 1\n"
              "    return int(months[start])", "none"),
        Right("reverse cumulative minimum",
              "def first_winning_month(simulation):\n"
              "    ahead = simulation['model_rate'].gt(simulation['rule_rate'])\n"
              "    for_good = ahead[::-1].cummin()[::-1]\n"
              "    if not for_good.any():\n"
              "        return None\n"
              "    return simulation.loc[for_good, 'month'].min()"),
    ],
    "patterns": [
        Right("capitals and underscores",
              "PATTERNS = {s: (v.upper(), c.replace(' ', '_').title()) for s, (v, c) in "
              "ex.PATTERN_ANSWERS.items()}"),
        Right("hyphens",
              "PATTERNS = {s: (v, c.replace(' ', '-')) for s, (v, c) in "
              "ex.PATTERN_ANSWERS.items()}"),
        Wrong("fraud in 200 ms: complex logic instead of immediate response",
              _patterns(fraud=("win", "complex logic")), "immediate"),
        Wrong("fraud must never be wrong: needs 100% accuracy",
              _patterns(fraud=("lose", "needs 100% accuracy")), "verdict"),
        Wrong("exact charges are complex logic: win",
              _patterns(charge=("win", "complex logic")), "verdict"),
        Wrong("pay-later refusal: needs 100% accuracy",
              _patterns(later=("lose", "needs 100% accuracy")), "which condition"),
        Wrong("home pages: complex logic instead of scale",
              _patterns(home=("win", "complex logic")), "which condition"),
        Wrong("confirmation page colour: personalisation at scale",
              _patterns(colour=("win", "personalisation at scale")), "verdict"),
        Wrong("a condition not in CONDITIONS",
              _patterns(store=("lose", "not enough data")), "not one of CONDITIONS"),
        Right("lists of two, capitalised, extra spaces",
              "PATTERNS = {k: [v.title(), '  ' + c.capitalize()]\n"
              "            for k, (v, c) in ex.PATTERN_ANSWERS.items()}"),
    ],
    "affordable_monthly_cost": [
        Wrong("weekly revenue taken as monthly",
              "def affordable_monthly_cost(category_revenue, revenue_uplift, margin_rate, "
              "target_roi):\n"
              "    gain = category_revenue.yen * revenue_uplift * margin_rate\n"
              "    return Rate(gain / (1 + target_roi), per='month')", "weekly revenue"),
        Wrong("a month of four weeks",
              "def affordable_monthly_cost(category_revenue, revenue_uplift, margin_rate, "
              "target_roi):\n"
              "    gain = 4 * category_revenue.yen * revenue_uplift * margin_rate\n"
              "    return Rate(gain / (1 + target_roi), per='month')", "four weeks"),
        Wrong("revenue uplift taken as gain, no margin",
              "def affordable_monthly_cost(category_revenue, revenue_uplift, margin_rate, "
              "target_roi):\n"
              "    return category_revenue.to('month') * revenue_uplift / (1 + target_roi)",
              "revenue is not gain"),
        Wrong("ROI read as gain / cost",
              "def affordable_monthly_cost(category_revenue, revenue_uplift, margin_rate, "
              "target_roi):\n"
              "    return category_revenue.to('month') * (revenue_uplift * margin_rate) / "
              "target_roi", "5 × cost"),
        Wrong("returns a bare number",
              "def affordable_monthly_cost(category_revenue, revenue_uplift, margin_rate, "
              "target_roi):\n"
              "    gain = category_revenue.per_month() * revenue_uplift * margin_rate\n"
              "    return gain / (1 + target_roi)", "return a Rate"),
        Wrong("converts as if the revenue were always weekly",
              "def affordable_monthly_cost(category_revenue, revenue_uplift, margin_rate, "
              "target_roi):\n"
              "    monthly = category_revenue.yen * 365 / 7 / 12\n"
              "    return Rate(monthly * revenue_uplift * margin_rate / (1 + target_roi), "
              "per='month')", "daily revenue"),
        Right("keeps the revenue's own period: a Rate converts itself",
              "def affordable_monthly_cost(category_revenue, revenue_uplift, margin_rate, "
              "target_roi):\n"
              "    return category_revenue * revenue_uplift * margin_rate * "
              "(1 / (1 + target_roi))"),
        Right("per_month then a monthly Rate",
              "def affordable_monthly_cost(category_revenue, revenue_uplift, margin_rate, "
              "target_roi):\n"
              "    gain = Rate(category_revenue.per_month() * revenue_uplift * margin_rate, "
              "'month')\n"
              "    return Rate(gain.yen / (1.0 + target_roi), 'month')"),
    ],
}
