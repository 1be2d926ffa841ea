"""Dates: publication, events resolved against a reference, periods and deadlines, on the seeds and own sentences."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cds_nlp.dates import DateMention, extract_dates, publication_date

ROOT = Path(__file__).resolve().parents[1]
SEEDS = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))}


def mention(mentions: list[DateMention], surface: str) -> DateMention:
    hits = [m for m in mentions if m.text == surface]
    assert hits, f"{surface!r} not among {[m.text for m in mentions]}"
    return hits[0]


# ---------------------------------------------------------------- publication


@pytest.mark.parametrize(("seed", "expected"), [("001", "2024-07"), ("004", "2023-07-12"), ("000", None)])
def test_publication_date_from_crawler_prefix_or_dateline(seed, expected):
    assert publication_date(SEEDS[seed]) == expected


def test_publication_mentions_keep_their_spans():
    prefix = mention(extract_dates(SEEDS["001"]), "date 2024-07")
    assert (prefix.kind, prefix.date) == ("publication", "2024-07")
    dateline = mention(extract_dates(SEEDS["004"]), "Thứ tư - 12/07/2023 16:49")
    assert (dateline.kind, dateline.date) == ("publication", "2023-07-12")


def test_other_datelines():
    assert publication_date("Cập nhật: 05/03/2024 08:15\nNội dung") == "2024-03-05"
    assert publication_date("Tiêu đề\n14/11/2023 10:20 GMT+7\nNội dung") == "2023-11-14"
    assert publication_date("Không có ngày đăng.") is None


# ---------------------------------------------------------------- events and year resolution


def test_seed_event_without_year_is_resolved():
    # seed 000 has no publication date: the year comes from the year it cites most (2024)
    event = mention(extract_dates(SEEDS["000"]), "Chiều 10/7")
    assert (event.kind, event.date) == ("event", "2024-07-10")
    explicit = mention(extract_dates(SEEDS["000"], reference="2024-07-11"), "Chiều 10/7")
    assert explicit.date == "2024-07-10"


def test_seed_events_with_a_dateline_and_in_brackets():
    assert mention(extract_dates(SEEDS["004"]), "Ngày 12/7").date == "2023-07-12"
    event = next(m for m in extract_dates(SEEDS["003"]) if "(08/8)" in m.text)
    assert (event.kind, event.date) == ("event", "2022-08-08")


@pytest.mark.parametrize(
    ("text", "reference", "surface", "expected"),
    [
        ("Chiều 28/12, Sở tổ chức hội nghị.", "2024-01-05", "Chiều 28/12", "2023-12-28"),  # last year, not the future
        ("Sáng 5/8, đoàn công tác làm việc.", "2024-08", "Sáng 5/8", "2024-08-05"),
        ("Ngày 20/7 tới, tỉnh sẽ tổ chức hội nghị.", "2024-07-15", "Ngày 20/7", "2024-07-20"),
        ("Ngày 10/1 tới, tỉnh sẽ ra mắt ứng dụng.", "2023-12-20", "Ngày 10/1", "2024-01-10"),  # ahead: next year
        ("ngày 31/12/2025, UBND ban hành kế hoạch", None, "ngày 31/12/2025", "2025-12-31"),
        ("Ngày 12 tháng 7 năm 2023, hội nghị diễn ra.", None, "Ngày 12 tháng 7 năm 2023", "2023-07-12"),
    ],
)
def test_event_year_resolution(text, reference, surface, expected):
    event = mention(extract_dates(text, reference=reference), surface)
    assert (event.kind, event.date) == ("event", expected)


def test_without_any_year_the_date_stays_unknown():
    (event,) = extract_dates("Chiều 10/7, hội nghị diễn ra.")
    assert (event.text, event.date) == ("Chiều 10/7", None)


# ---------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("text", "surface", "first", "last"),
    [
        ("Kết quả 6 tháng đầu năm 2024 rất khả quan.", "6 tháng đầu năm 2024", "2024-01-01", "2024-06-30"),
        ("Nhiệm vụ 6 tháng cuối năm 2022 được giao.", "6 tháng cuối năm 2022", "2022-07-01", "2022-12-31"),
        ("Kết quả 9 tháng năm 2024 được báo cáo.", "9 tháng năm 2024", "2024-01-01", "2024-09-30"),
        ("Trong năm 2023, tỉnh triển khai.", "năm 2023", "2023-01-01", "2023-12-31"),
        ("Kế hoạch quý I/2024 đã xong.", "quý I/2024", "2024-01-01", "2024-03-31"),
        ("Kết quả quý 3 năm 2023 tốt.", "quý 3 năm 2023", "2023-07-01", "2023-09-30"),
        ("Chương trình giai đoạn 2021-2025 đã duyệt.", "giai đoạn 2021-2025", "2021-01-01", "2025-12-31"),
        ("Chương trình giai đoạn 2021 - 2025 đã duyệt.", "giai đoạn 2021 - 2025", "2021-01-01", "2025-12-31"),
        ("Số liệu tháng 6/2022 cho thấy.", "tháng 6/2022", "2022-06-01", "2022-06-30"),
        ("Từ ngày 1/7 đến ngày 31/12/2024 tỉnh triển khai.", "Từ ngày 1/7 đến ngày 31/12/2024", "2024-07-01", "2024-12-31"),
    ],
)
def test_periods(text, surface, first, last):
    period = mention(extract_dates(text), surface)
    assert (period.kind, period.date, period.end_date) == ("period", first, last)


def test_period_without_year_takes_the_reference_year():
    period = mention(extract_dates("Trong 6 tháng đầu năm, tỉnh đạt nhiều kết quả.", reference="2024-07"),
                     "6 tháng đầu năm")
    assert (period.date, period.end_date) == ("2024-01-01", "2024-06-30")


def test_seed_periods():
    mentions = extract_dates(SEEDS["001"])
    period = mention(mentions, "6 tháng đầu năm 2024")
    assert (period.date, period.end_date) == ("2024-01-01", "2024-06-30")
    assert mention(mentions, "giai đoạn 2023-2024").end_date == "2024-12-31"


# ---------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("Khẩn trương ban hành Kế hoạch trước ngày 20/7/2024.", "trước ngày 20/7/2024", "2024-07-20"),
        ("Các sở báo cáo trước 30/6.", "trước 30/6", "2025-06-30"),  # 30/6/2024 is already past on 2024-07-15
        ("Gửi báo cáo chậm nhất ngày 15 tháng 9 năm 2024.", "chậm nhất ngày 15 tháng 9 năm 2024", "2024-09-15"),
        ("Yêu cầu hoàn thành trong tháng 8/2024.", "hoàn thành trong tháng 8/2024", "2024-08"),
        ("Hạn chót là ngày 5/8 để nộp hồ sơ.", "Hạn chót là ngày 5/8", "2024-08-05"),
        ("Phấn đấu đến năm 2025, 100% hồ sơ được số hóa.", "đến năm 2025", "2025"),
        ("Tập trung 17 nhiệm vụ từ nay đến tháng 6-2024.", "đến tháng 6-2024", "2024-06"),
    ],
)
def test_deadlines(text, surface, expected):
    deadline = mention(extract_dates(text, reference="2024-07-15"), surface)
    assert (deadline.kind, deadline.date) == ("deadline", expected)


def test_seed_deadline():
    deadline = mention(extract_dates(SEEDS["001"]), "trước ngày 20/7/2024")
    assert (deadline.kind, deadline.date) == ("deadline", "2024-07-20")


# ---------------------------------------------------------------- not dates


def test_ratios_document_numbers_and_times_are_not_dates():
    text = ("Có 15/63 địa phương và 3/5 nhiệm vụ; Nghị định 45/2020/NĐ-CP, Kế hoạch số 275/KH-UBND, "
            "Nghị quyết 57-NQ/TW; lúc 16:49; đạt 1.928.311 tỷ đồng.")
    assert extract_dates(text, reference="2024-07") == []


# ---------------------------------------------------------------- offsets


def test_offsets_on_nfd_and_nbsp_text():
    text = unicodedata.normalize("NFD", "Chiều\u00a010/7, hoà mạng; hoàn thành trước  ngày 20/7/2024.")
    mentions = extract_dates(text, reference="2024-07")
    assert all(text[m.start:m.end] == m.text for m in mentions)
    assert [m.kind for m in mentions] == ["event", "deadline"]
    assert [m.date for m in mentions] == ["2024-07-10", "2024-07-20"]


def test_window_offsets_stay_global():
    text = "Chiều 10/7 họp. Sáng 12/7 họp tiếp. Chiều 15/7 bế mạc."
    (event,) = extract_dates(text, text.index("Sáng"), text.index("Chiều 15"), reference="2024-07-20")
    assert (event.text, event.start, event.date) == ("Sáng 12/7", text.index("Sáng"), "2024-07-12")


_PIECES = st.sampled_from(list("0123456789/.-: ()") + ["\u00a0", "\u0301", "\n", "ngày ", "Chiều ", "trước ", "tháng ",
                                                     "năm ", "quý ", "IV", "giai đoạn ", " date ", "Thứ tư - ",
                                                     "6 tháng đầu năm", "đến ", "tới", "hoà", "a"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join), st.integers(-3, 50), st.one_of(st.none(), st.integers(-3, 50)),
       st.sampled_from([None, "2024", "2024-02", "2024-02-29", "bad"]))
def test_dates_never_raise_and_spans_slice_back(text, start, end, reference):
    for m in extract_dates(text, start, end, reference=reference):
        assert text[m.start:m.end] == m.text
        assert m.kind in ("publication", "event", "period", "deadline")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_any_unicode_text(text):
    for m in extract_dates(text):
        assert text[m.start:m.end] == m.text
    publication_date(text)
