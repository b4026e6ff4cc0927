"""The letters' URL fetcher allows only files under fonds/static/letters/ and data: URLs."""

from __future__ import annotations

import http.server
import threading

import pytest

from fonds.letters.fetcher import LETTERS_STATIC, LetterURLFetcher, RefusedURL


def test_the_logo_and_data_urls_are_allowed():
    fetcher = LetterURLFetcher()
    response = fetcher.fetch((LETTERS_STATIC / "logo.svg").as_uri())
    assert b"<svg" in response.read()
    assert response.content_type == "image/svg+xml"
    response = fetcher.fetch("data:text/plain;base64,aGFsbG8=")
    assert response.read() == b"hallo"


@pytest.mark.parametrize(
    "url",
    [
        LETTERS_STATIC.as_uri() + "/../logo.svg",  # fonds/static/logo.svg exists, outside
        LETTERS_STATIC.as_uri() + "/%2e%2e/%2e%2e/__init__.py",
        LETTERS_STATIC.as_uri() + "/missing.svg",
        LETTERS_STATIC.as_uri(),  # the folder itself is not a file
        "file:///etc/hostname",
        "file:///etc/passwd",
        "file://example.org" + str(LETTERS_STATIC / "logo.svg"),
        "https://example.org/logo.svg",
        "ftp://example.org/logo.svg",
        "javascript:alert(1)",
        "logo.svg",
    ],
)
def test_everything_else_is_refused(url):
    with pytest.raises(RefusedURL):
        LetterURLFetcher().fetch(url)


def test_a_symlink_inside_the_folder_pointing_outside_is_refused(tmp_path):
    root = tmp_path / "letters"
    root.mkdir()
    (root / "letter.css").write_text("p {}")
    secret = tmp_path / "secret.txt"
    secret.write_text("geheim")
    (root / "innocent.svg").symlink_to(secret)
    (root / "inner").symlink_to(tmp_path)
    fetcher = LetterURLFetcher(root)
    assert fetcher.fetch((root / "letter.css").as_uri()).read() == b"p {}"
    for path in (root / "innocent.svg", root / "inner" / "secret.txt"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(path.as_uri())


def test_http_to_a_listening_server_is_refused_without_a_request():
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the handler's name
            seen.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(RefusedURL):
            LetterURLFetcher().fetch(f"http://127.0.0.1:{server.server_port}/logo.svg")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert seen == []
