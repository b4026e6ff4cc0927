"""Read a PDF back as a person would: its text (with pypdf and with poppler's pdftotext), its
metadata and the claims in its catalogue."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile

from pypdf import PdfReader


def squeeze(text: str) -> str:
    """Whitespace (line breaks, no-break spaces) collapsed to single spaces."""
    return " ".join(text.split())


def pypdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return squeeze("\n".join(page.extract_text() for page in reader.pages))


def pdftotext(pdf: bytes, *pages: int) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        command = ["pdftotext", "-enc", "UTF-8"]
        if pages:
            command += ["-f", str(pages[0]), "-l", str(pages[-1])]
        result = subprocess.run(  # noqa: S603 - fixed command on a temporary file
            [*command, file.name, "-"], capture_output=True, check=True
        )
    return squeeze(result.stdout.decode("utf-8"))


def texts(pdf: bytes) -> list[str]:
    """The whole text by both readers, so every assertion holds for both."""
    return [pypdf_text(pdf), pdftotext(pdf)]


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def catalog(pdf: bytes):
    return PdfReader(io.BytesIO(pdf)).trailer["/Root"]


def xmp(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).xmp_metadata.stream.get_data().decode("utf-8")


def pdfa_claim(pdf: bytes) -> tuple[str, str]:
    """(part, conformance) of the PDF/A identification in the XMP metadata."""
    data = xmp(pdf)
    part = re.search(r"pdfaid:part(?:=\"|>)(\d)", data)
    conformance = re.search(r"pdfaid:conformance(?:=\"|>)([ABU])", data)
    return (part[1] if part else "", conformance[1] if conformance else "")


def no_space(text: str) -> str:
    return "".join(text.split())
