"""`cds_nlp.train` / `cds-nlp train`: validation before anything is written, fine-tuning, new labels, round trip.

The sentences below were written for these tests (not taken from any corpus). Models are tiny
and trained for few epochs; `tiny_base` is built once a session and shared with the other test files.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
from datasets import Dataset, DatasetDict

import cds_nlp
from cds_nlp.cli import main
from cds_nlp.errors import DataValidationError
from cds_nlp.model_store import read_meta
from cds_nlp.training.formats import write_jsonl
from cds_nlp.training.train import OutputFolderError, check_data, train

SENTENCES = [
    ("UBND tỉnh Lai Châu đã hoàn thành 100% dịch vụ công trực tuyến.", "achievement", [("UBND tỉnh Lai Châu", "ORG"), ("Lai Châu", "PROVINCE")]),
    ("Tỷ lệ hồ sơ trực tuyến của Sở Tư pháp tăng mạnh trong năm nay.", "achievement", [("Sở Tư pháp", "ORG")]),
    ("Ông Nguyễn Văn Hùng cho biết tỉnh đã cấp 50.000 tài khoản định danh.", "achievement", [("Nguyễn Văn Hùng", "PERSON")]),
    ("Hà Giang xếp thứ ba cả nước về chỉ số chuyển đổi số.", "achievement", [("Hà Giang", "PROVINCE")]),
    ("Công an tỉnh đã thu nhận hồ sơ căn cước cho toàn bộ người dân.", "achievement", [("Công an tỉnh", "ORG")]),
    ("Hạ tầng mạng ở vùng sâu vẫn còn thiếu và chậm.", "shortcoming", []),
    ("Nhiều xã chưa có cán bộ chuyên trách về công nghệ thông tin.", "shortcoming", []),
    ("Việc kết nối dữ liệu giữa các sở còn nhiều vướng mắc.", "shortcoming", []),
    ("Tỷ lệ thanh toán trực tuyến ở Cao Bằng còn thấp.", "shortcoming", [("Cao Bằng", "PROVINCE")]),
    ("Kinh phí cho chuyển đổi số còn hạn chế.", "shortcoming", []),
    ("Bà Trần Thị Mai yêu cầu các sở khẩn trương hoàn thiện cơ sở dữ liệu.", "directive", [("Trần Thị Mai", "PERSON")]),
    ("Chủ tịch UBND tỉnh đề nghị Sở Nội vụ đẩy mạnh đào tạo cán bộ.", "directive", [("UBND tỉnh", "ORG"), ("Sở Nội vụ", "ORG")]),
    ("Các địa phương cần phấn đấu hoàn thành mục tiêu trước tháng 12.", "directive", []),
    ("Tỉnh ủy Yên Bái chỉ đạo tiếp tục đẩy mạnh thanh toán không dùng tiền mặt.", "directive", [("Tỉnh ủy Yên Bái", "ORG"), ("Yên Bái", "PROVINCE")]),
    ("Phải bảo đảm an toàn thông tin cho hệ thống.", "directive", []),
    ("Hội nghị diễn ra tại hội trường lớn sáng nay.", "other", []),
    ("Tham dự có ông Lê Quang Minh, Giám đốc Sở Tài chính.", "other", [("Lê Quang Minh", "PERSON"), ("Sở Tài chính", "ORG")]),
    ("Chuyển đổi số là xu thế tất yếu của thời đại.", "other", []),
    ("Ảnh: Quang cảnh buổi làm việc.", "other", []),
    ("Bản tin do phóng viên Hoàng Anh thực hiện.", "other", [("Hoàng Anh", "PERSON")]),
]
PLAN = [
    "Năm tới, tỉnh dự kiến xây dựng trung tâm dữ liệu mới.",
    "Kế hoạch giai đoạn sau sẽ tập trung vào nông nghiệp số.",
    "Sở dự định triển khai nền tảng học trực tuyến vào quý hai.",
    "Tỉnh sẽ lập đề án đô thị thông minh trong năm sau.",
]
FAST = {"textcat_architecture": "bow", "max_epochs": 8, "patience": 8, "log": None}


def record(doc_id: str, items: list[tuple[str, str, list[tuple[str, str]]]]) -> dict:
    """A guidelines-format record: sentences joined by a space, entities found by string."""
    text, sentences, entities = "", [], []
    for sentence, label, found in items:
        text += " " if text else ""
        start = len(text)
        text += sentence
        sentences.append({"start": start, "end": len(text), "label": label})
        for surface, entity_label in found:
            at = start + sentence.index(surface)
            entities.append({"start": at, "end": at + len(surface), "label": entity_label, "text": surface})
    return {"id": doc_id, "text": text, "sentences": sentences, "entities": sorted(entities, key=lambda e: (e["start"], -e["end"]))}


def documents(prefix: str = "d", per_doc: int = 2) -> list[dict]:
    return [record(f"{prefix}{i}", SENTENCES[k:k + per_doc]) for i, k in enumerate(range(0, len(SENTENCES), per_doc))]


def table(pairs: list[tuple[str, str]], prefix: str) -> list[dict]:
    return [{"id": f"{prefix}{i}", "text": text, "label": label} for i, (text, label) in enumerate(pairs)]


@lru_cache(maxsize=None)
def tiny_base(root: Path) -> Path:
    """A blank-started NER + textcat model on the sentences above (dev: the same texts under other ids)."""
    train_file = write_jsonl(documents("d"), root / "base_train.jsonl")
    dev_file = write_jsonl(documents("v"), root / "base_dev.jsonl")
    return train(train_file, root / "tiny_base", blank=True, dev=dev_file, seed=7, **FAST)


@pytest.fixture(scope="session")
def base_model(tmp_path_factory) -> Path:
    return tiny_base(tmp_path_factory.getbasetemp() / "shared")


# --------------------------------------------------------------------------- round trip


def test_blank_training_writes_a_model_folder_that_load_uses(base_model):
    meta = read_meta(base_model)
    assert meta["parent"] is None and meta["name"] == "vi_cds_custom"
    assert meta["labels"] == {"entities": ["PERSON", "ORG", "PROVINCE"],
                              "sentences": ["achievement", "shortcoming", "directive", "other"]}
    assert len(meta["training_data"]["hash"]) == 64 and meta["training_data"]["documents"] == {"train": 10, "dev": 10}
    assert {"ner", "textcat"} <= set(meta["training"]) and "dev" in meta["metrics"]
    assert meta["pipeline"][:2] == ["ner", "cds_provinces"] and meta["disabled"] == ["textcat"]
    assert (base_model / "README.md").read_text(encoding="utf-8").startswith("# vi_cds_custom 0.1.0")

    pipeline = cds_nlp.load(base_model)
    document = pipeline.parse("Kinh phí cho chuyển đổi số còn hạn chế. Hội nghị diễn ra tại Hà Giang.")
    assert document.model == "vi_cds_custom-0.1.0"
    assert [s.label for s in document.sentences] and all(s.label in meta["labels"]["sentences"] for s in document.sentences)
    assert abs(sum(document.sentences[0].scores.values()) - 1) < 1e-6
    assert ("Hà Giang", "PROVINCE") in {(e.text, e.label) for e in document.entities}


# --------------------------------------------------------------------------- fine-tuning


def test_fine_tuning_moves_predictions_toward_contradicting_labels(base_model, tmp_path):
    achievements = [text for text, label, _ in SENTENCES if label == "achievement"]
    relabelled = [(text, "shortcoming") for text in achievements] + [(t, l) for t, l, _ in SENTENCES if l != "achievement"]
    train_file = write_jsonl(table(relabelled, "t"), tmp_path / "relabelled.jsonl")
    dev_file = write_jsonl(table(relabelled, "v"), tmp_path / "relabelled_dev.jsonl")

    out = cds_nlp.train(train_file, tmp_path / "tuned", base=base_model, dev=dev_file, seed=7, **FAST)

    def p_shortcoming(model: Path) -> float:
        pipeline = cds_nlp.load(model)
        return sum(pipeline.parse(t).sentences[0].scores["shortcoming"] for t in achievements) / len(achievements)

    before, after = p_shortcoming(base_model), p_shortcoming(out)
    assert after > before + 0.1, (before, after)
    meta = read_meta(out)
    assert meta["parent"] == "vi_cds_custom-0.1.0" and meta["name"] == "vi_cds_custom_custom"
    assert meta["training"]["components"] == ["textcat"]  # a sentence table has no entity layer
    assert meta["training"]["textcat"]["strategy"] == "fine-tuned from the base model"
    assert "dev_before" in meta["metrics"]


def test_a_new_sentence_label_plan_works_end_to_end_through_the_cli(base_model, tmp_path, capsys):
    pairs = [(text, "plan") for text in PLAN] + [(t, l) for t, l, _ in SENTENCES]
    train_file = write_jsonl(table(pairs, "p"), tmp_path / "plan.jsonl")
    dev_file = write_jsonl(table(pairs, "q"), tmp_path / "plan_dev.jsonl")
    out = tmp_path / "with_plan"

    code = main(["train", str(train_file), "--base", str(base_model), "--dev", str(dev_file), "--sentence-labels", "plan",
                 "-o", str(out), "--max-epochs", "8", "--patience", "8", "--seed", "7"])

    assert code == 0, capsys.readouterr().err
    log = capsys.readouterr().err
    assert "retrained from scratch" in log and "epoch" in log and "dev" in log
    meta = read_meta(out)
    assert meta["labels"]["sentences"] == ["achievement", "shortcoming", "directive", "other", "plan"]
    assert meta["training"]["textcat"]["strategy"].startswith("retrained from scratch with the base labels plus ['plan']")
    document = cds_nlp.load(out).parse(PLAN[0])
    assert document.sentences[0].label == "plan"
    assert set(document.sentences[0].scores) == set(meta["labels"]["sentences"])


def test_training_is_reproducible_with_a_seed(tmp_path):
    pairs = [(t, l) for t, l, _ in SENTENCES]
    data = Dataset.from_list(table(pairs, "r"))
    runs = [train(data, tmp_path / f"run{i}", blank=True, seed=3, **FAST) for i in range(2)]
    texts = [t for t, _ in pairs[:6]]
    scores = [[s.scores for t in texts for s in cds_nlp.load(run).parse(t).sentences] for run in runs]
    assert scores[0] == scores[1]
    assert read_meta(runs[0])["training_data"]["hash"] == read_meta(runs[1])["training_data"]["hash"]


# --------------------------------------------------------------------------- validation: nothing is written


def write_lines(path: Path, records: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records),
                    encoding="utf-8")
    return path


def with_changes(**changes) -> dict:
    good = record("bad", SENTENCES[:2])
    good.update(changes)
    return good


GOOD = record("ok", SENTENCES[2:4])


@pytest.mark.parametrize(
    "bad, message",
    [
        (with_changes(entities=[{"start": 0, "end": 4, "label": "LOC", "text": "UBND"}]),
         "data.jsonl:2: entity 0: unknown label 'LOC'"),
        (with_changes(sentences=[{"start": 0, "end": 62, "label": "plan"}]), "data.jsonl:2: sentence 0: unknown label 'plan'"),
        (with_changes(sentences=[{"start": 0, "end": 999, "label": "other"}]), "data.jsonl:2: sentence 0: span [0, 999) is outside the text"),
        (with_changes(entities=[{"start": 0, "end": 18, "label": "ORG", "text": "UBND tinh Lai Chau"}]),
         "data.jsonl:2: entity 0 text 'UBND tinh Lai Chau' != text[0:18]"),
        (with_changes(text="   "), "data.jsonl:2: empty or missing text"),
        ({**GOOD}, "data.jsonl:2: duplicate id 'ok' (first at data.jsonl:1)"),
        ("{not json", "data.jsonl:2: invalid JSON"),
    ],
    ids=["unknown-entity-label", "unknown-sentence-label", "span-out-of-range", "span-text-mismatch", "empty-text",
         "duplicate-id", "invalid-json"],
)
def test_each_validation_error_names_file_line_and_problem_and_writes_nothing(tmp_path, bad, message):
    data = write_lines(tmp_path / "data.jsonl", [GOOD, bad])
    out = tmp_path / "out"
    with pytest.raises(DataValidationError) as error:
        train(data, out, blank=True, **FAST)
    assert message in str(error.value), str(error.value)
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["data.jsonl"]


def test_unknown_labels_say_how_to_declare_them(tmp_path):
    data = write_lines(tmp_path / "data.jsonl", [GOOD, with_changes(entities=[{"start": 0, "end": 4, "label": "LOC", "text": "UBND"}],
                                                                     sentences=[{"start": 0, "end": 62, "label": "plan"}])])
    with pytest.raises(DataValidationError) as error:
        check_data(data, blank=True)
    problems = error.value.problems
    assert any("entity labels stay PERSON, ORG and PROVINCE" in p and "--entity-labels LOC" in p for p in problems), problems
    assert any("--sentence-labels plan" in p for p in problems), problems
    setup = check_data(data, blank=True, entity_labels=["LOC"], sentence_labels=["plan"])
    assert "LOC" in setup.entity_labels and "plan" in setup.sentence_labels


def test_duplicate_ids_across_train_and_dev_are_an_error(tmp_path):
    train_file = write_lines(tmp_path / "train.jsonl", [GOOD])
    dev_file = write_lines(tmp_path / "dev.jsonl", [GOOD])
    with pytest.raises(DataValidationError, match=r"dev.jsonl:1: duplicate id 'ok' \(first at train.jsonl:1\)"):
        check_data(train_file, dev=dev_file, blank=True)


def test_cli_reports_validation_errors_and_writes_nothing(tmp_path, capsys):
    data = write_lines(tmp_path / "data.jsonl", [GOOD, with_changes(text="")])
    out = tmp_path / "out"
    assert main(["train", str(data), "--blank", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "data.jsonl:2: empty or missing text" in err and "nothing was written" in err
    assert not out.exists()


def test_an_output_folder_that_is_not_a_model_is_never_overwritten(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="not a cds_nlp model folder"):
        train(write_lines(tmp_path / "d.jsonl", [GOOD]), out, blank=True, **FAST)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"


# --------------------------------------------------------------------------- inputs, splits, components


def test_a_dataset_dict_validation_split_becomes_dev_and_tables_train_only_the_textcat():
    pairs = [(t, l) for t, l, _ in SENTENCES]
    data = DatasetDict(train=Dataset.from_list(table(pairs, "a")), validation=Dataset.from_list(table(pairs[:8], "b")))
    setup = check_data(data, blank=True)
    assert len(setup.corpus["train"]) == 20 and len(setup.corpus["dev"]) == 8
    assert setup.components == ["textcat"]
    with pytest.raises(DataValidationError, match="ner: the training data has no entity annotations"):
        check_data(data, blank=True, components=["ner"])


def test_without_dev_data_a_seeded_document_split_is_used(tmp_path):
    data = write_jsonl(documents("s", per_doc=1), tmp_path / "docs.jsonl")
    first, second = (check_data(data, blank=True, seed=5).corpus for _ in range(2))
    assert len(first["train"]) + len(first["dev"]) == 20 and len(first["dev"]) == 3
    assert first["dev"]["id"] == second["dev"]["id"]
    assert not set(first["dev"]["id"]) & set(first["train"]["id"])


def test_cli_check_validates_and_prints_the_plan(tmp_path, capsys):
    data = write_jsonl(documents("c"), tmp_path / "docs.jsonl")
    assert main(["train", str(data), "--blank", "--check"]) == 0
    out = capsys.readouterr().out
    assert "training: ner, textcat" in out and "trained from scratch" in out


def test_mixed_guidelines_and_table_data_puts_both_kinds_in_dev(tmp_path):
    docs = write_jsonl(documents("m", per_doc=1), tmp_path / "docs.jsonl")
    rows = write_jsonl(table([(t, l) for t, l, _ in SENTENCES], "t"), tmp_path / "table.jsonl")
    setup = check_data([docs, rows], blank=True, seed=1)
    dev = setup.corpus["dev"]
    assert any(dev["has_entities"]) and not all(dev["has_entities"])
    assert setup.components == ["ner", "textcat"]
