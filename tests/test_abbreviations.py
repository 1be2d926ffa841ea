"""Abbreviations: the shipped glossary, canonical long forms of ORG names, and grouping keys."""

from __future__ import annotations

import json
import unicodedata
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cds_nlp.abbreviations import canonical_key, expand, glossary, long_form


def test_glossary_is_large_enough_and_every_entry_has_a_source():
    entries = glossary()
    assert len(entries) >= 40
    assert all(e.long and e.source for e in entries)
    abbreviations = {e.abbr for e in entries}
    for required in ("CĐS", "UBND", "HĐND", "MTTQ", "UVTV", "CCCD", "DVCTT", "TTHC", "CSDL", "DTI", "TT&TT", "BCĐ",
                     "TTg", "CNTT", "KT-XH"):
        assert required in abbreviations


def test_glossary_file_ships_inside_the_package():
    raw = resources.files("cds_nlp").joinpath("data", "abbreviations.json").read_text(encoding="utf-8")
    assert len(json.loads(raw)["abbreviations"]) == len(glossary())


@pytest.mark.parametrize(
    ("abbreviation", "expected"),
    [("TT&TT", "Thông tin và Truyền thông"), ("ubnd", "Ủy ban nhân dân"), ("TTg", "Thủ tướng"),
     ("KT-XH", "kinh tế - xã hội"), ("KTXH", "kinh tế - xã hội"), ("XYZ", None)],
)
def test_long_form(abbreviation, expected):
    assert long_form(abbreviation) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("UBND tỉnh Ninh Thuận", "Ủy ban nhân dân tỉnh Ninh Thuận"),
        ("Bộ TT&TT", "Bộ Thông tin và Truyền thông"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("Sở TTTT Lai Châu", "Sở Thông tin và Truyền thông Lai Châu"),
        ("Uỷ ban nhân dân tỉnh Ninh Thuận", "Ủy ban nhân dân tỉnh Ninh Thuận"),
        ("UỶ BAN NHÂN DÂN TỈNH NINH THUẬN", "Ủy ban nhân dân tỉnh Ninh Thuận"),
        ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH LAI CHÂU", "Sở Thông tin và Truyền thông tỉnh Lai Châu"),
        ("Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        ("Ban Chỉ đạo CĐS tỉnh", "Ban Chỉ đạo chuyển đổi số tỉnh"),
        ("BCĐ chuyển đổi số tỉnh", "Ban Chỉ đạo chuyển đổi số tỉnh"),
        ("Ủy ban quốc gia về chuyển đổi số", "Ủy ban Quốc gia về chuyển đổi số"),
        ("UBND TP.HCM", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
        ("Bộ Thông tin và truyền thông", "Bộ Thông tin và Truyền thông"),
        ("Đài PT-TH Bình Phước", "Đài Phát thanh - Truyền hình Bình Phước"),
        ("  HĐND   tỉnh\u00a0Bình Phước ", "Hội đồng nhân dân tỉnh Bình Phước"),
    ],
)
def test_expand_gives_the_canonical_long_form(name, expected):
    assert expand(name) == expected


def test_expand_tolerates_nfd_and_old_tone_placement():
    assert expand(unicodedata.normalize("NFD", "Uỷ ban nhân dân tỉnh Khánh Hoà")) == "Ủy ban nhân dân tỉnh Khánh Hòa"


def test_document_codes_and_ordinary_words_are_left_alone():
    assert expand("Kế hoạch số 275/KH-UBND") == "Kế hoạch số 275/KH-Ủy ban nhân dân"
    assert expand("ai cũng dùng AI") == "ai cũng dùng trí tuệ nhân tạo"
    assert expand("UBNDX") == "UBNDX"


@pytest.mark.parametrize(
    "variants",
    [
        ["UBND tỉnh Ninh Thuận", "Ủy ban nhân dân tỉnh Ninh Thuận", "Uỷ ban nhân dân tỉnh Ninh Thuận",
         "UỶ BAN NHÂN DÂN TỈNH NINH THUẬN", "ủy ban nhân dân tỉnh ninh thuận", "Ubnd tỉnh Ninh Thuận"],
        ["Bộ TT&TT", "Bộ Thông tin và Truyền thông", "Bộ TTTT", "BTTTT", "Bộ Thông tin & Truyền thông"],
        ["Ủy ban Quốc gia về chuyển đổi số", "Ủy ban quốc gia về chuyển đổi số", "Ủy ban Quốc gia về CĐS"],
    ],
)
def test_canonical_key_merges_spelling_variants(variants):
    assert len({canonical_key(v) for v in variants}) == 1


def test_canonical_key_keeps_different_bodies_apart():
    assert canonical_key("UBND tỉnh Lai Châu") != canonical_key("UBND thành phố Lai Châu")
    assert canonical_key("Sở TT&TT") != canonical_key("Bộ TT&TT")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_expand_and_key_never_raise(text):
    assert isinstance(expand(text), str)
    assert isinstance(canonical_key(text), str)


_NAMES = st.lists(st.sampled_from(["UBND", "tỉnh", "Bình Phước", "Sở", "TT&TT", "Bộ", "CĐS", "Ban Chỉ đạo", "HĐND",
                                   "thành phố", "Uỷ ban", "MTTQ", "Việt Nam", "TP.HCM", "Khánh Hoà"]),
                  min_size=1, max_size=6).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(_NAMES)
def test_expansion_is_idempotent(name):
    assert expand(expand(name)) == expand(name)
    assert canonical_key(expand(name)) == canonical_key(name)
