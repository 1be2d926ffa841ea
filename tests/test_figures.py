"""Figures: the seeds' own numbers, tricky sentences, offsets on messy text, and the labelled set."""

from __future__ import annotations

import json
import math
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cds_nlp.figures import Figure, extract_figures, parse_number

ROOT = Path(__file__).resolve().parents[1]
SEEDS = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))}
GOLD = ROOT / "tests" / "data" / "figures_gold.jsonl"


def find(figures: list[Figure], surface: str, nth: int = 0) -> Figure:
    hits = [f for f in figures if f.text == surface]
    assert len(hits) > nth, f"{surface!r} not among {[f.text for f in figures]}"
    return hits[nth]


@pytest.fixture(scope="module")
def seed_figures() -> dict[str, list[Figure]]:
    return {name: extract_figures(text) for name, text in SEEDS.items()}


# ---------------------------------------------------------------- the seeds' figures


@pytest.mark.parametrize(
    ("seed", "surface", "value", "kind", "unit"),
    [
        ("000", "42%", 42, "percent", "%"),
        ("000", "22,4%", 22.4, "percent", "%"),
        ("000", "18,3%", 18.3, "percent", "%"),
        ("000", "15/63 địa phương", 15 / 63, "ratio", "địa phương"),
        ("000", "1.928.311 tỷ đồng", 1_928_311e9, "money", "đồng"),
        ("001", "43/229 nhiệm vụ", 43 / 229, "ratio", "nhiệm vụ"),
        ("001", "15/63 địa phương", 15 / 63, "ratio", "địa phương"),
        ("001", "86,3 triệu công dân", 86_300_000, "count", "công dân"),
        ("001", "3,8 triệu thuê bao", 3_800_000, "count", "thuê bao"),
        ("001", "687.000 hộ gia đình", 687_000, "count", "hộ gia đình"),
        ("001", "đứng thứ 8", 8, "rank", None),
        ("003", "457.249 máy tính", 457_249, "count", "máy tính"),
        ("003", "10,41%", 10.41, "percent", "%"),
        ("004", "xếp thứ 12", 12, "rank", None),
    ],
)
def test_seed_figure_value_kind_and_unit(seed_figures, seed, surface, value, kind, unit):
    figure = find(seed_figures[seed], surface)
    assert math.isclose(figure.value, value, rel_tol=1e-9)
    assert (figure.kind, figure.unit) == (kind, unit)
    assert SEEDS[seed][figure.start:figure.end] == surface


def test_ratio_keeps_numerator_and_denominator(seed_figures):
    figure = find(seed_figures["001"], "43/229 nhiệm vụ")
    assert (figure.numerator, figure.denominator) == (43, 229)


def test_indicator_and_scope_of_a_rate(seed_figures):
    figure = find(seed_figures["000"], "42%")
    assert figure.indicator == "tỷ lệ hồ sơ trực tuyến toàn trình"
    assert figure.scope == "cả nước"


def test_elliptical_list_inherits_the_indicator_with_its_own_scope(seed_figures):
    figures = seed_figures["001"]
    assert find(figures, "42%").indicator == "tỉ lệ hồ sơ trực tuyến toàn trình"
    ministries, localities = find(figures, "61%"), find(figures, "17%")
    assert (ministries.scope, localities.scope) == ("bộ, ngành", "địa phương")
    assert ministries.indicator == localities.indicator == "tỉ lệ hồ sơ trực tuyến toàn trình"


def test_change_in_brackets_belongs_to_the_figure_before(seed_figures):
    figures = seed_figures["001"]
    figure = find(figures, "82,2%")
    assert figure.change is not None
    assert (figure.change.direction, figure.change.value, figure.change.unit) == ("increase", 2.6, "%")
    assert figure.change.reference == "cuối năm 2023"
    assert SEEDS["001"][figure.change.start:figure.change.end] == figure.change.text == "tăng 2,6% so với cuối năm 2023"
    assert "2,6%" not in [f.text for f in figures]
    ratio = find(figures, "63/63 địa phương")
    assert (ratio.change.value, ratio.change.unit) == (14, "địa phương")


def test_growth_after_money_is_its_change(seed_figures):
    figure = find(seed_figures["000"], "1.928.311 tỷ đồng")
    assert figure.indicator == "Doanh thu lĩnh vực công nghệ thông tin"
    assert (figure.change.value, figure.change.reference) == (26, "cùng kỳ năm 2023")


def test_rank_moves_in_steps(seed_figures):
    figure = find(seed_figures["001"], "đứng thứ 8")
    assert figure.scope == "toàn cầu"
    assert (figure.change.direction, figure.change.value, figure.change.unit) == ("increase", 1, "bậc")


