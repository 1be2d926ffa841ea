"""Entities a reader sees in the seeds and in our own sentences, with the shipped model."""

import socket

import pytest

import cds_nlp
from cds_nlp.model_store import default_model_path


def spans(doc, label=None):
    return {(e.text, e.label) for e in doc.entities if label is None or e.label == label}


def test_the_shipped_model_loads_from_models_with_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    path = default_model_path()
    assert path is not None and (path / "meta.json").is_file()
    pipeline = cds_nlp.load(path)
    assert "ner" in pipeline.nlp.pipe_names and "cds_sentence_labels" in pipeline.nlp.pipe_names
    assert pipeline.parse("Thủ tướng Phạm Minh Chính làm việc tại Hà Nội.").entities


def test_seed_people_organisations_and_provinces(seed_docs):
    doc = seed_docs["000_6485a217fb6c1846"]
    found = spans(doc)
    for expected in [("Phạm Minh Chính", "PERSON"), ("Trần Quốc Nam", "PERSON"), ("Lê Văn Bình", "PERSON"),
                     ("Chính phủ", "ORG"), ("Tỉnh ủy", "ORG"), ("UBND tỉnh", "ORG"), ("Ninh Thuận", "PROVINCE")]:
        assert expected in found, expected


def test_people_carry_their_titles_and_bodies(seed_docs):
    people = {p.name: p for p in seed_docs["000_6485a217fb6c1846"].people}
    nam = people["Trần Quốc Nam"]
    assert "Phó Bí thư Tỉnh ủy" in nam.titles and "Chủ tịch UBND tỉnh" in nam.titles
    assert "Tỉnh ủy" in nam.bodies
    chinh = people["Phạm Minh Chính"]
    assert "Thủ tướng Chính phủ" in chinh.titles
    assert "Chính phủ" in chinh.bodies


def test_province_nested_in_an_organisation(pipeline):
    text = "Sáng nay, UBND tỉnh Bình Phước tổ chức hội nghị triển khai Đề án 06."
    doc = pipeline.parse(text)
    assert ("UBND tỉnh Bình Phước", "ORG") in spans(doc)
    province = next(e for e in doc.entities if e.label == "PROVINCE")
    assert (province.text, text[province.start:province.end]) == ("Bình Phước", "Bình Phước")
    assert province.province.code == "70" and province.province.merged_into_name == "Đồng Nai"


def test_linking_through_spelling_variants(pipeline):
    text = "Đoàn công tác làm việc tại Thừa Thiên - Huế, TP.HCM và tỉnh Đăk Lăk."
    doc = pipeline.parse(text)
    codes = {e.text: e.province.code for e in doc.entities if e.label == "PROVINCE"}
    assert codes == {"Thừa Thiên - Huế": "46", "TP.HCM": "79", "Đăk Lăk": "66"}
    assert [p.province.code for p in doc.provinces] == ["46", "79", "66"]


@pytest.mark.parametrize(
    "text, person, not_province",
    [
        ("Ông Nguyễn Hà Nam, Giám đốc Sở Tài chính, phát biểu tại hội nghị.", "Nguyễn Hà Nam", "Hà Nam"),
        ("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh là nhiệm vụ thường xuyên.", None, "Hồ Chí Minh"),
    ],
)
def test_a_name_that_is_also_a_province_is_resolved_by_context(pipeline, text, person, not_province):
    doc = pipeline.parse(text)
    assert (not_province, "PROVINCE") not in spans(doc)
    if person:
        assert (person, "PERSON") in spans(doc)


def test_the_province_named_hà_nam_is_still_found(pipeline):
    doc = pipeline.parse("Tỉnh Hà Nam đứng thứ 10 về chỉ số chuyển đổi số năm 2023.")
    assert ("Hà Nam", "PROVINCE") in spans(doc)


def test_the_city_named_after_hồ_chí_minh(pipeline):
    doc = pipeline.parse("Thành phố Hồ Chí Minh dẫn đầu cả nước về kinh tế số.")
    assert ("Thành phố Hồ Chí Minh", "PROVINCE") in spans(doc)


def test_entity_offsets_index_the_original_text_even_with_nfd_and_old_tones(pipeline):
    import unicodedata

    text = unicodedata.normalize("NFD", "Uỷ ban nhân dân tỉnh Khánh Hoà làm việc với Bộ Công an.")
    doc = pipeline.parse(text)
    for e in doc.entities:
        assert text[e.start:e.end] == e.text
    assert any(e.label == "PROVINCE" and e.province.name == "Khánh Hòa" for e in doc.entities)
