"""Reading and decoding inputs: every bad input gets a clear reason, nothing else is lost."""

from __future__ import annotations

import codecs
import ctypes
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsroom.extract.inputs import DecodeError, decode_bytes, iter_input_files, read_documents, split_seed_header
from newsroom.records import RawDocument, Rejection, content_id

STORY = "North Korea says it hasn't exported any weapons to Russia, an official said on Thursday in Seoul."


def _read(path, **kw):
    return list(read_documents(path, **kw))


def test_seed_header_is_split_from_the_first_page_line():
    assert split_seed_header(" date 2022-09-22 JUST IN\nmore") == ("2022-09-22", "JUST IN\nmore")
    assert split_seed_header("No header here\n") == (None, "No header here\n")


def test_content_id_ignores_whitespace_differences_only():
    assert content_id("a  b\r\nc ") == content_id("a b c")
    assert content_id("a b c") != content_id("a b d")


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty_file"),
        (b"  \n\t \n", "empty_file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary_file"),
        (bytes(range(256)) * 8, "binary_file"),
    ],
)
def test_unreadable_content_is_rejected_with_a_reason(tmp_path, data, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    (item,) = _read(path)
    assert isinstance(item, Rejection)
    assert item.reason == reason
    assert item.detail


def test_utf16_with_bom_is_decoded():
    text, encoding, guessed, flags = decode_bytes(codecs.BOM_UTF16_LE + STORY.encode("utf-16-le"))
    assert text == STORY and encoding == "utf-16" and not guessed and flags == []


def test_cp1252_is_decoded_correctly_and_the_guess_recorded():
    original = "“We won’t pay,” said the café’s owner – a résumé of 2,000 € in fees. " * 3
    text, encoding, guessed, _ = decode_bytes(original.encode("cp1252"))
    assert guessed
    assert text == original
    assert encoding.replace("_", "").lower() in {"cp1252", "windows1252"}


def test_invalid_utf8_bytes_are_replaced_not_fatal():
    data = ("Café owners in Zürich said prices rose. " * 5).encode() + b"\xff\xfe broken \xc3"
    text, encoding, guessed, flags = decode_bytes(data)
    assert encoding == "utf-8" and not guessed
    assert "Zürich" in text and "\ufffd" in text
    assert any(f.startswith("invalid_utf8_replaced") for f in flags)


def test_nul_bytes_inside_text_are_removed_and_flagged():
    text, _, _, flags = decode_bytes(STORY.encode()[:20] + b"\x00" + STORY.encode()[20:])
    assert text == STORY and "nul_bytes_removed" in flags


def test_file_over_the_size_limit_is_rejected_unread(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text(STORY * 100)
    (item,) = _read(path, max_bytes=1000)
    assert item.reason == "file_too_large" and "1000" in item.detail


def test_unsupported_extension_is_rejected(tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG....")
    (item,) = _read(path)
    assert item.reason == "unsupported_format"


def test_jsonl_good_lines_survive_bad_ones(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps(
            {"id": "a1", "text": STORY, "url": "https://example.com/a1", "date": "2022-09-22", "outlet": "Example"}
        ),
        '{"id": "a2", "text": "unterminated',
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "a3"}),
        json.dumps({"id": "a4", "text": 42}),
        json.dumps({"id": "a5", "html": f"<html><body><p>{STORY}</p></body></html>"}),
        "",
    ]
    path.write_text("\n".join(lines))
    items = _read(path)
    docs = [i for i in items if isinstance(i, RawDocument)]
    rejected = {i.source_path.rsplit("#", 1)[1]: i.reason for i in items if isinstance(i, Rejection)}
    assert [d.external_id for d in docs] == ["a1", "a5"]
    assert docs[0].url == "https://example.com/a1" and docs[0].outlet == "Example" and docs[0].date == "2022-09-22"
    assert docs[1].html is not None and docs[1].text is None
    assert rejected == {"L2": "invalid_json", "L3": "invalid_record", "L4": "missing_field", "L5": "invalid_field_type"}


def test_walk_survives_symlink_loops_dangling_links_and_dirs_named_like_files(tmp_path):
    (tmp_path / "x.txt").mkdir()
    (tmp_path / "x.txt" / "inner.txt").write_text(STORY)
    (tmp_path / "top.txt").write_text(STORY)
    (tmp_path / "loop").symlink_to(tmp_path)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    items = list(iter_input_files(tmp_path))
    files = sorted(str(p.relative_to(tmp_path)) for p in items if not isinstance(p, Rejection))
    reasons = sorted(r.reason for r in items if isinstance(r, Rejection))
    assert files == ["top.txt", "x.txt/inner.txt"]
    assert reasons == ["symlink_loop", "unreadable"]


_WALK = """
import sys
from pathlib import Path
from newsroom.extract.inputs import iter_input_files, read_documents
from newsroom.records import Rejection
for item in iter_input_files(Path(sys.argv[1])):
    for found in [item] if isinstance(item, Rejection) else read_documents(item):
        name = Path(found.source_path).name
        print(name, found.reason if isinstance(found, Rejection) else "read", getattr(found, "detail", ""), sep="|")
"""


def _without_root_reads() -> None:
    """In the child before exec: drop the capabilities that let root read any file
    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) from the bounding set, so the walk meets the
    permission bits as any user would."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "PR_CAPBSET_DROP")


def test_files_and_folders_without_read_permission_are_recorded_and_the_rest_read(tmp_path):
    """A real EACCES: root reads anything, so as root the walk runs without the capabilities that allow it."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    try:
        (inbox / "good.txt").write_text(STORY)
        (inbox / "secret.txt").write_text(STORY)
        (inbox / "closed").mkdir()
        (inbox / "closed" / "inside.txt").write_text(STORY)
        (inbox / "secret.txt").chmod(0)
        (inbox / "closed").chmod(0)
        as_user = {"preexec_fn": _without_root_reads} if os.geteuid() == 0 else {}
        walked = subprocess.run(
            [sys.executable, "-c", _WALK, str(inbox)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "flows")},
            cwd="/",
            **as_user,
        )
        assert walked.returncode == 0, walked.stderr
        rows = sorted(tuple(line.split("|")) for line in walked.stdout.splitlines())
        assert [(name, reason) for name, reason, _ in rows] == [
            ("closed", "unreadable"),
            ("good.txt", "read"),
            ("secret.txt", "unreadable"),
        ]
        assert all("Permission denied" in detail for _, reason, detail in rows if reason == "unreadable")
    finally:
        (inbox / "closed").chmod(0o755)  # for pytest to clean up


