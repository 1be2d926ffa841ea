import pytest

from cds_nlp.sentences import split_sentences


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Tỉnh đạt 22,4%. Doanh thu đạt 1.928.311 tỷ đồng.", ["Tỉnh đạt 22,4%.", "Doanh thu đạt 1.928.311 tỷ đồng."]),
        ("Hội nghị tại TP.HCM chiều 10/7. Tham dự có PGS.TS. Nguyễn Văn A.", ["Hội nghị tại TP.HCM chiều 10/7.", "Tham dự có PGS.TS. Nguyễn Văn A."]),
        ("Làm việc tại Tp. Hồ Chí Minh hôm qua.", ["Làm việc tại Tp. Hồ Chí Minh hôm qua."]),
        ("Tiêu đề không có dấu chấm\n\nĐoạn văn thứ nhất. Đoạn văn thứ hai!", ["Tiêu đề không có dấu chấm", "Đoạn văn thứ nhất.", "Đoạn văn thứ hai!"]),
        ("1.1. Chuyển đổi số trong cơ quan Đảng", ["1.1. Chuyển đổi số trong cơ quan Đảng"]),
        ("II. KẾT QUẢ THỰC HIỆN", ["II. KẾT QUẢ THỰC HIỆN"]),
        ("theo quy định…/. Người viết", ["theo quy định…/.", "Người viết"]),
        (" date 2024-07 Hội nghị chuyển đổi số", ["date 2024-07 Hội nghị chuyển đổi số"]),
        ("Anh ấy nói: \"Rất tốt.\" Sau đó về.", ["Anh ấy nói: \"Rất tốt.\"", "Sau đó về."]),
        ("", []),
        ("   \n\t ", []),
    ],
)
def test_news_sentence_boundaries(text, expected):
    assert sentences(text) == expected


def test_run_on_text_is_cut_into_bounded_pieces():
    text = "chữ " * 5000
    spans = split_sentences(text)
    assert len(spans) > 1
    assert all(e - s <= 2000 for s, e in spans)
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(" ", "")
