"""Attachments of an application: what a file really is (by its content, never its name or the
browser's word for it), and storing and deleting files outside the web root under random names.

The operations take the acting person, check the rule, change rows and flush; the view commits.
The file on disk follows the row: written after the row is flushed, removed after the commit."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import secrets
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import filetype
from filetype.types.archive import Pdf
from filetype.types.image import Jpeg, Png
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from fonds.applications.models import Application, Attachment
from fonds.applications.steps import why_not_change
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.formatting import file_size
from fonds.refusals import Refused

logger = logging.getLogger(__name__)

STEP = "attachments"
MAX_NAME_LENGTH = 255
# How much of an office document's main part is read to prove the archive is what it claims.
PROBE_BYTES = 64 * 1024


@dataclass(frozen=True)
class Kind:
    """An allowed kind of file: its usual extensions and the content type it is served with."""

    key: str
    extensions: tuple[str, ...]
    content_type: str
    label: str  # lazily translated: in the language of the page that shows it


FILE_KINDS = {
    kind.key: kind
    for kind in (
        Kind("pdf", ("pdf",), "application/pdf", _l("PDF document")),
        Kind(
            "docx",
            ("docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _l("Word document (DOCX)"),
        ),
        Kind(
            "xlsx",
            ("xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _l("Excel spreadsheet (XLSX)"),
        ),
        Kind(
            "odt",
            ("odt",),
            "application/vnd.oasis.opendocument.text",
            _l("OpenDocument text (ODT)"),
        ),
        Kind(
            "ods",
            ("ods",),
            "application/vnd.oasis.opendocument.spreadsheet",
            _l("OpenDocument spreadsheet (ODS)"),
        ),
        Kind("jpg", ("jpg", "jpeg"), "image/jpeg", _l("JPG image")),
        Kind("png", ("png",), "image/png", _l("PNG image")),
    )
}
BY_CONTENT_TYPE = {kind.content_type: kind for kind in FILE_KINDS.values()}
# filetype recognises these by their first bytes; the office formats are checked as archives.
SIGNATURES = (Pdf(), Jpeg(), Png())
ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": FILE_KINDS["odt"],
    b"application/vnd.oasis.opendocument.spreadsheet": FILE_KINDS["ods"],
}


def allowed() -> str:
    """What may be added, for the hint and for every refusal of a file."""
    return _(
        "You can add PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT, ODS), JPG and PNG "
        "files of at most %(size)s each.",
        size=file_size(max_bytes()),
    )


class AttachmentRefused(Refused):
    """A file or a change that is not accepted, with a message for the person."""


def kind_label(content_type: str) -> str:
    """What kind of file this is, in words (for the list of attachments)."""
    kind = BY_CONTENT_TYPE.get(content_type)
    return str(kind.label) if kind else content_type


def max_bytes() -> int:
    return current_app.config["ATTACHMENT_MAX_BYTES"]


def max_count() -> int:
    return current_app.config["ATTACHMENT_MAX_COUNT"]


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


# --- what a file is --------------------------------------------------------------------------


def detect_kind(data: bytes) -> Kind:
    """The allowed kind this content is, or AttachmentRefused saying what is allowed."""
    if not data:
        empty = _("This file is empty. Choose a file with content.")
        raise AttachmentRefused(f"{empty} {allowed()}")
    if len(data) > max_bytes():
        too_large = _(
            "This file is larger than %(size)s. Make the file smaller, or split it into more "
            "files.",
            size=file_size(max_bytes()),
        )
        raise AttachmentRefused(f"{too_large} {allowed()}")
    if data.startswith(b"PK\x03\x04"):
        return office_kind(data)
    match = filetype.match(data, SIGNATURES)
    if match is None:
        raise not_allowed()
    return BY_CONTENT_TYPE[match.mime]


def not_allowed() -> AttachmentRefused:
    message = _("We cannot accept this kind of file.")
    return AttachmentRefused(f"{message} {allowed()}")


def office_kind(data: bytes) -> Kind:
    """DOCX, XLSX, ODT or ODS: a ZIP archive with the parts that kind of document must have,
    and whose main part can be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    kind = ODF_MIMETYPES.get(member.read(100).strip())
                main_part = "content.xml"
            elif "[Content_Types].xml" in names and "word/document.xml" in names:
                kind, main_part = FILE_KINDS["docx"], "word/document.xml"
            elif "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                kind, main_part = FILE_KINDS["xlsx"], "xl/workbook.xml"
            else:
                kind = None
            if kind is None or main_part not in names:
                raise not_allowed()
            with archive.open(main_part) as member:
                member.read(PROBE_BYTES)
    except AttachmentRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError):
        # Broken, encrypted or using a compression we cannot read.
        damaged = _(
            "This file is damaged. Open it on your computer, save it again and add it again."
        )
        raise AttachmentRefused(f"{damaged} {allowed()}") from None
    return kind