def test_decode_error_carries_reason():
    with pytest.raises(DecodeError) as caught:
        decode_bytes(b"%PDF-1.4 ...")
    assert caught.value.reason == "binary_file"


def test_links_out_of_the_input_folder_are_rejected_and_never_read(tmp_path):
    from newsroom.extract.inputs import iter_input_files

    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "story.txt").write_text("a story")
    (inbox / "sub" / "inside-link.txt").symlink_to(inbox / "story.txt")  # inside: followed
    (inbox / "p.txt").symlink_to("/etc/passwd")
    (inbox / "docs").symlink_to("/usr/share")  # a system folder
    (tmp_path / "secret.txt").write_text("not for the warehouse")
    (inbox / "sub" / "up.txt").symlink_to("../../secret.txt")
    found = list(iter_input_files(inbox))
    files = sorted(str(p.relative_to(inbox)) for p in found if not isinstance(p, Rejection))
    outside = sorted(
        Path(r.source_path).name for r in found if isinstance(r, Rejection) and r.reason == "outside_input"
    )
    assert files == ["story.txt", "sub/inside-link.txt"]
    assert outside == ["docs", "p.txt", "up.txt"]


def test_ids_are_stored_without_control_characters():
    from newsroom.extract.inputs import _jsonl_documents

    lines = "\n".join(
        json.dumps({"id": i, "text": "Some text of a story."}) for i in ("a\x00b", "line\nbreak", "../../etc/x", "\t\n")
    )
    ids = [
        d.external_id
        for d in _jsonl_documents(
            lines, "feed", {"source_path": "feed.jsonl", "encoding": "utf-8", "encoding_guessed": False}
        )
    ]
    assert ids == ["a b", "line break", "../../etc/x", "feed:4"]


def test_an_oversized_json_lines_record_costs_only_itself(tmp_path):
    path = tmp_path / "feed.jsonl"
    good = json.dumps({"id": "ok", "text": "A short story about a council vote."})
    huge = json.dumps({"id": "huge", "text": "word " * 5000})
    path.write_text("\n".join([good, huge, good.replace('"ok"', '"ok2"')]) + "\n")
    items = list(read_documents(path, max_bytes=2000))  # the file is larger than the limit
    assert [d.external_id for d in items if isinstance(d, RawDocument)] == ["ok", "ok2"]
    (rejected,) = [r for r in items if isinstance(r, Rejection)]
    assert rejected.reason == "record_too_large" and rejected.source_path.endswith("#L2")


def test_a_file_that_vanishes_between_discovery_and_reading_is_recorded(tmp_path):
    for name in ("gone.txt", "gone.jsonl"):
        (item,) = list(read_documents(tmp_path / name))
        assert isinstance(item, Rejection) and item.reason == "unreadable", item


def test_trafilatura_precision_mode_is_taken_unless_it_cut_the_story():
    from newsroom.extract.html import PRECISION_KEEPS, _precise_unless_cut

    story = "The council voted on Monday to rebuild the bridge. " * 20
    furniture = "Share this story. Sign up for our newsletter. " * 3
    assert _precise_unless_cut(story + furniture, story) == story  # it dropped furniture only
    cut = " ".join(story.split()[: int(len(story.split()) * (PRECISION_KEEPS - 0.2))])
    assert _precise_unless_cut(story + furniture, cut) == story + furniture  # it cut the story
    assert _precise_unless_cut(story, None) == story and _precise_unless_cut(None, story) is None


def test_a_story_laid_out_in_table_cells_is_still_prose():
    from newsroom.extract.article import sentence_words

    cells = (
        "| Home |\n\n| Football |\n\n| Cricket |\n\n"
        "| Munster star Ian Dowling is set to spend a spell on the sidelines after a knee injury. |\n\n"
        "| The winger could face up to eight weeks out with the problem he picked up this week. |"
    )
    assert sentence_words(cells) == 34  # the two sentences; the menu cells are no sentences
    assert sentence_words("| Home |\n\n| Football |\n\n| Latest headlines from our writers today |") == 0
