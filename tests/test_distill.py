"""Distillation: stand-off soft labels are validated, and the textcat learns from probability targets."""

import json

import pytest

from cds_nlp import SENTENCE_LABELS
from cds_nlp.errors import DataValidationError
from cds_nlp.language import blank
from cds_nlp.training.data import REPO, text_hash
from cds_nlp.training.distill import (
    SOFT_LABELS,
    load_soft_labels,
    soft_items,
    soft_targets,
)
from cds_nlp.training.textcat import train_textcat

from .conftest import SHARED

TEXT = "Tỉnh đã số hóa 90% hồ sơ. Nhiều xã còn thiếu cán bộ công nghệ thông tin."
FIRST, SECOND = (0, 25), (26, len(TEXT))


def scores(**values: float) -> dict[str, float]:
    return {label: values.get(label, 0.0) for label in SENTENCE_LABELS}


def write(tmp_path, records, texts=None):
    raw = tmp_path / "raw.jsonl"
    raw.write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in (texts or {"a": TEXT}).items()),
                   encoding="utf-8")
    soft = tmp_path / "soft.jsonl"
    soft.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return soft, raw


def record(*sentences, text=TEXT, id="a"):
    return {"id": id, "sha256": text_hash(text), "sentences": list(sentences)}


def test_soft_labels_join_their_texts(tmp_path):
    soft, raw = write(tmp_path, [record({"start": 0, "end": 25, "scores": scores(achievement=0.9, other=0.1)})])
    rows = load_soft_labels(soft, raw)
    assert rows[0]["text"][0:25] == TEXT[:25]
    items = soft_items(blank(), rows)
    assert [doc.text.strip() for doc, _, _ in items] == [TEXT[:25]]
    assert items[0][1]["achievement"] == 0.9


@pytest.mark.parametrize(
    "sentence, message",
    [
        ({"start": 0, "end": 25, "scores": scores(achievement=0.5)}, "sum to 0.5000"),
        ({"start": 0, "end": 25, "scores": {"achievement": 1.0}}, "exactly the labels"),
        ({"start": 0, "end": 25, "scores": scores(achievement=1.5, other=-0.5)}, "in [0, 1]"),
        ({"start": 20, "end": 9999, "scores": scores(other=1.0)}, "out of order or out of range"),
    ],
)
def test_each_problem_is_reported_with_file_and_line(tmp_path, sentence, message):
    soft, raw = write(tmp_path, [record(sentence)])
    with pytest.raises(DataValidationError) as caught:
        load_soft_labels(soft, raw)
    assert "soft.jsonl:1" in str(caught.value) and message in str(caught.value)


def test_a_changed_raw_text_is_refused(tmp_path):
    soft, raw = write(tmp_path, [record({"start": 0, "end": 25, "scores": scores(other=1.0)}, text=TEXT + " ")])
    with pytest.raises(DataValidationError, match="sha256"):
        load_soft_labels(soft, raw)


def test_the_one_hot_check_is_lifted_only_inside_the_context():
    nlp = blank()
    textcat = nlp.add_pipe("textcat")
    from spacy.training import Example

    doc = nlp.make_doc("Tỉnh đã hoàn thành kế hoạch.")
    reference = nlp.make_doc(doc.text)
    reference.cats = scores(achievement=0.7, other=0.3)
    with soft_targets(textcat):
        textcat._validate_categories([Example(doc, reference)])
    with pytest.raises(ValueError):
        textcat._validate_categories([Example(doc, reference)])


def test_soft_targets_pull_the_classifier_toward_the_teacher(tmp_path):
    """Gold says nothing about the pool's sentences; what the model learns about them comes from the teacher."""
    nlp = blank()
    gold_text = "Tham dự hội nghị có lãnh đạo các sở. Tỉnh đạt 100% chỉ tiêu."
    gold_rows = [{"id": "g", "text": gold_text, "sentences": [
        {"start": 0, "end": 36, "label": "other"}, {"start": 37, "end": len(gold_text), "label": "achievement"}]}]
    from cds_nlp.training.examples import sentence_items

    gold = sentence_items(nlp, gold_rows) * 3
    pool_text = "Nhiều xã còn thiếu cán bộ chuyên trách."
    soft_rows = [{"id": "p", "text": pool_text, "sentences": [
        {"start": 0, "end": len(pool_text), "scores": scores(shortcoming=0.8, other=0.2)}]}]
    pool = soft_items(nlp, soft_rows) * 6
    model, _ = train_textcat(gold, gold, list(SENTENCE_LABELS), architecture="bow", max_epochs=6, patience=6, log=None,
                             soft=pool)
    probs = model.get_pipe("textcat").predict([pool[0][0]])[0]
    assert max(zip(probs, model.get_pipe("textcat").labels))[1] == "shortcoming"
@pytest.mark.skipif(not (SHARED / "corpus" / "extra_raw.jsonl").exists(), reason="needs ../shared/corpus")
def test_the_shipped_soft_labels_match_the_pool_texts():
    rows = load_soft_labels(SOFT_LABELS, SHARED / "corpus" / "extra_raw.jsonl")
    assert len(rows) == 450 and sum(len(r["sentences"]) for r in rows) > 4000


def test_the_shipped_model_records_the_label_files_its_classifier_trained_on():
    import cds_nlp

    meta = cds_nlp.load().meta
    docs = meta["training_data"]["textcat_documents"]
    extra = REPO / docs["sentence_only_labels"]
    pooled = sum(1 for line in extra.read_text(encoding="utf-8").splitlines() if line.strip())
    # train split + the sentence-only pool, minus the documents left out as repeats of dev or seed text
    assert docs["train"] == meta["training_data"]["documents"]["train"] + pooled - len(docs["left_out_as_overlapping"])
    assert docs["sentence_only_labels_sha256"] == text_hash(extra.read_text(encoding="utf-8"))  # labels changed: rebuild
