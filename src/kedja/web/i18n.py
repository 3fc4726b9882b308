r"""Swedish first, English available: Babel catalogs and locale-aware formatting.

Message ids are English; ``locale/sv/LC_MESSAGES/messages.po`` holds the Swedish. The catalogs
are compiled in memory at start-up, so no build step is needed.

Examples:
    >>> choose_locale("en", None)
    'en'
    >>> choose_locale(None, "xx")
    'sv'
    >>> format_number(1234567, "sv")
    '1\xa0234\xa0567'
    >>> format_share(0.2049, "en"), format_share(0.2049, "sv")
    ('20.5%', '20,5\xa0%')
    >>> format_decimal_places(0.8912, "sv"), format_day("2026-11-30", "sv")
    ('0,89', '30 nov. 2026')
"""

from __future__ import annotations

import contextvars
from datetime import date, datetime
from functools import cache, lru_cache
from importlib import resources
from io import BytesIO

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations
from markupsafe import Markup, escape

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "babel_locale",
    "choose_locale",
    "current_locale",
    "format_date",
    "format_day",
    "format_decimal_places",
    "format_moment",
    "format_number",
    "format_share",
    "gettext",
    "install_filters",
    "literal_markup",
    "ngettext",
    "use_locale",
]

LOCALES = ("sv", "en")
DEFAULT_LOCALE = "sv"
BABEL_LOCALES = {"sv": "sv_SE", "en": "en_GB"}
_BABEL = {code: Locale.parse(name) for code, name in BABEL_LOCALES.items()}
"""The parsed locales: given a name, Babel parses it again on every number and date formatted
(half the cost of formatting one, and a page formats hundreds)."""

_current: contextvars.ContextVar[str] = contextvars.ContextVar("kedja_locale", default=DEFAULT_LOCALE)


def choose_locale(requested: str | None, remembered: str | None) -> str:
    """The page locale: an explicit request, else the remembered choice, else Swedish."""
    for candidate in (requested, remembered):
        if candidate in LOCALES:
            return candidate
    return DEFAULT_LOCALE


@cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalog for ``locale`` (English falls back to the message ids)."""
    source = resources.files("kedja.web").joinpath("locale", locale, "LC_MESSAGES", "messages.po")
    if not source.is_file():
        return NullTranslations()
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def use_locale(locale: str) -> None:
    """Make ``locale`` the current one for this request's rendering."""
    _current.set(locale)


def current_locale() -> str:
    """The locale in use."""
    return _current.get()


def babel_locale() -> Locale:
    """Babel's locale for the locale in use (its names of languages, its number styles)."""
    return _BABEL[current_locale()]


def gettext(message: str) -> str:
    """``message`` in the current locale."""
    return translations(current_locale()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message in the current locale."""
    return translations(current_locale()).ngettext(singular, plural, n)


def format_number(value: float | int | None, locale: str | None = None) -> str:
    """A number in the locale's style (``1 234 567`` in Swedish); ``–`` for missing."""
    if value is None:
        return "–"
    return _formatted(value, locale or current_locale(), "number")


def format_share(value: float | None, locale: str | None = None) -> str:
    """A share as a percentage to one decimal at most (``20,5 %`` in Swedish)."""
    if value is None:
        return "–"
    return _formatted(round(value, 3), locale or current_locale(), "share")


FORMATTED_KEPT = 8192
"""Numbers and shares kept formatted: the region's pages show the same figures to every visitor
(the region page formats some 175 on every visit)."""


@lru_cache(maxsize=FORMATTED_KEPT, typed=True)
def _formatted_once(value: float | int, locale: str, style: str) -> str:
    if style == "share":
        return format_percent(value, locale=_BABEL[locale], decimal_quantization=False)
    return format_decimal(value, locale=_BABEL[locale])


def _formatted(value: float | int, locale: str, style: str) -> str:
    try:
        return _formatted_once(value, locale, style)
    except TypeError:  # an unhashable number type: formatted each time
        return _formatted_once.__wrapped__(value, locale, style)


def format_date(value: date | str | None, locale: str | None = None) -> str:
    """A date in the locale's long style (``2 november 2026`` in Swedish); ``–`` for missing."""
    if value is None:
        return "–"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return babel_format_date(day, format="long", locale=_BABEL[locale or current_locale()])


def format_decimal_places(value: float | None, locale: str | None = None, places: int = 2) -> str:
    """A number rounded to ``places`` decimals (``0,89`` in Swedish); ``–`` for missing."""
    if value is None:
        return "–"
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(value, pattern, locale=_BABEL[locale or current_locale()])


def format_day(value: date | str | None, locale: str | None = None) -> str:
    """A date in the locale's short running-text style (``30 nov. 2026`` in Swedish)."""
    if value is None or value == "":
        return "–"
    day = value.date() if isinstance(value, datetime) else value
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return babel_format_date(day, format="medium", locale=_BABEL[locale or current_locale()])


def format_moment(value: datetime | None, locale: str | None = None) -> str:
    """A time stamp to the minute (``30 nov. 2026 14:05`` in Swedish); ``–`` for missing.

    Examples:
        >>> format_moment(datetime(2026, 11, 30, 14, 5, 9), "sv")
        '30 nov. 2026 14:05'
    """
    if value is None:
        return "–"
    return babel_format_datetime(value, "d MMM y HH:mm", tzinfo=None,
                                 locale=_BABEL[locale or current_locale()])


def install_filters(filters: dict[str, object]) -> None:
    """Register the formatting helpers as Jinja filters, all in the current locale.

    ``{{ x|number }}``, ``{{ x|decimal }}`` (two places; ``decimal(1)`` for one),
    ``{{ x|percent }}``, ``{{ d|day }}``, ``{{ t|moment }}`` and ``{{ text|literal }}``.
    """

    def decimal(value: float | None, places: int = 2) -> str:
        return format_decimal_places(value, places=places)

    filters.update({"number": format_number, "decimal": decimal, "percent": format_share,
                    "day": format_day, "moment": format_moment, "literal": literal_markup})


def literal_markup(text: str | None) -> Markup:
    """Help text with its `back-quoted` literal values as ``<code>``, the rest escaped.

    The literal values are what one types in a file or at the command line.

    Examples:
        >>> str(literal_markup("status: `unemployed` <b>"))
        'status: <code>unemployed</code> &lt;b&gt;'
    """
    parts = str(text or "").split("`")
    return Markup("").join(escape(p) if i % 2 == 0 else Markup("<code>%s</code>") % p
                           for i, p in enumerate(parts))
