"""Encoded arrays as Arrow tables, so partitions travel to workers as columnar data.

A dataclass of row-aligned fields (id lists, 1-D numpy arrays, CSR matrices) becomes one Arrow
table with a row per element: an id list is a string column, an array a typed column, a CSR
matrix two list columns (``<name>.indices``, ``<name>.data``) with its width in the schema
metadata. Fields of different lengths (a chain problem's arrays) become a one-row table of list
columns. The way back rebuilds the same dataclass, equal field by field.

Examples:
    >>> import numpy as np, scipy.sparse as sp
    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class Rows:
    ...     ids: list[str]
    ...     size: np.ndarray
    ...     skills: sp.csr_matrix
    >>> rows = Rows(["a", "b"], np.array([3, 4], dtype=np.int16),
    ...             sp.csr_matrix(np.array([[0, 1.5], [2.0, 0]], dtype=np.float32)))
    >>> table = rows_to_table(rows)
    >>> table.column_names
    ['ids', 'size', 'skills.indices', 'skills.data']
    >>> back = table_to_rows(Rows, table)
    >>> back.ids, back.size.dtype, back.skills.toarray().tolist()
    (['a', 'b'], dtype('int16'), [[0.0, 1.5], [2.0, 0.0]])
"""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
import scipy.sparse as sp

__all__ = ["arrays_to_table", "rows_to_table", "table_to_arrays", "table_to_rows", "take_rows"]

T = TypeVar("T")
WIDTHS = b"kedja.widths"
SHAPES = b"kedja.shapes"


def _field_values(obj: Any) -> dict[str, Any]:
    if not is_dataclass(obj):
        raise TypeError(f"{type(obj).__name__} is not a dataclass")
    return {f.name: getattr(obj, f.name) for f in fields(obj) if f.init}


def rows_to_table(obj: Any) -> pa.Table:
    """Row-aligned fields of a dataclass as one Arrow table (CSR rows as list columns)."""
    columns: dict[str, pa.Array] = {}
    widths: dict[str, int] = {}
    for name, value in _field_values(obj).items():
        if sp.issparse(value):
            csr = sp.csr_matrix(value)
            csr.sort_indices()
            offsets = pa.array(csr.indptr.astype(np.int64), type=pa.int64())
            columns[f"{name}.indices"] = pa.LargeListArray.from_arrays(
                offsets, pa.array(csr.indices.astype(np.int32)))
            columns[f"{name}.data"] = pa.LargeListArray.from_arrays(offsets, pa.array(csr.data))
            widths[name] = int(csr.shape[1])
        elif isinstance(value, np.ndarray):
            columns[name] = pa.array(value)
        else:
            columns[name] = pa.array(list(value), type=pa.string())
    table = pa.table(columns)
    return table.replace_schema_metadata({WIDTHS: json.dumps(widths).encode()})


def table_to_rows(cls: type[T], table: pa.Table) -> T:
    """The dataclass ``cls`` rebuilt from :func:`rows_to_table`'s table."""
    widths = json.loads((table.schema.metadata or {}).get(WIDTHS, b"{}"))
    values: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if not f.init:
            continue
        if f.name in widths:
            indices = table.column(f"{f.name}.indices").combine_chunks()
            data = table.column(f"{f.name}.data").combine_chunks()
            values[f.name] = sp.csr_matrix(
                (data.values.to_numpy(), indices.values.to_numpy(), indices.offsets.to_numpy()),
                shape=(table.num_rows, widths[f.name]))
        elif pa.types.is_string(table.schema.field(f.name).type):
            values[f.name] = table.column(f.name).to_pylist()
        else:
            values[f.name] = table.column(f.name).to_numpy()
    return cls(**values)


def take_rows(table: pa.Table, rows: np.ndarray) -> pa.Table:
    """The rows ``rows`` of a row table, in that order, with its metadata."""
    return table.take(pa.array(np.asarray(rows, dtype=np.int64))).replace_schema_metadata(
        table.schema.metadata)


def arrays_to_table(obj: Any) -> pa.Table:
    """A dataclass of arrays of any lengths and shapes, tuples and scalars as a one-row table."""
    columns: dict[str, pa.Array] = {}
    shapes: dict[str, Any] = {}
    for name, value in _field_values(obj).items():
        if isinstance(value, np.ndarray):
            columns[name] = pa.array([value.ravel()], type=pa.list_(pa.from_numpy_dtype(value.dtype)))
            shapes[name] = list(value.shape)
        elif isinstance(value, tuple):
            columns[name] = pa.array([list(value)])
            shapes[name] = "tuple"
        else:
            columns[name] = pa.array([value])
    return pa.table(columns).replace_schema_metadata({SHAPES: json.dumps(shapes).encode()})


def table_to_arrays(cls: type[T], table: pa.Table) -> T:
    """The dataclass ``cls`` rebuilt from :func:`arrays_to_table`'s table."""
    shapes = json.loads((table.schema.metadata or {}).get(SHAPES, b"{}"))
    values: dict[str, Any] = {}
    for name in table.column_names:
        cell = table.column(name)[0]
        if shapes.get(name) == "tuple":
            values[name] = tuple(cell.as_py())
        elif name in shapes:
            values[name] = cell.values.to_numpy(zero_copy_only=False).reshape(shapes[name])
        else:
            values[name] = cell.as_py()
    return cls(**values)
