"""A folder of every kind of bad input beside good articles: each input is loaded or recorded
in ops.rejected_inputs with a reason, the run finishes, and every good article is loaded."""

from __future__ import annotations

import codecs
import gzip
import json
import os
import shutil

import duckdb
import pytest

from conftest import SEED_ORIGINAL, SEED_REWRITE

STORY = (
    "The river rose two metres overnight and flooded the lower town, officials said on Monday. "
    "Residents were moved to the school gym while engineers checked the old bridge for damage. "
) * 4


@pytest.fixture(scope="module")
def corpus(prefect_harness, tmp_path_factory):
    root = tmp_path_factory.mktemp("bad-inputs")
    inbox = root / "inbox"
    inbox.mkdir()
    shutil.copy(SEED_ORIGINAL, inbox / "seed_original.txt")
    shutil.copy(SEED_ORIGINAL, inbox / "seed_original_copy.txt")  # same content, two names
    shutil.copy(SEED_REWRITE, inbox / "seed_rewrite.txt")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "whitespace.txt").write_text("  \n\t\n   ")
    (inbox / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2048))
    (inbox / "random.html").write_bytes(os.urandom(4096).replace(b"\x00", b"\x01") + b"\x00" * 200)
    (inbox / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + ("Storm " + STORY).encode("utf-16-le"))
    (inbox / "cp1252.txt").write_bytes(
        ("Caf\u00e9 " + STORY.replace("officials", "the caf\u00e9\u2019s owners")).encode("cp1252")
    )
    (inbox / "bad_utf8.txt").write_bytes(("Z\u00fcrich " + STORY).encode() + b"\xff\xfe\xc3")
    (inbox / "nul_bytes.txt").write_bytes(("Dam " + STORY).encode().replace(b"bridge", b"bri\x00dge"))
    (inbox / "too_big.txt").write_text("Big " + STORY * 12_000)  # over the 2 MiB limit set below
    (inbox / "one_long_line.txt").write_text(("Long " + STORY.replace("\n", " ")) * 3)
    (inbox / "bad_date.txt").write_text(" date 2022-13-45 Quake " + STORY)
    (inbox / "future_date.txt").write_text(" date 2999-01-01 Fire " + STORY)
    (inbox / "sql_chars.txt").write_text('Robert\'); DROP TABLE landing.articles;-- said "hello" `x` ' + STORY)
    (inbox / "index.html").write_text(
        "<html><body><h1>Latest news</h1><ul>"
        + "".join(f"<li><a href='/{n}'>Minister {n} resigns after row over the budget</a></li>" for n in range(40))
        + "</ul></body></html>"
    )
    (inbox / "truncated.html").write_text(f"<html><body><article><p>{STORY}</p><p>{STORY[:80]}")
    (inbox / "feed.jsonl").write_text(
        "\n".join(
            [
                json.dumps({"id": "ok-1", "text": "Bridge " + STORY, "outlet": "River Times", "date": "2021-03-04"}),
                '{"id": "broken", "text": "no closing',
                json.dumps({"id": "no-text"}),
                json.dumps({"id": "wrong-type", "text": ["a", "list"]}),
                json.dumps([1, 2, 3]),
                json.dumps({"id": "brief", "text": "The parliament election is over in Turkmenistan."}),  # a news brief
                json.dumps({"id": "bad-url", "text": "Ferry " + STORY, "url": "http://[::1/2020/01/02/ferry"}),
            ]
        )
    )
    (inbox / "notes.pdf").write_bytes(b"%PDF-1.4 not an article")
    (inbox / "x.txt").mkdir()
    (inbox / "x.txt" / "nested.txt").write_text("Nested " + STORY)
    (inbox / "loop").symlink_to(inbox)
    (inbox / "dangling.txt").symlink_to(root / "missing.txt")
    # hostile inputs: each loaded or recorded, in bounded time, costing nothing else
    (inbox / "passwd.txt").symlink_to("/etc/passwd")  # outside the input folder: never read
    (inbox / "deep.html").write_text("<html><body>" + "<div>" * 100_000 + f"<p>Deep {STORY}</p>" + "</div>" * 100_000)
    (inbox / "bomb.html").write_bytes(gzip.compress(b"<html><body>" + b"a" * 50_000_000))
    entities = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(2, 10))
    (inbox / "laughs.html").write_text(
        f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol1 "lol">{entities}]>'
        f"<html><body><p>&lol9;</p><p>Laughs {STORY}</p></body></html>"
    )
    (inbox / "xxe.html").write_text(
        '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        f"<html><body><p>&xxe;</p><p>Entity {STORY}</p></body></html>"
    )
    os.mkfifo(inbox / "fifo.txt")  # reading it would block the run for ever
    (inbox / "records.jsonl").write_text(
        "\n".join(
            [
                json.dumps({"id": "../../etc/x\x00\nbad", "text": "Harbour " + STORY}),  # separators, NUL, newline
                json.dumps({"id": "huge", "text": "Huge " + STORY * 12_000}),  # over the limit: only this record
                json.dumps({"id": "after-huge", "text": "Pier " + STORY}),
            ]
        )
    )
    tiny = inbox / "tiny"
    tiny.mkdir()
    for n in range(20_000):  # a folder of notes: each recorded, at ~1 ms a file
        (tiny / f"t{n}.txt").write_text(f"note {n}")

    from newsroom.pipeline import ingest

    warehouse = root / "news.duckdb"
    previous = os.environ.get("NEWSROOM_MAX_FILE_BYTES")
    os.environ["NEWSROOM_MAX_FILE_BYTES"] = str(2 * 1024 * 1024)
    try:
        result = ingest(input_path=str(inbox), warehouse_path=str(warehouse))
    finally:
        if previous is None:
            os.environ.pop("NEWSROOM_MAX_FILE_BYTES")
        else:
            os.environ["NEWSROOM_MAX_FILE_BYTES"] = previous
    con = duckdb.connect(str(warehouse), read_only=True)
    loaded = {
        r[0]: r
        for r in con.execute(
            "select source_path, published_date::varchar, encoding, quality_flags, body_text from marts.articles"
        ).fetchall()
    }
    rejected = {
        r[0]: (r[1], r[2])
        for r in con.execute("select source_path, reason, detail from ops.rejected_inputs").fetchall()
    }
    ledger = con.execute("select source_path, status from ops.input_files").fetchall()
    con.close()
    return inbox, result, loaded, rejected, ledger


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def test_run_finishes(corpus):
    _, result, _, _, _ = corpus
    assert result["status"] == "success"


