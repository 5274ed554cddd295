"""The course package: the synthetic fashion shop, metrics, money and learner feedback."""
