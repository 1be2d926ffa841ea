"""A spaCy tokenizer backed by underthesea's word segmenter.

It normalises the text (see ``normalize.py``), splits sentences, runs
underthesea on each sentence and aligns the words back onto the text exactly
as given, so ``doc.text`` is the caller's string and every token offset points
into it. Sentence starts are set here, so later components see ``doc.sents``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import DummyTokenizer, registry
from spacy.vocab import Vocab
from underthesea import word_tokenize

from .errors import InputTypeError, TextTooLongError
from .normalize import NormalizedText, normalize
from .sentences import split_sentences

DEFAULT_MAX_CHARS = 5_000_000
Span = tuple[int, int]


@registry.tokenizers("cds_nlp.UndertheseaTokenizer.v1")
def create_tokenizer(max_chars: int = DEFAULT_MAX_CHARS) -> Callable[[Language], "UndertheseaTokenizer"]:
    def tokenizer_factory(nlp: Language) -> UndertheseaTokenizer:
        return UndertheseaTokenizer(nlp.vocab, max_chars=max_chars)

    return tokenizer_factory


def _locate(sentence: str, word: str, position: int) -> Span:
    """Find `word` (syllables joined by single spaces) in `sentence` at or after `position`."""
    start = -1
    for syllable in word.split(" "):
        while position < len(sentence) and sentence[position].isspace():
            position += 1
        if not sentence.startswith(syllable, position):
            found = sentence.find(syllable, position, position + len(syllable) + 16)
            if found != -1:
                position = found
        if start == -1:
            start = position
        position = min(len(sentence), position + len(syllable))
    return start, position


# A title word glued to the body it heads: the guidelines make `ban Điều hành …` the ORG in `Trưởng ban Điều hành …`.
_GENERIC_BEFORE_NAMES = frozenset({"TỈNH", "Tỉnh", "TP", "TP.", "Tp.", "Trưởng", "trưởng", "Phó", "phó"})
_BODIES = frozenset({"ban", "đoàn", "phòng"})
_CITY_PREFIX = re.compile(r"^(TP\.|Tp\.)(?=[A-ZÀ-ỸĐ][a-zà-ỹđ])")


_GLUED = re.compile(r"(?<=[^\W\d_])(-)(?=[A-ZÀ-ỸĐ])")


def _split_syllable(syllable: str) -> list[str]:
    """Undo glue inside one syllable: `TP.Đà` -> `TP.` `Đà` (`TP.HCM` stays whole), `Oanh-TTXVN` -> `Oanh` `-` `TTXVN`."""
    match = _CITY_PREFIX.match(syllable)
    if match:
        rest = syllable[match.end():]
        return [match.group(1), *([rest[:-1], rest[-1]] if rest.endswith(".") else [rest])]
    if _GLUED.search(syllable):
        return [piece for piece in _GLUED.split(syllable) if piece]
    return [syllable]


def _is_punctuation(syllable: str) -> bool:
    return not any(c.isalnum() for c in syllable)


# Common Vietnamese surnames: a capitalised run `Hòa Khánh Huỳnh Anh Vũ` is a place followed by a person.
SURNAMES = frozenset(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Lương Vương Trịnh Đinh Lâm Mai Tô "
    "Trương Đoàn Cao Hà Chu Tạ Thái Kiều Quách Lưu Triệu Châu Nông Lò Hầu".split()
)


@lru_cache(maxsize=1)
def province_names() -> frozenset[str]:
    """Every province name and alias (lower-cased), to cut runs such as `Lai Châu Hà Quang Trung`."""
    from .provinces import Gazetteer

    names: set[str] = set()
    for unit in Gazetteer.load().units():
        names.add(unit.name.lower())
        names.update(alias.lower() for alias in unit.aliases)
    return frozenset(names)


def _split_names(syllables: list[str]) -> list[list[str]]:
    """Cut a run of capitalised syllables where a province name ends or a surname starts a new name."""
    if len(syllables) < 3 or not all(_is_capitalised(s) for s in syllables):
        return [syllables]
    names = province_names()
    for k in range(len(syllables) - 1, 0, -1):
        head, tail = " ".join(syllables[:k]).lower(), " ".join(syllables[k:]).lower()
        if (head in names and len(syllables) - k >= 1) or (tail in names and k >= 1):
            return _split_names(syllables[:k]) + _split_names(syllables[k:])
    for k in range(2, len(syllables) - 1):
        if syllables[k] in SURNAMES:
            return [syllables[:k], syllables[k:]]
    return [syllables]


def _is_capitalised(syllable: str) -> bool:
    return syllable[:1].isupper()


def refine(word: str) -> list[str]:
    """Split a segmenter word where it runs a name into its neighbours.

    underthesea sometimes glues a name to the word next to it (`Hòa Bình trích`,
    `công Hà Tĩnh`, `trưởng Đoàn`, `Lam Nguyễn 13/08/2022`); entity spans then cut
    through a token. Cut at a lower->upper case change, after a run of two or more
    capitalised syllables followed by a lower-case one, and between letters and digits.
    Compounds such as `Thủ tướng` (one capital, then lower case) are left alone.
    """
    syllables = [piece for syllable in word.split(" ") for piece in _split_syllable(syllable)]
    if len(syllables) == 1:
        return syllables
    pieces: list[list[str]] = [[syllables[0]]]
    for previous, syllable in zip(syllables, syllables[1:]):
        current = pieces[-1]
        lower_to_upper = not _is_capitalised(previous) and _is_capitalised(syllable) and previous[:1].isalpha()
        name_to_lower = (
            syllable[:1].isalpha() and not _is_capitalised(syllable)
            and len(current) >= 2 and all(_is_capitalised(s) or not s[:1].isalpha() for s in current)
        )
        letter_digit = previous[:1].isdigit() != syllable[:1].isdigit()
        after_generic = previous in _GENERIC_BEFORE_NAMES and (_is_capitalised(syllable) or syllable in _BODIES)
        punctuation = _is_punctuation(previous) or _is_punctuation(syllable)
        after_abbreviation = len(previous) > 1 and previous.endswith(".") and _is_capitalised(syllable)
        if lower_to_upper or name_to_lower or letter_digit or after_generic or punctuation or after_abbreviation:
            pieces.append([syllable])
        else:
            current.append(syllable)
    return [" ".join(part) for piece in pieces for part in _split_names(piece)]


def segment(sentence: str) -> list[Span]:
    """Word spans of one normalised sentence, as underthesea segments it."""
    spans: list[Span] = []
    position = 0
    words = [piece for word in word_tokenize(sentence, use_token_normalize=False) for piece in refine(word)]
    for word in words:
        start, end = _locate(sentence, word, position)
        if end > start:
            spans.append((start, end))
            position = end
    # Anything underthesea dropped (rare symbols) still becomes a token: no text is ever lost.
    covered: list[Span] = []
    position = 0
    for start, end in spans:
        covered.extend(_leftovers(sentence, position, start))
        covered.append((start, end))
        position = end
    covered.extend(_leftovers(sentence, position, len(sentence)))
    return covered


def _leftovers(sentence: str, start: int, end: int) -> Iterable[Span]:
    i = start
    while i < end:
        if sentence[i].isspace():
            i += 1
            continue
        j = i
        while j < end and not sentence[j].isspace():
            j += 1
        yield i, j
        i = j


class UndertheseaTokenizer(DummyTokenizer):
    """Picklable (for ``nlp.pipe(n_process=…)``) and owns no files, like spaCy's own ``vi`` tokenizer."""

    def __init__(self, vocab: Vocab, max_chars: int = DEFAULT_MAX_CHARS) -> None:
        self.vocab = vocab
        self.max_chars = max_chars

    def __reduce__(self) -> tuple:
        return UndertheseaTokenizer, (self.vocab, self.max_chars)

    def __call__(self, text: str) -> Doc:
        if not isinstance(text, str):
            raise InputTypeError(text)
        if len(text) > self.max_chars:
            raise TextTooLongError(len(text), self.max_chars)
        norm = normalize(text)
        tokens: list[tuple[int, int, str]] = []  # original start, original end, normalised form
        sentence_starts: set[int] = set()
        for sent_start, sent_end in split_sentences(norm.text):
            for i, (start, end) in enumerate(segment(norm.text[sent_start:sent_end])):
                begin, finish = norm.span_to_original(sent_start + start, sent_start + end)
                form = norm.text[sent_start + start : sent_start + end]
                if tokens and begin < tokens[-1][1]:
                    # two words inside one original character cluster (a stray combining mark): keep them one token
                    tokens[-1] = (tokens[-1][0], max(tokens[-1][1], finish), tokens[-1][2] + form)
                    continue
                if i == 0:
                    sentence_starts.add(begin)
                tokens.append((begin, finish, form))
        return self._make_doc(norm, tokens, sentence_starts)

    def _make_doc(self, norm: NormalizedText, tokens: list[tuple[int, int, str]], sentence_starts: set[int]) -> Doc:
        text = norm.original
        words: list[str] = []
        spaces: list[bool] = []
        starts: list[bool] = []
        norms: list[str] = []
        cursor = 0
        for start, end, form in tokens:
            self._gap(text, cursor, start, words, spaces, starts, norms)
            words.append(text[start:end])
            spaces.append(False)
            starts.append(start in sentence_starts)
            norms.append(form.lower())
            cursor = end
        self._gap(text, cursor, len(text), words, spaces, starts, norms)
        if starts:
            starts[0] = True
        doc = Doc(self.vocab, words=words, spaces=spaces, sent_starts=starts)
        for token, token_norm in zip(doc, norms):
            if token_norm != token.lower_:
                token.norm_ = token_norm
        return doc

    @staticmethod
    def _gap(text: str, start: int, end: int, words: list[str], spaces: list[bool], starts: list[bool], norms: list[str]) -> None:
        """Text between two words: a single space becomes trailing whitespace, anything else a token."""
        if start >= end:
            return
        gap = text[start:end]
        if gap[0] == " " and words:
            spaces[-1] = True
            gap = gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)
            starts.append(False)
            norms.append(gap)