def test_dates_years_and_document_numbers_in_the_seeds_are_not_figures(seed_figures):
    surfaces = {f.text for figures in seed_figures.values() for f in figures}
    for not_a_figure in ("10/7", "2024", "06", "20/7/2024", "6 tháng", "983/QĐ-UBND", "04/8/2022", "2021", "12/7"):
        assert not any(s.startswith(not_a_figure) for s in surfaces), not_a_figure


# ---------------------------------------------------------------- own tricky sentences


@pytest.mark.parametrize(
    ("token", "value"),
    [("1.928.311", 1928311), ("22,4", 22.4), ("0,6321", 0.6321), ("1.234,5", 1234.5), ("10,097,675", 10097675),
     ("82.5", 82.5), ("12.07.2023", None), ("0213.3791.558", None)],
)
def test_numbers_read_the_vietnamese_way(token, value):
    assert parse_number(token) == value


def test_scale_words_and_currencies():
    text = "Tổng vốn đạt 3,5 nghìn tỷ đồng; dự án B cần 2.150 tỷ đồng và 12,5 triệu USD; có 450 ngàn lượt tải."
    figures = extract_figures(text)
    assert [(f.text, f.value, f.kind, f.unit) for f in figures] == [
        ("3,5 nghìn tỷ đồng", 3.5e12, "money", "đồng"),
        ("2.150 tỷ đồng", 2.15e12, "money", "đồng"),
        ("12,5 triệu USD", 12.5e6, "money", "USD"),
        ("450 ngàn lượt tải", 450_000, "count", "lượt tải"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Theo Kế hoạch số 275/KH-UBND và Nghị quyết 57-NQ/TW, tỉnh triển khai Đề án 06.",
        "Nghị định 45/2020/NĐ-CP quy định tại Điều 5, khoản 2 về thủ tục.",
        "Chiều 10/7, hội nghị diễn ra; hạn chót là ngày 20/7/2024 lúc 16:49.",
        "Giai đoạn 2021-2025, định hướng đến năm 2030, nhiệm vụ đến tháng 6-2024.",
        "1. Nội dung thứ nhất\n2) Nội dung thứ hai\n3. Phiên họp thứ 3 tại tầng 7.",
        "Trong 6 tháng đầu năm và sau hơn 20 năm, người từ 15 tuổi trở lên.",
        "Điện thoại: 0213.3791.558 - Email: banbientap@laichau.gov.vn - IPv6 và mạng 5G.",
        "Đang truy cập992 Hôm nay321,595",
    ],
)
def test_not_figures(text):
    assert extract_figures(text) == []


def test_a_day_month_looking_ratio_is_a_ratio_when_something_is_counted():
    figures = extract_figures("Tỉnh đã hoàn thành 3/5 nhiệm vụ trước ngày 3/5; có 8/10 sở, ngành kết nối.")
    assert [(f.text, f.kind, f.unit) for f in figures] == [
        ("3/5 nhiệm vụ", "ratio", "nhiệm vụ"), ("8/10 sở, ngành", "ratio", "sở, ngành")]


def test_ratio_written_with_tren():
    (figure,) = extract_figures("Theo báo cáo, 15 trên 20 chỉ tiêu đã hoàn thành.")
    assert (figure.text, figure.value, figure.numerator, figure.denominator) == ("15 trên 20 chỉ tiêu", 0.75, 15, 20)


@pytest.mark.parametrize(
    ("text", "surface", "value", "denominator"),
    [
        ("Tỉnh Bình Định xếp thứ 5 về chuyển đổi số.", "xếp thứ 5", 5, None),
        ("Thành phố đứng thứ 2/63 về chỉ số cải cách hành chính.", "đứng thứ 2/63", 2, 63),
        ("Đơn vị lọt top 10 địa phương dẫn đầu.", "top 10", 10, None),
        ("Việt Nam xếp hạng thứ 7 toàn cầu về lượt tải ứng dụng.", "xếp hạng thứ 7", 7, None),
    ],
)
def test_ranks(text, surface, value, denominator):
    (figure,) = extract_figures(text)
    assert (figure.text, figure.kind, figure.value, figure.denominator) == (surface, "rank", value, denominator)


def test_rank_indicator_and_province_scope():
    (figure,) = extract_figures("Năm 2023, tỉnh Bình Phước xếp thứ 12 về chuyển đổi số cấp tỉnh.")
    assert figure.indicator == "chuyển đổi số cấp tỉnh"
    assert figure.scope == "Bình Phước"


def test_decrease_and_percentage_points():
    text = "Tỷ lệ người dân có tài khoản thanh toán ước đạt 87,5 %, giảm 2,1 điểm phần trăm so với năm 2023."
    (figure,) = extract_figures(text)
    assert (figure.text, figure.value, figure.indicator) == ("87,5 %", 87.5, "Tỷ lệ người dân có tài khoản thanh toán")
    assert (figure.change.direction, figure.change.value, figure.change.unit, figure.change.reference) == (
        "decrease", 2.1, "điểm phần trăm", "năm 2023")


