"""Text features for comparing articles: words, light stems, sentences, shingles."""
from __future__ import annotations

import hashlib
import re

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n")
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers herself
him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or
other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves said says say told according mr mrs ms s t don didn doesn isn wasn weren won
""".split())


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def stem(word: str) -> str:
    """A deliberately light suffix-stripper: enough to match 'exported' with 'export' in a
    paraphrase, cheap enough for every word of every article."""
    word = word.split("'")[0]
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_stems(text: str) -> list[str]:
    return [stem(w) for w in words(text) if w not in STOPWORDS and not w.isdigit() or w.isdigit() and len(w) > 1]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _hash64(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "little")


def shingles(text: str, k: int = 5) -> set[int]:
    """Hashed k-word shingles of the text: the unit of verbatim overlap."""
    tokens = words(text)
    if len(tokens) < k:
        return {_hash64(" ".join(tokens))} if tokens else set()
    return {_hash64(" ".join(tokens[i : i + k])) for i in range(len(tokens) - k + 1)}


def numbers(text: str) -> set[str]:
    return set(re.findall(r"\b\d[\d,.]*\b", text))
