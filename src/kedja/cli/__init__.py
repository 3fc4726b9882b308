"""The ``kedja`` command line: thin commands over ``kedja.services``."""

from kedja.cli.main import app, main

__all__ = ["app", "main"]