def test_a_growth_rate_is_a_figure_carrying_its_own_change():
    figures = extract_figures("Giao dịch không dùng tiền mặt tăng 76% về số lượng và 30,6% về giá trị so với cùng kỳ 2021.")
    assert [f.text for f in figures] == ["76%", "30,6%"]
    assert all(f.change.direction == "increase" and f.change.reference == "cùng kỳ 2021" for f in figures)
    assert [f.change.value for f in figures] == [76, 30.6]
    assert figures[1].indicator == "Giao dịch không dùng tiền mặt"


def test_multiword_counted_nouns():
    text = ("Có 4.512 hộ kinh doanh, 126 trạm BTS, 37 cơ sở dữ liệu, 2,4 tỷ bản ghi, 9 huyện, thị xã, thành phố "
            "và 1.024 thủ tục hành chính.")
    units = [f.unit for f in extract_figures(text)]
    assert units == ["hộ kinh doanh", "trạm BTS", "cơ sở dữ liệu", "bản ghi", "huyện, thị xã, thành phố", "thủ tục hành chính"]


def test_indicator_after_the_number_when_nothing_precedes():
    (figure,) = extract_figures("Phấn đấu 100% hồ sơ giải quyết thủ tục hành chính được gắn định danh cá nhân.")
    assert figure.indicator == "hồ sơ giải quyết thủ tục hành chính được gắn định danh cá nhân"


# ---------------------------------------------------------------- offsets on messy text


def test_offsets_index_nfd_old_tone_and_nbsp_text_as_given():
    text = unicodedata.normalize("NFD", "Tỉ lệ hộ được hoà mạng đạt\u00a091,5% và có  1.200\u00a0hộ gia đình.")
    figures = extract_figures(text)
    assert [f.text for f in figures] == [text[f.start:f.end] for f in figures]
    assert [unicodedata.normalize("NFC", f.text) for f in figures] == ["91,5%", "1.200\u00a0hộ gia đình"]
    assert figures[0].indicator == "Tỉ lệ hộ được hòa mạng"
    assert figures[1].unit == "hộ gia đình"


def test_start_and_end_scan_a_window_but_offsets_stay_global():
    text = "Đoạn một đạt 10%. Đoạn hai đạt 20%. Đoạn ba đạt 30%."
    window_start = text.index("Đoạn hai")
    (figure,) = extract_figures(text, window_start, text.index("Đoạn ba"))
    assert (figure.text, figure.start) == ("20%", text.index("20%"))


def test_empty_and_out_of_range_windows():
    assert extract_figures("") == []
    assert extract_figures("đạt 42%", 5, 2) == []
    assert [f.text for f in extract_figures("đạt 42%", -3, 99)] == ["42%"]


_ALPHABET = st.sampled_from(list("0123456789.,/%-:() ") + ["\u00a0", "\u0301", "\u0300", "\n", "tỷ", " triệu", " đồng",
                                                          " nhiệm vụ", "đạt ", "tăng ", " so với năm 2023", "xếp thứ ",
                                                          "ngày ", "Đề án ", "hoà", "Uỷ", "a", "Đ", "số "])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join), st.integers(-5, 60), st.one_of(st.none(), st.integers(-5, 60)))
def test_offsets_always_slice_back_and_extraction_never_raises(text, start, end):
    for figure in extract_figures(text, start, end):
        assert text[figure.start:figure.end] == figure.text
        assert figure.start < figure.end
        if figure.change is not None:
            assert text[figure.change.start:figure.change.end] == figure.change.text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_unicode_text(text):
    for figure in extract_figures(text):
        assert text[figure.start:figure.end] == figure.text


# ---------------------------------------------------------------- the labelled set


def _gold_rows() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]


def test_gold_file_is_consistent():
    rows = _gold_rows()
    assert sum(1 for r in rows if r["source"] == "own") >= 40
    for row in rows:
        text = row["text"] if "text" in row else (ROOT / row["source"]).read_text(encoding="utf-8")
        for figure in row["figures"]:
            assert text[figure["start"]:figure["end"]] == figure["text"], row["id"]
            assert figure["kind"] in ("percent", "ratio", "count", "money", "rank")


def test_span_and_value_f1_on_the_labelled_set_does_not_regress():
    tp = n_gold = n_pred = 0
    for row in _gold_rows():
        text = row["text"] if "text" in row else (ROOT / row["source"]).read_text(encoding="utf-8")
        predicted = {(f.start, f.end, round(f.value, 6)) for f in extract_figures(text)}
        gold = {(g["start"], g["end"], round(g["value"], 6)) for g in row["figures"]}
        tp += len(predicted & gold)
        n_gold += len(gold)
        n_pred += len(predicted)
    precision, recall = tp / n_pred, tp / n_gold
    assert 2 * precision * recall / (precision + recall) >= 0.95
