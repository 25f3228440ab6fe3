"""Bytes -> text: BOMs, UTF-8 with a few broken bytes, legacy code pages guessed, binary
refused; for HTML fetched over HTTP, the charset its header or its <meta> declares."""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from ..records import Rejection

# Magic numbers of formats people drop into folders by mistake.
BINARY_MAGIC = {
    b"\x89PNG": "PNG image",
    b"%PDF": "PDF document",
    b"GIF8": "GIF image",
    b"\xff\xd8\xff": "JPEG image",
    b"PK\x03\x04": "ZIP archive",
    b"\x1f\x8b": "gzip archive",
    b"\x7fELF": "ELF executable",
}
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def open_binary(path: Path) -> BinaryIO | Rejection:
    """An input file opened for reading bytes, or its rejection with the system's reason."""
    try:
        return path.open("rb")
    except OSError as exc:
        return Rejection(str(path), "unreadable", exc.strerror or str(exc))


class DecodeError(Exception):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def _legacy_encoding(data: bytes) -> str:
    """The 8-bit code page of bytes that are not UTF-8, guessed by charset-normalizer.
    Several code pages decode Western text identically; among the plausible ones, prefer
    cp1252, by far the most common for English news."""
    best = from_bytes(data).best()
    encoding = best.encoding if best is not None else "cp1252"
    try:
        if best is None or data.decode("cp1252") == str(best):
            encoding = "cp1252"
    except UnicodeDecodeError:
        pass
    return "cp1252" if encoding in {"ascii", "utf_8"} else encoding


def decode_bytes(data: bytes) -> tuple[str, str, bool, list[str]]:
    """Bytes -> (text, encoding, encoding_was_guessed, flags).

    Raises DecodeError for input that is not text. UTF-8 is tried first; a file that is
    UTF-8 with a few broken bytes keeps its UTF-8 and has the broken bytes replaced, while
    a file with no valid multi-byte sequence at all is a legacy 8-bit encoding and is
    guessed (cp1252/latin-1 mostly) by charset-normalizer.
    """
    for magic, name in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise DecodeError("binary_file", f"looks like a {name}")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding, False, []
            except UnicodeDecodeError as exc:
                raise DecodeError("undecodable_text", f"{encoding} BOM but invalid data: {exc}") from exc

    flags: list[str] = []
    sample = data[:65536]
    nuls = sample.count(b"\x00")
    if nuls > max(8, len(sample) // 100):
        raise DecodeError("binary_file", f"{nuls} NUL bytes in the first {len(sample)} bytes")
    if b"\x00" in data:
        data = data.replace(b"\x00", b"")
        flags.append("nul_bytes_removed")

    try:
        text, encoding, guessed = data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        lenient = data.decode("utf-8", errors="replace")
        broken = lenient.count("\ufffd")
        multibyte_ok = sum(1 for ch in lenient if ord(ch) > 127 and ch != "\ufffd")
        if multibyte_ok > broken:
            text, encoding, guessed = lenient, "utf-8", False
            flags.append(f"invalid_utf8_replaced:{broken}")
        else:
            encoding = _legacy_encoding(data)
            text, guessed = data.decode(encoding, errors="replace"), True
    controls = len(_CONTROL.findall(text[:65536]))
    if controls > max(8, len(text[:65536]) // 20):
        raise DecodeError("binary_file", f"{controls} control characters: not text")
    return text, encoding, guessed, flags


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]+)", re.IGNORECASE)


def declared_charsets(data: bytes, content_type: str | None) -> list[str]:
    """The codecs the response declares, header first, then the page's <meta> (its first
    4 KB, where a browser looks), each a name Python knows."""
    found = []
    header = _HEADER_CHARSET.search(content_type or "")
    meta = _META_CHARSET.search(data[:4096])
    for name in (header.group(1) if header else None, meta.group(1).decode("ascii") if meta else None):
        try:
            codec = codecs.lookup(name).name if name else None
        except LookupError:
            continue
        # as browsers do (WHATWG Encoding): a page labelled latin-1 or ascii is read as cp1252
        codec = "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec
        if codec and codec not in found:
            found.append(codec)
    return found


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, str, bool, list[str]]:
    """decode_bytes() for a web page: the declared charset is used when the bytes are
    valid in it, except that valid multi-byte UTF-8 is UTF-8 whatever the label (the common
    mislabel: a UTF-8 page served as ISO-8859-1; by chance, cp1252 text is almost never
    valid UTF-8). A label the bytes contradict is flagged, and the bytes decoded as if unlabelled."""
    declared = declared_charsets(data, content_type)
    if not declared or data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_bytes(data)
    try:
        text = data.decode("utf-8")
        if not text.isascii():
            flags = [] if declared[0] == "utf-8" else [f"charset_mislabelled:{declared[0]}"]
            return text, "utf-8", False, flags
    except UnicodeDecodeError:
        pass
    for codec in declared:
        try:
            return data.decode(codec), codec, False, []
        except (UnicodeDecodeError, LookupError):
            continue
    text, encoding, guessed, flags = decode_bytes(data)
    return text, encoding, guessed, [*flags, f"charset_mislabelled:{declared[0]}"]
