"""Front-end assets taken from the npm registry (``package.json``), served by the app offline.

``make assets`` runs ``npm ci`` and copies the files below from ``node_modules`` into
``kedja/web/static/vendor/`` (ignored by git, included in the package build). When they are
missing the app still starts: pages work without enhancements and say how to add them.
"""

from __future__ import annotations

import logging
import shutil
from functools import cache
from importlib import resources
from pathlib import Path

__all__ = ["VENDOR_FILES", "copy_vendor_files", "missing_vendor_files", "vendor_dir"]

VENDOR_FILES = {
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
    "vega.min.js": "vega/build/vega.min.js",
    "vega-lite.min.js": "vega-lite/build/vega-lite.min.js",
    "vega-embed.min.js": "vega-embed/build/vega-embed.min.js",
    "swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
}
"""Served file name → its path inside ``node_modules``."""

log = logging.getLogger("kedja.web")


@cache
def vendor_dir() -> Path:
    """The folder the vendored assets are served from (``/static/vendor/``).

    Found once per process: every page checks its files (``missing_vendor_files``), and
    finding the package's folder cost more than the check.
    """
    return Path(str(resources.files("kedja.web").joinpath("static", "vendor")))


def missing_vendor_files() -> list[str]:
    """The vendored files that are absent (empty when all are there)."""
    return [name for name in VENDOR_FILES if not (vendor_dir() / name).is_file()]


def copy_vendor_files(node_modules: Path) -> list[str]:
    """Copy the assets out of ``node_modules``; returns the names copied.

    Raises:
        FileNotFoundError: a file is missing from ``node_modules`` (run ``npm ci`` first).
    """
    target = vendor_dir()
    target.mkdir(parents=True, exist_ok=True)
    for name, source in VENDOR_FILES.items():
        path = node_modules / source
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: run 'npm ci' in the project folder")
        shutil.copyfile(path, target / name)
    return list(VENDOR_FILES)

