"""`datasets` integration: parsed columns added by `Dataset.map`."""

from __future__ import annotations

import pytest

from cds_nlp.document import Document
from cds_nlp.hf import PARSED_COLUMNS, add_parsed_columns

datasets = pytest.importorskip("datasets")

TEXTS = [
    "UBND tỉnh Lào Cai triển khai Đề án 06. Người dân nộp hồ sơ trực tuyến.",
    None,
    "Sở Thông tin và Truyền thông Hà Nội tổ chức hội nghị chuyển đổi số.",
    "",
    "Đà Nẵng và Thành phố Hồ Chí Minh dẫn đầu chỉ số chuyển đổi số.",
]


@pytest.fixture(scope="module")
def dataset():
    return datasets.Dataset.from_dict({"id": [f"a{i}" for i in range(len(TEXTS))], "text": TEXTS})


def test_parsed_columns_line_up_with_rows(dataset, pipeline):
    parsed = add_parsed_columns(dataset, id_column="id", pipeline=pipeline, num_proc=1, map_batch_size=2)
    assert parsed.column_names == ["id", "text", *PARSED_COLUMNS]
    assert parsed["text"] == TEXTS
    first = Document.model_validate_json(parsed[0]["document"])
    assert (first.id, first.text) == ("a0", TEXTS[0])
    assert parsed[0]["sentence_texts"] == [s.text for s in first.sentences]
    assert len(parsed[0]["sentence_labels"]) == len(first.sentences) == 2
    assert "Lào Cai" in parsed[0]["entity_texts"] and "PROVINCE" in parsed[0]["entity_labels"]
    assert parsed[0]["provinces"] == ["Lào Cai"]
    assert set(parsed[4]["provinces"]) == {"Đà Nẵng", "Hồ Chí Minh"}
    assert parsed[1]["document"] is None and parsed[1]["error"].startswith("InputTypeError")
    assert parsed[3]["error"] is None and parsed[3]["sentence_texts"] == []  # "" is a valid, empty article


def test_workers_give_the_same_columns(dataset, pipeline):
    one = add_parsed_columns(dataset, pipeline=pipeline, num_proc=1, map_batch_size=2)
    two = add_parsed_columns(dataset, num_proc=2, map_batch_size=2)
    for column in ("error", "entity_texts", "provinces", "sentence_texts"):
        assert two[column] == one[column]


def test_refuses_a_missing_or_clashing_column(dataset, pipeline):
    with pytest.raises(ValueError, match="no column 'body'"):
        add_parsed_columns(dataset, "body", pipeline=pipeline)
    with pytest.raises(ValueError, match="already has column"):
        add_parsed_columns(dataset.add_column("provinces", [None] * len(TEXTS)), pipeline=pipeline)
