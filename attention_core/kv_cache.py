"""The KV cache: why generating text one token at a time is cheap.

A decoder writes a sentence token by token, each token attending causally to itself and to the
tokens before it. At step t (0-based) the new token x_t needs

    q_t = x_t · W_q                          its query (only its own)
    K = [k_0 .. k_t],  V = [v_0 .. v_t]      the keys and values of every token so far
    output_t = softmax(q_t · Kᵀ / √d_k) · V

The keys and values of tokens 0 .. t-1 are the same at every step: nothing that comes later
changes them. So keep them (the cache), and at each step compute only the new token's q, k and
v, append k_t and v_t to the cache, and attend. The output is the causal self-attention's row t,
the same number as recomputing everything, with work that grows like t per step instead of t².
The price is memory: the cache holds (t+1)·(d_k + d_v) numbers after step t, growing linearly.

Work is counted in multiply-adds (one multiplication followed by one addition, as in a dot
product), with P = d_in·d_k + d_in·d_k + d_in·d_v the projections of one token (a term is 0
when its W is None: the vectors are used as they are):

    with the cache, step t:     P  +  (t+1)·d_k  +  (t+1)·d_v
                                (the new token's q, k, v; its t+1 scores; its weighted sum of t+1 values)
    recomputing, step t:        (t+1)·P  +  (t+1)²·d_k  +  (t+1)²·d_v
                                (every token's q, k, v again; the whole (t+1) × (t+1) scores and
                                weighted sums, as causal attention without a cache computes them:
                                the masked half too, as :func:`attention_core.attention` does)

Not counted, in either: dividing by √d_k and by the temperature, the exponentials and the
softmax's sums and divisions (t+1 of each per row), and the mask. Counting only the causal
triangle would put (t+1)(t+2)/2 in place of (t+1)²: still growing like t² per step.

    >>> x = [[1., 0.], [0., 1.], [1., 1.]]
    >>> run = cached_decode(x, scale=False)
    >>> [s.output.round(3).tolist() for s in run.steps]
    [[1.0, 0.0], [0.269, 0.731], [0.788, 0.788]]
    >>> [(s.madds_cached, s.madds_full, s.cache_floats) for s in run.steps]
    [(4, 4, 4), (8, 16, 8), (12, 36, 12)]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .attention import AttentionResult, as_matrix, attention, check_whole, project
from .errors import NonFiniteError, ShapeError

Array = NDArray[np.float64]


@dataclass(frozen=True)
class KVCache:
    """The keys and values of the tokens so far.

    - ``k`` (t, d_k), ``v`` (t, d_v): one row per token, in order (t = 0: an empty cache)

    A cache is never changed in place: :meth:`append` returns a new one, so every step's cache
    stays there to look at. (A real decoder preallocates the rows and fills them.)
    """

    k: Array
    v: Array

    def __post_init__(self) -> None:
        # float64 (t, d) arrays, t = 0 allowed (as_matrix refuses empty arrays, so check here)
        for name in ("k", "v"):
            a = np.asarray(getattr(self, name), dtype=np.float64)
            if a.ndim != 2 or a.shape[1] == 0:
                raise ShapeError(
                    f"the cache's {name} must be a (tokens, width) matrix, got shape {a.shape}",
                    code="shape_rank",
                    name=f"cache {name}",
                    got=a.shape,
                )
            if not np.isfinite(a).all():
                raise NonFiniteError(f"the cache's {name} holds NaN or infinity", name=f"cache {name}")
            object.__setattr__(self, name, a)
        if self.k.shape[0] != self.v.shape[0]:
            raise ShapeError(
                f"a cache holds as many key rows as value rows (got {self.k.shape[0]} and {self.v.shape[0]})",
                name="cache v",
                expected=self.k.shape[0],
                got=self.v.shape[0],
            )

    @classmethod
    def empty(cls, d_k: int, d_v: int) -> KVCache:
        """A cache with no token yet: k (0, d_k), v (0, d_v)."""
        return cls(np.zeros((0, check_whole(d_k, "d_k", 1))), np.zeros((0, check_whole(d_v, "d_v", 1))))

    @property
    def length(self) -> int:
        """Tokens in the cache."""
        return int(self.k.shape[0])

    @property
    def floats(self) -> int:
        """Numbers the cache holds: t·(d_k + d_v)."""
        return int(self.k.size + self.v.size)

    def append(self, k_row: ArrayLike, v_row: ArrayLike) -> KVCache:
        """This cache with one more token's key (d_k,) and value (d_v,) at the end."""
        k = as_matrix(k_row, "k", ndim=(1,))
        v = as_matrix(v_row, "v", ndim=(1,))
        for new, old, name in ((k, self.k, "k"), (v, self.v, "v")):
            if new.shape[0] != old.shape[1]:
                raise ShapeError(
                    f"the new {name} row has width {new.shape[0]} but the cache's rows have {old.shape[1]}",
                    name=name,
                    expected=old.shape[1],
                    got=new.shape[0],
                )
        return KVCache(np.vstack([self.k, k]), np.vstack([self.v, v]))


