"""Sentence function labels with the shipped model: tie-breaks, seeds, probabilities, conveniences."""

import pytest

from cds_nlp import SENTENCE_LABELS


def label_of(pipeline, sentence):
    doc = pipeline.parse(sentence)
    assert len(doc.sentences) == 1, [s.text for s in doc.sentences]
    return doc.sentences[0].label


# Our own sentences, one per rule of the guidelines (section 2).
@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Năm 2024, tỷ lệ hồ sơ trực tuyến toàn trình của tỉnh đạt 65%, tăng 20% so với năm trước.", "achievement"),
        ("Việc số hóa hồ sơ còn chậm, nhiều xã vẫn thiếu cán bộ chuyên trách về công nghệ thông tin.", "shortcoming"),
        ("Chủ tịch UBND tỉnh yêu cầu các sở, ngành khẩn trương hoàn thành việc số hóa hồ sơ trước ngày 30/6.", "directive"),
        ("Tham dự hội nghị có lãnh đạo các sở, ban, ngành của tỉnh.", "other"),
        # tie-break 1: reports and instructs -> directive
        ("Thủ tướng yêu cầu các bộ, ngành khắc phục ngay những hạn chế trong cung cấp dịch vụ công trực tuyến.", "directive"),
        # tie-break 2: results and problems, main clause a problem -> shortcoming
        ("Bên cạnh những kết quả đạt được, công tác chuyển đổi số của tỉnh vẫn còn nhiều hạn chế, bất cập.", "shortcoming"),
        # tie-break 4: a plan stated as adopted -> achievement
        ("UBND tỉnh đã ban hành Kế hoạch chuyển đổi số năm 2025 với 30 nhiệm vụ cụ thể.", "achievement"),
    ],
)
def test_tie_break_rules(pipeline, sentence, expected):
    assert label_of(pipeline, sentence) == expected


def test_a_heading_without_a_claim_is_other(pipeline):
    doc = pipeline.parse("Hội nghị trực tuyến về chuyển đổi số\n\nTỉnh đã hoàn thành 100% kế hoạch năm.")
    assert doc.sentences[0].label == "other"


def test_clearest_seed_sentences(seed_docs):
    doc = seed_docs["000_6485a217fb6c1846"]
    def label(prefix):
        return next(s.label for s in doc.sentences if s.text.startswith(prefix))

    assert label("Trong 6 tháng đầu năm, công tác CĐS đã đạt nhiều kết quả nổi bật") == "achievement"
    assert label("Tham dự tại điểm cầu tỉnh Ninh Thuận có các đồng chí") == "other"


def test_every_sentence_has_a_label_and_probabilities_summing_to_one(seed_docs):
    for doc in seed_docs.values():
        for s in doc.sentences:
            assert s.label in SENTENCE_LABELS
            assert set(s.scores) == set(SENTENCE_LABELS)
            assert abs(sum(s.scores.values()) - 1) < 1e-6
            assert s.label == max(s.scores, key=s.scores.get)


def test_conveniences(seed_docs):
    doc = seed_docs["001_8843b81c2f55e9ba"]
    assert doc.achievements == [s for s in doc.sentences if s.label == "achievement"]
    assert doc.directives == [s for s in doc.sentences if s.label == "directive"]
    assert doc.shortcomings == [s for s in doc.sentences if s.label == "shortcoming"]
    assert sum(doc.label_counts.values()) == len(doc.sentences)
    assert list(doc.label_counts)[:4] == list(SENTENCE_LABELS)


def test_directive_structure_on_a_directive(pipeline):
    doc = pipeline.parse("Thủ tướng Chính phủ yêu cầu các bộ, ngành, địa phương khẩn trương hoàn thành trước ngày 20/7/2024.")
    sentence = doc.sentences[0]
    assert sentence.label == "directive"
    assert sentence.directive.issuer.startswith("Thủ tướng")
    assert sentence.directive.addressees == ["các bộ, ngành, địa phương"]
    assert sentence.directive.deadline.date == "2024-07-20"
