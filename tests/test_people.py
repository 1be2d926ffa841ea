from cds_nlp.people import people

from .helpers import make_document


def titles_of(doc, name):
    return next(p for p in people(doc) if p.name == name)


def test_titles_before_and_after_a_name():
    text = ("Thủ tướng Chính phủ Phạm Minh Chính, Chủ tịch Ủy ban Quốc gia về chuyển đổi số chủ trì hội nghị. "
            "Tham dự có đồng chí Trần Quốc Nam, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh, Trưởng ban Điều hành CĐS tỉnh; "
            "đại diện các sở, ngành.")
    doc = make_document(text, [("Phạm Minh Chính", "PERSON"), ("Trần Quốc Nam", "PERSON"), ("Chính phủ", "ORG"),
                               ("Ủy ban Quốc gia về chuyển đổi số", "ORG"), ("Tỉnh ủy", "ORG"), ("UBND tỉnh", "ORG"),
                               ("ban Điều hành CĐS tỉnh", "ORG")])
    pm = titles_of(doc, "Phạm Minh Chính")
    assert pm.titles == ["Thủ tướng Chính phủ", "Chủ tịch Ủy ban Quốc gia về chuyển đổi số"]
    assert pm.bodies == ["Chính phủ", "Ủy ban Quốc gia về chuyển đổi số"]
    nam = titles_of(doc, "Trần Quốc Nam")
    assert nam.titles == ["Phó Bí thư Tỉnh ủy", "Chủ tịch UBND tỉnh", "Trưởng ban Điều hành CĐS tỉnh"]
    assert nam.bodies == ["Tỉnh ủy", "UBND tỉnh", "ban Điều hành CĐS tỉnh"]


def test_mentions_merge_and_short_references_join_the_full_name():
    text = "Ông Trần Quốc Nam phát biểu. Theo ông Nam, tỉnh đã làm tốt. Trần Quốc Nam cảm ơn."
    doc = make_document(text, [("Trần Quốc Nam", "PERSON"), ("Nam", "PERSON")])
    # "Nam" inside "Trần Quốc Nam" is matched too by the helper; keep only the standalone one
    doc.entities = [e for e in doc.entities if not (e.text == "Nam" and text[e.start - 5:e.start] == "Quốc ")]
    rows = people(doc)
    assert [(p.name, p.count) for p in rows] == [("Trần Quốc Nam", 3)]


def test_a_person_without_titles_has_none():
    doc = make_document("Phóng viên Lê Văn Bình ghi lại.", [("Lê Văn Bình", "PERSON")])
    assert titles_of(doc, "Lê Văn Bình").titles == []
