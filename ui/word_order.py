"""The "Where did word order go?" lesson's choices that are not attention: which shuffle a seed picks.

The page, its link and its notebook share this, so the shuffled order is the same everywhere (the
notebook gets the order itself as a literal list).
"""

from __future__ import annotations

import numpy as np

#: Where positions come from: none, sinusoidal ("Attention Is All You Need") or rotary (RoPE).
POSITIONS = ("none", "sinusoidal", "rope")


def shuffle_order(n: int, seed: int) -> list[int]:
    """The shuffled sentence's token i is the original token ``order[i]``: a permutation of 0..n-1
    drawn from ``np.random.default_rng(seed)``, never the identity when n > 1 (then rolled by one)."""
    order = [int(i) for i in np.random.default_rng(seed).permutation(n)]
    if n > 1 and order == list(range(n)):
        order = order[1:] + order[:1]
    return order
