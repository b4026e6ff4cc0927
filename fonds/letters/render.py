"""Decision letters as PDF: HTML from the templates under templates/letters/, rendered by
WeasyPrint to archival, tagged PDF/A-3a. One font configuration and one parsed stylesheet serve
every letter of the process (a fresh FontConfiguration per letter leaks memory)."""

from __future__ import annotations

import logging
import signal
import threading
import time
from contextlib import contextmanager

from flask import current_app
from flask_babel import force_locale
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

from fonds.applications.models import Application
from fonds.letters.context import letter_context
from fonds.letters.fetcher import LETTERS_STATIC, LetterURLFetcher

log = logging.getLogger(__name__)

PDF_VARIANT = "pdf/a-3a"  # PDF/A-3 level a: archival and tagged
BASE_URL = LETTERS_STATIC.as_uri() + "/"
DEFAULT_RENDER_SECONDS = 30
RETRY_SECONDS = 0.05

FONT_CONFIG = FontConfiguration()
FETCHER = LetterURLFetcher()
STYLESHEET = CSS(
    string=(LETTERS_STATIC / "letter.css").read_text(encoding="utf-8"),
    base_url=BASE_URL,
    url_fetcher=FETCHER,
    font_config=FONT_CONFIG,
)


class LetterRenderError(RuntimeError):
    """The letter could not be rendered (it asked for a refused URL, or took too long)."""


class LetterRenderTimeout(LetterRenderError):
    pass


class _Deadline(BaseException):  # noqa: N818 - not an Exception, so WeasyPrint cannot swallow it
    pass


@contextmanager
def time_limit(seconds: float):
    """Stop the render after `seconds` with SIGALRM. Signals only reach the main thread, so in
    any other thread (a threaded server, a worker thread) the limit is not enforced: the render
    runs to its end and a slow one is logged."""
    started = time.monotonic()
    in_main = threading.current_thread() is threading.main_thread()
    if not in_main or seconds <= 0:
        yield
        elapsed = time.monotonic() - started
        if seconds > 0 and elapsed > seconds:
            log.warning("letter took %.1f s, over the limit of %s s", elapsed, seconds)
        return

    def expire(signum, frame):
        raise _Deadline

    # The signal may land in a finaliser or a garbage-collection callback, where Python ignores
    # the exception; so it repeats every RETRY_SECONDS until it lands in the render itself.
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, RETRY_SECONDS)
    try:
        yield
    except _Deadline:
        raise LetterRenderTimeout(f"letter not rendered within {seconds} s") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if time.monotonic() - started > seconds:
        raise LetterRenderTimeout(f"letter not rendered within {seconds} s")


def render_pdf(html: str, *, seconds: float | None = None) -> bytes:
    """The PDF of a letter's HTML. Its title, language, author and subject come from the HTML
    (<title>, <html lang>, <meta name=author>, <meta name=description>)."""
    if seconds is None:
        seconds = current_app.config.get("LETTER_RENDER_SECONDS", DEFAULT_RENDER_SECONDS)
    try:
        with time_limit(seconds):
            return HTML(string=html, base_url=BASE_URL, url_fetcher=FETCHER).write_pdf(
                stylesheets=[STYLESHEET],
                font_config=FONT_CONFIG,
                pdf_variant=PDF_VARIANT,
                pdf_tags=True,
            )
    except FatalURLFetchingError as error:
        raise LetterRenderError(str(error)) from None


def render_html(application: Application, *, preview_base: str | None = None, **options) -> str:
    """The letter's HTML, in Dutch. With preview_base (the URL of the letters' static folder)
    the page links its stylesheet and logo for a browser; the PDF gets its stylesheet from
    render_pdf instead."""
    context = letter_context(application, **options)
    template = current_app.jinja_env.get_template(context["template"])
    with force_locale("nl"):
        return template.render(**context, preview_base=preview_base)


def render_letter(application: Application, **options) -> tuple[str, bytes]:
    """The HTML and the PDF bytes of the application's decision letter. Raises
    fonds.letters.context.NoLetter when there is no letter to write."""
    html = render_html(application, **options)
    return html, render_pdf(html)
