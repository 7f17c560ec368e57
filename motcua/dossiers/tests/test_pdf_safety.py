"""A PDF with active content is refused as a document; a plain PDF is kept.

The PDFs are built here with pypdf the way such files are made in the wild: JavaScript run on
opening (the catalogue's OpenAction), JavaScript in the document's name tree, an embedded file,
a launch action, an XFA form, the name hidden behind `#xx` escapes, and a short name only the
structure shows.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.pdf_safety import ActiveContent, find_active_content
from motcua.dossiers.tests.conftest import PDF, People, pdf

pytestmark = pytest.mark.django_db


def _bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def plain() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    return writer


def open_action_js() -> bytes:
    writer = plain()
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('x');"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _bytes(writer)


def named_js() -> bytes:
    # The document-level scripts: /Names << /JavaScript << /Names [(name) action] >> >>.
    writer = plain()
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("this.print();"),
        }
    )
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("in"), writer._add_object(action)])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)}
    )
    return _bytes(writer)


def embedded_file() -> bytes:
    writer = plain()
    writer.add_attachment("hoa-don.exe", b"MZ\x90\x00")
    return _bytes(writer)


def launch() -> bytes:
    writer = plain()
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _bytes(writer)


def xfa() -> bytes:
    writer = plain()
    form = DictionaryObject({NameObject("/XFA"): TextStringObject("<xdp:xdp/>")})
    writer._root_object[NameObject("/AcroForm")] = writer._add_object(form)
    return _bytes(writer)


def escaped_name() -> bytes:
    # "/J#61vaScript" is "/JavaScript" to every reader.
    return open_action_js().replace(b"/JavaScript", b"/J#61vaScript")


CASES = [
    (open_action_js, ActiveContent.JAVASCRIPT),
    (named_js, ActiveContent.JAVASCRIPT),
    (embedded_file, ActiveContent.EMBEDDED_FILE),
    (launch, ActiveContent.LAUNCH),
    (xfa, ActiveContent.XFA),
    (escaped_name, ActiveContent.JAVASCRIPT),
]


@pytest.mark.parametrize(("make", "kind"), CASES, ids=[c[0].__name__ for c in CASES])
def test_active_content_is_found(tmp_path: Path, make: Callable[[], bytes], kind: str) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(make())
    assert find_active_content(path) == kind


def test_the_structure_is_read_where_the_bytes_show_nothing(tmp_path: Path) -> None:
    # A page's additional action with only a /JS key: too short a name for the byte scan,
    # found by reading the page's dictionary.
    writer = plain()
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): DictionaryObject({NameObject("/JS"): TextStringObject("1;")})}
    )
    path = tmp_path / "x.pdf"
    path.write_bytes(_bytes(writer))
    assert b"/JavaScript" not in path.read_bytes()
    assert find_active_content(path) == ActiveContent.JAVASCRIPT


def test_plain_pdfs_pass(tmp_path: Path) -> None:
    for name, data in (("plain", _bytes(plain())), ("unparsable", PDF)):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        assert find_active_content(path) is None, name


def test_the_upload_is_refused_with_the_reason_and_nothing_is_kept(
    people: People, submitted: Callable[..., Dossier]
) -> None:
    code = submitted(with_documents=False).code
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(people.citizen)
    url = f"/api/v1/dossiers/{code}/documents"
    for make, label in (
        (open_action_js, "JavaScript"),
        (embedded_file, "an embedded file"),
    ):
        response = client.post(url, {"file": pdf("don.pdf", make())})
        assert response.status_code == 400
        body = response.json()
        assert (body["code"], body["file"]) == ("UPLOAD_REFUSED", "don.pdf")
        assert body["errors"] == [
            {
                "field": "file",
                "reason": f"it is a PDF with active content ({label}), which documents may not "
                "carry; save or print it again as a plain PDF.",
            }
        ]
    assert not DossierDocument.objects.exists()
    vietnamese = Client()
    vietnamese.force_login(people.citizen)
    refused = vietnamese.post(url, {"file": pdf("don.pdf", named_js())}).json()
    assert "nội dung chủ động" in refused["msg"]
    kept = client.post(url, {"file": pdf("don.pdf", _bytes(plain()))})
    assert kept.status_code == 201
