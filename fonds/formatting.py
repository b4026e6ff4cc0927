"""Jinja filters that show money, dates and times the Dutch way (Europe/Amsterdam)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale
from markupsafe import Markup

# Dutch time: the fund's deadlines, dates and reference years are counted in it.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CENTS = Decimal("0.01")
DUTCH_SEPARATORS = str.maketrans({",": ".", ".": ","})


def _language() -> str:
    return get_locale().language if get_locale() is not None else "nl"


def money(amount: Decimal | int | None) -> str:
    """€ 12.500,00 in Dutch, €12,500.00 in English: the same text as Babel's format_currency,
    written out directly for the two languages of the portal, because a ranking shows thousands
    of amounts and Babel's general formatter costs about 0.1 ms each."""
    if amount is None:
        return ""
    value = Decimal(amount).quantize(CENTS, rounding=ROUND_HALF_EVEN)
    digits = f"{abs(value):,.2f}"
    sign = "-" if value < 0 else ""
    language = _language()
    if language == "nl":
        return "€\xa0" + sign + digits.translate(DUTCH_SEPARATORS)
    if language == "en":
        return sign + "€" + digits
    return format_currency(value, "EUR")


def score(value: float | None) -> str:
    """A score on the 0–100 scale with one decimal: 72,5 in Dutch, 72.5 in English."""
    if value is None:
        return ""
    text = f"{float(value):.1f}"
    return text.replace(".", ",") if _language() == "nl" else text


def in_local_time(value: datetime) -> datetime:
    """The moment in the fund's time zone, converted with zoneinfo: Flask-Babel's own conversion
    uses pytz, whose tables stop in 2037 and would show later summer times an hour off."""
    if value.tzinfo is None:  # as Flask-Babel does: a naive moment is UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


def long_date(value: date | datetime | None) -> str:
    """12 maart 2027 — a datetime is first converted to Europe/Amsterdam."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(in_local_time(value), "d MMMM y", rebase=False)
    return format_date(value, "d MMMM y")


def date_time(value: datetime | None) -> str:
    """12 maart 2027 14:05, in Europe/Amsterdam."""
    if value is None:
        return ""
    return format_datetime(in_local_time(value), "d MMMM y HH:mm", rebase=False)


def deadline(value: datetime | None) -> str:
    """A deadline in running text: a moment at the end of a day (23:59) is that day, "16
    december 2026", so that "uiterlijk op …" is read right; any other moment keeps its time,
    written as running text writes it ("1 juli 2099 om 17.00 uur")."""
    if value is None:
        return ""
    local = in_local_time(value)
    if (local.hour, local.minute) == (23, 59):
        return long_date(value)
    if _language() == "nl":  # "1 juli 2099 om 17.00 uur", as Dutch running text writes it
        return format_datetime(local, "d MMMM y 'om' HH.mm 'uur'", rebase=False)
    return format_datetime(local, "d MMMM y 'at' HH:mm", rebase=False)


def file_size(size: int | None) -> str:
    """512 KB, 2,5 MB (1 KB is 1024 bytes; anything above zero is at least 1 KB)."""
    if size is None:
        return ""
    if size < 1024 * 1024:
        return f"{max(1, -(-size // 1024))} KB"
    return f"{format_decimal(size / (1024 * 1024), '#,##0.#')} MB"


def error_links(form) -> list[tuple[str, str]]:
    """(field id, first error) for every field with an error, also inside lists of subforms,
    for the error summary at the top of a form. Messages become plain str, so the template
    escapes them (Flask-Babel's lazy strings claim to be safe HTML)."""
    links = []
    for field in form:
        if field.type == "CSRFTokenField":
            continue
        if field.type == "FieldList":
            for entry in field:
                links.extend(
                    error_links(entry.form)
                    if entry.type == "FormField"
                    else [(entry.id, str(entry.errors[0]))]
                    if entry.errors
                    else []
                )
        elif field.type == "FormField":
            links.extend(error_links(field.form))
        elif field.errors:
            links.append((field.id, str(field.errors[0])))
    return links


def format_named(pattern: str, **values) -> str:
    """Fill a pattern such as "place %(position)s raw", translated once per page by the view;
    the values are escaped."""
    return Markup.escape(pattern) % values


def register(app: Flask) -> None:
    app.add_template_filter(format_named)
    app.add_template_global(error_links)
    app.add_template_filter(money)
    app.add_template_filter(long_date)
    app.add_template_filter(date_time)
    app.add_template_filter(deadline)
    app.add_template_filter(file_size)
    app.add_template_filter(score)
