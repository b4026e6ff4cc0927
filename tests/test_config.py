"""Configuration: production refuses to start without its secrets; safe defaults elsewhere."""

import pytest

from config import database_url
from fonds import create_app


def test_production_refuses_to_start_without_secret_key_and_database_url():
    with pytest.raises(RuntimeError, match="SECRET_KEY and SQLALCHEMY_DATABASE_URI"):
        create_app("production", {"SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": ""})
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", {"SECRET_KEY": "", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_starts_with_them_and_uses_secure_cookies():
    app = create_app("production", {"SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["PREFERRED_URL_SCHEME"] == "https"
    assert not app.debug


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://u:p@db/fonds", "postgresql+psycopg://u:p@db/fonds"),
        ("postgresql://u@db/fonds", "postgresql+psycopg://u@db/fonds"),
        ("postgresql+psycopg://u@db/fonds", "postgresql+psycopg://u@db/fonds"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_urls(given, used):
    assert database_url(given) == used


def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/static/fonds.css").headers.get("Cache-Control", "")


def test_nl_design_system_css_is_served_from_node_modules(client):
    response = client.get("/vendor/component-library.css")
    assert response.status_code == 200
    assert ".utrecht-button" in response.text
    assert ".utrecht-theme" in client.get("/vendor/design-tokens.css").text
    assert client.get("/vendor/..%2Fpackage.json").status_code == 404
    assert client.get("/vendor/anything.css").status_code == 404
