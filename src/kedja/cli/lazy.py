"""Modules imported on first use, so that ``kedja --help`` does not load the whole platform.

``kedja.services`` pulls in SciPy, OR-Tools, openpyxl, Alembic and the engines: seconds of
imports that a command only needs once it runs. :func:`lazy_module` returns a module object at
once and executes the module the first time one of its attributes is used (the standard
library's :class:`importlib.util.LazyLoader` recipe). Unlike ``importlib.util.find_spec`` (and
the ``lazy_loader`` package built on it), it finds a submodule through its parent's *spec*, so
``lazy_module("kedja.services.chains")`` does not run ``kedja/services/__init__.py`` either.

Examples:
    >>> mod = lazy_module("kedja.cli.options")
    >>> mod.OutputFormat.JSON.value
    'json'
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from types import ModuleType

__all__ = ["lazy_module"]

_SPECS: dict[str, importlib.machinery.ModuleSpec] = {}
"""Specs of the modules made lazy here (reading a lazy module's own ``__spec__`` would load it)."""


def _spec(name: str) -> importlib.machinery.ModuleSpec:
    parent, _, _ = name.rpartition(".")
    if not parent:
        spec = importlib.util.find_spec(name)
    else:
        lazy_module(parent)
        parent_spec = _SPECS.get(parent) or sys.modules[parent].__spec__
        locations = parent_spec.submodule_search_locations if parent_spec else None
        spec = importlib.machinery.PathFinder.find_spec(name, locations)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"no module named {name!r}", name=name)
    return spec


def lazy_module(name: str) -> ModuleType:
    """The module ``name``, executed on first attribute access (at once if already imported)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = _spec(name)
    _SPECS[name] = spec
    assert spec.loader is not None
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
