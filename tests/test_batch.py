"""Archive processing: `Pipeline.parse_many` and `cds-nlp parse` (readers, writers, error rows, resume)."""

from __future__ import annotations

import io
import itertools
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from spacy.language import Language

from cds_nlp.batch import ErrorRow, decode, read_rows
from cds_nlp.cli import main
from cds_nlp.document import Document
from cds_nlp.errors import InputTypeError, TextTooLongError
from cds_nlp.language import blank
from cds_nlp.pipeline import Pipeline

TEXTS = [
    "UBND tỉnh Lào Cai triển khai Đề án 06. Người dân nộp hồ sơ trực tuyến.",
    "Sở Thông tin và Truyền thông Hà Nội tổ chức hội nghị chuyển đổi số.",
    "Tỉnh Bình Phước còn chậm số hóa hồ sơ. Thủ tướng yêu cầu các bộ khắc phục.",
    "Đà Nẵng dẫn đầu chỉ số chuyển đổi số cấp tỉnh năm 2024.",
]


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 has `ư`, `ê`… precomposed but the five tones only as combining marks."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + "".join(c for c in parts if c in _TONES))
    return "".join(out).encode("cp1258")


def texts(n: int) -> list[str]:
    return [f"{TEXTS[i % len(TEXTS)]} Bài số {i}." for i in range(n)]


@Language.component("test_explode_on_boom")
def _explode_on_boom(doc):  # noqa: ANN001, ANN202 - a spaCy component
    if "BOOM" in doc.text:
        raise RuntimeError("component failed on purpose")
    return doc


@pytest.fixture(scope="module")
def fragile_pipeline() -> Pipeline:
    """A pipeline whose component fails on one text: the rest of its batch must survive."""
    nlp = blank()
    nlp.add_pipe("test_explode_on_boom")
    return Pipeline(nlp)


# --- parse_many ------------------------------------------------------------------------------

@pytest.mark.parametrize("n_process", [1, 2])
def test_parse_many_keeps_input_order(pipeline, n_process):
    items = [{"text": t, "id": f"doc-{i}"} if i % 2 else t for i, t in enumerate(texts(13))]
    rows = list(pipeline.parse_many(items, batch_size=3, n_process=n_process))
    assert len(rows) == 13
    assert all(isinstance(r, Document) for r in rows)
    assert [r.text for r in rows] == texts(13)
    assert [r.id for r in rows[1::2]] == [f"doc-{i}" for i in range(1, 13, 2)]


@pytest.mark.parametrize("n_process", [1, 2])
def test_parse_many_returns_error_rows_in_place(fragile_pipeline, n_process):
    items = [
        {"text": "Một bài bình thường.", "id": "ok-1"},
        {"text": 42, "id": "not-text"},
        {"text": "BOOM ở giữa lô.", "id": "boom", "source": "portal"},
        {"text": "x" * (fragile_pipeline.nlp.tokenizer.max_chars + 1), "id": "too-long"},
        {"text": "Một bài khác.", "id": "ok-2"},
    ]
    rows = list(fragile_pipeline.parse_many(items, batch_size=5, n_process=n_process, errors="return"))
    assert [r.id for r in rows] == ["ok-1", "not-text", "boom", "too-long", "ok-2"]
    assert [type(r).__name__ for r in rows] == ["Document", "ErrorRow", "ErrorRow", "ErrorRow", "Document"]
    assert rows[1].error == "InputTypeError"
    assert (rows[2].error, rows[2].source) == ("RuntimeError", "portal")
    assert "on purpose" in rows[2].message
    assert rows[3].error == "TextTooLongError"


def test_parse_many_raises_where_the_bad_item_is(pipeline):
    stream = pipeline.parse_many(["Bài một.", "Bài hai.", b"bytes", "Bài bốn."], batch_size=2)
    assert [d.text for d in itertools.islice(stream, 2)] == ["Bài một.", "Bài hai."]
    with pytest.raises(InputTypeError):
        next(stream)


def test_parse_many_raises_component_errors_from_workers(fragile_pipeline):
    with pytest.raises(RuntimeError, match="on purpose"):
        list(fragile_pipeline.parse_many(["Bài một.", "BOOM"], n_process=2))


