"""A generic reader for JSON-stat 2 datasets, the format SCB's PxWeb API returns.

JSON-stat 2 (https://json-stat.org/format/) stores a cube as a flat ``value`` list in row-major
order over the dimensions named in ``id`` with sizes ``size``; each dimension's category
``index`` gives the position of each code (as a list or a code → position map). Missing cells
are ``null``; ``value`` may also be a sparse position → value map.

Examples:
    >>> cube = read_jsonstat({"class": "dataset", "id": ["region", "year"], "size": [2, 2],
    ...     "dimension": {"region": {"category": {"index": ["2580", "2584"]}},
    ...                   "year": {"category": {"index": {"2023": 0, "2024": 1}}}},
    ...     "value": [10, 11, None, 21]})
    >>> cube.get(region="2584", year="2024"), cube.sum_over("year")["2580"]
    (21.0, 21.0)

"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kedja.core.errors import InvalidInput

__all__ = ["JsonStatCube", "load_jsonstat", "read_jsonstat"]


@dataclass(frozen=True)
class JsonStatCube:
    """A JSON-stat cube: dimension ids, category codes and labels, and values (NaN = missing)."""

    ids: tuple[str, ...]
    codes: dict[str, tuple[str, ...]]
    labels: dict[str, dict[str, str]]
    values: np.ndarray
    label: str = ""

    def position(self, dimension: str, code: str) -> int:
        """The index of ``code`` along ``dimension``, or an error listing what exists."""
        if dimension not in self.codes:
            raise InvalidInput(f"the cube has no dimension {dimension!r}", field="dimension",
                               value=dimension, hint=f"use one of {list(self.ids)}")
        if code not in self.codes[dimension]:
            raise InvalidInput(f"{code!r} is not a category of {dimension!r}", field=dimension,
                               value=code, hint=f"use one of {list(self.codes[dimension])[:10]}")
        return self.codes[dimension].index(code)

    def get(self, **where: str) -> float:
        """The value at one code per dimension."""
        return float(self.values[tuple(self.position(d, where[d]) for d in self.ids)])

    def slice(self, **where: str) -> np.ndarray:
        """The sub-cube with the named dimensions fixed (other dimensions kept, in order)."""
        index = tuple(self.position(d, where[d]) if d in where else slice(None) for d in self.ids)
        return self.values[index]

    def sum_over(self, *dimensions: str) -> dict[str, float]:
        """Totals over ``dimensions`` (NaN as 0) keyed by the codes of the one dimension left.

        Raises:
            InvalidInput: more than one dimension of size > 1 would be left.

        """
        keep = [d for d in self.ids if d not in dimensions and len(self.codes[d]) > 1]
        if len(keep) != 1:
            raise InvalidInput(f"summing over {list(dimensions)} leaves {keep}",
                               field="dimensions", value=",".join(dimensions),
                               hint="sum over all dimensions but one")
        axes = tuple(i for i, d in enumerate(self.ids) if d != keep[0])
        totals = np.nansum(self.values, axis=axes)
        return dict(zip(self.codes[keep[0]], (float(v) for v in totals), strict=True))


def _category_codes(dimension: dict[str, Any], size: int, name: str) -> tuple[str, ...]:
    index = dimension.get("category", {}).get("index")
    if index is None:
        labels = dimension.get("category", {}).get("label", {})
        index = list(labels)
    codes = list(index) if isinstance(index, list) else sorted(index, key=index.__getitem__)
    if len(codes) != size:
        raise InvalidInput(f"dimension {name!r} lists {len(codes)} categories but size says {size}",
                           field=name, value=len(codes), hint="check the JSON-stat export")
    return tuple(str(c) for c in codes)


def _values(raw: Any, sizes: list[int]) -> np.ndarray:
    total = int(np.prod(sizes))
    flat = np.full(total, np.nan)
    items = raw.items() if isinstance(raw, dict) else enumerate(raw)
    for position, value in items:
        if value is not None:
            flat[int(position)] = float(value)
    if not isinstance(raw, dict) and len(raw) != total:
        raise InvalidInput(f"the cube has {len(raw)} values but its sizes give {total}",
                           field="value", value=len(raw), hint="check the JSON-stat export")
    return flat.reshape(sizes)


def read_jsonstat(data: dict[str, Any]) -> JsonStatCube:
    """Parse a JSON-stat 2 ``dataset`` object; O(number of cells).

    Raises:
        InvalidInput: not a dataset, or sizes, ids and categories disagree.

    """
    if data.get("class") != "dataset" or "id" not in data or "size" not in data:
        raise InvalidInput("the document is not a JSON-stat 2 dataset", field="class",
                           value=data.get("class"),
                           hint="give a PxWeb response in JSON-stat 2 (format json-stat2)")
    ids, sizes = [str(i) for i in data["id"]], [int(s) for s in data["size"]]
    dims = data["dimension"]
    codes = {d: _category_codes(dims[d], s, d) for d, s in zip(ids, sizes, strict=True)}
    labels = {d: {str(k): str(v) for k, v in dims[d].get("category", {}).get("label", {}).items()}
              for d in ids}
    return JsonStatCube(tuple(ids), codes, labels, _values(data["value"], sizes),
                        str(data.get("label", "")))


def load_jsonstat(path: Path) -> JsonStatCube:
    """Read a JSON-stat 2 file; errors name the file."""
    try:
        return read_jsonstat(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError) as error:
        raise InvalidInput(f"cannot read {path} as JSON: {error}", field="path", value=str(path),
                           location=str(path), hint="give a JSON-stat 2 file") from error
