"""Arrow arrays to numpy and back without pyarrow's pandas bridge.

``Array.to_numpy``, ``pa.array`` and ``pa.scalar`` import pandas the first time they run (pyarrow
readies its pandas conversions then), which costs about 0.17 s: a run that reads Parquet files
would pay it inside its first pass though it never needs pandas. For the arrays datacheck converts
most (fixed-width numbers and booleans without nulls, integer positions) these functions read and
write the buffers directly; anything else goes through pyarrow as before.

Examples
--------
>>> import numpy as np, pyarrow as pa
>>> to_numpy(pa.array([1.5, 2.5])).tolist(), to_numpy(pa.array([True, False, True])).tolist()
([1.5, 2.5], [True, False, True])
>>> from_numpy(np.array([3, 1], dtype=np.int64)).to_pylist()
[3, 1]
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

__all__ = ["from_numpy", "to_numpy", "values_and_validity"]


def _numpy_dtype(t: pa.DataType) -> np.dtype | None:
    if pa.types.is_integer(t):
        return np.dtype(f"{'i' if pa.types.is_signed_integer(t) else 'u'}{t.bit_width // 8}")
    if pa.types.is_floating(t) and t.bit_width in (32, 64):
        return np.dtype(f"f{t.bit_width // 8}")
    return None


def to_numpy(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """``arr.to_numpy(zero_copy_only=False)``: the same values and dtype, read off the buffers for
    integers, floats and booleans without nulls (a read-only view for numbers, as pyarrow's)."""
    if isinstance(arr, pa.ChunkedArray):
        parts = [to_numpy(c) for c in arr.chunks]
        if len(parts) == 1:
            return parts[0]
        return np.concatenate(parts) if parts else arr.to_numpy()
    if arr.null_count:
        return arr.to_numpy(zero_copy_only=False)
    t = arr.type
    dtype = _numpy_dtype(t)
    if dtype is not None:
        buf = arr.buffers()[1]
        if buf is None:
            return np.zeros(0, dtype=dtype)
        out = np.frombuffer(buf, dtype=dtype, count=arr.offset + len(arr))[arr.offset :]
        out.flags.writeable = False  # a view of Arrow's memory, read-only as pyarrow's
        return out
    if pa.types.is_boolean(t):
        buf = arr.buffers()[1]
        if buf is None or not len(arr):
            return np.zeros(0, dtype=bool)
        bits = np.unpackbits(np.frombuffer(buf, dtype=np.uint8), bitorder="little")
        return bits[arr.offset : arr.offset + len(arr)].astype(bool)
    return arr.to_numpy(zero_copy_only=False)


def from_numpy(a: np.ndarray) -> pa.Array:
    """``pa.array(a)`` for a one-dimensional numpy array of integers, floats or booleans (its
    buffer shared when contiguous); anything else through ``pa.array``."""
    a = np.asarray(a)
    if a.ndim != 1:
        return pa.array(a)
    if a.dtype.kind in "iuf" and a.dtype.itemsize in (1, 2, 4, 8) and not (a.dtype.kind == "f" and a.itemsize < 4):
        a = np.ascontiguousarray(a)
        t = pa.from_numpy_dtype(a.dtype)
        return pa.Array.from_buffers(t, len(a), [None, pa.py_buffer(a)])
    if a.dtype.kind == "b":
        bits = np.packbits(a.astype(np.uint8), bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), len(a), [None, pa.py_buffer(bits)])
    return pa.array(a)


def values_and_validity(arr: pa.Array) -> tuple[np.ndarray, np.ndarray | None]:
    """A chunk of integers or floats as its values buffer (no copy) and its validity (None: no
    nulls). The values in null slots are whatever the buffer holds: read them only where valid.

    >>> v, ok = values_and_validity(pa.array([1.0, None, 3.0]))
    >>> v[ok].tolist(), ok.tolist()
    ([1.0, 3.0], [True, False, True])
    """
    dtype = _numpy_dtype(arr.type)
    if dtype is None:
        raise TypeError(f"not a column of numbers: {arr.type}")
    if not arr.null_count:
        return to_numpy(arr), None
    buf = arr.buffers()[1]
    values = np.frombuffer(buf, dtype=dtype, count=arr.offset + len(arr))[arr.offset :]
    values.flags.writeable = False
    return values, to_numpy(arr.is_valid())