def test_parse_many_checks_its_arguments(pipeline):
    with pytest.raises(ValueError, match="errors must be"):
        pipeline.parse_many(["x"], errors="ignore")  # at the call, not at the first item
    with pytest.raises(ValueError, match="at least 1"):
        pipeline.parse_many(["x"], batch_size=0)


@pytest.mark.parametrize("n_process", [1, 2])
def test_parse_many_streams_with_bounded_read_ahead(pipeline, n_process):
    consumed = 0

    def endless():
        nonlocal consumed
        for i in itertools.count():
            consumed = i + 1
            yield f"Bài {i} về chuyển đổi số."

    first = list(itertools.islice(pipeline.parse_many(endless(), batch_size=2, n_process=n_process), 3))
    assert [d.text for d in first] == [f"Bài {i} về chuyển đổi số." for i in range(3)]
    assert consumed <= 2 * (2 * n_process + 1)


def test_too_long_error_is_the_library_error(pipeline):
    small = Pipeline(blank(max_chars=10))
    with pytest.raises(TextTooLongError):
        list(small.parse_many(["a" * 11]))


# --- decoding --------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "fragment"), [
    ("Tỉnh Bình Dương".encode("utf-16"), "UTF-16"),
    ("Tỉnh Bình Dương".encode("utf-16-le"), "NUL"),
    (cp1258("Tỉnh Bình Dương"), "Windows-1258"),
    (bytes(range(256)) * 3, "NUL"),
    (bytes(range(1, 32)) * 20, "binary"),
])
def test_decode_refuses_what_is_not_utf8_text(raw, fragment):
    text, problem = decode(raw)
    assert text is None
    assert fragment in problem


def test_decode_accepts_utf8_with_bom():
    assert decode("\ufeffHà Nội".encode("utf-8")) == ("Hà Nội", None)


# --- the command -----------------------------------------------------------------------------

@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    """A crawl: good articles in nested folders plus every kind of bad file."""
    folder = tmp_path / "crawl"
    for i, text in enumerate(texts(6)):
        path = folder / f"portal{i % 2}" / f"{i:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    bad = folder / "bad"
    bad.mkdir()
    (bad / "utf16.txt").write_bytes("Tỉnh Bình Dương".encode("utf-16"))
    (bad / "cp1258.txt").write_bytes(cp1258("Tỉnh Bình Dương chuyển đổi số"))
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (bad / "empty.txt").write_bytes(b"")
    (bad / "huge.txt").write_text("Hà Nội. " * 400, encoding="utf-8")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    return folder


