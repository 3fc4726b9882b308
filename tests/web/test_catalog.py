"""Swedish first: every message in the pages and page handlers has a Swedish translation."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

import kedja.web

WEB = Path(kedja.web.__file__).parent
KEYWORDS = {**DEFAULT_KEYWORDS, "_t": (2,)}


def message_ids() -> set[str]:
    found = extract_from_dir(
        str(WEB), method_map=[("templates/**.html", "jinja2"), ("**.py", "python")],
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        keywords=KEYWORDS)
    return {message if isinstance(message, str) else message[0]
            for _file, _line, message, _comments, _context in found}


def test_every_message_has_a_swedish_translation() -> None:
    with (WEB / "locale" / "sv" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="sv")
    ids = message_ids()
    assert len(ids) > 80
    missing = sorted(m for m in ids if not (catalog.get(m) and catalog.get(m).string))
    assert not missing, f"add Swedish for: {missing}"


def test_no_message_is_translated_twice() -> None:
    """A second entry for the same id is silently ignored by the reader: the first one wins."""
    for locale in ("sv", "en"):
        text = (WEB / "locale" / locale / "LC_MESSAGES" / "messages.po").read_text("utf-8")
        ids = Counter(re.findall(r'^msgid "((?:[^"\\]|\\.)+)"$', text, flags=re.M))
        assert not [m for m, n in ids.items() if n > 1], f"{locale}: one entry per message id"
