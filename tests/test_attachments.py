"""Attachments (step 6): files are recognised by their content, stored outside the web root under
random names, downloaded only by people who may see the application, and change only while the
application may change."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select

from fonds.applications.attachments import FILE_KINDS, display_name
from fonds.applications.models import Attachment, Status
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.roles import Role
from fonds.screening.operations import request_information
from tests import files

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = (
    "You can add PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT, ODS), JPG and PNG files of "
    "at most 10 MB each."
)
NOT_ALLOWED = f"We cannot accept this kind of file. {ALLOWED}"
DAMAGED = (
    "This file is damaged. Open it on your computer, save it again and add it again. " + ALLOWED
)

# (file name, content, content type it must be stored and served with)
GOOD_FILES = [
    ("begroting.pdf", files.pdf(), "application/pdf"),
    (
        "projectplan.docx",
        files.docx(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "begroting.xlsx",
        files.xlsx(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("projectplan.odt", files.opendocument("text"), "application/vnd.oasis.opendocument.text"),
    (
        "begroting.ods",
        files.opendocument("spreadsheet"),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    ("foto.jpg", files.jpg(), "image/jpeg"),
    ("logo.png", files.png(), "image/png"),
]

# (file name, content, the browser's claim, the message)
BAD_FILES = [
    ("report.pdf", files.elf(), "application/pdf", NOT_ALLOWED),
    ("report.pdf", files.windows_executable(), "application/pdf", NOT_ALLOWED),
    ("begroting.pdf", b"Dit is geen PDF.\n", "application/pdf", NOT_ALLOWED),
    (
        "leeg.pdf",
        b"",
        "application/pdf",
        f"This file is empty. Choose a file with content. {ALLOWED}",
    ),
    (
        "groot.pdf",
        files.pdf() + b"\x00" * (11 * 1024 * 1024),
        "application/pdf",
        "This file is larger than 10 MB. Make the file smaller, or split it into more files. "
        + ALLOWED,
    ),
    ("projectplan.docx", files.fake_docx(), "application/msword", NOT_ALLOWED),
    ("projectplan.docx", files.corrupt_zip(), "application/msword", DAMAGED),
]


def page_url(application) -> str:
    return f"/applications/{application.id}/attachments"


def upload(client, application, name: str, content: bytes, content_type=None, **data):
    return client.post(
        page_url(application),
        data={"file": (io.BytesIO(content), name, content_type), **data},
        content_type="multipart/form-data",
    )


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def stored_files() -> list[Path]:
    folder = upload_dir()
    return sorted(folder.iterdir()) if folder.exists() else []


def attachment_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Attachment))


@pytest.fixture
def draft(applicant, make_round, make_application):
    return make_application(make_round(), applicant[1])


def submit(client, application):
    response = client.post(
        f"/applications/{application.id}/submit",
        data={"declared_truthful": "y", "declared_privacy": "y"},
    )
    assert response.status_code == 302
    db.session.refresh(application)


# --- the step page ---------------------------------------------------------------------------


def test_step_page_has_an_accessible_upload_form_in_the_step_layout(english, draft):
    response = english.get(page_url(draft))
    assert response.status_code == 200
    page = response.text
    assert 'aria-current="step">6. Attachments</span>' in page
    assert 'enctype="multipart/form-data"' in page
    assert '<label class="utrecht-form-label" for="file">Add a file</label>' in page
    assert 'type="file"' in page and 'aria-describedby="file-hint"' in page
    hint = re.search(r'id="file-hint">([^<]*)<', page).group(1)
    assert ALLOWED in hint and "at most 10 attachments" in hint
    assert "You have not added any attachments yet." in page
    assert "Save and continue" in page
    # The old placeholder step URL leads here.
    step = english.get(f"/applications/{draft.id}/steps/attachments")
    assert step.headers["Location"] == page_url(draft)


@pytest.mark.parametrize(("name", "content", "content_type"), GOOD_FILES, ids=list(FILE_KINDS))
def test_each_allowed_kind_is_stored_under_a_random_name_and_downloads_unchanged(
    english, draft, name, content, content_type
):
    # The browser's word for the type is not used: it is recognised by the content.
    response = upload(english, draft, name, content, "application/octet-stream")
    assert response.status_code == 302
    assert response.headers["Location"] == page_url(draft)

    attachment = db.session.scalar(select(Attachment))
    assert attachment.application_id == draft.id
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.uploaded_by.email == "fatima@example.nl"
    assert attachment.uploaded_at is not None

    # On disk: under a random name in the upload folder, outside the web root.
    assert re.fullmatch(r"[0-9a-f]{64}", attachment.stored_name)
    [path] = stored_files()
    assert path.name == attachment.stored_name
    assert path.read_bytes() == content
    static = ROOT / "fonds" / "static"
    assert not path.resolve().is_relative_to(static)
    assert not any(p.name == attachment.stored_name for p in static.rglob("*"))

    page = english.get(page_url(draft)).text
    assert f"The file {name} is added." in page
    assert f'<td class="utrecht-table__cell attachment-name">{name}</td>' in page
    download = f"/applications/{draft.id}/attachments/{attachment.id}"
    assert f'href="{download}"' in page

    response = english.get(download)
    assert response.status_code == 200
    assert response.data == content
    assert response.mimetype == content_type
    assert response.headers["Content-Disposition"] == f"attachment; filename={name}"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_list_shows_type_size_and_moment(english, draft):
    upload(english, draft, "logo.png", files.png())
    upload(english, draft, "groot.pdf", files.pdf() + b" " * (2 * 1024 * 1024))
    page = english.get(page_url(draft)).text
    assert '<caption class="utrecht-table__caption" id="attachments-caption">' in page
    assert "PNG image" in page and "PDF document" in page
    assert ">1 KB</td>" in page and ">2 MB</td>" in page
    year = datetime.now(UTC).year
    moment = rf"\d{{1,2}} \w+ {year} \d\d:\d\d"
    assert re.search(rf'<td class="utrecht-table__cell"[^>]*>{moment}</td>', page)
    assert page.count("Delete<span") == 2


def test_the_name_is_cleaned_for_display_and_download(english, draft):
    response = upload(english, draft, "../../Begroting\x07 €2027.pdf", files.pdf())
    assert response.status_code == 302
    attachment = db.session.scalar(select(Attachment))
    assert attachment.original_name == "Begroting €2027.pdf"
    response = english.get(f"/applications/{draft.id}/attachments/{attachment.id}")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="Begroting 2027.pdf"; '
        "filename*=UTF-8''Begroting%20%E2%82%AC2027.pdf"
    )


@pytest.mark.parametrize(
    ("given", "kind", "shown"),
    [
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("C:\\Users\\fatima\\plan.pdf", "pdf", "plan.pdf"),
        ("plan.docx", "pdf", "plan.docx.pdf"),  # what it really is wins
        ("foto.JPEG", "jpg", "foto.JPEG"),
        ("", "png", "attachment.png"),
        ("...", "png", "attachment.png"),
        ("a\r\nb\tc.pdf", "pdf", "a b c.pdf"),
        ("x" * 300 + ".pdf", "pdf", "x" * 251 + ".pdf"),
    ],
)
def test_display_name(given, kind, shown):
    assert display_name(given, FILE_KINDS[kind]) == shown
    assert len(shown) <= 255


# --- refused files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "claimed", "message"),
    BAD_FILES,
    ids=["elf", "windows-exe", "text", "empty", "11-mb", "fake-docx", "corrupt-zip"],
)
def test_refused_files_say_what_is_allowed_and_store_nothing(
    english, draft, name, content, claimed, message
):
    upload(english, draft, "logo.png", files.png())
    [kept] = stored_files()

    response = upload(english, draft, name, content, claimed)
    assert response.status_code == 422  # also between 10 and 25 MB: our message, not a 413
    page = response.text
    assert f'<a class="utrecht-link" href="#file">{message}</a>' in page  # error summary
    assert 'id="file-error"' in page and message in page.split('id="file-error"')[1]
    assert 'aria-describedby="file-hint file-error"' in page
    # The rest of the page is as it was; nothing new is stored.
    assert "logo.png" in page and 'aria-current="step">6. Attachments' in page
    assert attachment_count() == 1
    assert stored_files() == [kept]


def test_posting_without_a_file_asks_for_one(english, draft):
    response = english.post(page_url(draft), data={"upload": "1"})
    assert response.status_code == 422
    assert '<a class="utrecht-link" href="#file">Choose a file to add.</a>' in response.text
    # Moving on without a file is fine: attachments are optional.
    response = english.post(page_url(draft), data={"next": "1"})
    assert response.headers["Location"] == f"/applications/{draft.id}/check"
    response = english.post(page_url(draft), data={"previous": "1"})
    assert response.headers["Location"] == f"/applications/{draft.id}/steps/planning"


def test_save_and_continue_with_a_file_adds_it_and_goes_to_the_check(english, draft):
    response = upload(english, draft, "logo.png", files.png(), next="1")
    assert response.headers["Location"] == f"/applications/{draft.id}/check"
    assert attachment_count() == 1
    assert "logo.png" in english.get(f"/applications/{draft.id}/check").text


def test_the_eleventh_attachment_is_refused(english, draft):
    for number in range(10):
        assert upload(english, draft, f"bijlage-{number}.png", files.png()).status_code == 302
    page = english.get(page_url(draft)).text
    assert 'type="file"' not in page
    limit = "You can add at most 10 attachments. Delete an attachment before you add another one."
    assert limit in page

    response = upload(english, draft, "bijlage-11.png", files.png())
    assert response.status_code == 422
    assert f'href="#file">{limit}</a>' in response.text
    assert attachment_count() == 10 and len(stored_files()) == 10


def test_a_file_that_cannot_be_written_leaves_no_row(
    app_factory, applicant, draft, log_in, tmp_path
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the upload folder should be")
    app = app_factory(UPLOAD_DIR=str(blocked / "uploads"))
    client = app.test_client()
    client.get("/language/en")
    log_in(client, "fatima@example.nl")
    response = upload(client, draft, "logo.png", files.png())
    assert response.status_code == 500
    assert "We could not save your file. Please try again later." in response.text
    assert attachment_count() == 0


# --- who may download ------------------------------------------------------------------------


def test_only_people_who_may_see_the_application_download(
    app, english, draft, make_user, make_organisation, log_in
):
    upload(english, draft, "begroting.pdf", files.pdf())
    attachment = db.session.scalar(select(Attachment))
    download = f"/applications/{draft.id}/attachments/{attachment.id}"

    stranger = make_user("other@example.nl")
    make_organisation("Andere stichting", members=[stranger])
    other = app.test_client()
    log_in(other, "other@example.nl")
    assert other.get(download).status_code == 404
    assert other.post(f"{download}/delete").status_code == 404
    assert other.get(page_url(draft)).status_code == 404

    make_user("reviewer@example.nl", roles=[Role.REVIEWER])
    reviewer = app.test_client()
    log_in(reviewer, "reviewer@example.nl")
    assert reviewer.get(download).status_code == 404

    anonymous = app.test_client()
    response = anonymous.get(download)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")

    make_user("admin@example.nl", roles=[Role.ADMIN])
    admin = app.test_client()
    log_in(admin, "admin@example.nl")
    assert admin.get(download).status_code == 404  # a draft is the organisation's own
    draft.status, draft.reference, draft.submitted_at = "submitted", "FON-2026-0001", utcnow()
    db.session.commit()
    assert admin.get(download).data == files.pdf()  # once sent, the fund reads it

    # An attachment is only found through its own application.
    second = draft.__class__(
        round=draft.round, organisation=stranger.organisations[0], created_by=stranger
    )
    db.session.add(second)
    db.session.commit()
    assert other.get(f"/applications/{second.id}/attachments/{attachment.id}").status_code == 404
    assert attachment_count() == 1


def test_a_missing_file_is_not_found(english, draft):
    upload(english, draft, "begroting.pdf", files.pdf())
    attachment = db.session.scalar(select(Attachment))
    (upload_dir() / attachment.stored_name).unlink()
    assert english.get(f"/applications/{draft.id}/attachments/{attachment.id}").status_code == 404


# --- deleting --------------------------------------------------------------------------------


def test_deleting_removes_row_and_file(english, draft):
    upload(english, draft, "begroting.pdf", files.pdf())
    upload(english, draft, "logo.png", files.png())
    first, second = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    first_id, second_id, second_file = first.id, second.id, second.stored_name
    response = english.post(f"/applications/{draft.id}/attachments/{first_id}/delete")
    assert response.headers["Location"] == page_url(draft)
    assert "The file begroting.pdf is deleted." in english.get(page_url(draft)).text
    assert db.session.scalars(select(Attachment.id)).all() == [second_id]
    assert [p.name for p in stored_files()] == [second_file]
    # Deleting it again: it is gone.
    again = english.post(f"/applications/{draft.id}/attachments/{first_id}/delete")
    assert again.status_code == 404


# --- after sending ---------------------------------------------------------------------------


def test_after_sending_attachments_cannot_change(english, draft):
    upload(english, draft, "begroting.pdf", files.pdf())
    attachment = db.session.scalar(select(Attachment))
    submit(english, draft)
    assert draft.state == Status.SUBMITTED

    page = english.get(page_url(draft)).text
    assert "You have sent the application already, so you can no longer change this step." in page
    assert 'type="file"' not in page and "Delete<span" not in page
    assert "begroting.pdf" in page  # still listed and downloadable

    response = upload(english, draft, "logo.png", files.png())
    assert response.headers["Location"] == page_url(draft)
    refused = "You have sent the application already, so you can no longer change this step."
    assert refused in english.get(page_url(draft)).text
    response = english.post(f"/applications/{draft.id}/attachments/{attachment.id}/delete")
    assert response.headers["Location"] == page_url(draft)
    assert refused in english.get(page_url(draft)).text
    assert db.session.scalars(select(Attachment.id)).all() == [attachment.id]
    assert [p.name for p in stored_files()] == [attachment.stored_name]
    assert english.get(f"/applications/{draft.id}/attachments/{attachment.id}").status_code == 200


@pytest.mark.parametrize(("steps", "may_change"), [(["attachments"], True), (["reach"], False)])
def test_when_the_fund_asks_for_attachments_they_can_change_again(
    english, draft, make_user, steps, may_change
):
    submit(english, draft)
    admin = make_user("admin@example.nl", roles=[Role.ADMIN])
    with current_app.test_request_context():
        request_information(
            draft,
            by=admin,
            question="Stuur de begroting mee.",
            steps=steps,
            deadline=datetime.now(UTC) + timedelta(days=14),
        )
    db.session.commit()
    response = upload(english, draft, "begroting.pdf", files.pdf())
    assert response.status_code == 302
    assert attachment_count() == (1 if may_change else 0)
    assert len(stored_files()) == (1 if may_change else 0)
