"""The only way a letter reaches outside its HTML: files under fonds/static/letters/ (after
resolving `..` and symlinks) and data: URLs. Everything else (http, https, ftp, file elsewhere,
any other scheme) is refused by raising, and the refusal stops the render: a letter that would
miss part of itself is not made."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

LETTERS_STATIC = (Path(__file__).resolve().parent.parent / "static" / "letters").resolve()


class RefusedURL(FatalURLFetchingError):  # noqa: N818 - reads as what happened
    """A letter asked for something outside its own assets."""


def allowed_path(url: str, root: Path = LETTERS_STATIC) -> Path:
    """The file a file: URL names, when it lies under root after resolving; else RefusedURL."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        raise RefusedURL(f"refused URL: {url[:200]}")
    try:
        path = Path(unquote(parts.path)).resolve(strict=True)
    except (OSError, RuntimeError) as error:
        raise RefusedURL(f"refused URL: {url[:200]}") from error
    if root not in path.parents or not path.is_file():
        raise RefusedURL(f"refused URL: {url[:200]}")
    return path


class LetterURLFetcher(URLFetcher):
    """WeasyPrint URL fetcher for letters (WeasyPrint ≥ 63 calls fetch(url, headers))."""

    def __init__(self, root: Path = LETTERS_STATIC) -> None:
        # No HTTP at all: only the data: handler of the parent class is ever used.
        super().__init__(timeout=1, allowed_protocols=("data",), allow_redirects=False)
        self.root = root.resolve()

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = allowed_path(url, self.root)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
            )
        raise RefusedURL(f"refused URL: {url[:200]}")
