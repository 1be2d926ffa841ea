"""The corpus loader: validation messages name file, line and problem; the real corpus loads cleanly."""

import json

import pytest
from datasets import Dataset

from cds_nlp.errors import DataValidationError
from cds_nlp.training.data import (
    STANDOFF_LABELS,
    SHARED_CORPUS,
    load_corpus,
    load_inline,
    load_sentence_labels,
    load_standoff,
    text_hash,
    overlapping_ids,
)

TEXT = "UBND tỉnh Bình Phước đã hoàn thành kế hoạch. Cần đẩy mạnh hơn nữa."


def good_record(**changes):
    record = {
        "id": "x1",
        "text": TEXT,
        "sentences": [{"start": 0, "end": 44, "label": "achievement"}, {"start": 45, "end": 66, "label": "directive"}],
        "entities": [
            {"start": 0, "end": 20, "label": "ORG", "text": "UBND tỉnh Bình Phước"},
            {"start": 10, "end": 20, "label": "PROVINCE", "text": "Bình Phước"},
        ],
    }
    record.update(changes)
    return record


def write(tmp_path, name, records):
    path = tmp_path / name
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records), encoding="utf-8")
    return path


def test_a_good_record_loads(tmp_path):
    rows, problems = load_inline(write(tmp_path, "a.jsonl", [good_record()]))
    assert problems == [] and rows[0]["entities"][1]["label"] == "PROVINCE"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"text": "  "}, "a.jsonl:2: empty or missing text"),
        ({"sentences": [{"start": 0, "end": 44, "label": "plan"}]}, "unknown label 'plan'"),
        ({"sentences": [{"start": 0, "end": 99, "label": "other"}]}, "outside the text"),
        ({"sentences": [{"start": 0, "end": 44, "label": "other"}, {"start": 40, "end": 66, "label": "other"}]}, "before the previous one ends"),
        ({"entities": [{"start": 0, "end": 3, "label": "ORG", "text": "UBN"}]}, "cuts through a word"),
        ({"entities": [{"start": 10, "end": 20, "label": "PROVINCE", "text": "Bình Phuoc"}]}, "!= text[10:20]"),
        ({"entities": [{"start": 9, "end": 20, "label": "PROVINCE", "text": " Bình Phước"}]}, "surrounding whitespace"),
        ({"entities": [{"start": 10, "end": 20, "label": "LOC", "text": "Bình Phước"}]}, "unknown label 'LOC'"),
    ],
)
def test_each_contract_violation_is_reported_with_file_and_line(tmp_path, changes, message):
    _, problems = load_inline(write(tmp_path, "a.jsonl", [good_record(), good_record(**changes)]))
    assert any(message in p for p in problems), problems
    assert all(p.startswith("a.jsonl:2") for p in problems)


def test_invalid_json_line_is_reported(tmp_path):
    _, problems = load_inline(write(tmp_path, "a.jsonl", ["{not json"]))
    assert problems and problems[0].startswith("a.jsonl:1: invalid JSON")


def test_standoff_labels_join_their_text_and_check_its_hash(tmp_path):
    raw = write(tmp_path, "raw.jsonl", [{"id": "x1", "source": "s", "text": TEXT}])
    record = good_record()
    standoff = {"id": "x1", "sha256": text_hash(TEXT), "sentences": record["sentences"],
                "entities": [{k: e[k] for k in ("start", "end", "label")} for e in record["entities"]]}
    rows, problems = load_standoff(write(tmp_path, "labels.jsonl", [standoff]), raw)
    assert problems == [] and rows[0]["text"] == TEXT
    changed = write(tmp_path, "raw2.jsonl", [{"id": "x1", "text": TEXT + "!"}])
    _, problems = load_standoff(write(tmp_path, "labels.jsonl", [standoff]), changed)
    assert problems == ["labels.jsonl:1: sha256 of the text of 'x1' does not match: the raw text changed"]
    _, problems = load_standoff(write(tmp_path, "labels.jsonl", [{**standoff, "id": "nope"}]), raw)
    assert "not found in raw.jsonl" in problems[0]


def test_load_corpus_raises_every_problem_at_once(tmp_path):
    write(tmp_path, "train.jsonl", [good_record(), good_record(id="x2", text=""), "[1]"])
    with pytest.raises(DataValidationError) as info:
        load_corpus(tmp_path, tmp_path / "none.jsonl")
    assert len(info.value.problems) == 2


def test_split_is_by_document_and_reproducible(tmp_path):
    write(tmp_path, "train.jsonl", [good_record(id=f"d{i}") for i in range(40)])
    first = load_corpus(tmp_path, tmp_path / "none.jsonl", seed=3)
    again = load_corpus(tmp_path, tmp_path / "none.jsonl", seed=3)
    assert first["dev"]["id"] == again["dev"]["id"]
    assert not set(first["train"]["id"]) & set(first["dev"]["id"])
    assert len(first["train"]) + len(first["dev"]) == 40


@pytest.mark.skipif(not (SHARED_CORPUS / "train_raw.jsonl").exists(), reason="needs ../shared/corpus (not on a user's machine)")
def test_the_real_corpus_validates_with_zero_errors_and_covers_every_excerpt():
    corpus = load_corpus()
    ids = set(corpus["train"]["id"]) | set(corpus["dev"]["id"])
    raw_ids = {json.loads(line)["id"] for line in (SHARED_CORPUS / "train_raw.jsonl").open(encoding="utf-8")}
    if STANDOFF_LABELS.exists():
        assert raw_ids <= ids


def test_sentence_only_labels_load_without_entities_and_refuse_entities(tmp_path):
    raw = write(tmp_path, "raw.jsonl", [{"id": "x1", "source": "s", "text": TEXT}])
    record = {"id": "x1", "sha256": text_hash(TEXT), "sentences": good_record()["sentences"]}
    rows = load_sentence_labels(write(tmp_path, "extra.jsonl", [record]), raw)
    assert rows[0]["entities"] == [] and [s["label"] for s in rows[0]["sentences"]] == ["achievement", "directive"]
    with_entities = {**record, "entities": [{"start": 10, "end": 20, "label": "PROVINCE"}]}
    with pytest.raises(DataValidationError, match="must not carry entities"):
        load_sentence_labels(write(tmp_path, "extra.jsonl", [with_entities]), raw)


def test_documents_repeating_a_held_out_sentence_are_left_out():
    long = "Tỉnh đã hoàn thành việc số hoá toàn bộ hồ sơ thủ tục hành chính trong năm qua."
    def doc(id_, *sentences):
        text = " ".join(sentences)
        spans, at = [], 0
        for s in sentences:
            spans.append({"start": at, "end": at + len(s), "label": "other"})
            at += len(s) + 1
        return {"id": id_, "text": text, "sentences": spans}
    train = [doc("a", "Hà Nội.", long), doc("b", "Hà Nội.", "Một câu khác hẳn, đủ dài để được so sánh ở đây.")]
    held_out = Dataset.from_list([doc("d", "Hà Nội.", long.upper().replace(".", "!"))])
    assert overlapping_ids(train, held_out) == ["a"]  # the short heading repeats without leaking anything
