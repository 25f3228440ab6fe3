"""Find input files and decode them into RawDocuments, or say exactly why not.

Every path under the input either yields documents or a Rejection: nothing is silently
dropped except hidden files (dot-files such as .DS_Store), which are never articles.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

from ..config import DEFAULT_MAX_FILE_BYTES
from ..records import RawDocument, Rejection, content_id
from .decoding import BINARY_MAGIC, DecodeError, decode_bytes, open_binary
from .warc import WARC_SUFFIXES, read_warc

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
_SEED_HEADER = re.compile(r"^\s*date\s+(\S+)[ \t]*")


def _inside(real: str, root_real: str) -> bool:
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def _entry(entry: os.DirEntry, root_real: str, stack: list[Path]) -> Iterator[Path | Rejection]:
    """One directory entry of the walk: a file to read, a folder to walk (pushed on the
    stack), or why neither."""
    path = Path(entry.path)
    if entry.is_symlink() and os.path.exists(path) and not _inside(os.path.realpath(path), root_real):
        yield Rejection(
            str(path), "outside_input", f"symbolic link to {os.path.realpath(path)}, outside the input folder: not read"
        )
        return
    try:
        if entry.is_dir(follow_symlinks=True):
            stack.append(path)
        elif entry.is_file(follow_symlinks=True):
            yield path
        elif entry.is_symlink():
            yield Rejection(str(path), "unreadable", "dangling symbolic link")
        else:
            yield Rejection(str(path), "unsupported_format", "not a regular file")
    except OSError as exc:
        yield Rejection(str(path), "unreadable", exc.strerror or str(exc))


def iter_input_files(root: Path) -> Iterator[Path | Rejection]:
    """Every regular file below root (or root itself), each real file once.

    Symbolic links are followed while they stay inside the input folder: a link that
    resolves outside it is rejected as `outside_input` and never read (anyone who can drop
    a file in an inbox could otherwise copy any file the ETL user can read, /etc/passwd, into
    the warehouse). A directory already visited (a link loop) is not entered twice and a
    dangling link is reported.
    """
    if root.is_file():
        yield root
        return
    if not root.exists():
        yield Rejection(str(root), "missing_path", "input path does not exist")
        return
    root_real = os.path.realpath(root)
    seen_dirs: set[str] = set()
    stack = [root]
    while stack:
        directory = stack.pop()
        real = os.path.realpath(directory)
        if real in seen_dirs:
            yield Rejection(str(directory), "symlink_loop", f"directory already visited as {real}")
            continue
        seen_dirs.add(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            yield Rejection(str(directory), "unreadable", f"cannot list directory: {exc.strerror}")
            continue
        for entry in entries:
            if not entry.name.startswith("."):
                yield from _entry(entry, root_real, stack)


def read_documents(path: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Iterator[RawDocument | Rejection]:
    """One input file -> its RawDocuments (several for JSON Lines) or Rejections."""
    source = str(path)
    suffix = path.suffix.lower()
    if path.name.lower().endswith(WARC_SUFFIXES):  # an archive of any size: a record at a time
        yield from read_warc(path, max_bytes)
        return
    if suffix not in SUPPORTED:
        yield Rejection(
            source,
            "unsupported_format",
            f"extension {suffix or '(none)'} is not .txt, .html, .htm, .jsonl, .warc or .warc.gz",
        )
        return
    if suffix in JSONL_SUFFIXES:  # a record at a time: one oversized line costs only itself
        yield from _jsonl_file(path, max_bytes)
        return
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield Rejection(source, "file_too_large", f"{size} bytes exceeds the limit of {max_bytes}")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Rejection(source, "unreadable", exc.strerror or str(exc))
        return
    sha = content_id(data.decode("latin-1"))
    if not data.strip():
        yield Rejection(source, "empty_file", "no content" if not data else "whitespace only", sha)
        return
    try:
        text, encoding, guessed, flags = decode_bytes(data)
    except DecodeError as exc:
        yield Rejection(source, exc.reason, exc.detail, sha)
        return
    if not text.strip():
        yield Rejection(source, "empty_file", "whitespace only", sha)
        return

    stem = path.stem
    common = dict(source_path=source, encoding=encoding, encoding_guessed=guessed, flags=flags)
    if suffix in HTML_SUFFIXES:
        yield RawDocument(external_id=stem, input_format="html", html=text, **common)
    else:
        header_date, body = split_seed_header(text)
        yield RawDocument(external_id=stem, input_format="txt", text=body, date=header_date, **common)


_ID_CONTROLS = re.compile(r"[\x00-\x1f\x7f]+")


def clean_id(value: str) -> str:
    """An id as stored: control characters (NUL, newlines, tabs) become one space, ends
    trimmed, at most 512 characters; path separators are kept (they are only text here)."""
    return _ID_CONTROLS.sub(" ", value).strip()[:512]


def split_seed_header(text: str) -> tuple[str | None, str]:
    """' date YYYY-MM-DD <first page line>' -> ('YYYY-MM-DD', text without the header).

    The header is optional; the date is returned as written and validated later.
    """
    match = _SEED_HEADER.match(text)
    if not match:
        return None, text
    return match.group(1), text[match.end() :]


def _jsonl_file(path: Path, max_bytes: int) -> Iterator[RawDocument | Rejection]:
    """A JSON Lines file read a line at a time (files of any size: the limit applies to each
    record), each line decoded on its own (UTF-8, else guessed like a page)."""
    source = str(path)
    handle = open_binary(path)
    if isinstance(handle, Rejection):
        yield handle
        return
    seen_any = False
    with handle:
        head = handle.read(8)
        for magic, name in BINARY_MAGIC.items():
            if head.startswith(magic):
                yield Rejection(source, "binary_file", f"looks like a {name}")
                return
        handle.seek(len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0)
        for lineno, raw in enumerate(handle, start=1):
            where = f"{source}#L{lineno}"
            if len(raw) > max_bytes:
                seen_any = True
                yield Rejection(
                    where, "record_too_large", f"line {lineno}: {len(raw)} bytes exceeds the limit of {max_bytes}"
                )
                continue
            if not raw.strip():
                continue
            seen_any = True
            try:
                line, encoding, guessed, flags = decode_bytes(raw)
            except DecodeError as exc:
                yield Rejection(where, exc.reason, f"line {lineno}: {exc.detail}", content_id(raw.decode("latin-1")))
                continue
            common = {"source_path": source, "encoding": encoding, "encoding_guessed": guessed, "flags": flags}
            yield _jsonl_record(line.strip("\r\n"), lineno, path.stem, common)
    if not seen_any:
        yield Rejection(source, "empty_file", "no records")


def _jsonl_documents(text: str, stem: str, common: dict) -> Iterator[RawDocument | Rejection]:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield _jsonl_record(line, lineno, stem, common)


def _jsonl_record(line: str, lineno: int, stem: str, common: dict) -> RawDocument | Rejection:
    source = common["source_path"]
    where = f"{source}#L{lineno}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Rejection(where, "invalid_json", f"line {lineno}: {exc.msg} at column {exc.colno}", content_id(line))
    if not isinstance(record, dict):
        return Rejection(
            where, "invalid_record", f"line {lineno}: expected an object, got {type(record).__name__}", content_id(line)
        )
    body_field = "text" if record.get("text") not in (None, "") else "html"
    body = record.get(body_field)
    if body is None or body == "":
        return Rejection(where, "missing_field", f"line {lineno}: needs a non-empty 'text' or 'html'", content_id(line))
    bad = [
        k
        for k in ("text", "html", "url", "date", "outlet", "title", "language")
        if record.get(k) is not None and not isinstance(record[k], str)
    ]
    if bad or not isinstance(record.get("id", ""), (str, int)):
        fields = bad or ["id"]
        return Rejection(
            where, "invalid_field_type", f"line {lineno}: {', '.join(fields)} must be a string", content_id(line)
        )
    if not body.strip():
        return Rejection(where, "empty_file", f"line {lineno}: {body_field} is whitespace only", content_id(line))
    external_id = clean_id(str(record["id"])) if record.get("id") not in (None, "") else ""
    external_id = external_id or f"{stem}:{lineno}"
    return RawDocument(
        external_id=external_id,
        input_format="jsonl",
        text=body if body_field == "text" else None,
        html=body if body_field == "html" else None,
        url=record.get("url"),
        date=record.get("date"),
        outlet=record.get("outlet"),
        title=record.get("title"),
        language=record.get("language"),
        source_path=where,
        encoding=common["encoding"],
        encoding_guessed=common["encoding_guessed"],
        flags=list(common.get("flags", [])),
    )
