"""Real files of each allowed kind, built by hand with the standard library, and files that only
pretend to be one."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib


def pdf() -> bytes:
    """A one-page PDF with a line of text, with a correct cross-reference table."""
    stream = b"BT /F1 12 Tf 72 720 Td (Begroting Fonds op Naam) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def png(width: int = 2, height: int = 2) -> bytes:
    """An RGB PNG in the fund's purple."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + b"\x66\x33\x99" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpg() -> bytes:
    """A baseline JFIF JPEG of 8 x 8 grey pixels: one block whose DC difference is 0 and whose
    AC coefficients end at once, each coded with a one-bit Huffman code."""

    def segment(marker: int, data: bytes) -> bytes:
        return struct.pack(">BBH", 0xFF, marker, len(data) + 2) + data

    app0 = segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    dqt = segment(0xDB, b"\x00" + bytes([1] * 64))
    sof0 = segment(0xC0, struct.pack(">BHHB", 8, 8, 8, 1) + b"\x01\x11\x00")
    one_code = b"\x01" + b"\x00" * 15  # one code of length 1 ...
    dht_dc = segment(0xC4, b"\x00" + one_code + b"\x00")  # ... for DC category 0
    dht_ac = segment(0xC4, b"\x10" + one_code + b"\x00")  # ... for AC end of block
    sos = segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    scan = b"\x3f"  # bits 0 (DC 0) and 0 (EOB), padded with ones
    return b"\xff\xd8" + app0 + dqt + sof0 + dht_dc + dht_ac + sos + scan + b"\xff\xd9"


def zip_of(members: dict[str, bytes], *, first_stored: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first_stored:
            archive.writestr(
                zipfile.ZipInfo(first_stored), members[first_stored], zipfile.ZIP_STORED
            )
        for name, data in members.items():
            if name != first_stored:
                archive.writestr(name, data)
    return buffer.getvalue()


XML = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
RELS = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = b"http://schemas.openxmlformats.org/package/2006/relationships"


def docx() -> bytes:
    main = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return zip_of(
        {
            "[Content_Types].xml": XML
            + b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/word/document.xml" ContentType="' + main + b'"/></Types>',
            "_rels/.rels": XML + b'<Relationships xmlns="' + PKG_RELS + b'">'
            b'<Relationship Id="rId1" Type="' + RELS + b'/officeDocument" '
            b'Target="word/document.xml"/></Relationships>',
            "word/document.xml": XML
            + b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
            b'main"><w:body><w:p><w:r><w:t>Projectplan</w:t></w:r></w:p></w:body></w:document>',
        }
    )


def xlsx() -> bytes:
    sheet = b"application/vnd.openxmlformats-officedocument.spreadsheetml"
    main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return zip_of(
        {
            "[Content_Types].xml": XML
            + b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="' + sheet + b'.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="'
            + sheet
            + b'.worksheet+xml"/></Types>',
            "_rels/.rels": XML + b'<Relationships xmlns="' + PKG_RELS + b'">'
            b'<Relationship Id="rId1" Type="' + RELS + b'/officeDocument" '
            b'Target="xl/workbook.xml"/></Relationships>',
            "xl/workbook.xml": XML + b'<workbook xmlns="' + main + b'" xmlns:r="' + RELS + b'">'
            b'<sheets><sheet name="Begroting" sheetId="1" r:id="rId1"/></sheets></workbook>',
            "xl/_rels/workbook.xml.rels": XML + b'<Relationships xmlns="' + PKG_RELS + b'">'
            b'<Relationship Id="rId1" Type="' + RELS + b'/worksheet" '
            b'Target="worksheets/sheet1.xml"/></Relationships>',
            "xl/worksheets/sheet1.xml": XML + b'<worksheet xmlns="' + main + b'"><sheetData>'
            b'<row r="1"><c r="A1"><v>4000</v></c></row></sheetData></worksheet>',
        }
    )


def opendocument(kind: str) -> bytes:
    """An ODT (kind "text") or ODS (kind "spreadsheet"): the mimetype member first and stored,
    as the OpenDocument standard requires."""
    mimetype = b"application/vnd.oasis.opendocument." + kind.encode()
    office = b"urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    body = (
        b'<office:text><text:p xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        b"Projectplan</text:p></office:text>"
        if kind == "text"
        else b"<office:spreadsheet/>"
    )
    return zip_of(
        {
            "mimetype": mimetype,
            "META-INF/manifest.xml": XML
            + b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
            b'manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
            b'manifest:media-type="' + mimetype + b'"/><manifest:file-entry '
            b'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            b"</manifest:manifest>",
            "content.xml": XML + b'<office:document-content xmlns:office="' + office + b'" '
            b'office:version="1.2"><office:body>' + body + b"</office:body>"
            b"</office:document-content>",
        },
        first_stored="mimetype",
    )


def elf() -> bytes:
    """The start of a 64-bit Linux executable."""
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200


def windows_executable() -> bytes:
    """The start of a Windows (MZ/PE) executable."""
    header = bytearray(b"MZ" + b"\x90\x00" + b"\x00" * 60)
    header[0x3C:0x40] = struct.pack("<I", 64)
    return bytes(header) + b"PE\x00\x00" + b"\x00" * 200


def fake_docx() -> bytes:
    """A real ZIP archive, but not a Word document."""
    return zip_of({"readme.txt": b"Dit is geen Word-document."})


def corrupt_zip() -> bytes:
    """Starts like a ZIP archive, but the rest is broken."""
    return b"PK\x03\x04" + b"\x14\x00\x00\x00\x08\x00" + b"kapot" * 50
