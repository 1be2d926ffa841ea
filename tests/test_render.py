"""`cds_nlp.render` and `cds-nlp render`: exact text, safe HTML, a page a real browser draws."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Optional

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cds_nlp.batch import ErrorRow
from cds_nlp.cli import main
from cds_nlp.document import SENTENCE_LABELS, Document, Entity, Person, ProvinceLink, ProvinceMentions, Sentence
from cds_nlp.render import render_document, render_page

from . import browser

NINH_THUAN = ProvinceLink(code="58", name="Ninh Thuận", type="tỉnh", full_name="Tỉnh Ninh Thuận",
                          merged_into_code="56", merged_into_name="Khánh Hòa")
HA_NOI = ProvinceLink(code="01", name="Hà Nội", type="thành phố trực thuộc trung ương",
                      full_name="Thành phố Hà Nội", merged_into_code="01", merged_into_name="Hà Nội")

# Written for these tests: a headline, a paragraph break, one sentence of each label.
TEXT = (
    "Ninh Thuận đẩy mạnh số hóa hồ sơ hành chính\n\n"
    "Sáng 5/3, Chủ tịch UBND tỉnh Ninh Thuận Trần Văn An chủ trì cuộc họp về chuyển đổi số. "
    "Năm 2024, tỉnh đã cấp hơn 120.000 tài khoản định danh điện tử, đạt 85% kế hoạch. "
    "Tuy nhiên, tỷ lệ hồ sơ trực tuyến toàn trình tại Sở Y tế còn thấp, chưa đạt chỉ tiêu. "
    "Ông Trần Văn An yêu cầu các sở, ngành hoàn thành kết nối dữ liệu với Hà Nội trước ngày 30/6."
)
LABELS = ("other", "other", "achievement", "shortcoming", "directive")
SCORES = {"achievement": 0.05, "shortcoming": 0.05, "directive": 0.05, "other": 0.05}


def find(text: str, surface: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    return start, start + len(surface)


def sentences_of(text: str, labels: tuple[str, ...]) -> list[Sentence]:
    """Headline, then '. '-separated sentences: enough for hand-written fixtures."""
    bounds = []
    headline = text.index("\n")
    bounds.append((0, headline))
    start = text.index("\n\n") + 2
    while start < len(text):
        stop = text.find(". ", start)
        stop = len(text) if stop == -1 else stop + 1
        bounds.append((start, stop))
        start = stop + 1
    result = []
    for index, ((start, end), label) in enumerate(zip(bounds, labels)):
        scores = dict(SCORES, **{label: 0.85})
        result.append(Sentence(index=index, start=start, end=end, text=text[start:end], label=label, scores=scores))
    return result


def entity(text: str, surface: str, label: str, occurrence: int = 0, **extra: object) -> Entity:
    start, end = find(text, surface, occurrence)
    return Entity(start=start, end=end, text=surface, label=label, **extra)


def sample_document() -> Document:
    entities = [
        entity(TEXT, "Ninh Thuận", "PROVINCE", 0, province=NINH_THUAN),
        entity(TEXT, "UBND tỉnh Ninh Thuận", "ORG", score=0.93),
        entity(TEXT, "Ninh Thuận", "PROVINCE", 1, province=NINH_THUAN),
        entity(TEXT, "Trần Văn An", "PERSON", 0),
        entity(TEXT, "Sở Y tế", "ORG"),
        entity(TEXT, "Trần Văn An", "PERSON", 1),
        entity(TEXT, "Hà Nội", "PROVINCE", province=HA_NOI),
    ]
    return Document(
        id="ninh-thuan-01", source="tests", published="2024-03-05", text=TEXT,
        sentences=sentences_of(TEXT, LABELS), entities=entities,
        provinces=[ProvinceMentions(province=NINH_THUAN, count=2, mentions=[0, 2]),
                   ProvinceMentions(province=HA_NOI, count=1, mentions=[6])],
        people=[Person(name="Trần Văn An", count=2, mentions=[3, 5], titles=["Chủ tịch UBND tỉnh"], bodies=["UBND tỉnh"])],
    )


class Elements(HTMLParser):
    """The text inside every entity mark and every sentence block, as the browser would show it."""

    VOID = {"br", "meta", "img", "input", "hr", "link"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, Optional[dict]]] = []
        self.entities: list[dict] = []
        self.sentences: list[dict] = []
        self.tags: list[tuple[str, dict]] = []

    def _open(self) -> list[dict]:
        return [record for _, record in self.stack if record is not None]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "br":
            for record in self._open():
                record["text"] += "\n"
            return
        if tag in self.VOID:
            return
        record = None
        if "data-entity" in attributes and tag in ("mark", "span"):
            record = {"tag": tag, "attrs": attributes, "text": "", "depth": len(self._open())}
            self.entities.append(record)
        elif tag == "div" and "sentence" in attributes.get("class", "").split():
            record = {"attrs": attributes, "text": ""}
            self.sentences.append(record)
        self.stack.append((tag, record))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for record in self._open():
            record["text"] += data


def elements(markup: str) -> Elements:
    parser = Elements()
    parser.feed(markup)
    parser.close()
    return parser


def test_every_sentence_is_shown_with_its_exact_text_and_label() -> None:
    document = sample_document()
    found = elements(render_document(document)).sentences
    assert [s["text"] for s in found] == [s.text for s in document.sentences]
    assert [s["attrs"]["data-label"] for s in found] == list(LABELS)
    assert "directive 85%" in found[4]["attrs"]["title"]


def test_every_entity_is_shown_with_its_exact_text() -> None:
    document = sample_document()
    found = elements(render_document(document)).entities
    assert sorted(int(e["attrs"]["data-entity"]) for e in found) == list(range(len(document.entities)))
    for record in found:
        index = int(record["attrs"]["data-entity"])
        assert record["text"] == document.entities[index].text
        assert record["attrs"]["data-label"] == document.entities[index].label


def test_a_province_inside_an_org_is_drawn_inside_its_mark() -> None:
    found = elements(render_document(sample_document())).entities
    org = next(e for e in found if e["attrs"]["data-entity"] == "1")
    province = next(e for e in found if e["attrs"]["data-entity"] == "2")
    assert org["tag"] == "mark" and province["tag"] == "span" and province["depth"] == org["depth"] + 1
    assert "Khánh Hòa" in province["attrs"]["title"]


def test_script_in_the_text_is_escaped() -> None:
    text = 'Dòng đầu <script>alert("x")</script> & <b>đậm</b>\n\nCâu hai có <img src=x onerror=alert(1)>.'
    start, end = find(text, "<script>")
    document = Document(
        id='"><script>alert(2)</script>', source="<i>nguồn</i>", text=text,
        sentences=[Sentence(index=0, start=0, end=text.index("\n"), text=text[: text.index("\n")], label="other")],
        entities=[Entity(start=start, end=end, text="<script>", label="<svg onload=alert(3)>")],
    )
    markup = render_page([document])
    assert not re.search(r"<(script|img|svg)[\s>]", markup, re.IGNORECASE)
    assert "<b>đậm" not in markup and "<i>nguồn" not in markup
    assert "alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;đậm" in markup and "&lt;img src=x" in markup
    parsed = elements(markup)
    assert parsed.sentences[0]["text"] == document.sentences[0].text
    assert parsed.entities[0]["text"] == "<script>" and parsed.entities[0]["attrs"]["data-label"] == "<svg onload=alert(3)>"


def test_the_legend_lists_the_four_labels_and_the_entity_types() -> None:
    tags = elements(render_page([sample_document()])).tags
    sentence_items = [a["data-label"] for _, a in tags if "legend-sentence" in a.get("class", "").split()]
    entity_items = [a["data-label"] for _, a in tags if "legend-entity" in a.get("class", "").split() and "data-label" in a]
    assert sentence_items == list(SENTENCE_LABELS)
    assert entity_items == ["PERSON", "ORG", "PROVINCE"]


def test_the_page_is_self_contained() -> None:
    markup = render_page([sample_document()])
    assert "Content-Security-Policy" in markup and "default-src 'none'" in markup
    assert not re.search(r"<script|\b(src|href)\s*=|url\(|@import|https?://", markup, re.IGNORECASE)


def test_combining_marks_are_kept_as_given() -> None:
    """Decomposed (NFD) Vietnamese must not be recomposed: offsets count code points as given."""
    text = unicodedata.normalize("NFD", "Hà Nội triển khai Đề án 06.\n\nSở Thông tin và Truyền thông Hà Nội báo cáo.")
    assert len(text) > len(unicodedata.normalize("NFC", text))
    first = text.index("\n")
    second = text.index("\n\n") + 2
    sentences = [Sentence(index=0, start=0, end=first, text=text[:first], label="achievement"),
                 Sentence(index=1, start=second, end=len(text), text=text[second:], label="other")]
    org = unicodedata.normalize("NFD", "Sở Thông tin và Truyền thông Hà Nội")
    province = unicodedata.normalize("NFD", "Hà Nội")
    entities = [entity(text, province, "PROVINCE", 0), entity(text, org, "ORG"), entity(text, province, "PROVINCE", 1)]
    document = Document(text=text, sentences=sentences, entities=entities)
    parsed = elements(render_document(document))
    assert [s["text"] for s in parsed.sentences] == [s.text for s in sentences]
    assert {int(e["attrs"]["data-entity"]): e["text"] for e in parsed.entities} == {i: e.text for i, e in enumerate(entities)}


def test_text_outside_sentences_is_still_shown() -> None:
    text = "Tiêu đề không có câu\n\nHà Nội họp. Đoạn cuối không thuộc câu nào"
    start = text.index("Hà Nội")
    end = text.index(".") + 1
    document = Document(text=text, sentences=[Sentence(index=0, start=start, end=end, text=text[start:end], label="other")],
                        entities=[entity(text, "Hà Nội", "PROVINCE")])
    markup = render_document(document)
    assert markup.count('class="segment gap') == 2
    assert "Tiêu đề không có câu" in markup and "Đoạn cuối không thuộc câu nào" in markup


# Short runs of awkward characters: HTML specials, newlines, Vietnamese with combining marks.
_ALPHABET = st.sampled_from(list("ab <>&\"'\n") + ["ệ", "e\u0323\u0302", "Đ", "ư", "\u0301"])


@st.composite
def random_documents(draw: st.DrawFn) -> Document:
    text = "".join(draw(st.lists(_ALPHABET, min_size=1, max_size=40)))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=5))) | {0, len(text)})
    sentences = []
    for index, (start, end) in enumerate(zip(cuts, cuts[1:])):
        label = draw(st.sampled_from(SENTENCE_LABELS))
        sentences.append(Sentence(index=index, start=start, end=end, text=text[start:end], label=label, scores={label: 1.0}))
    entities = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        label = draw(st.sampled_from(["PERSON", "ORG", "PROVINCE"]))
        entities.append(Entity(start=start, end=end, text=text[start:end], label=label))
    return Document(text=text, sentences=sentences, entities=entities)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_documents())
def test_any_document_renders_its_text_exactly(document: Document) -> None:
    parsed = elements(render_document(document))
    assert [s["text"] for s in parsed.sentences] == [s.text for s in document.sentences]
    for record in parsed.entities:
        whole = document.entities[int(record["attrs"]["data-entity"])]
        assert record["text"] and record["text"] in whole.text
    assert {int(r["attrs"]["data-entity"]) for r in parsed.entities} == set(range(len(document.entities)))


def write_archive(path: Path, rows: list) -> Path:
    path.write_text("".join(row.model_dump_json() + "\n" for row in rows), encoding="utf-8")
    return path


def test_render_command_reads_an_archive_with_error_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = write_archive(tmp_path / "docs.jsonl", [
        sample_document(), ErrorRow(id="hỏng.txt", error="DecodeError", message="not valid <UTF-8>")])
    out = tmp_path / "page.html"
    assert main(["render", str(archive), "-o", str(out)]) == 0
    markup = out.read_text(encoding="utf-8")
    assert "ninh-thuan-01" in markup and "hỏng.txt" in markup and "not valid &lt;UTF-8&gt;" in markup
    assert "1 document(s), 1 error row(s)" in capsys.readouterr().err


def test_render_command_parses_a_text_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A text file goes through the model; a stand-in pipeline keeps this test free of one."""

    class StandIn:
        def parse(self, text: str, **context: object) -> Document:
            assert text == TEXT
            return sample_document().model_copy(update={"id": context["id"]})

    monkeypatch.setattr("cds_nlp.pipeline.load", lambda model=None: StandIn())
    source = tmp_path / "bai.txt"
    source.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "bai.html"
    assert main(["render", str(source), "-o", str(out)]) == 0
    assert len(elements(out.read_text(encoding="utf-8")).sentences) == len(LABELS)


@pytest.fixture(scope="module")
def rendered_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("render") / "page.html"
    copy = sample_document().model_copy(update={"id": "bản sao"})
    path.write_text(render_page([sample_document(), copy]), encoding="utf-8")
    return path


def test_the_page_renders_in_chromium_without_console_errors(rendered_page: Path) -> None:
    run = browser.screenshot(rendered_page, rendered_page.with_suffix(".png"))
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.console == []
    assert run.screenshot is not None and run.screenshot.stat().st_size > 30_000
    assert browser.png_size(run.screenshot) == (1280, 2000)


def test_chromium_builds_the_marks_and_the_legend(rendered_page: Path) -> None:
    run = browser.dump_dom(rendered_page)
    parsed = elements(run.stdout)
    assert len(parsed.sentences) == 2 * len(LABELS)
    assert len(parsed.entities) == 2 * len(sample_document().entities)
    assert sum("legend-sentence" in a.get("class", "").split() for _, a in parsed.tags) == 4


def test_console_errors_are_detected(tmp_path: Path) -> None:
    """Guards the guard: a page that throws must show up in `console`."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>undefinedFunction()</script>", encoding="utf-8")
    run = browser.dump_dom(page)
    assert any("Uncaught" in message for message in run.console)

