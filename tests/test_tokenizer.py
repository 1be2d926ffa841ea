import pickle
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

import pytest

from cds_nlp.errors import InputTypeError, TextTooLongError


def words(nlp, text):
    return [t.text for t in nlp(text) if t.text.strip()]


def test_names_and_compounds_are_one_token(tokenizer_nlp):
    toks = words(tokenizer_nlp, "Thủ tướng Chính phủ Phạm Minh Chính chủ trì hội nghị.")
    assert "Phạm Minh Chính" in toks
    assert "Thủ tướng" in toks


def test_doc_text_is_the_input_exactly(tokenizer_nlp):
    text = unicodedata.normalize("NFD", " date 2024-07 Uỷ  ban\u00a0nhân dân\r\n\r\nTP.HCM đạt 22,4%.\u200b")
    doc = tokenizer_nlp(text)
    assert doc.text == text
    for token in doc:
        assert text[token.idx : token.idx + len(token.text)] == token.text


def test_models_see_normalised_forms(tokenizer_nlp):
    doc = tokenizer_nlp("Uỷ ban hoà giải")
    assert [t.norm_ for t in doc if t.text.strip()][0].startswith("ủy")


def test_sentence_starts_are_set(tokenizer_nlp):
    doc = tokenizer_nlp("Câu thứ nhất. Câu thứ hai.\nDòng mới")
    assert len([s for s in doc.sents if s.text.strip()]) == 3


def test_tokenizer_pickles_for_multiprocessing(tokenizer_nlp):
    clone = pickle.loads(pickle.dumps(tokenizer_nlp.tokenizer))
    assert [t.text for t in clone("Xin chào Việt Nam")] == [t.text for t in tokenizer_nlp("Xin chào Việt Nam")]


def test_non_text_is_a_clear_type_error(tokenizer_nlp):
    with pytest.raises(TypeError, match="expected text as a str, got bytes"):
        tokenizer_nlp.tokenizer(b"bytes")
    assert issubclass(InputTypeError, TypeError)


def test_size_limit_is_configurable_and_clear():
    from cds_nlp.language import blank

    nlp = blank(max_chars=100)
    with pytest.raises(TextTooLongError, match="more than the limit of 100"):
        nlp("a" * 101)


_pieces = st.sampled_from(
    list("aăâeêioôơuưyđAĐ àáảãạằếộữỳ.,;:!?…%/-()\"\n\t\u00a0\u200b\r0123456789\u0301\u00d0")
    + ["Uỷ ban", "hoà", "TP.HCM", "Phạm Minh Chính", "1.928.311", "22,4%", " date 2024-07 ", "PGS.TS. "]
)
_vietnamese = st.lists(_pieces, max_size=60).map("".join)


@settings(max_examples=150, deadline=None)
@given(_vietnamese)
def test_tokens_always_slice_back_to_their_text(tokenizer_nlp, text):
    doc = tokenizer_nlp(text)
    assert doc.text == text
    position = 0
    for token in doc:
        assert token.idx == position
        position += len(token.text) + len(token.whitespace_)
    assert position == len(text)
