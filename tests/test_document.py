import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from cds_nlp import Document, Entity, Sentence, Token
from cds_nlp.document import json_schema

SCHEMA = Path(__file__).resolve().parents[1] / "schema" / "document.schema.json"


def test_published_schema_matches_the_models():
    """Changing a public field must be a deliberate act: regenerate schema/document.schema.json."""
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == json_schema()


def test_contract_field_names():
    props = json_schema()["$defs"]
    for model in ("Sentence", "Entity"):
        assert {"start", "end", "label"} <= set(props[model]["properties"])


def test_span_text_must_match_the_document():
    with pytest.raises(ValidationError, match="does not match the document text"):
        Document(text="Hà Nội", entities=[Entity(start=0, end=2, text="Nộ", label="PROVINCE")])


def test_scores_must_sum_to_one():
    with pytest.raises(ValidationError, match="sum to 1"):
        Sentence(index=0, start=0, end=1, text="a", scores={"other": 0.5})


def test_unknown_fields_are_rejected():
    with pytest.raises(ValidationError):
        Document(text="", colour="blue")


def test_partial_publication_dates():
    assert Document(text="", published="2024-07").published == "2024-07"
    with pytest.raises(ValidationError, match="YYYY"):
        Document(text="", published="July 2024")


def test_parsed_document_round_trips_through_json(seed_docs):
    for doc in seed_docs.values():
        assert Document.model_validate_json(doc.model_dump_json()) == doc


@st.composite
def documents(draw):
    text = draw(st.text(max_size=80))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=6)))
    sentences = []
    for i, (a, b) in enumerate(zip(cuts[::2], cuts[1::2])):
        probability = draw(st.floats(0, 1))
        sentences.append(Sentence(index=i, start=a, end=b, text=text[a:b],
                                  tokens=[Token(start=a, end=b, text=text[a:b])],
                                  label="other", scores={"other": probability, "directive": 1 - probability}))
    entities = [Entity(start=a, end=b, text=text[a:b], label="ORG", score=0.5) for a, b in zip(cuts[1::2], cuts[2::2])]
    return Document(text=text, id=draw(st.none() | st.text(max_size=5)), sentences=sentences, entities=entities)


@settings(max_examples=100)
@given(documents())
def test_any_document_round_trips(doc):
    assert Document.model_validate_json(doc.model_dump_json()) == doc


def test_errors_cross_process_boundaries_with_their_message_and_fields():
    import pickle

    from cds_nlp.errors import DataValidationError, InputTypeError, ModelNotFoundError, TextTooLongError

    for error in (TextTooLongError(12, 10), InputTypeError(b"x"), ModelNotFoundError("/nowhere"),
                  DataValidationError(["a.jsonl:1: bad"])):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and str(copy) == str(error)
    assert pickle.loads(pickle.dumps(TextTooLongError(12, 10))).limit == 10
    assert pickle.loads(pickle.dumps(DataValidationError(["p"]))).problems == ["p"]
