"""A password reset does the same work for a known and an unknown address: the same page, the
same status, the same SQL; the mail is queued and sent only after the response. No timing is
asserted here: bench/reset_bench.py prints the two timings."""

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from fonds.extensions import db
from fonds.mail.models import OutgoingMail


@pytest.fixture
def statements():
    """The SQL statements run while the block runs (their text, without parameters)."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


def ask_reset(client, email: str, statements: list[str]):
    """POST the reset form; returns the response (not closed yet: the server has not finished
    sending it) and the SQL the request ran until then."""
    client.get("/account/reset")
    statements.clear()
    response = client.post("/account/reset", data={"email": email}, buffered=False)
    body = response.get_data(as_text=True)
    return response, body, list(statements)


def test_a_known_and_an_unknown_address_do_the_same_work(
    english, make_user, mailbox, statements, app
):
    make_user("anna@example.nl", name="Anna")
    known, known_body, known_sql = ask_reset(english, "anna@example.nl", statements)
    unknown, unknown_body, unknown_sql = ask_reset(english, "nobody@example.nl", statements)

    assert known.status_code == unknown.status_code == 200
    assert known_body == unknown_body
    assert known_sql == unknown_sql  # the same statements, in the same order
    assert not any("outgoing_mail" in s for s in known_sql)  # the mail waits for the response
    assert mailbox.to("anna@example.nl") == []

    known.close()  # the response is sent: now the mail goes out
    unknown.close()
    assert len(mailbox.to("anna@example.nl")) == 1
    assert mailbox.to("nobody@example.nl") == []
    assert db.session.query(OutgoingMail).filter_by(recipient="nobody@example.nl").count() == 0