@dataclass(frozen=True)
class CachedStep:
    """One decoding step with the cache.

    - ``step``: t, the new token's position (0-based), = the tokens cached before it
    - ``x`` (d_in,): the new token's vector; ``q`` (d_k,): its query
    - ``k_new`` (d_k,), ``v_new`` (d_v,): its key and value, the one row added to the cache
    - ``cache``: the cache after the step, k (t+1, d_k), v (t+1, d_v)
    - ``attention``: the :class:`AttentionResult` of q over the cache, weights (t+1,), output (d_v,)
    - ``madds_cached``, ``madds_full``: multiply-adds of this step with the cache and of
      recomputing the causal attention of tokens 0..t (see the module's docstring)
    """

    step: int
    x: Array
    q: Array
    k_new: Array
    v_new: Array
    cache: KVCache
    attention: AttentionResult
    madds_cached: int
    madds_full: int

    @property
    def output(self) -> Array:
        """The new token's output (d_v,): row t of the causal self-attention."""
        return self.attention.output

    @property
    def weights(self) -> Array:
        """The new token's weights over tokens 0..t, (t+1,)."""
        return self.attention.weights

    @property
    def k_reused(self) -> Array:
        """The cached keys used again, not recomputed: (t, d_k)."""
        return self.cache.k[:-1]

    @property
    def v_reused(self) -> Array:
        """The cached values used again: (t, d_v)."""
        return self.cache.v[:-1]

    @property
    def cache_floats(self) -> int:
        """Numbers in the cache after this step: (t+1)·(d_k + d_v)."""
        return self.cache.floats


def cached_step(
    cache: KVCache | None,
    x_new: ArrayLike,
    w_q: ArrayLike | None = None,
    w_k: ArrayLike | None = None,
    w_v: ArrayLike | None = None,
    *,
    scale: bool = True,
    temperature: float = 1.0,
) -> CachedStep:
    """Attend from one new token with the cache: project it, append its k and v, attend.

    Shapes: cache k (t, d_k), v (t, d_v), or None for an empty cache; x_new (d_in,);
    each W (d_in, d_·), or None to use x_new as it is -> a :class:`CachedStep` with q, k_new (d_k,),
    v_new (d_v,), weights (t+1,), output (d_v,) and the new cache (t+1 rows).
    No mask is needed: the cache holds only the tokens before the new one, and itself.

    >>> s = cached_step(None, [1., 0.])
    >>> s = cached_step(s.cache, [0., 1.])
    >>> s.step, s.cache.length, s.k_reused.tolist(), s.k_new.tolist()
    (1, 2, [[1.0, 0.0]], [0.0, 1.0])
    """
    x = as_matrix(x_new, "x_new", ndim=(1,))
    names = ("W_q", "W_k", "W_v")
    ws = [None if w is None else as_matrix(w, name, ndim=(2,)) for w, name in zip((w_q, w_k, w_v), names, strict=True)]
    q, k_new, v_new = (x if w is None else project(x, w, name) for w, name in zip(ws, names, strict=True))
    before = KVCache.empty(k_new.shape[0], v_new.shape[0]) if cache is None else cache
    after = before.append(k_new, v_new)
    r = attention(q, after.k, after.v, scale=scale, temperature=temperature)
    t, d_in, d_k, d_v = before.length, x.shape[0], k_new.shape[0], v_new.shape[0]
    projections = sum(d_in * w.shape[1] for w in ws if w is not None)  # P: one token's q, k, v
    madds_cached = projections + (t + 1) * d_k + (t + 1) * d_v
    madds_full = (t + 1) * projections + (t + 1) ** 2 * d_k + (t + 1) ** 2 * d_v
    return CachedStep(t, x, q, k_new, v_new, after, r, madds_cached, madds_full)


@dataclass(frozen=True)
class CachedDecode:
    """A whole sequence decoded step by step with the cache.

    - ``steps``: one :class:`CachedStep` per token, in order
    """

    steps: tuple[CachedStep, ...]

    @property
    def outputs(self) -> Array:
        """Every step's output, (n, d_v): the causal self-attention's output."""
        return np.stack([s.output for s in self.steps])

    @property
    def cache(self) -> KVCache:
        """The cache after the last step: k (n, d_k), v (n, d_v)."""
        return self.steps[-1].cache

    @property
    def madds_cached_total(self) -> int:
        """Multiply-adds of every step with the cache."""
        return sum(s.madds_cached for s in self.steps)

    @property
    def madds_full_total(self) -> int:
        """Multiply-adds of recomputing at every step."""
        return sum(s.madds_full for s in self.steps)


def cached_decode(
    x: ArrayLike,
    w_q: ArrayLike | None = None,
    w_k: ArrayLike | None = None,
    w_v: ArrayLike | None = None,
    *,
    scale: bool = True,
    temperature: float = 1.0,
) -> CachedDecode:
    """Run :func:`cached_step` over the rows of ``x``, from an empty cache.

    Shapes: x (n, d_in); each W (d_in, d_·) or None -> n steps; ``outputs`` (n, d_v) equals
    ``self_attention(x, w_q, w_k, w_v, mask=causal_mask(n)).attention.output`` to rounding.
    """
    xa = as_matrix(x, "X", ndim=(2,))
    steps: list[CachedStep] = []
    cache: KVCache | None = None
    for row in xa:
        step = cached_step(cache, row, w_q, w_k, w_v, scale=scale, temperature=temperature)
        steps.append(step)
        cache = step.cache
    return CachedDecode(tuple(steps))
