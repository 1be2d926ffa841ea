"""The context rules `Gazetteer.find` applies, as plain data.

A reader does not take every `Hòa Bình` for the province: the word before the
name says whether it is a ward, a provincial city, a person or the province.
Each list below is one such cue; `gazetteer.py` only looks them up, so a rule
is changed here, not in code. Phrases are written as in text and compared by
word key (case, tone placement and `Ð`/`Đ` do not matter).
"""

from __future__ import annotations

# `phường Hòa Bình`, `huyện Điện Biên`, `sông Đồng Nai`, `mũi Cà Mau`: a place inside a
# province, or a natural feature, that shares the province's name.
LOCAL_BEFORE: tuple[str, ...] = (
    "phường", "xã", "huyện", "quận", "thị xã", "thị trấn", "đặc khu",
    "thôn", "ấp", "làng", "xóm", "khóm", "tiểu khu", "khu phố", "tổ dân phố",
    "đường", "phố", "ngõ", "hẻm", "quốc lộ", "tỉnh lộ",
    "sông", "hồ", "mũi", "bán đảo",
)

# Phrases that end in a cue word but mean no such place, so the longest phrase wins:
# `nông thôn Nghệ An` (rural Nghệ An), `Hợp tác xã ...`; and the plain generic words
# `tỉnh Hà Nam`, `Thủ đô Hà Nội`.
NEUTRAL_BEFORE: tuple[str, ...] = ("tỉnh", "thủ đô", "nông thôn", "hợp tác xã")

# `thành phố Sơn La`, `TP Lào Cai`, `TP. Cần Thơ`: the city; it is the province-level unit only
# for the six centrally-run cities (type `thành phố trực thuộc trung ương`).
CITY_BEFORE: tuple[str, ...] = ("thành phố", "tp")

# Abbreviations that may be joined to the name by a dot (`TP.Huế`, `P. Hòa Bình`, `TX.Quảng Trị`).
ABBREVIATIONS: dict[str, str] = {"tp": "city", "tx": "local", "tt": "local", "p": "local", "q": "local", "h": "local", "x": "local"}

# `ông Hà Nam`, `chị Khánh Hòa`: a kinship term or honorific before the name makes it a person.
HONORIFICS_BEFORE: tuple[str, ...] = (
    "ông", "bà", "anh", "chị", "cô", "chú", "bác", "cháu", "cụ", "em", "thầy",
    "đồng chí", "nhà báo", "phóng viên", "tác giả",
)

# `Nguyễn Hà Nam`, `Nguyễn Thị Huế`, `Lê Khánh Hòa`: a capitalised surname or a common middle
# name right before the province name (same line, a space apart) makes it part of a person's
# name. Left out on purpose: syllables that also end a province name or start an organisation
# (`Giang`, `Châu`, `An`, `Đoàn`, `Gia`, `Trung`) or are common words at the start of a
# sentence (`Từ Cà Mau ...`, `Lại`, `Tăng`), where the cue would cost more than it gains.
NAME_PARTS_BEFORE: tuple[str, ...] = (
    # surnames
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
    "Ngô", "Dương", "Lý", "Đinh", "Đào", "Trịnh", "Mai", "Trương", "Lương", "Tô", "Tạ", "Lưu", "Vương",
    "Quách", "Chu", "La", "Khuất", "Kiều", "Triệu", "Nông", "Lò", "Lục", "Hứa", "Âu", "Thân",
    "Mạc", "Phùng", "Hà", "Lâm", "Cao", "Thái", "Tống", "Doãn", "Diệp", "Khổng",
    # middle names
    "Văn", "Thị", "Đức", "Hữu", "Ngọc", "Quốc", "Xuân", "Công", "Đình", "Minh", "Thanh", "Quang",
    "Hồng", "Kim", "Mạnh", "Trọng", "Duy", "Tiến", "Thế", "Bá", "Viết", "Khắc", "Thu", "Phương",
)

# Longer names that contain a province name but are something else: the Pacific, a battle
# and city, a region, a pre-1991 province, the country (`Việt Nam Định hướng ...` in a
# title-case heading must not give `Nam Định`).
BLOCKED_PHRASES: tuple[str, ...] = (
    "Thái Bình Dương", "Điện Biên Phủ", "Đồng Tháp Mười", "Hà Nam Ninh", "Việt Nam",
)