def test_every_good_article_is_loaded(corpus):
    _, _, loaded, _, _ = corpus
    names = {_name(p) for p in loaded}
    assert {
        "seed_original.txt",
        "seed_rewrite.txt",
        "utf16.txt",
        "cp1252.txt",
        "bad_utf8.txt",
        "nul_bytes.txt",
        "one_long_line.txt",
        "bad_date.txt",
        "future_date.txt",
        "sql_chars.txt",
        "truncated.html",
        "nested.txt",
        "feed.jsonl#L1",
        "feed.jsonl#L6",
        "feed.jsonl#L7",
        "deep.html",
        "xxe.html",
        "records.jsonl#L1",
        "records.jsonl#L3",
    } <= names


@pytest.mark.parametrize(
    "name, reason",
    [
        ("empty.txt", "empty_file"),
        ("whitespace.txt", "empty_file"),
        ("image.txt", "binary_file"),
        ("random.html", "binary_file"),
        ("too_big.txt", "file_too_large"),
        ("index.html", "no_article_body"),
        ("feed.jsonl#L2", "invalid_json"),
        ("feed.jsonl#L3", "missing_field"),
        ("feed.jsonl#L4", "invalid_field_type"),
        ("feed.jsonl#L5", "invalid_record"),
        ("notes.pdf", "unsupported_format"),
        ("dangling.txt", "unreadable"),
        ("loop", "symlink_loop"),
        ("passwd.txt", "outside_input"),
        ("bomb.html", "binary_file"),
        ("fifo.txt", "unsupported_format"),
        ("records.jsonl#L2", "record_too_large"),
        ("t19999.txt", "no_article_body"),
    ],
)
def test_bad_input_is_recorded_with_its_reason(corpus, name, reason):
    _, _, _, rejected, _ = corpus
    reasons = {r for p, (r, _) in rejected.items() if _name(p) == name}
    assert reason in reasons, rejected


def test_nothing_is_lost(corpus):
    """Every file under the inbox is an article, a recorded duplicate, or a rejection."""
    inbox, _, loaded, rejected, ledger = corpus
    accounted = {_name(p).split("#")[0] for p in list(loaded) + list(rejected)} | {_name(p) for p, _ in ledger}
    for path in inbox.rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert path.name in accounted, path


def test_duplicate_content_is_recorded_not_reloaded(corpus):
    _, _, loaded, _, ledger = corpus
    assert "seed_original_copy.txt" in {_name(p) for p, s in ledger if s == "duplicate"} or "seed_original.txt" in {
        _name(p) for p, s in ledger if s == "duplicate"
    }
    assert sum(_name(p).startswith("seed_original") for p in loaded) == 1


def test_decoding_and_dates_are_handled(corpus):
    _, _, loaded, _, _ = corpus
    by_name = {_name(p): row for p, row in loaded.items()}
    assert "café’s owners" in by_name["cp1252.txt"][4] and by_name["cp1252.txt"][2] == "cp1252"
    assert by_name["future_date.txt"][1] is None and "future_date_ignored" in by_name["future_date.txt"][3]
    assert by_name["bad_date.txt"][1] is None and "invalid_date_given" in by_name["bad_date.txt"][3]
    assert by_name["feed.jsonl#L1"][1] == "2021-03-04"
    assert "DROP TABLE" in by_name["sql_chars.txt"][4]


def test_hostile_pages_leak_nothing_and_expand_nothing(corpus):
    _, _, loaded, _, _ = corpus
    bodies = {_name(p): row[4] for p, row in loaded.items()}
    assert not any("root:" in body for body in bodies.values())  # neither the link nor the external entity
    assert "river rose two metres" in bodies["deep.html"]  # 100,000 levels deep, the story still read
    assert all(body.count("lol") < 1000 for body in bodies.values())  # no entity expansion
    assert "records.jsonl#L3" in bodies


def test_ids_are_stored_clean(corpus):
    inbox, _, _, _, _ = corpus
    con = duckdb.connect(str(inbox.parent / "news.duckdb"), read_only=True)
    try:
        ids = [r[0] for r in con.execute("select external_id from marts.articles").fetchall()]
    finally:
        con.close()
    assert "../../etc/x bad" in ids and not any(ch in i for i in ids for ch in "\x00\n\r")
