"""Named random streams: every part of the world draws from its own seeded generator."""

import numpy as np

CATALOG = 1
CUSTOMERS = 2
TASTE = 3
TASTE_LATE = 4
MONTHLY = 5
INTENTS = 6
BROWSE = 7
RECIPIENTS = 8
MAIL_ACCESS = 9
MAIL_BUY = 10
UNSUBSCRIBE = 11
SESSIONS = 12
STOCK = 13

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def stream(seed: int, *keys: int) -> np.random.Generator:
    """A generator that depends only on ``seed`` and ``keys`` (same numbers on every machine)."""
    return np.random.default_rng(np.random.SeedSequence([seed, *keys]))


def uniforms(seed: int, keys: tuple[int, ...], idx: np.ndarray) -> np.ndarray:
    """One uniform in [0, 1) per index, a pure function of (seed, keys, index).

    Random access (a splitmix64 hash of a counter), so customer i's draw for a release is the
    same whoever else is drawn with it, and costs nothing for customers not drawn.
    """
    key = np.random.SeedSequence([seed, *keys]).generate_state(1, np.uint64)[0]
    with np.errstate(over="ignore"):
        z = key + (np.asarray(idx, dtype=np.uint64) + np.uint64(1)) * _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * _MIX1
        z = (z ^ (z >> np.uint64(27))) * _MIX2
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53
