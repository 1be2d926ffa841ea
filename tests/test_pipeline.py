"""parse() on the seed documents and on bad input."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cds_nlp
from cds_nlp import Document


def test_parse_returns_a_document_with_offsets_into_the_input(seed_docs, seed_texts):
    for name, doc in seed_docs.items():
        text = seed_texts[name]
        assert isinstance(doc, Document) and doc.text == text
        for sentence in doc.sentences:
            assert text[sentence.start : sentence.end] == sentence.text
            for token in sentence.tokens:
                assert text[token.start : token.end] == token.text
                assert sentence.start <= token.start < token.end <= sentence.end
        for entity in doc.entities:
            assert text[entity.start : entity.end] == entity.text


def test_seed_sentence_boundaries(seed_docs):
    doc = seed_docs["000_6485a217fb6c1846"]
    texts = [s.text for s in doc.sentences]
    assert texts[0] == "Hội nghị sơ kết 6 tháng đầu năm về chuyển đổi số quốc gia và Đề án 06 của Chính phủ"
    assert texts[1].startswith("Chiều 10/7, Thủ tướng Chính phủ Phạm Minh Chính")
    assert texts[1].endswith("Đề án 06 của Chính phủ.")
    assert any(t.startswith("Kinh tế số 6 tháng đầu năm ước đạt tăng trưởng 22,4%") for t in texts)
    assert any(t.startswith("Doanh thu lĩnh vực công nghệ thông tin") and t.endswith("năm 2023.") for t in texts)


def test_seed_tokens(seed_docs):
    tokens = [t.text for s in seed_docs["000_6485a217fb6c1846"].sentences for t in s.tokens]
    for word in ("Phạm Minh Chính", "Trần Quốc Nam", "1.928.311", "22,4", "10/7"):
        assert word in tokens


def test_parse_many_keeps_order_and_ids(pipeline, seed_texts):
    items = [{"id": name, "text": text} for name, text in seed_texts.items()]
    docs = list(pipeline.parse_many(items, batch_size=2))
    assert [d.id for d in docs] == list(seed_texts)
    assert docs[0] == pipeline.parse(items[0]["text"], id=items[0]["id"])


def test_metadata_is_carried(pipeline):
    doc = pipeline.parse("Hà Nội.", id="a1", source="https://example.vn/a1", published="2024-07-10")
    assert (doc.id, doc.source, doc.published) == ("a1", "https://example.vn/a1", "2024-07-10")
    assert doc.library_version == cds_nlp.__version__


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t", "\u200b"])
def test_empty_text_gives_an_empty_document(text):
    doc = cds_nlp.parse(text)
    assert doc.text == text and doc.sentences == [] and doc.entities == []


@pytest.mark.parametrize("value", [None, b"bytes", 42, ["list"]])
def test_non_text_is_a_type_error_naming_what_was_expected(value):
    with pytest.raises(TypeError, match="expected text as a str"):
        cds_nlp.parse(value)


def test_multi_megabyte_text_is_segmented(tokenizer_nlp):
    text = ("Tỉnh đã hoàn thành 43/229 nhiệm vụ chuyển đổi số năm 2024.\n" * 40000)[:2_400_000]
    doc = tokenizer_nlp(text)
    assert doc.text == text
    assert sum(1 for s in doc.sents if s.text.strip()) >= 39000


def test_a_long_article_is_parsed_in_full(pipeline):
    text = "Tỉnh đã hoàn thành 43/229 nhiệm vụ chuyển đổi số năm 2024. " * 1500
    doc = pipeline.parse(text)
    assert len(doc.sentences) == 1500
    assert doc.sentences[-1].end == len(text.rstrip())


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_sentences_are_ordered_non_overlapping_and_slice_back(pipeline, text):
    doc = pipeline.parse(text)
    previous_end = 0
    for sentence in doc.sentences:
        assert previous_end <= sentence.start < sentence.end <= len(text)
        assert text[sentence.start : sentence.end] == sentence.text
        previous_end = sentence.end
        for token in sentence.tokens:
            assert text[token.start : token.end] == token.text
    assert Document.model_validate_json(doc.model_dump_json()) == doc
