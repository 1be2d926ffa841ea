"""`cds_nlp.report` and `cds-nlp report`: counts from a small hand-built archive, and the page itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cds_nlp.aggregate import province_mentions
from cds_nlp.figures import extract_figures
from cds_nlp.batch import ErrorRow
from cds_nlp.cli import main
from cds_nlp.document import Document, Entity, Person, ProvinceLink, Sentence
from cds_nlp.report import UnreadableLine, read_archive, report_html, summarise

from . import browser

HA_NOI = ProvinceLink(code="01", name="Hà Nội", type="thành phố trực thuộc trung ương",
                      full_name="Thành phố Hà Nội", merged_into_code="01", merged_into_name="Hà Nội")
DA_NANG = ProvinceLink(code="48", name="Đà Nẵng", type="thành phố trực thuộc trung ương",
                       full_name="Thành phố Đà Nẵng", merged_into_code="48", merged_into_name="Đà Nẵng")
QUANG_NAM = ProvinceLink(code="49", name="Quảng Nam", type="tỉnh", full_name="Tỉnh Quảng Nam",
                         merged_into_code="48", merged_into_name="Đà Nẵng")
LINKS = {link.name: link for link in (HA_NOI, DA_NANG, QUANG_NAM)}


def build(ident: str, sentences: list[tuple[str, str]], entities: list[tuple[str, str]], *,
          figures: bool = False, aggregate: bool = True) -> Document:
    """A Document from (sentence, label) pairs joined by spaces, entities found by string (every occurrence)."""
    text = " ".join(sentence for sentence, _ in sentences)
    spans, cursor = [], 0
    for index, (sentence, label) in enumerate(sentences):
        found_figures = extract_figures(text, cursor, cursor + len(sentence)) if figures else []
        spans.append(Sentence(index=index, start=cursor, end=cursor + len(sentence), text=sentence, label=label,
                              scores={label: 1.0}, figures=found_figures))
        cursor += len(sentence) + 1
    found = []
    for surface, label in entities:
        start = text.find(surface)
        while start != -1:
            found.append(Entity(start=start, end=start + len(surface), text=surface, label=label,
                                province=LINKS.get(surface) if label == "PROVINCE" else None))
            start = text.find(surface, start + 1)
    found.sort(key=lambda e: (e.start, -e.end))
    document = Document(id=ident, text=text, sentences=spans, entities=found)
    if aggregate:
        document.provinces = province_mentions(document)
    return document


def archive_documents() -> list[Document]:
    first = build("a1", [
        ("UBND thành phố Hà Nội ra mắt nền tảng số mới.", "achievement"),
        ("Ông Lê Minh Hải cho biết Hà Nội đã số hóa 70% hồ sơ.", "achievement"),
        ("Ông Lê Minh Hải đề nghị các quận đẩy nhanh tiến độ.", "directive"),
    ], [("UBND thành phố Hà Nội", "ORG"), ("Hà Nội", "PROVINCE"), ("Lê Minh Hải", "PERSON")],
        figures=True)
    first.people = [Person(name="Lê Minh Hải", count=2, mentions=[2, 4], titles=["Giám đốc Sở"], bodies=[])]
    second = build("a2", [
        ("Quảng Nam và Đà Nẵng chia sẻ dữ liệu dân cư.", "achievement"),
        ("Hạ tầng mạng ở vùng núi Quảng Nam còn yếu.", "shortcoming"),
    ], [("Quảng Nam", "PROVINCE"), ("Đà Nẵng", "PROVINCE")])
    third = build("a3", [
        ("Bộ Công an hướng dẫn Hà Nội triển khai định danh điện tử.", "other"),
        ("Bà Phạm Thu Hà dự buổi làm việc với Bộ Công an.", "other"),
    ], [("Bộ Công an", "ORG"), ("Hà Nội", "PROVINCE"), ("Phạm Thu Hà", "PERSON")], aggregate=False)
    return [first, second, third]


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    """Three documents, an error row, a broken line and a blank one, as `cds-nlp parse` might leave them."""
    rows = [document.model_dump_json() for document in archive_documents()]
    rows.insert(1, ErrorRow(id="cũ.txt", source="x", error="DecodeError", message="<b>not UTF-8</b>").model_dump_json())
    rows.insert(3, '{"text": "thiếu dấu ngoặc"')
    rows.insert(4, "")
    path = tmp_path / "archive.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_the_archive_reads_into_documents_errors_and_unreadable_lines(archive: Path) -> None:
    rows = list(read_archive(archive))
    assert [type(row).__name__ for row in rows] == ["Document", "ErrorRow", "Document", "UnreadableLine", "Document"]
    assert rows[3] == UnreadableLine(4, rows[3].message) and "invalid JSON" in rows[3].message


def test_provinces_are_counted_per_unit_and_after_the_merger(archive: Path) -> None:
    summary = summarise(read_archive(archive))
    assert summary.documents == 3 and len(summary.errors) == 1 and len(summary.unreadable) == 1
    # Hà Nội: 2 in a1 (one inside the ORG), 1 in a3 (counted from entities: a3 has no provinces list).
    assert summary.province_mentions == {"01": 3, "49": 2, "48": 1}
    assert summary.province_documents == {"01": 2, "49": 1, "48": 1}
    assert summary.merged_mentions == {"01": 3, "48": 3}


def test_the_chart_shows_the_counts(archive: Path) -> None:
    markup = report_html(summarise(read_archive(archive)))
    bars = re.findall(r'<g class="bar" data-key="([^"]+)" data-value="(\d+)">', markup)
    assert bars[:3] == [("01", "3"), ("49", "2"), ("48", "1")]
    assert ("achievement", "3") in bars and ("shortcoming", "1") in bars and ("directive", "1") in bars


def test_labels_people_and_organisations_are_tallied() -> None:
    summary = summarise(archive_documents())
    assert summary.labels == {"achievement": 3, "directive": 1, "shortcoming": 1, "other": 2}
    assert summary.people["Lê Minh Hải"].mentions == 2 and summary.people["Phạm Thu Hà"].documents == 1
    assert summary.organisations == {"UBND thành phố Hà Nội": 1, "Bộ Công an": 2}


def test_figures_are_listed_with_their_sentence() -> None:
    summary = summarise(archive_documents())
    assert summary.figures_supported
    [figure] = summary.figures
    [extracted] = archive_documents()[0].sentences[1].figures
    assert (figure.document, figure.text, figure.value, figure.kind, figure.indicator) == (
        "a1", "70%", "70", "percent", extracted.indicator)
    assert "đã số hóa 70% hồ sơ" in figure.sentence_text
    assert "đã số hóa 70% hồ sơ" in report_html(summary)


def test_an_archive_without_figures_says_so() -> None:
    documents = archive_documents()[1:]
    summary = summarise(documents)
    if "figures" in Sentence.model_fields:
        assert summary.figures_supported and "No figures found." in report_html(summary)
    else:
        assert not summary.figures_supported and "carry no figures" in report_html(summary)


def test_fields_from_a_newer_version_do_not_make_a_row_unreadable(tmp_path: Path) -> None:
    record = json.loads(archive_documents()[1].model_dump_json())
    record["sentences"][0]["colour_from_the_future"] = "xanh"
    path = tmp_path / "newer.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    [row] = read_archive(path)
    assert isinstance(row, Document) and row.id == "a2"


def test_error_rows_are_counted_and_escaped(archive: Path) -> None:
    markup = report_html(summarise(read_archive(archive)))
    assert re.search(r'data-card="error rows"><b>1</b>', markup)
    assert re.search(r'data-card="unreadable lines"><b>1</b>', markup)
    assert "&lt;b&gt;not UTF-8&lt;/b&gt;" in markup and "<b>not UTF-8" not in markup


def test_the_report_is_self_contained(archive: Path) -> None:
    markup = report_html(summarise(read_archive(archive)))
    assert "default-src 'none'" in markup
    without_namespace = markup.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not re.search(r"<script|\b(src|href)\s*=|url\(|@import|https?://", without_namespace, re.IGNORECASE)


def test_report_command(archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    assert main(["report", str(archive), "-o", str(out)]) == 0
    assert "3 document(s), 1 error row(s), 1 unreadable line(s)" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8").count("<svg") == 3


def test_the_report_renders_in_chromium_without_console_errors(archive: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(report_html(summarise(read_archive(archive))), encoding="utf-8")
    run = browser.screenshot(page, tmp_path / "report.png")
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.console == []
    assert run.screenshot is not None and run.screenshot.stat().st_size > 20_000
    dom = browser.dump_dom(page).stdout
    assert dom.count('class="bar"') == 3 + 2 + 4