def display_name(filename: str | None, kind: Kind) -> str:
    """The person's file name, safe to show and to offer as download name: without folders or
    control characters, at most 255 characters, ending in the extension of what it really is."""
    name = unicodedata.normalize("NFC", filename or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if unicodedata.category(c).startswith(("C", "Z")) else c for c in name)
    name = " ".join(name.split()).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot or extension.lower() not in kind.extensions:
        stem = name
        extension = kind.extensions[0]
    stem = stem or "attachment"
    stem = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(" .") or "attachment"
    return f"{stem}.{extension}"


# --- storing and deleting --------------------------------------------------------------------


def may_change(application: Application, user) -> bool:
    """The attachments step may change: a draft, or while the fund asked for it."""
    steps = application.editable_steps()
    return application.can_edit(user) and (steps is None or STEP in steps)


def stored_path(attachment: Attachment) -> Path:
    return upload_dir() / attachment.stored_name


def store_attachment(
    application: Application, data: bytes, filename: str | None, *, by
) -> Attachment:
    """Check the file and add it to the application. The row is flushed first and the file
    written after; if writing fails nothing is left on disk and the caller rolls back."""
    if not may_change(application, by):
        raise AttachmentRefused(why_not_change(application, STEP, by))
    # Two uploads at the same moment must not both pass the count. Each one first writes the
    # application's row (its version goes up): on PostgreSQL the second waits for the first to
    # commit, on SQLite the second waits for the write lock; either way its version no longer
    # matches, it fails with a lost race (StaleDataError) and the view counts again.
    application.updated_at = utcnow()
    db.session.flush()
    stored = db.session.scalar(
        select(func.count(Attachment.id)).where(Attachment.application_id == application.id)
    )
    if stored >= max_count():
        raise AttachmentRefused(
            _(
                "You can add at most %(count)s attachments. Delete an attachment before you add "
                "another one.",
                count=max_count(),
            )
        )
    kind = detect_kind(data)
    attachment = Attachment(
        original_name=display_name(filename, kind),
        stored_name=secrets.token_hex(32),
        content_type=kind.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_id=by.id,
    )
    application.attachments.append(attachment)
    db.session.flush()
    write_file(stored_path(attachment), data)
    logger.info(
        "Attachment %s (%s, %s bytes) added to application %s by user %s",
        attachment.id,
        kind.key,
        attachment.size,
        application.id,
        by.id,
    )
    return attachment


def write_file(path: Path, data: bytes) -> None:
    """Write a new file readable by this process only; never overwrite one."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def delete_attachment(attachment: Attachment, *, by) -> Path:
    """Remove the attachment's row. Returns the file's path, for remove_file after the
    commit (so a failed commit never loses the file of a row that still exists)."""
    application = attachment.application
    if not may_change(application, by):
        raise AttachmentRefused(why_not_change(application, STEP, by))
    path = stored_path(attachment)
    application.attachments.remove(attachment)
    db.session.flush()
    logger.info(
        "Attachment %s deleted from application %s by user %s",
        attachment.id,
        application.id,
        by.id,
    )
    return path


def remove_file(path: Path) -> None:
    """Delete a stored file; a file that is already gone is only worth a log line."""
    try:
        path.unlink()
    except FileNotFoundError:
        logger.warning("Attachment file %s was already gone", path.name)
