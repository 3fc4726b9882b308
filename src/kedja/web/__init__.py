"""The web layer: thin routes over ``kedja.services``."""

from kedja.web.app import create_app

__all__ = ["create_app"]