def input_ids(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.txt"))


def jsonl_ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


EXPECTED_ERRORS = {"bad/utf16.txt": "DecodeError", "bad/cp1258.txt": "DecodeError", "bad/binary.txt": "DecodeError",
                   "bad/empty.txt": "EmptyText", "bad/huge.txt": "TextTooLongError"}


def test_every_input_gives_one_row(archive, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    status = main(["parse", str(archive), "-o", str(out), "--max-chars", "2000", "--n-process", "2", "--batch-size", "2"])
    assert status == 1
    rows = list(read_rows(out))
    assert sorted(r.id for r in rows) == input_ids(archive)
    assert [r.id for r in rows] == input_ids(archive)  # sorted walk: the output is in input order
    errors = {r.id: r.error for r in rows if isinstance(r, ErrorRow)}
    assert errors == EXPECTED_ERRORS
    assert all(r.source and r.message for r in rows if isinstance(r, ErrorRow))
    assert "6 parsed, 5 failed" in capsys.readouterr().err


def test_clean_run_exits_zero(tmp_path):
    folder = tmp_path / "clean"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXTS[0], encoding="utf-8")
    assert main(["parse", str(folder), "-o", str(tmp_path / "a.jsonl")]) == 0


def test_resume_after_interruption_writes_each_input_once(archive, tmp_path):
    out = tmp_path / "out.jsonl"
    main(["parse", str(archive), "-o", str(out), "--max-chars", "2000", "-q"])
    complete = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(complete[:4]) + complete[4][: len(complete[4]) // 2])  # killed mid-line
    assert main(["parse", str(archive), "-o", str(out), "--max-chars", "2000", "--resume", "-q"]) == 1
    assert out.read_bytes().endswith(b"\n")
    assert jsonl_ids(out) == input_ids(archive)
    assert out.read_bytes() == b"".join(complete)


def test_resume_of_a_finished_run_parses_nothing(archive, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    main(["parse", str(archive), "-o", str(out), "--max-chars", "2000", "-q"])
    before = out.read_bytes()
    main(["parse", str(archive), "-o", str(out), "--max-chars", "2000", "--resume", "-q"])
    assert out.read_bytes() == before
    assert "0 parsed, 0 failed (11 already done)" in capsys.readouterr().err


def read_table(folder: Path, name: str) -> pa.Table:
    return pq.read_table(folder / name)


def test_parquet_tables_join_on_doc_id(archive, tmp_path):
    out = tmp_path / "out.parquet"
    main(["parse", str(archive), "-o", str(out), "--max-chars", "2000", "--part-size", "4", "-q"])
    documents, sentences, entities = (read_table(out, name) for name in ("documents", "sentences", "entities"))
    assert len(list((out / "documents").glob("part-*.parquet"))) == 3
    assert sorted(documents.column("doc_id").to_pylist()) == input_ids(archive)
    failed = documents.filter(pa.compute.is_valid(documents.column("error")))
    assert dict(zip(failed.column("doc_id").to_pylist(), failed.column("error").to_pylist())) == EXPECTED_ERRORS
    joined = sentences.to_pandas().merge(documents.to_pandas(), on="doc_id", suffixes=("", "_document"))
    assert len(joined) == sentences.num_rows == pa.compute.sum(documents.column("n_sentences")).as_py()
    assert (joined.groupby("doc_id").size() == joined.groupby("doc_id")["n_sentences"].first()).all()
    assert entities.num_rows > 0
    assert set(entities.column("doc_id").to_pylist()) <= set(documents.column("doc_id").to_pylist())
    lao_cai = entities.filter(pa.compute.equal(entities.column("text"), "Lào Cai"))
    assert set(lao_cai.column("province_name").to_pylist()) == {"Lào Cai"}


def test_parquet_resume_drops_incomplete_parts(archive, tmp_path):
    out = tmp_path / "out.parquet"
    main(["parse", str(archive), "-o", str(out), "--max-chars", "2000", "--part-size", "4", "-q"])
    last = sorted((out / "documents").glob("part-*.parquet"))[-1]
    last.unlink()  # killed after writing sentences and entities of the last part, before its documents
    (out / "documents" / "part-000009.parquet.tmp").write_bytes(b"half a parquet file")
    main(["parse", str(archive), "-o", str(out), "--max-chars", "2000", "--part-size", "4", "--resume", "-q"])
    documents, sentences = read_table(out, "documents"), read_table(out, "sentences")
    assert sorted(documents.column("doc_id").to_pylist()) == input_ids(archive)
    assert sentences.num_rows == pa.compute.sum(documents.column("n_sentences")).as_py()
    assert not list(out.rglob("*.tmp"))


def test_csv_input_with_named_columns(tmp_path):
    data = tmp_path / "articles.csv"
    rows = ["ma_bai,noi_dung,published"] + [f'a{i},"{t}",2024-05-0{i + 1}' for i, t in enumerate(texts(3))]
    data.write_bytes(("\n".join(rows) + "\n").encode("utf-8") + b'a9,"T\xecnh tr\xean",2024\n')
    out = tmp_path / "out.jsonl"
    assert main(["parse", str(data), "-o", str(out), "--text-column", "noi_dung", "--id-column", "ma_bai", "-q"]) == 1
    result = list(read_rows(out))
    assert [r.id for r in result] == ["a0", "a1", "a2", "a9"]
    assert result[0].published == "2024-05-01"
    assert isinstance(result[3], ErrorRow) and result[3].error == "DecodeError"


def test_missing_text_column_is_a_usage_error(tmp_path, capsys):
    data = tmp_path / "articles.csv"
    data.write_text("id,body\n1,Hà Nội\n", encoding="utf-8")
    assert main(["parse", str(data), "-o", str(tmp_path / "out.jsonl")]) == 2
    assert "no column 'text'" in capsys.readouterr().err


def test_parquet_and_jsonl_inputs(tmp_path):
    table = pa.table({"id": ["p0", "p1", "p2"], "text": [TEXTS[0], None, TEXTS[1]]})
    pq.write_table(table, tmp_path / "in.parquet")
    assert main(["parse", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "p.jsonl"), "-q"]) == 1
    assert [(r.id, type(r).__name__) for r in read_rows(tmp_path / "p.jsonl")] == [
        ("p0", "Document"), ("p1", "ErrorRow"), ("p2", "Document")]
    lines = [json.dumps({"text": TEXTS[2]}, ensure_ascii=False), "{not json", json.dumps({"id": 7, "text": TEXTS[3]})]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    main(["parse", str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "j.jsonl"), "-q"])
    assert [(r.id, type(r).__name__) for r in read_rows(tmp_path / "j.jsonl")] == [
        ("in.jsonl:1", "Document"), ("in.jsonl:2", "ErrorRow"), ("7", "Document")]


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_stdin_jsonl_and_text(tmp_path, monkeypatch):
    lines = "".join(json.dumps({"id": f"s{i}", "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts(3)))
    monkeypatch.setattr(sys, "stdin", _Stdin(lines.encode("utf-8")))
    assert main(["parse", "-", "-o", str(tmp_path / "s.jsonl"), "-q"]) == 0
    assert jsonl_ids(tmp_path / "s.jsonl") == ["s0", "s1", "s2"]
    monkeypatch.setattr(sys, "stdin", _Stdin(TEXTS[0].encode("utf-8")))
    assert main(["parse", "-", "--input-format", "txt", "-o", str(tmp_path / "t.jsonl"), "-q"]) == 0
    assert [r.text for r in read_rows(tmp_path / "t.jsonl")] == [TEXTS[0]]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(archive, tmp_path, monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    main(["parse", str(archive), "-o", str(tmp_path / "a.jsonl")])
    assert "doc/s" in terminal.getvalue() and "11/11" in terminal.getvalue()
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    main(["parse", str(archive), "-o", str(tmp_path / "b.jsonl")])
    assert "doc/s" not in piped.getvalue() and "\r" not in piped.getvalue()
    assert "7 parsed, 4 failed" in piped.getvalue()


def test_command_line_entry_point_pipes_cleanly(tmp_path):
    """The installed script: stdin to stdout, status 0, nothing but rows on stdout."""
    line = json.dumps({"id": "x", "text": TEXTS[0]}, ensure_ascii=False) + "\n"
    done = subprocess.run([sys.executable, "-m", "cds_nlp.cli", "parse", "-", "-o", "-"], input=line.encode("utf-8"),
                          capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert [json.loads(x)["id"] for x in done.stdout.decode("utf-8").splitlines()] == ["x"]
    assert "1 parsed, 0 failed" in done.stderr.decode("utf-8")


def test_parquet_carries_what_the_jsonl_documents_carry(tmp_path):
    """Figures, dates, people's titles, all label probabilities: an analyst on the tables loses nothing."""
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    main(["parse", str(seeds), "-o", str(tmp_path / "out.jsonl"), "-q"])
    main(["parse", str(seeds), "-o", str(tmp_path / "out.parquet"), "-q"])
    documents = [row for row in read_rows(tmp_path / "out.jsonl")]
    out = tmp_path / "out.parquet"
    figures, dates, people, sentences, entities = (read_table(out, name).to_pylist()
                                                   for name in ("figures", "dates", "people", "sentences", "entities"))
    expected_figures = sorted((d.id, s.index, f.start, f.value) for d in documents for s in d.sentences for f in s.figures)
    assert expected_figures and sorted((r["doc_id"], r["sentence"], r["start"], r["value"]) for r in figures) == expected_figures
    expected_dates = sorted((d.id, x.start, x.date) for d in documents for s in d.sentences for x in s.dates)
    assert expected_dates and sorted((r["doc_id"], r["start"], r["date"]) for r in dates) == expected_dates
    expected_people = sorted((d.id, p.name, tuple(p.titles)) for d in documents for p in d.people)
    assert any(titles for _, _, titles in expected_people)
    assert sorted((r["doc_id"], r["name"], tuple(r["titles"])) for r in people) == expected_people
    for row in sentences:
        scores = dict(row["scores"])
        assert abs(sum(scores.values()) - 1) < 1e-6 and max(scores, key=scores.get) == row["label"]
    canonical = {(d.id, e.start): e.canonical for d in documents for e in d.entities}
    assert any(canonical.values())
    assert {(r["doc_id"], r["start"]): r["canonical"] for r in entities} == canonical
