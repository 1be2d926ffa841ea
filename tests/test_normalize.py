import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from cds_nlp.normalize import normalize


def test_old_tone_placement_becomes_new_style():
    assert normalize("Uỷ ban nhân dân tỉnh Khánh Hoà").text == "Ủy ban nhân dân tỉnh Khánh Hòa"
    assert normalize("Thuỷ, khoẻ, thuý").text == "Thủy, khỏe, thúy"


def test_tone_is_left_alone_where_it_is_already_right_or_belongs_to_qu():
    assert normalize("hoàn thành, quý, ngoài").text == "hoàn thành, quý, ngoài"


def test_nfd_input_maps_back_to_whole_original_characters():
    original = unicodedata.normalize("NFD", "Huế")
    norm = normalize(original)
    assert norm.text == "Huế"
    assert norm.span_to_original(0, 3) == (0, len(original))


def test_lookalike_eth_becomes_d_with_stroke():
    assert normalize("ÐẮK LẮK").text == "ĐẮK LẮK"


def test_spaces_crlf_and_invisible_characters():
    norm = normalize("a\u00a0\u00a0b\u200bc\r\nd\te")
    assert norm.text == "a bc\nd e"
    # the collapsed space covers both non-breaking spaces
    assert norm.span_to_original(1, 2) == (1, 3)


@given(st.text())
def test_every_normalised_character_points_inside_the_original(text):
    norm = normalize(text)
    assert len(norm.starts) == len(norm.text) == len(norm.ends)
    previous_end = 0
    for start, end in zip(norm.starts, norm.ends):
        assert 0 <= start < end <= len(text)
        assert start >= previous_end or start == norm.starts[norm.ends.index(end)]
        previous_end = max(previous_end, start)
