from cds_nlp.directives import attach_directives

from .helpers import make_document


def test_issuer_and_addressees_of_an_order():
    text = "Thủ tướng yêu cầu các bộ, ngành, địa phương khẩn trương hoàn thành trước ngày 30/6."
    doc = make_document(text, [], labels=["directive"])
    attach_directives(doc)
    directive = doc.sentences[0].directive
    assert directive.issuer == "Thủ tướng"
    assert directive.addressees == ["các bộ, ngành, địa phương"]
    assert text[directive.issuer_start:directive.issuer_end] == "Thủ tướng"


def test_a_named_person_is_the_issuer():
    text = "Đồng chí Trần Quốc Nam đề nghị Chủ tịch UBND các huyện tập trung chỉ đạo quyết liệt."
    doc = make_document(text, [("Trần Quốc Nam", "PERSON")], labels=["directive"])
    attach_directives(doc)
    assert doc.sentences[0].directive.issuer == "Trần Quốc Nam"
    assert doc.sentences[0].directive.addressees == ["Chủ tịch UBND các huyện"]


def test_only_directive_sentences_get_a_frame():
    text = "Tỉnh đã yêu cầu các sở báo cáo. Hội nghị kết thúc."
    doc = make_document(text, [], labels=["achievement", "other"])
    attach_directives(doc)
    assert all(s.directive is None for s in doc.sentences)
