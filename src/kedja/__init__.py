"""Kedja: regional competence supply and labour-market inclusion.

The package is layered (see ``docs/architecture.md``): ``core`` holds the domain types, the
engines (``taxonomy``, ``forecast``, ``matching``, ``chains``, ``hub``, ``follow_up``) compute
on them, ``store`` persists them, ``services`` owns transactions, access checks and the audit
log, and ``web`` and ``cli`` are thin interfaces over ``services``.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
