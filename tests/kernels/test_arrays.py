"""``kernels.arrays``: Arrow to numpy and back without pyarrow's pandas bridge must give exactly what
pyarrow gives (values, dtype, read-only views), for every width, slice and null pattern."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datacheck.kernels.arrays import from_numpy, to_numpy, values_and_validity

TYPES = [pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint8(), pa.uint16(), pa.uint32(), pa.uint64()]
TYPES += [pa.float32(), pa.float64(), pa.bool_()]


def _values(t: pa.DataType, n: int, rng: np.random.Generator) -> list:
    if pa.types.is_boolean(t):
        return rng.random(n).__lt__(0.5).tolist()
    if pa.types.is_floating(t):
        return rng.normal(size=n).astype(t.to_pandas_dtype()).tolist()
    info = np.iinfo(t.to_pandas_dtype())
    return rng.integers(info.min, info.max, n, dtype=t.to_pandas_dtype(), endpoint=True).tolist()


@settings(max_examples=60, deadline=None)
@given(
    t=st.sampled_from(TYPES),
    n=st.integers(0, 300),
    start=st.integers(0, 40),
    length=st.integers(0, 300),
    nulls=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_to_numpy_is_pyarrows(t, n, start, length, nulls, seed):
    rng = np.random.default_rng(seed)
    vals = _values(t, n, rng)
    if nulls and n:
        vals = [None if rng.random() < 0.2 else v for v in vals]
    arr = pa.array(vals, t).slice(min(start, n), length)
    got, want = to_numpy(arr), arr.to_numpy(zero_copy_only=False)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert np.array_equal(got, want, equal_nan=want.dtype.kind == "f")
    if got.dtype.kind in "iuf" and not arr.null_count:
        assert not got.flags.writeable  # a view of Arrow's memory
    chunked = pa.chunked_array([arr, arr], t)
    assert np.array_equal(to_numpy(chunked), chunked.to_numpy(), equal_nan=want.dtype.kind == "f")
    if not pa.types.is_boolean(t):
        v, ok = values_and_validity(arr)
        valid = np.ones(len(arr), dtype=bool) if ok is None else ok
        assert valid.tolist() == arr.is_valid().to_pylist()
        assert [x for x, keep in zip(v.tolist(), valid) if keep] == [x for x in arr.to_pylist() if x is not None]


@pytest.mark.parametrize("dtype", ["i1", "i2", "i4", "i8", "u1", "u8", "f4", "f8", "?"])
def test_from_numpy_is_pyarrows(dtype):
    a = (np.arange(-3, 10) % 7).astype(dtype)
    for x in (a, a[::2], a[3:]):
        got, want = from_numpy(x), pa.array(x)
        assert got.type == want.type and got.equals(want)


def test_from_numpy_leaves_other_arrays_to_pyarrow():
    assert from_numpy(np.array(["a", "b"])).to_pylist() == ["a", "b"]
    assert from_numpy(np.array([1.5], dtype="f2")).to_pylist() == [1.5]


def test_values_and_validity_refuses_what_is_not_a_number():
    with pytest.raises(TypeError, match="not a column of numbers"):
        values_and_validity(pa.array(["x"]))
