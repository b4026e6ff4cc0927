"""Malformed input on every form of every role, with a valid CSRF token: never a server error,
and a refusal changes nothing. For each POST route of tests/test_access.py that a role may use,
the fields are read from the forms the role's pages show for that route (tests/page_forms.py),
and every field gets, in turn, each malformed value; then repeated fields and no fields."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import LargeBinary, text
from werkzeug.datastructures import MultiDict

from fonds.applications.attachments import store_attachment
from fonds.decisions.models import Decision
from fonds.extensions import db
from tests import files
from tests.page_forms import read_page
from tests.test_access import LOGIN, ROUTES
from tests.test_bad_input import objects  # noqa: F401 - the fixture

# Each field alone gets these (the other fields keep what the page shows) ...
PER_FIELD = ["99999999999999999999", "maybe", "x" * 10_000]
# ... and all fields at once get each of these.
MALFORMED = [
    "99999999999999999999",
    "-1",
    "x" * 10_000,
    "a\x00b\x01c\x7f",
    "line\r\nSet-Cookie: x=1",
    "٣٤٥",
    "１２",
    "+5",
    "1_000",
    "maybe",
    "31-12-9999",
    "",
]
ROLE_EMAIL = {
    "applicant": "applicant@example.nl",
    "reviewer": "reviewer@example.nl",
    "admin": "admin@example.nl",
}
# Pages whose forms say which fields a POST route takes.
PAGES = [
    "/account/",
    "/applications/{app}/steps/organisation",
    "/applications/{app}/steps/project",
    "/applications/{app}/steps/approach",
    "/applications/{app}/steps/reach",
    "/applications/{app}/steps/planning",
    "/applications/{app}/check",
    "/applications/{app}/attachments",
    "/applications/{app}/delete",
    "/organisations/{org}",
    "/organisations/{org}/details",
    "/people/",
    "/rounds/new",
    "/rounds/{round}/edit",
    "/rounds/{round}/close",
    "/rounds/{round}/rubric",
    "/screening/{submitted}",
    "/screening/{sent}",
    "/decisions/{reviewed}",
    "/decisions/{sent}",
    "/assignments/rounds/{round}",
    "/review/{review}",
    "/letters/applications/{sent}/issue",
]
# Routes that end the session or remove the objects the others need go last.
LAST = ("/account/logout", "/delete", "/withdraw", "/close")
# Rows that a refused request may still write: the typed text kept for later (pending input),
# and the view log.
TABLES_LEFT_OUT = {"application_view", "alembic_version"}
COLUMNS_LEFT_OUT = {"application": {"pending_input", "updated_at", "version"}}


def snapshot() -> dict:
    """Every row of every table, without what a refusal may write: one query, each table's rows
    gathered as JSON by the database (a round trip per table would be most of this test)."""
    postgres = db.engine.dialect.name == "postgresql"
    tables = [table for table in db.metadata.sorted_tables if table.name not in TABLES_LEFT_OUT]
    parts = []
    for table in tables:
        left_out = COLUMNS_LEFT_OUT.get(table.name, set())
        columns = ", ".join(
            (f"encode({c.name}, 'hex')" if postgres else f"hex({c.name})")
            if isinstance(c.type, LargeBinary)
            else c.name
            for c in table.columns
            if c.name not in left_out
        )
        gather = (
            f"json_agg(json_build_array({columns}))"
            if postgres
            else f"json_group_array(json_array({columns}))"
        )
        parts.append(f"(SELECT {gather} FROM {table.name})")  # noqa: S608 - our own names
    row = db.session.execute(text("SELECT " + ", ".join(parts))).one()
    return {
        table.name: sorted(
            map(repr, value if isinstance(value, list) else json.loads(value or "[]"))
        )
        for table, value in zip(tables, row, strict=True)
    }


def fields_of(client, paths: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """For each form action on the pages: the values a browser would send."""
    found: dict[str, list[tuple[str, str]]] = {}
    for path in paths.values():
        response = client.get(path)
        if response.status_code != 200:
            continue
        forms, _links = read_page(response.text)
        for form in forms:
            if form.method == "post":
                action = form.action.split("?")[0] or path
                values = found.setdefault(action, [])
                values.extend(v for v in form.values if v not in values)
                # The buttons' names too (remove_line, action, ...): they are input as well.
                pressed = [(button.name, button.value) for button in form.buttons if button.name]
                values.extend(v for v in pressed if v not in values)
    return found


def role_routes(role: str, ids: dict) -> list[str]:
    urls = []
    for method, path, expectations in ROUTES:
        expected = expectations.get(role)
        if method != "POST" or expected in (LOGIN, 403, 404, None):
            continue
        if "999999" in path:
            continue
        urls.append(path.format(**ids))
    return sorted(set(urls), key=lambda url: (url.endswith(LAST) or "logout" in url, url))


def csrf_token(client) -> str:
    html = client.get("/account/").text
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("role", ["applicant", "reviewer", "admin"])
def test_malformed_posts_never_give_a_server_error_nor_half_save(
    app,
    client_of,
    objects,  # noqa: F811 - the fixture imported above
    make_application,
    make_review,
    make_user,
    role,
):
    from fonds.roles import Role

    reviewed = make_application(
        objects["round"],
        objects["organisation"],
        status="reviewed",
    )
    for email in ("r1@example.nl", "r2@example.nl"):
        make_review(reviewed, make_user(email, roles=[Role.REVIEWER]))
    # A decision the administrator proposed (the access table's {proposed}).
    proposed = make_application(
        objects["round"],
        objects["organisation"],
        status="decision_proposed",
    )
    db.session.add(
        Decision(
            application_id=proposed.id,
            outcome="reject",
            motivation="Past niet bij de regeling.",
            proposed_by_id=objects["admin"].id,
        )
    )
    attachment = store_attachment(
        objects["draft"], files.png(), "logo.png", by=objects["applicant"]
    )
    db.session.commit()
    ids = {
        "org": objects["organisation"].id,
        "round": objects["round"].id,
        "app": objects["draft"].id,
        "attachment": attachment.id,
        "sent": objects["sent"].id,
        "submitted": objects["submitted"].id,
        "reviewed": reviewed.id,
        "review": objects["review"].id,
        "proposed": proposed.id,
    }
    client = client_of(ROLE_EMAIL[role])
    app.config["WTF_CSRF_ENABLED"] = True
    token = csrf_token(client)
    forms = fields_of(client, {page: page.format(**ids) for page in PAGES})
    requests = 0
    urls = role_routes(role, ids)
    urls += [url for url in forms if url not in urls and not url.endswith(LAST)]
    urls.sort(key=lambda url: (url.endswith(LAST) or "logout" in url, url))
    for url in urls:
        sent_values = [(k, v) for k, v in forms.get(url, []) if k != "csrf_token"]
        names = list(dict.fromkeys(k for k, _ in sent_values)) or ["version", "x"]
        attempts = []
        for name in names:
            for bad in PER_FIELD:
                others = [(k, v) for k, v in sent_values if k != name]
                attempts.append([*others, (name, bad)])
        for bad in MALFORMED:
            attempts.append([(name, bad) for name in names])
        attempts.append(sent_values + sent_values)  # every field twice
        attempts.append([])  # no fields at all
        before = snapshot()
        for data in attempts:
            response = client.post(url, data=MultiDict([("csrf_token", token), *data]))
            requests += 1
            assert response.status_code < 500, (url, data)
            db.session.rollback()
            after = snapshot()
            if response.status_code >= 400:
                assert after == before, (url, response.status_code, data)
            before = after
            if "logout" in url:
                return
    assert requests > 50
