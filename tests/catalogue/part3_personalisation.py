"""Wrong and right answers of Part 3, Starting, notebooks 04-06 (personalisation with ML)."""

from catalogue import Right, Wrong

_PIPE = ("    pipeline = make_pipeline(FunctionTransformer(np.log1p), StandardScaler(),\n"
         "                             LogisticRegression(max_iter=500))\n")

CASES = {
    # ---------------------------------------------------------------- 04 · step 3
    "offline_evaluation": [
        Wrong("roc_auc_score with scores and labels swapped",
              "def offline_evaluation(test, scores, share):\n"
              "    return {'auc': float(roc_auc_score(scores, test['accessed'])),\n"
              "            'precision_at_budget': top_share_access_rate(test, scores, share)}",
              "labels first"),
        Wrong("AUC of the opposite scores (1 - AUC)",
              "def offline_evaluation(test, scores, share):\n"
              "    return {'auc': float(roc_auc_score(test['accessed'], -scores)),\n"
              "            'precision_at_budget': top_share_access_rate(test, scores, share)}",
              "upside down"),
        Wrong("top share of the whole table, not of each campaign",
              "import math\n"
              "from course.metrics import precision_at_k\n"
              "def offline_evaluation(test, scores, share):\n"
              "    k = math.ceil(share * len(test))\n"
              "    return {'auc': float(roc_auc_score(test['accessed'], scores)),\n"
              "            'precision_at_budget': precision_at_k(scores, test['accessed'].to_numpy(), k)}",
              "whole table"),
        Wrong("precision as a percentage",
              "def offline_evaluation(test, scores, share):\n"
              "    return {'auc': float(roc_auc_score(test['accessed'], scores)),\n"
              "            'precision_at_budget': 100 * top_share_access_rate(test, scores, share)}",
              "fraction"),
        Wrong("access rate of every mail (forgets to keep the top share)",
              "def offline_evaluation(test, scores, share):\n"
              "    return {'auc': float(roc_auc_score(test['accessed'], scores)),\n"
              "            'precision_at_budget': float(test['accessed'].mean())}",
              "every mail"),
        Wrong("ranks ascending: the lowest scores of each campaign",
              "def offline_evaluation(test, scores, share):\n"
              "    return {'auc': float(roc_auc_score(test['accessed'], scores)),\n"
              "            'precision_at_budget': top_share_access_rate(test, -scores, share)}",
              "lowest scores"),
        Wrong("uses the notebook's BUDGET_SHARE instead of `share`",
              "def offline_evaluation(test, scores, share):\n"
              "    return {'auc': float(roc_auc_score(test['accessed'], scores)),\n"
              "            'precision_at_budget': top_share_access_rate(test, scores, BUDGET_SHARE)}",
              "share=0.3"),
        Wrong("leakage: scores with the outcome itself (AUC of the labels)",
              "def offline_evaluation(test, scores, share):\n"
              "    labels = test['accessed'].astype(float).to_numpy()\n"
              "    return {'auc': float(roc_auc_score(test['accessed'], labels)),\n"
              "            'precision_at_budget': top_share_access_rate(test, labels, share)}",
              "not that of these scores"),
        Wrong("hard-codes the notebook's numbers",
              "_s = np.log1p(test['access_rate'].to_numpy() * 100) + 0.3 * test['brand_share'].to_numpy()\n"
              "_v = offline_evaluation(test, _s, BUDGET_SHARE)\n"
              "def offline_evaluation(test, scores, share):\n"
              "    return dict(_v)", "", hardcoded=True),
        Right("Mann-Whitney ranks and a groupby of each campaign's top share",
              "from scipy.stats import rankdata\n"
              "def offline_evaluation(test, scores, share):\n"
              "    y = test['accessed'].to_numpy().astype(bool)\n"
              "    s = np.asarray(scores, dtype=float)\n"
              "    r = rankdata(s)\n"
              "    n1, n0 = y.sum(), (~y).sum()\n"
              "    auc = (r[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)\n"
              "    t = pd.DataFrame({'c': test['campaign_id'].to_numpy(), 's': s,\n"
              "                      'pos': np.arange(len(s)), 'y': y})\n"
              "    t = t.sort_values(['c', 's', 'pos'], ascending=[True, False, True])\n"
              "    rank = t.groupby('c').cumcount()\n"
              "    size = t.groupby('c')['c'].transform('size')\n"
              "    keep = rank < np.ceil(share * size - 1e-9)\n"
              "    return {'auc': float(auc), 'precision_at_budget': float(t.loc[keep, 'y'].mean())}"),
    ],
    "train_access_model": [
        Wrong("returns the course's own model (course.personalisation)",
              "def train_access_model(train):\n"
              "    from course.personalisation import fit_access_model\n"
              "    return fit_access_model(train)", "course's own model"),
        Wrong("no log and no scaler: a bare logistic regression on raw counts",
              "def train_access_model(train):\n"
              "    return make_pipeline(LogisticRegression()).fit(train[FEATURES], train['accessed'])",
              "converge"),
        Wrong("returns the fitted LogisticRegression, not a pipeline",
              "def train_access_model(train):\n"
              "    X = StandardScaler().fit_transform(np.log1p(train[FEATURES]))\n"
              "    return LogisticRegression(max_iter=500).fit(X, train['accessed'])",
              "Pipeline"),
        Wrong("leakage: the label `accessed` among the features",
              "def train_access_model(train):\n"
              + _PIPE +
              "    return pipeline.fit(train[FEATURES + ['accessed']], train['accessed'])",
              "not a feature"),
        Wrong("every numeric column, ids included",
              "def train_access_model(train):\n"
              + _PIPE +
              "    X = train.select_dtypes('number')\n"
              "    return pipeline.fit(X, train['accessed'])",
              "columns of FEATURES"),
        Wrong("only the rule's columns",
              "def train_access_model(train):\n"
              + _PIPE +
              "    return pipeline.fit(train[RULE_COLUMNS], train['accessed'])",
              "columns of FEATURES"),
        Wrong("forgets to return the pipeline",
              "def train_access_model(train):\n"
              + _PIPE +
              "    pipeline.fit(train[FEATURES], train['accessed'])",
              "returned None"),
        Wrong("leakage: trains on the whole history, test campaigns included",
              "def train_access_model(train):\n"
              + _PIPE +
              "    return pipeline.fit(table[FEATURES], table['accessed'])",
              "table it is given"),
        Wrong("leakage: trains on the held-out `test` rows",
              "def train_access_model(train):\n"
              + _PIPE +
              "    return pipeline.fit(test[FEATURES], test['accessed'])",
              "table it is given"),
        Right("a ColumnTransformer-free pipeline with np.log1p as a named step",
              "from sklearn.pipeline import Pipeline\n"
              "def train_access_model(train):\n"
              "    steps = [('log', FunctionTransformer(np.log1p)), ('scale', StandardScaler()),\n"
              "             ('model', LogisticRegression(C=1.0, max_iter=1_000))]\n"
              "    return Pipeline(steps).fit(train.loc[:, FEATURES], train['accessed'].astype(int))"),
    ],
    "model_recipients": [
        Wrong("returns row positions, not customer ids",
              "def model_recipients(model, site, brand_id, release_id, n):\n"
              "    features = recipient_features(site, brand_id, release_id)\n"
              "    scores = model.predict_proba(features[FEATURES])[:, 1]\n"
              "    return np.argsort(-scores, kind='stable')[:n]",
              "row positions"),
        Wrong("sorts ascending: the lowest scores",
              "def model_recipients(model, site, brand_id, release_id, n):\n"
              "    features = recipient_features(site, brand_id, release_id)\n"
              "    scores = model.predict_proba(features[FEATURES])[:, 1]\n"
              "    return features['customer_id'].to_numpy()[np.argsort(scores, kind='stable')[:n]]",
              "lowest scores"),
        Wrong("ignores release_id: features of the brand's next release",
              "def model_recipients(model, site, brand_id, release_id, n):\n"
              "    features = recipient_features(site, brand_id)\n"
              "    scores = model.predict_proba(features[FEATURES])[:, 1]\n"
              "    return features['customer_id'].to_numpy()[np.argsort(-scores, kind='stable')[:n]]",
              "next release"),
        Wrong("asks the oracle",
              "def model_recipients(model, site, brand_id, release_id, n):\n"
              "    return site.oracle_recipients(brand_id, n, release_id=release_id)",
              "oracle"),
        Wrong("predict (True/False) instead of predict_proba",
              "def model_recipients(model, site, brand_id, release_id, n):\n"
              "    features = recipient_features(site, brand_id, release_id)\n"
              "    scores = model.predict(features[FEATURES]).astype(float)\n"
              "    return features['customer_id'].to_numpy()[np.argsort(-scores, kind='stable')[:n]]",
              "highest predicted"),
        Wrong("the right top n, but in the table's order (not best first)",
              "def model_recipients(model, site, brand_id, release_id, n):\n"
              "    features = recipient_features(site, brand_id, release_id)\n"
              "    scores = model.predict_proba(features[FEATURES])[:, 1]\n"
              "    best = np.sort(np.argsort(-scores, kind='stable')[:n])\n"
              "    return features['customer_id'].to_numpy()[best]",
              "best first"),
        Wrong("uses MAIL_BUDGET instead of n",
              "def model_recipients(model, site, brand_id, release_id, n):\n"
              "    features = recipient_features(site, brand_id, release_id)\n"
              "    scores = model.predict_proba(features[FEATURES])[:, 1]\n"
              "    best = np.argsort(-scores, kind='stable')[:MAIL_BUDGET]\n"
              "    return features['customer_id'].to_numpy()[best]",
              "n=7"),
        Wrong("scores the whole features table, customer_id included",
              "def model_recipients(model, site, brand_id, release_id, n):\n"
              "    features = recipient_features(site, brand_id, release_id)\n"
              "    scores = model.predict_proba(features)[:, 1]\n"
              "    return features['customer_id'].to_numpy()[np.argsort(-scores, kind='stable')[:n]]",
              "customer_id"),
        Right("assign a score column, sort_values, head",
              "def model_recipients(model, site, brand_id, release_id, n):\n"
              "    f = recipient_features(site, brand_id, release_id)\n"
              "    f = f.assign(score=model.predict_proba(f[FEATURES])[:, 1])\n"
              "    return f.sort_values('score', ascending=False, kind='stable').head(n)['customer_id'].tolist()"),
        Right("nlargest on a Series indexed by customer",
              "def model_recipients(model, site, brand_id, release_id, n):\n"
              "    f = recipient_features(site, brand_id, release_id)\n"
              "    s = pd.Series(model.predict_proba(f[FEATURES])[:, 1], index=f['customer_id'])\n"
              "    return s.nlargest(n).index"),
    ],

    # ---------------------------------------------------------------- 05 · an honest A/B test
    "split_into_arms": [
        Wrong("splits the ids in the middle, in sign-up order",
              "def split_into_arms(customer_ids, seed):\n"
              "    ids = np.asarray(customer_ids)\n"
              "    half = len(ids) // 2\n"
              "    return ids[:half], ids[half:]",
              "in order"),
        Wrong("even and odd ids",
              "def split_into_arms(customer_ids, seed):\n"
              "    ids = np.asarray(customer_ids)\n"
              "    return ids[ids % 2 == 0], ids[ids % 2 == 1]",
              "parity"),
        Wrong("draws arm A with replacement, arm B is the rest",
              "def split_into_arms(customer_ids, seed):\n"
              "    ids = np.asarray(customer_ids)\n"
              "    a = np.random.default_rng(seed).choice(ids, size=len(ids) // 2)\n"
              "    return a, np.setdiff1d(ids, a)",
              "every customer id"),
        Wrong("a coin flip per customer: arms of uneven size",
              "def split_into_arms(customer_ids, seed):\n"
              "    ids = np.asarray(customer_ids)\n"
              "    heads = np.random.default_rng(seed).random(len(ids)) < 0.5\n"
              "    return ids[heads], ids[~heads]",
              "two halves"),
        Wrong("an unseeded generator",
              "def split_into_arms(customer_ids, seed):\n"
              "    shuffled = np.random.default_rng().permutation(np.asarray(customer_ids))\n"
              "    half = len(shuffled) // 2\n"
              "    return shuffled[:half], shuffled[half:]",
              "same seed"),
        Wrong("the notebook's SEED instead of `seed`",
              "def split_into_arms(customer_ids, seed):\n"
              "    shuffled = np.random.default_rng(SEED).permutation(np.asarray(customer_ids))\n"
              "    half = len(shuffled) // 2\n"
              "    return shuffled[:half], shuffled[half:]",
              "another seed"),
        Wrong("shuffles positions and returns them, not the ids",
              "def split_into_arms(customer_ids, seed):\n"
              "    order = np.random.default_rng(seed).permutation(len(customer_ids))\n"
              "    half = len(order) // 2\n"
              "    return order[:half], order[half:]",
              "every customer id"),
        Right("choice without replacement, the rest with setdiff1d",
              "def split_into_arms(customer_ids, seed):\n"
              "    ids = np.asarray(customer_ids)\n"
              "    a = np.random.default_rng(seed).choice(ids, size=len(ids) // 2, replace=False)\n"
              "    return a, np.setdiff1d(ids, a)"),
        Right("sklearn's train_test_split",
              "from sklearn.model_selection import train_test_split\n"
              "def split_into_arms(customer_ids, seed):\n"
              "    a, b = train_test_split(np.asarray(customer_ids), test_size=0.5, random_state=seed)\n"
              "    return a, b"),
    ],
    "arm_list": [
        Wrong("takes the top n of the whole ranking, then filters the arm",
              "def arm_list(ranked_ids, arm, n):\n"
              "    top = np.asarray(ranked_ids)[:n]\n"
              "    return top[np.isin(top, arm)]",
              "top `n` of the whole ranking"),
        Wrong("np.intersect1d, which sorts the ids",
              "def arm_list(ranked_ids, arm, n):\n"
              "    return np.intersect1d(ranked_ids, arm)[:n]",
              "best-ranked"),
        Wrong("walks down the arm instead of the ranking",
              "def arm_list(ranked_ids, arm, n):\n"
              "    arm = np.asarray(arm)\n"
              "    return arm[np.isin(arm, ranked_ids)][:n]",
              "best-ranked"),
        Wrong("keeps the customers not in the arm",
              "def arm_list(ranked_ids, arm, n):\n"
              "    ranked = np.asarray(ranked_ids)\n"
              "    return ranked[~np.isin(ranked, arm)][:n]",
              "other arm"),
        Wrong("off by one: n + 1 customers",
              "def arm_list(ranked_ids, arm, n):\n"
              "    ranked = np.asarray(ranked_ids)\n"
              "    return ranked[np.isin(ranked, arm)][:n + 1]",
              "should have `n`"),
        Wrong("the right customers, sorted by id",
              "def arm_list(ranked_ids, arm, n):\n"
              "    ranked = np.asarray(ranked_ids)\n"
              "    return np.sort(ranked[np.isin(ranked, arm)][:n])",
              "ranking's order"),
        Right("a loop with a set",
              "def arm_list(ranked_ids, arm, n):\n"
              "    members, out = set(int(i) for i in arm), []\n"
              "    for i in ranked_ids:\n"
              "        if len(out) == n:\n"
              "            break\n"
              "        if int(i) in members:\n"
              "            out.append(int(i))\n"
              "    return out"),
        Right("pandas isin and head",
              "def arm_list(ranked_ids, arm, n):\n"
              "    s = pd.Series(ranked_ids)\n"
              "    return s[s.isin(arm)].head(n).to_numpy()"),
    ],
    "ab_readout": [
        Wrong("averages the releases' rates instead of pooling",
              "def ab_readout(control, treatment):\n"
              "    c = float((control['accesses'] / control['mails']).mean())\n"
              "    t = float((treatment['accesses'] / treatment['mails']).mean())\n"
              "    x_c, n_c = int(control['accesses'].sum()), int(control['mails'].sum())\n"
              "    x_t, n_t = int(treatment['accesses'].sum()), int(treatment['mails'].sum())\n"
              "    low, high = lift_ci(x_t, n_t, x_c, n_c)\n"
              "    return {'control_rate': c, 'treatment_rate': t, 'lift': lift(t, c),\n"
              "            'lift_low': low, 'lift_high': high,\n"
              "            'p_value': two_proportion_test(x_t, n_t, x_c, n_c).p_value}",
              "averaged"),
        Wrong("the lift as a difference in points",
              "def ab_readout(control, treatment):\n"
              "    x_c, n_c = int(control['accesses'].sum()), int(control['mails'].sum())\n"
              "    x_t, n_t = int(treatment['accesses'].sum()), int(treatment['mails'].sum())\n"
              "    low, high = lift_ci(x_t, n_t, x_c, n_c)\n"
              "    return {'control_rate': x_c / n_c, 'treatment_rate': x_t / n_t,\n"
              "            'lift': x_t / n_t - x_c / n_c, 'lift_low': low, 'lift_high': high,\n"
              "            'p_value': two_proportion_test(x_t, n_t, x_c, n_c).p_value}",
              "percentage points"),
        Wrong("control and treatment swapped",
              "def ab_readout(control, treatment):\n"
              "    control, treatment = treatment, control\n"
              "    x_c, n_c = int(control['accesses'].sum()), int(control['mails'].sum())\n"
              "    x_t, n_t = int(treatment['accesses'].sum()), int(treatment['mails'].sum())\n"
              "    low, high = lift_ci(x_t, n_t, x_c, n_c)\n"
              "    return {'control_rate': x_c / n_c, 'treatment_rate': x_t / n_t,\n"
              "            'lift': lift(x_t / n_t, x_c / n_c), 'lift_low': low, 'lift_high': high,\n"
              "            'p_value': two_proportion_test(x_t, n_t, x_c, n_c).p_value}",
              "swapped"),
        Wrong("lift_ci with the control's counts first",
              "def ab_readout(control, treatment):\n"
              "    x_c, n_c = int(control['accesses'].sum()), int(control['mails'].sum())\n"
              "    x_t, n_t = int(treatment['accesses'].sum()), int(treatment['mails'].sum())\n"
              "    low, high = lift_ci(x_c, n_c, x_t, n_t)\n"
              "    return {'control_rate': x_c / n_c, 'treatment_rate': x_t / n_t,\n"
              "            'lift': lift(x_t / n_t, x_c / n_c), 'lift_low': low, 'lift_high': high,\n"
              "            'p_value': two_proportion_test(x_t, n_t, x_c, n_c).p_value}",
              "interval"),
        Wrong("rates as percentages",
              "def ab_readout(control, treatment):\n"
              "    x_c, n_c = int(control['accesses'].sum()), int(control['mails'].sum())\n"
              "    x_t, n_t = int(treatment['accesses'].sum()), int(treatment['mails'].sum())\n"
              "    low, high = lift_ci(x_t, n_t, x_c, n_c)\n"
              "    return {'control_rate': 100 * x_c / n_c, 'treatment_rate': 100 * x_t / n_t,\n"
              "            'lift': lift(x_t / n_t, x_c / n_c), 'lift_low': low, 'lift_high': high,\n"
              "            'p_value': two_proportion_test(x_t, n_t, x_c, n_c).p_value}",
              "fractions"),
        Wrong("the lift as a ratio, without the minus one",
              "def ab_readout(control, treatment):\n"
              "    x_c, n_c = int(control['accesses'].sum()), int(control['mails'].sum())\n"
              "    x_t, n_t = int(treatment['accesses'].sum()), int(treatment['mails'].sum())\n"
              "    low, high = lift_ci(x_t, n_t, x_c, n_c)\n"
              "    return {'control_rate': x_c / n_c, 'treatment_rate': x_t / n_t,\n"
              "            'lift': (x_t / n_t) / (x_c / n_c), 'lift_low': low, 'lift_high': high,\n"
              "            'p_value': two_proportion_test(x_t, n_t, x_c, n_c).p_value}",
              "lift should be"),
        Wrong("halves the p-value (one-sided)",
              "def ab_readout(control, treatment):\n"
              "    x_c, n_c = int(control['accesses'].sum()), int(control['mails'].sum())\n"
              "    x_t, n_t = int(treatment['accesses'].sum()), int(treatment['mails'].sum())\n"
              "    low, high = lift_ci(x_t, n_t, x_c, n_c)\n"
              "    return {'control_rate': x_c / n_c, 'treatment_rate': x_t / n_t,\n"
              "            'lift': lift(x_t / n_t, x_c / n_c), 'lift_low': low, 'lift_high': high,\n"
              "            'p_value': two_proportion_test(x_t, n_t, x_c, n_c).p_value / 2}",
              "p-value"),
        Right("sums of both columns at once with agg",
              "def ab_readout(control, treatment):\n"
              "    c = control[['accesses', 'mails']].sum().astype(int)\n"
              "    t = treatment[['accesses', 'mails']].sum().astype(int)\n"
              "    pc, pt = c['accesses'] / c['mails'], t['accesses'] / t['mails']\n"
              "    low, high = lift_ci(int(t['accesses']), int(t['mails']), int(c['accesses']), int(c['mails']))\n"
              "    test_ = two_proportion_test(int(t['accesses']), int(t['mails']), int(c['accesses']), int(c['mails']))\n"
              "    return dict(control_rate=float(pc), treatment_rate=float(pt), lift=float(pt / pc - 1),\n"
              "                lift_low=low, lift_high=high, p_value=test_.p_value)"),
    ],
    "decide": [
        Wrong("significance only: go when p < alpha, stop otherwise",
              "def decide(readout, min_lift, alpha):\n"
              "    return 'go' if readout['p_value'] < alpha else 'stop'",
              "big enough"),
        Wrong("go only when the whole interval is above min_lift",
              "def decide(readout, min_lift, alpha):\n"
              "    if readout['lift_low'] >= min_lift and readout['p_value'] < alpha:\n"
              "        return 'go'\n"
              "    if readout['lift_high'] < min_lift:\n"
              "        return 'stop'\n"
              "    return 'inconclusive'",
              "as written"),
        Wrong("stop when the point lift is below min_lift",
              "def decide(readout, min_lift, alpha):\n"
              "    if readout['lift'] >= min_lift and readout['p_value'] < alpha:\n"
              "        return 'go'\n"
              "    if readout['lift'] < min_lift:\n"
              "        return 'stop'\n"
              "    return 'inconclusive'",
              "cannot rule out"),
        Wrong("not significant means stop",
              "def decide(readout, min_lift, alpha):\n"
              "    if readout['p_value'] >= alpha:\n"
              "        return 'stop'\n"
              "    if readout['lift'] >= min_lift:\n"
              "        return 'go'\n"
              "    if readout['lift_high'] < min_lift:\n"
              "        return 'stop'\n"
              "    return 'inconclusive'",
              "cannot tell"),
        Wrong("the interval's lower end for stop",
              "def decide(readout, min_lift, alpha):\n"
              "    if readout['lift'] >= min_lift and readout['p_value'] < alpha:\n"
              "        return 'go'\n"
              "    if readout['lift_low'] < min_lift:\n"
              "        return 'stop'\n"
              "    return 'inconclusive'",
              "cannot tell"),
        Wrong("the notebook's CRITERIA instead of the arguments",
              "def decide(readout, min_lift, alpha):\n"
              "    if readout['lift'] >= CRITERIA['min_lift'] and readout['p_value'] < CRITERIA['alpha']:\n"
              "        return 'go'\n"
              "    if readout['lift_high'] < CRITERIA['min_lift']:\n"
              "        return 'stop'\n"
              "    return 'inconclusive'",
              "`min_lift` you are given"),
        Wrong("capitalised words",
              "def decide(readout, min_lift, alpha):\n"
              "    if readout['lift'] >= min_lift and readout['p_value'] < alpha:\n"
              "        return 'Go'\n"
              "    if readout['lift_high'] < min_lift:\n"
              "        return 'Stop'\n"
              "    return 'Inconclusive'",
              "one of the words"),
        Right("stop tested first, then go",
              "def decide(readout, min_lift, alpha):\n"
              "    significant = readout['p_value'] < alpha\n"
              "    big_enough = readout['lift'] >= min_lift\n"
              "    if not (significant and big_enough) and readout['lift_high'] < min_lift:\n"
              "        return 'stop'\n"
              "    return 'go' if significant and big_enough else 'inconclusive'"),
    ],
    "mails_per_arm": [
        Wrong("one-sided z of 1 - alpha",
              "def mails_per_arm(control_rate, min_lift, alpha=0.05, power=0.8):\n"
              "    p1, p2 = control_rate, control_rate * (1 + min_lift)\n"
              "    p_bar = (p1 + p2) / 2\n"
              "    z_a, z_b = NormalDist().inv_cdf(1 - alpha), NormalDist().inv_cdf(power)\n"
              "    top = z_a * math.sqrt(2 * p_bar * (1 - p_bar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))\n"
              "    return math.ceil(top**2 / (p2 - p1) ** 2)",
              "one-sided"),
        Wrong("min_lift added in points: p2 = p1 + min_lift",
              "def mails_per_arm(control_rate, min_lift, alpha=0.05, power=0.8):\n"
              "    p1, p2 = control_rate, control_rate + min_lift\n"
              "    p_bar = (p1 + p2) / 2\n"
              "    z_a, z_b = NormalDist().inv_cdf(1 - alpha / 2), NormalDist().inv_cdf(power)\n"
              "    top = z_a * math.sqrt(2 * p_bar * (1 - p_bar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))\n"
              "    return math.ceil(top**2 / (p2 - p1) ** 2)",
              "percentage points"),
        Wrong("forgets to square",
              "def mails_per_arm(control_rate, min_lift, alpha=0.05, power=0.8):\n"
              "    p1, p2 = control_rate, control_rate * (1 + min_lift)\n"
              "    p_bar = (p1 + p2) / 2\n"
              "    z_a, z_b = NormalDist().inv_cdf(1 - alpha / 2), NormalDist().inv_cdf(power)\n"
              "    top = z_a * math.sqrt(2 * p_bar * (1 - p_bar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))\n"
              "    return math.ceil(top / (p2 - p1))",
              "forgot to square"),
        Wrong("truncates with int()",
              "def mails_per_arm(control_rate, min_lift, alpha=0.05, power=0.8):\n"
              "    p1, p2 = control_rate, control_rate * (1 + min_lift)\n"
              "    p_bar = (p1 + p2) / 2\n"
              "    z_a, z_b = NormalDist().inv_cdf(1 - alpha / 2), NormalDist().inv_cdf(power)\n"
              "    top = z_a * math.sqrt(2 * p_bar * (1 - p_bar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))\n"
              "    return int(top**2 / (p2 - p1) ** 2)",
              "round up"),
        Wrong("round() instead of math.ceil (can round down)",
              "def mails_per_arm(control_rate, min_lift, alpha=0.05, power=0.8):\n"
              "    p1, p2 = control_rate, control_rate * (1 + min_lift)\n"
              "    p_bar = (p1 + p2) / 2\n"
              "    z_a, z_b = NormalDist().inv_cdf(1 - alpha / 2), NormalDist().inv_cdf(power)\n"
              "    top = z_a * math.sqrt(2 * p_bar * (1 - p_bar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))\n"
              "    return round(top**2 / (p2 - p1) ** 2)",
              "round up"),
        Wrong("no rounding: a fraction of a mail",
              "def mails_per_arm(control_rate, min_lift, alpha=0.05, power=0.8):\n"
              "    p1, p2 = control_rate, control_rate * (1 + min_lift)\n"
              "    p_bar = (p1 + p2) / 2\n"
              "    z_a, z_b = NormalDist().inv_cdf(1 - alpha / 2), NormalDist().inv_cdf(power)\n"
              "    top = z_a * math.sqrt(2 * p_bar * (1 - p_bar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))\n"
              "    return top**2 / (p2 - p1) ** 2",
              "whole number"),
        Wrong("p1's variance in the first term instead of p-bar's",
              "def mails_per_arm(control_rate, min_lift, alpha=0.05, power=0.8):\n"
              "    p1, p2 = control_rate, control_rate * (1 + min_lift)\n"
              "    z_a, z_b = NormalDist().inv_cdf(1 - alpha / 2), NormalDist().inv_cdf(power)\n"
              "    top = z_a * math.sqrt(2 * p1 * (1 - p1)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))\n"
              "    return math.ceil(top**2 / (p2 - p1) ** 2)",
              "check the formula"),
        Wrong("the z of the defaults, whatever alpha and power",
              "def mails_per_arm(control_rate, min_lift, alpha=0.05, power=0.8):\n"
              "    p1, p2 = control_rate, control_rate * (1 + min_lift)\n"
              "    p_bar = (p1 + p2) / 2\n"
              "    z_a, z_b = NormalDist().inv_cdf(0.975), NormalDist().inv_cdf(0.8)\n"
              "    top = z_a * math.sqrt(2 * p_bar * (1 - p_bar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))\n"
              "    return math.ceil(top**2 / (p2 - p1) ** 2)",
              "use every argument"),
        Right("scipy's norm.ppf and numpy",
              "from scipy.stats import norm\n"
              "def mails_per_arm(control_rate, min_lift, alpha=0.05, power=0.8):\n"
              "    p1 = control_rate\n"
              "    p2 = p1 * (1 + min_lift)\n"
              "    pb = (p1 + p2) / 2\n"
              "    n = ((norm.ppf(1 - alpha / 2) * np.sqrt(2 * pb * (1 - pb))\n"
              "          + norm.ppf(power) * np.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) / (p2 - p1)) ** 2\n"
              "    return int(np.ceil(n))"),
    ],
    # ---------------------------------------------------------------- 06 · production
    "monthly_scoring_cost": [
        Wrong("a bare number of yen",
              "def monthly_scoring_cost(seconds_per_prediction, predictions_per_month, machine_yen_per_hour):\n"
              "    return seconds_per_prediction * predictions_per_month / 3_600 * machine_yen_per_hour",
              "Rate per month"),
        Wrong("a Money, not a Rate",
              "def monthly_scoring_cost(seconds_per_prediction, predictions_per_month, machine_yen_per_hour):\n"
              "    return Money(seconds_per_prediction * predictions_per_month / 3_600 * machine_yen_per_hour)",
              "Money"),
        Wrong("seconds times yen per hour (no conversion to hours)",
              "def monthly_scoring_cost(seconds_per_prediction, predictions_per_month, machine_yen_per_hour):\n"
              "    return Rate(seconds_per_prediction * predictions_per_month * machine_yen_per_hour, per='month')",
              "convert the seconds"),
        Wrong("divides by 60",
              "def monthly_scoring_cost(seconds_per_prediction, predictions_per_month, machine_yen_per_hour):\n"
              "    return Rate(seconds_per_prediction * predictions_per_month / 60 * machine_yen_per_hour, per='month')",
              "3,600 seconds"),
        Wrong("multiplies by 30 days",
              "def monthly_scoring_cost(seconds_per_prediction, predictions_per_month, machine_yen_per_hour):\n"
              "    hours = seconds_per_prediction * predictions_per_month / 3_600\n"
              "    return Rate(hours * machine_yen_per_hour * 30, per='month')",
              "already per month"),
        Wrong("the monthly amount labelled per day",
              "def monthly_scoring_cost(seconds_per_prediction, predictions_per_month, machine_yen_per_hour):\n"
              "    hours = seconds_per_prediction * predictions_per_month / 3_600\n"
              "    return Rate(hours * machine_yen_per_hour, per='day')",
              "not the monthly cost"),
        Wrong("the notebook's MACHINE_YEN_PER_HOUR instead of the argument",
              "def monthly_scoring_cost(seconds_per_prediction, predictions_per_month, machine_yen_per_hour):\n"
              "    hours = seconds_per_prediction * predictions_per_month / 3_600\n"
              "    return Rate(hours * 50, per='month')",
              "not the monthly cost"),
        Right("a yearly Rate, converted by the checks",
              "def monthly_scoring_cost(seconds_per_prediction, predictions_per_month, machine_yen_per_hour):\n"
              "    yearly_seconds = seconds_per_prediction * predictions_per_month * 12\n"
              "    return Rate(yearly_seconds / 3_600 * machine_yen_per_hour, per='year').to('month')"),
    ],
    "monthly_precision": [
        Wrong("index labels used as positions into the scores array",
              "def monthly_precision(mails, scores, share):\n"
              "    month = mails['send_date'].dt.to_period('M')\n"
              "    values = {}\n"
              "    for m, rows in mails.groupby(month):\n"
              "        values[m] = top_share_access_rate(rows, scores[rows.index], share)\n"
              "    return pd.Series(values)",
              "position"),
        Wrong("scores as a Series assigned to mails (aligned on the index)",
              "def monthly_precision(mails, scores, share):\n"
              "    mails = mails.assign(score=pd.Series(scores))\n"
              "    month = mails['send_date'].dt.to_period('M')\n"
              "    values = {}\n"
              "    for m, rows in mails.groupby(month):\n"
              "        values[m] = top_share_access_rate(rows, rows['score'].to_numpy(), share)\n"
              "    return pd.Series(values)",
              "position"),
        Wrong("ranks the whole month at once",
              "import math\n"
              "from course.metrics import precision_at_k\n"
              "def monthly_precision(mails, scores, share):\n"
              "    scores = np.asarray(scores)\n"
              "    month = mails['send_date'].dt.to_period('M')\n"
              "    values = {}\n"
              "    for m in sorted(month.unique()):\n"
              "        rows = (month == m).to_numpy()\n"
              "        k = max(1, math.ceil(share * rows.sum()))\n"
              "        values[m] = precision_at_k(scores[rows], mails['accessed'].to_numpy()[rows], k)\n"
              "    return pd.Series(values)",
              "whole month"),
        Wrong("the access rate of every mail of the month",
              "def monthly_precision(mails, scores, share):\n"
              "    return mails.groupby(mails['send_date'].dt.to_period('M'))['accessed'].mean()",
              "every mail of the month"),
        Wrong("months as strings",
              "def monthly_precision(mails, scores, share):\n"
              "    scores = np.asarray(scores)\n"
              "    month = mails['send_date'].dt.strftime('%Y-%m')\n"
              "    values = {}\n"
              "    for m in sorted(month.unique()):\n"
              "        rows = (month == m).to_numpy()\n"
              "        values[m] = top_share_access_rate(mails[rows], scores[rows], share)\n"
              "    return pd.Series(values)",
              "Period"),
        Wrong("month numbers (dt.month)",
              "def monthly_precision(mails, scores, share):\n"
              "    scores = np.asarray(scores)\n"
              "    month = mails['send_date'].dt.month\n"
              "    values = {}\n"
              "    for m in sorted(month.unique()):\n"
              "        rows = (month == m).to_numpy()\n"
              "        values[m] = top_share_access_rate(mails[rows], scores[rows], share)\n"
              "    return pd.Series(values)",
              "Period"),
        Wrong("the notebook's BUDGET_SHARE instead of `share`",
              "def monthly_precision(mails, scores, share):\n"
              "    scores = np.asarray(scores)\n"
              "    month = mails['send_date'].dt.to_period('M')\n"
              "    values = {}\n"
              "    for m in sorted(month.unique()):\n"
              "        rows = (month == m).to_numpy()\n"
              "        values[m] = top_share_access_rate(mails[rows], scores[rows], BUDGET_SHARE)\n"
              "    return pd.Series(values)",
              "share"),
        Right("groupby on positions with a reset index",
              "def monthly_precision(mails, scores, share):\n"
              "    t = mails.reset_index(drop=True).assign(score=np.asarray(scores))\n"
              "    month = t['send_date'].dt.to_period('M')\n"
              "    return t.groupby(month).apply(\n"
              "        lambda g: top_share_access_rate(g, g['score'].to_numpy(), share)).sort_index()"),
    ],
    "should_retrain": [
        Wrong("subtracts max_drop from the reference (absolute drop)",
              "def should_retrain(history, reference, max_drop, patience):\n"
              "    if len(history) < patience:\n"
              "        return False\n"
              "    return all(v < reference - max_drop for v in history[-patience:])",
              "relative"),
        Wrong("reacts to the last month only",
              "def should_retrain(history, reference, max_drop, patience):\n"
              "    return len(history) > 0 and history[-1] < reference * (1 - max_drop)",
              "one bad month"),
        Wrong("any bad month among the last `patience`",
              "def should_retrain(history, reference, max_drop, patience):\n"
              "    if len(history) < patience:\n"
              "        return False\n"
              "    return any(v < reference * (1 - max_drop) for v in history[-patience:])",
              "one bad month"),
        Wrong("looks at the first `patience` months",
              "def should_retrain(history, reference, max_drop, patience):\n"
              "    if len(history) < patience:\n"
              "        return False\n"
              "    return all(v < reference * (1 - max_drop) for v in history[:patience])",
              "latest `patience` months"),
        Wrong("no guard for a short history",
              "def should_retrain(history, reference, max_drop, patience):\n"
              "    return all(v < reference * (1 - max_drop) for v in history[-patience:])",
              "fewer months"),
        Wrong("patience fixed at 2",
              "def should_retrain(history, reference, max_drop, patience):\n"
              "    if len(history) < 2:\n"
              "        return False\n"
              "    return all(v < reference * (1 - max_drop) for v in history[-2:])",
              "`patience` you are given"),
        Wrong("first month of the history as the reference, ignoring `reference`",
              "def should_retrain(history, reference, max_drop, patience):\n"
              "    if len(history) < patience or not history:\n"
              "        return False\n"
              "    return all(v < history[0] * (1 - max_drop) for v in history[-patience:])",
              "reference"),
        Wrong("the drop measured relative to the new value, not the reference",
              "def should_retrain(history, reference, max_drop, patience):\n"
              "    if len(history) < patience:\n"
              "        return False\n"
              "    return all((reference - v) / v > max_drop for v in history[-patience:])",
              "against the reference"),
        Wrong("hard-codes the notebook's answers",
              "def should_retrain(history, reference, max_drop, patience):\n"
              "    return list(history) in ([0.10, 0.07, 0.075], [0.10, 0.08, 0.08],\n"
              "                             [0.10, 0.085, 0.085], [0.10, 0.07, 0.07, 0.07])",
              "", hardcoded=True),
        Right("numpy, with the limit computed once",
              "def should_retrain(history, reference, max_drop, patience):\n"
              "    recent = np.asarray(history[-patience:], dtype=float) if patience else np.array([])\n"
              "    return bool(len(history) >= patience and (recent < reference * (1 - max_drop)).all())"),
    ],
    "learning_curve": [
        Wrong("the first rows of train (its oldest campaigns)",
              "def learning_curve(train, test, sizes, fit, share, seed):\n"
              "    values = {}\n"
              "    for size in sizes:\n"
              "        model = fit(train.head(size))\n"
              "        values[size] = top_share_access_rate(test, model.predict_proba(test[FEATURES])[:, 1], share)\n"
              "    return pd.Series(values)",
              "first rows"),
        Wrong("leakage: samples from train and test together",
              "def learning_curve(train, test, sizes, fit, share, seed):\n"
              "    everything = pd.concat([train, test])\n"
              "    values = {}\n"
              "    for size in sizes:\n"
              "        model = fit(everything.sample(size, random_state=seed))\n"
              "        values[size] = top_share_access_rate(test, model.predict_proba(test[FEATURES])[:, 1], share)\n"
              "    return pd.Series(values)",
              "never train on `test`"),
        Wrong("no random_state",
              "def learning_curve(train, test, sizes, fit, share, seed):\n"
              "    values = {}\n"
              "    for size in sizes:\n"
              "        model = fit(train.sample(size))\n"
              "        values[size] = top_share_access_rate(test, model.predict_proba(test[FEATURES])[:, 1], share)\n"
              "    return pd.Series(values)",
              "same seed"),
        Wrong("samples with replacement",
              "def learning_curve(train, test, sizes, fit, share, seed):\n"
              "    values = {}\n"
              "    for size in sizes:\n"
              "        model = fit(train.sample(size, replace=True, random_state=seed))\n"
              "        values[size] = top_share_access_rate(test, model.predict_proba(test[FEATURES])[:, 1], share)\n"
              "    return pd.Series(values)",
              "without replacement"),
        Wrong("measured on the training sample, not on test",
              "def learning_curve(train, test, sizes, fit, share, seed):\n"
              "    values = {}\n"
              "    for size in sizes:\n"
              "        sample = train.sample(size, random_state=seed)\n"
              "        model = fit(sample)\n"
              "        values[size] = top_share_access_rate(sample, model.predict_proba(sample[FEATURES])[:, 1], share)\n"
              "    return pd.Series(values)",
              "access rate at the budget"),
        Wrong("the notebook's fit_access_model instead of `fit`",
              "def learning_curve(train, test, sizes, fit, share, seed):\n"
              "    values = {}\n"
              "    for size in sizes:\n"
              "        model = fit_access_model(train.sample(size, random_state=seed))\n"
              "        values[size] = top_share_access_rate(test, model.predict_proba(test[FEATURES])[:, 1], share)\n"
              "    return pd.Series(values)",
              "called 0 times"),
        Wrong("AUC instead of the access rate at the budget",
              "from sklearn.metrics import roc_auc_score\n"
              "def learning_curve(train, test, sizes, fit, share, seed):\n"
              "    values = {}\n"
              "    for size in sizes:\n"
              "        model = fit(train.sample(size, random_state=seed))\n"
              "        values[size] = roc_auc_score(test['accessed'], model.predict_proba(test[FEATURES])[:, 1])\n"
              "    return pd.Series(values)",
              "access rate at the budget"),
        Wrong("a Series without the sizes as its index",
              "def learning_curve(train, test, sizes, fit, share, seed):\n"
              "    values = []\n"
              "    for size in sizes:\n"
              "        model = fit(train.sample(size, random_state=seed))\n"
              "        values.append(top_share_access_rate(test, model.predict_proba(test[FEATURES])[:, 1], share))\n"
              "    return pd.Series(values)",
              "index the Series by the sizes"),
        Right("nested samples from one seeded shuffle",
              "def learning_curve(train, test, sizes, fit, share, seed):\n"
              "    shuffled = train.sample(frac=1.0, random_state=seed)\n"
              "    def at(size):\n"
              "        model = fit(shuffled.iloc[:size])\n"
              "        return top_share_access_rate(test, model.predict_proba(test[FEATURES])[:, 1], share)\n"
              "    return pd.Series([at(s) for s in sizes], index=list(sizes))"),
    ],
}
