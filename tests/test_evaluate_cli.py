"""`cds-nlp evaluate MODEL DATA`: per-label P/R/F1 (strict, lenient), sentence macro-F1, confusion matrix."""

from __future__ import annotations

import csv

import pytest

from cds_nlp.cli import main
from cds_nlp.errors import DataValidationError
from cds_nlp.training.evaluate import EvaluationReport
from cds_nlp.training.formats import write_jsonl
from cds_nlp.training.train import evaluate_data

from .test_train import SENTENCES, documents, tiny_base


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return tiny_base(tmp_path_factory.getbasetemp() / "shared")


@pytest.fixture()
def gold(tmp_path):
    return write_jsonl(documents("g"), tmp_path / "gold.jsonl")


def test_human_readable_report_has_per_label_scores_and_a_confusion_matrix(model, gold, capsys):
    assert main(["evaluate", str(model), str(gold)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("== vi_cds_custom-0.1.0 on ") and "(10 documents)" in out
    for label in ("PERSON", "ORG", "PROVINCE", "micro", "lenF1"):
        assert label in out
    assert "sentence labels: macro-F1" in out and "confusion (rows gold, columns predicted)" in out


def test_json_report_validates_against_the_report_model(model, gold, capsys):
    assert main(["evaluate", str(model), str(gold), "--json"]) == 0
    report = EvaluationReport.model_validate_json(capsys.readouterr().out)
    assert report.documents == 10
    assert set(report.entities.strict) == set(report.entities.lenient) == {"PERSON", "ORG", "PROVINCE", "micro"}
    assert report.entities.strict["PERSON"].support == 4
    assert set(report.sentences.per_label) == {"achievement", "shortcoming", "directive", "other"}
    assert sum(sum(row.values()) for row in report.sentences.confusion.values()) == 20


def test_a_sentence_table_scores_sentences_but_not_entities(model, tmp_path):
    path = tmp_path / "table.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows((text, label) for text, label, _ in SENTENCES)
    report = evaluate_data(model, [path])
    assert report.sentences is not None and sum(p.support for p in report.sentences.per_label.values()) == 20
    assert report.entities.strict["micro"].support == 0 and report.entities.strict["micro"].predicted == 0


def test_invalid_data_and_missing_models_exit_2_with_the_reason(model, tmp_path, capsys):
    bad = write_jsonl([{"id": "a", "text": "Hội nghị.", "label": "plan"}], tmp_path / "bad.jsonl")
    assert main(["evaluate", str(model), str(bad)]) == 2
    assert "bad.jsonl:1: label: unknown label 'plan'" in capsys.readouterr().err
    assert main(["evaluate", str(tmp_path / "no_model"), str(bad)]) == 2
    assert "no cds_nlp model at" in capsys.readouterr().err
    report = evaluate_data(model, bad, sentence_labels=["plan"])
    assert report.sentences.per_label["plan"].support == 1 and report.sentences.per_label["plan"].recall == 0.0
    with pytest.raises(DataValidationError):
        evaluate_data(model, bad)
