"""Reading labelled data in every supported format, and the Label Studio / Doccano round trips."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cds_nlp.errors import DataValidationError
from cds_nlp.training.formats import (
    from_label_studio,
    from_utf16,
    label_studio_config,
    main,
    to_doccano,
    to_label_studio,
    to_rows,
    to_utf16,
    write_jsonl,
)

from .helpers import make_document

TEXT = "Ông Nguyễn Văn Hùng 👍 đến Hà Giang. UBND tỉnh Hà Giang đã hoàn thành kế hoạch."
ROWS = [("Kinh phí cho chuyển đổi số còn hạn chế.", "shortcoming"), ("Hội nghị diễn ra sáng nay.", "other"),
        ("Tỉnh sẽ lập đề án mới.", "plan")]


@pytest.fixture()
def document():
    doc = make_document(TEXT, [("Nguyễn Văn Hùng", "PERSON"), ("UBND tỉnh Hà Giang", "ORG"), ("Hà Giang", "PROVINCE")],
                        ["other", "achievement"])
    doc.id = "doc1"
    return doc


def spans(record) -> tuple[list, list]:
    return ([(s["start"], s["end"], s["label"]) for s in record["sentences"]],
            [(e["start"], e["end"], e["label"]) for e in record["entities"]])


def as_exported(tasks: list[dict]) -> list[dict]:
    """What Label Studio exports after an annotator accepts the predictions unchanged."""
    exported = []
    for i, task in enumerate(copy.deepcopy(tasks), 1):
        result = task.pop("predictions")[0]["result"]
        exported.append({**task, "id": 100 + i, "annotations": [{"id": i, "result": result, "was_cancelled": False}]})
    return exported


# --------------------------------------------------------------------------- sentence tables


def test_csv_sentence_table_loads_with_bom_quotes_and_an_id_column(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("\ufeffid,text,label\n" + "".join(f'{i},"{t}",{l}\n' for i, (t, l) in enumerate(ROWS)), encoding="utf-8")
    splits, problems = to_rows(path, sentence_labels=["shortcoming", "other", "plan"])
    assert problems == []
    rows = splits["train"]
    assert [r["id"] for r in rows] == ["0", "1", "2"]
    assert rows[0]["sentences"] == [{"start": 0, "end": len(ROWS[0][0]), "label": "shortcoming"}]
    assert rows[0]["entities"] == [] and not rows[0]["has_entities"] and rows[0]["has_sentences"]
    assert rows[2]["origin"] == "labels.csv: row 3"


def test_parquet_sentence_table_loads_and_errors_name_the_row(tmp_path):
    path = tmp_path / "labels.parquet"
    texts = [t for t, _ in ROWS] + ["  "]
    pq.write_table(pa.table({"text": texts, "label": [l for _, l in ROWS] + ["other"]}), path)
    splits, problems = to_rows(path)
    assert [r["text"] for r in splits["train"]] == [ROWS[0][0], ROWS[1][0]]
    assert problems[0].startswith("labels.parquet: row 3: label: unknown label 'plan'")
    assert "--sentence-labels plan" in problems[0]
    assert problems[1] == "labels.parquet: row 4: empty or missing text"


def test_custom_column_names_and_surrounding_whitespace(tmp_path):
    path = write_jsonl([{"sentence": "  Kinh phí còn hạn chế. ", "cls": "shortcoming"}], tmp_path / "t.jsonl")
    splits, problems = to_rows(path, text_column="sentence", label_column="cls")
    assert problems == []
    row = splits["train"][0]
    assert row["text"][slice(row["sentences"][0]["start"], row["sentences"][0]["end"])] == "Kinh phí còn hạn chế."
    assert row["id"] == "t.jsonl:1"


def test_jsonl_that_datasets_cannot_type_is_read_line_by_line(tmp_path):
    path = write_jsonl([{"id": 1, "text": "Kinh phí còn hạn chế.", "label": "shortcoming"},
                        {"id": "b", "text": "Hội nghị diễn ra.", "label": ["other", "x"]}], tmp_path / "mixed.jsonl")
    splits, problems = to_rows(path)
    assert [r["id"] for r in splits["train"]] == ["1"]
    assert problems == ["mixed.jsonl:2: 2 class labels ['other', 'x']; a sentence takes exactly one"]


def test_unsupported_and_missing_files_are_problems(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    assert to_rows(tmp_path / "a.txt")[1] == ["a.txt: unsupported file type '.txt'; use .jsonl, .json, .csv or .parquet"]
    assert to_rows(tmp_path / "nope.jsonl")[1][0].endswith("nope.jsonl: file not found")


# --------------------------------------------------------------------------- Label Studio


def test_label_studio_export_then_import_preserves_spans(document, tmp_path):
    tasks = to_label_studio([document])
    task = tasks[0]
    assert task["data"] == {"text": TEXT, "id": "doc1"}
    result = task["predictions"][0]["result"]
    assert {r["type"] for r in result} == {"labels", "choices"}
    hung = next(r for r in result if r["value"].get("labels") == ["PROVINCE"])
    assert hung["value"]["start"] == document.entities[1].start + 1  # the emoji counts two UTF-16 units

    records = from_label_studio(as_exported(tasks))
    assert records[0]["id"] == "doc1" and records[0]["text"] == TEXT
    expected = spans(document.model_dump())
    assert spans(records[0]) == expected

    path = tmp_path / "export.json"
    path.write_text(json.dumps(as_exported(tasks), ensure_ascii=False), encoding="utf-8")
    splits, problems = to_rows(path)
    assert problems == [] and spans(splits["train"][0]) == expected and splits["train"][0]["has_entities"]


def test_corrections_made_in_label_studio_come_back(document):
    exported = as_exported(to_label_studio([document]))
    result = exported[0]["annotations"][0]["result"]
    next(r for r in result if r["type"] == "choices" and r["id"] == "s1")["value"]["choices"] = ["directive"]
    result[:] = [r for r in result if r["value"].get("labels") != ["PERSON"]]
    record = from_label_studio(exported)[0]
    assert [s["label"] for s in record["sentences"]] == ["other", "directive"]
    assert "PERSON" not in {e["label"] for e in record["entities"]}


def test_unannotated_tasks_are_skipped_unless_predictions_are_wanted(document):
    tasks = to_label_studio([document])
    with pytest.warns(UserWarning, match="1 of 1 tasks have no"):
        assert from_label_studio(tasks) == []
    assert spans(from_label_studio(tasks, use_predictions=True)[0]) == spans(document.model_dump())


def test_a_sentence_region_without_a_function_is_an_error_naming_the_task(document):
    exported = as_exported(to_label_studio([document]))
    exported[0]["annotations"][0]["result"] = [r for r in exported[0]["annotations"][0]["result"]
                                               if not (r["type"] == "choices" and r["id"] == "s0")]
    with pytest.raises(DataValidationError, match=r"task 1: sentence region s0 \[0, 35\) .* has no function chosen"):
        from_label_studio(exported)


def test_a_classification_project_task_is_one_sentence_without_an_entity_layer():
    task = {"id": 7, "data": {"text": "Tỉnh sẽ lập đề án mới."},
            "annotations": [{"result": [{"from_name": "function", "to_name": "text", "type": "choices",
                                         "value": {"choices": ["plan"]}}]}]}
    splits, problems = to_rows([task], sentence_labels=["other", "plan"])
    assert problems == []
    row = splits["train"][0]
    assert row["sentences"] == [{"start": 0, "end": 22, "label": "plan"}] and not row["has_entities"]


def test_label_studio_config_is_xml_with_every_label():
    root = ET.fromstring(label_studio_config(["achievement", "plan"], ["PERSON", "ORG", "PROVINCE", "LOC"]))
    assert [l.get("value") for l in root.find("Labels[@name='entity']")] == ["PERSON", "ORG", "PROVINCE", "LOC"]
    choices = root.find("Choices[@name='function']")
    assert choices.get("perRegion") == "true" and [c.get("value") for c in choices] == ["achievement", "plan"]


def test_the_module_cli_round_trips_files(document, tmp_path):
    parsed = write_jsonl([json.loads(document.model_dump_json()), {"id": "x", "error": "E", "message": "m"}], tmp_path / "parsed.jsonl")
    tasks_path, config = tmp_path / "tasks.json", tmp_path / "config.xml"
    assert main(["to-label-studio", str(parsed), "-o", str(tasks_path), "--config", str(config)]) == 0
    ET.fromstring(config.read_text(encoding="utf-8"))
    export = tmp_path / "export.json"
    export.write_text(json.dumps(as_exported(json.loads(tasks_path.read_text(encoding="utf-8")))), encoding="utf-8")
    assert main(["from-label-studio", str(export), "-o", str(tmp_path / "train.jsonl")]) == 0
    back = [json.loads(line) for line in (tmp_path / "train.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(back) == 1 and spans(back[0]) == spans(document.model_dump())


@given(st.text(alphabet=st.sampled_from(["a", "ệ", "👍", " ", "𝔸"]), max_size=20))
def test_utf16_offsets_round_trip(text):
    for offset in range(len(text) + 1):
        assert from_utf16(text, to_utf16(text, offset)) == offset
    assert to_utf16(text, len(text)) == len(text.encode("utf-16-le")) // 2


# --------------------------------------------------------------------------- Doccano


def test_doccano_round_trip_and_classification_records(document, tmp_path):
    path = write_jsonl(to_doccano([document]), tmp_path / "doccano.jsonl")
    splits, problems = to_rows(path)
    assert problems == [] and spans(splits["train"][0]) == spans(document.model_dump())

    newer = {"text": "Bà Trần Thị Mai phát biểu.", "entities": [{"start_offset": 3, "end_offset": 15, "label": "PERSON"}]}
    classification = {"text": "Kinh phí còn hạn chế.", "label": ["shortcoming"]}
    splits, problems = to_rows([newer, classification, {"text": "x y", "label": [[0, 1, "WHAT"]]}])
    assert [r["entities"] for r in splits["train"]][0] == [{"start": 3, "end": 15, "label": "PERSON"}]
    assert splits["train"][1]["sentences"][0]["label"] == "shortcoming" and not splits["train"][1]["has_entities"]
    assert problems == ["record 3: span [0, 1) label 'WHAT' is neither a sentence label ['achievement', 'directive', 'other', "
                        "'shortcoming'] nor an entity label ['ORG', 'PERSON', 'PROVINCE']; declare it with --sentence-labels "
                        "or --entity-labels"]


def test_a_row_without_any_label_is_a_problem_not_a_silent_skip(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("text,label\nKinh phí còn hạn chế.,shortcoming\nHội nghị diễn ra.,\n", encoding="utf-8")
    splits, problems = to_rows(path)
    assert len(splits["train"]) == 1
    assert problems == ["labels.csv: row 2: no labels: a sentence-table row needs a 'label' value, "
                        "a guidelines record 'sentences' and/or 'entities'"]
