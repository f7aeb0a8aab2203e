"""The string-length and pattern-hit kernels: merging split states gives the whole's value."""

import numpy as np
import pyarrow as pa

from datacheck.kernels.base import BatchView
from datacheck.kernels.lengths import LengthOutside, LengthStats
from datacheck.kernels.patterns import PatternHit


def fold(k, batches):
    states = []
    off = 0
    for b in batches:
        states.append(k.update(k.init(), BatchView(b, off)))
        off += b.num_rows
    s = k.init()
    for x in states:
        s = k.merge(s, x)
    return k.finalize(s)


def test_split_equals_whole():
    rng = np.random.default_rng(3)
    vals = ["x" * int(n) if n else None for n in rng.integers(0, 9, 1000)]
    whole = pa.record_batch({"s": vals})
    parts = [whole.slice(0, 0), whole.slice(0, 313), whole.slice(313, 400), whole.slice(713)]
    for k in (LengthStats("s"), LengthOutside("s", 2, 6), PatternHit("s", "x{7,}")):
        assert fold(k, parts) == fold(k, [whole])
    s = [v for v in vals if v is not None]
    got = fold(LengthStats("s"), parts)
    assert got == {"checked": len(s), "min": min(map(len, s)), "max": max(map(len, s))}
    assert fold(LengthOutside("s", 2, 6), parts)["outside"] == sum(not 2 <= len(v) <= 6 for v in s)
    assert fold(LengthStats("s"), [whole.slice(0, 0)]) == {"checked": 0, "min": None, "max": None}
