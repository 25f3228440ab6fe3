"""Entity mentions with one canonical name per real-world entity.

Surface variants are merged in order of confidence: the curated alias list, acronyms the
article itself defines ("Democratic People's Republic of Korea (DPRK)"), and short
person names that extend to the one full name of that person in the same article
("Biden" -> "Joe Biden"). Anything else keeps its own (normalised) name: never merge two
different entities.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from ..records import Mention
from . import budget
from .aliases import ALIASES

KEPT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}

_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_EDGE_PUNCT = " \t\n,.;:!?\"'“”‘’()[]{}-—–"
_ACRONYM_DEF = re.compile(
    r"((?:[A-Z][\w'’-]*|of|the|and|for|&)(?:\s+(?:[A-Z][\w'’-]*|of|the|and|for|on|&)){1,8})\s+\(([A-Z][A-Z.&-]{1,8})\)"
)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of a mention without a leading 'the', a possessive or edge punctuation, so
    that body_text[start:end] is the name itself."""
    span = text[start:end]
    while span and span[0] in _EDGE_PUNCT:
        start, span = start + 1, span[1:]
    match = _LEADING_THE.match(span)
    if match:
        start, span = start + match.end(), span[match.end() :]
    match = _POSSESSIVE.search(span)
    if match and len(span) > 2:
        end, span = end - len(match.group(0)), span[: match.start()]
    while span and span[-1] in _EDGE_PUNCT.replace(".", ""):
        end, span = end - 1, span[:-1]
    # A final period belongs to abbreviations (U.S.) but not to a sentence end (Korea.).
    if span.endswith(".") and not re.search(r"\b\w\.\w\.$|\b[A-Z][a-z]{0,3}\.$", span):
        end, span = end - 1, span[:-1]
    return start, end


def normalise(surface: str) -> str:
    edges = _EDGE_PUNCT.replace(".", "")
    surface = " ".join(surface.split()).strip(edges)
    surface = _LEADING_THE.sub("", surface)
    surface = _POSSESSIVE.sub("", surface)
    return surface.strip(edges)


def acronym_definitions(text: str) -> dict[str, str]:
    """Acronyms an article defines in parentheses, checked against the name's initials."""
    found = {}
    for match in _ACRONYM_DEF.finditer(text):
        name, acronym = match.group(1), match.group(2).replace(".", "")
        words = [w for w in name.split() if w[0].isupper()]
        for skip in range(len(words)):
            initials = "".join(w[0] for w in words[skip:])
            if initials == acronym or initials.replace("&", "") == acronym:
                found[acronym.casefold()] = " ".join(name.split()[name.split().index(words[skip]) :])
                break
    return found


def _key(surface: str) -> str:
    return surface.casefold().replace("’", "'")


def canonicalise(mentions: list[Mention], text: str) -> list[Mention]:
    """Fill canonical_name for one article's mentions, and make each canonical entity's
    label consistent inside the article (majority label)."""
    acronyms = acronym_definitions(text)
    full_persons = [
        normalise(m.mention_text)
        for m in mentions
        if m.label == "PERSON" and len(normalise(m.mention_text).split()) >= 2
    ]
    for mention in mentions:
        surface = normalise(mention.mention_text)
        key = _key(surface)
        if key in acronyms:
            surface = acronyms[key]
            key = _key(surface)
        if key in ALIASES:
            mention.canonical_name, mention.label = ALIASES[key]
            continue
        if len(surface.split()) == 1:
            longer = {p for p in full_persons if surface in p.split()}
            if mention.label != "PERSON":
                # "Menendez" the small model took for an ORG or a place, in an article that
                # names Bob Menendez: his surname (CoNLL-2003 dev F1 0.694 -> 0.711; PolNeAR
                # train strict speaker accuracy 0.889 -> 0.894)
                longer = {p for p in longer if p.split()[-1] == surface}
            if len(longer) == 1:
                surface = longer.pop()
                mention.label = "PERSON"
                if _key(surface) in ALIASES:
                    mention.canonical_name, mention.label = ALIASES[_key(surface)]
                    continue
        mention.canonical_name = surface
    # One label per entity in an article: the majority label of its mentions.
    labels: dict[str, Counter] = defaultdict(Counter)
    for mention in mentions:
        labels[mention.entity_key][mention.label] += 1
    for mention in mentions:
        if _key(mention.canonical_name) not in ALIASES:
            mention.label = labels[mention.entity_key].most_common(1)[0][0]
    return [m for m in mentions if m.canonical_name]


def mentions_from_doc(doc, text: str | None = None) -> list[Mention]:
    """spaCy entities of the kinds we keep, trimmed and canonicalised."""
    text = doc.text if text is None else text
    mentions = []
    for ent in doc.ents:
        if ent.label_ not in KEPT_LABELS:
            continue
        start, end = trim_span(text, ent.start_char, ent.end_char)
        if end - start < 2 or not any(ch.isalpha() for ch in text[start:end]):
            continue
        mentions.append(Mention(start, end, text[start:end], ent.label_))
    return canonicalise(propagate(without_common_nouns(mentions, doc, text), text), text)


_SENTENCE_END = ".!?:;\n"
_OPENERS = " \t\"'“‘(["


def _starts_sentence(text: str, start: int) -> bool:
    """Whether a word at `start` opens a sentence, a line or the text (where any word is
    capitalised), looking back past spaces and opening quotes."""
    before = text[:start].rstrip(_OPENERS)
    return not before or before[-1] in _SENTENCE_END


def _used_as_common_noun(doc, words: set[str], surface: str, occurrences: list[tuple[int, int]]) -> bool:
    """Evidence that a capitalised word opening sentences is a common noun: the article also
    writes it in lowercase ("Almond growers ... almonds"), it has a plural ending
    ("Reservoirs"), or it modifies a lowercase noun ("Almond growers")."""
    lower = surface.lower()
    if lower in words or lower + "s" in words:
        return True
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is", "'s", "’s")):
        return True
    for start, end in occurrences:
        span = doc.char_span(start, end)
        if span is not None and span.root.dep_ == "compound" and span.root.head.is_lower:
            return True
    return False


def without_common_nouns(mentions: list[Mention], doc, text: str) -> list[Mention]:
    """PERSON mentions that are no name: the small model tags lowercase phrases ("harbour
    bridge") and capitalised common nouns at the start of a sentence ("Almond growers say
    ...", "Reservoirs across the region hold ..."). A one-word PERSON is dropped where every
    occurrence opens a sentence, no fuller PERSON name in the article contains it, and the
    word reads as a common noun (_used_as_common_noun); a surname opening a sentence ("Kim
    later flew to Tokyo") stays a person, for the story's full name to claim it."""
    persons = {m.mention_text for m in mentions if m.label == "PERSON"}
    in_longer = {w for p in persons if len(p.split()) > 1 for w in p.split()}
    dropped, words_of_text = set(), None
    for surface in persons:
        words = surface.split()
        if not any(w[:1].isupper() for w in words):
            dropped.add(surface)
            continue
        if len(words) != 1 or surface in in_longer:
            continue
        occurrences = list(_whole_word_occurrences(text, surface))
        if all(_starts_sentence(text, s) for s, _ in occurrences):
            words_of_text = words_of_text or set(re.findall(r"\w+", text))  # once, and only if needed
            if _used_as_common_noun(doc, words_of_text, surface, occurrences):
                dropped.add(surface)
    return [m for m in mentions if not (m.label == "PERSON" and m.mention_text in dropped)]


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _whole_word_occurrences(text: str, surface: str):
    """(start, end) of each occurrence of `surface` not inside a longer word: str.find, as a
    regex per name scanned every article once per name and cost a third of annotation."""
    start = text.find(surface)
    while start != -1:
        end = start + len(surface)
        if (start == 0 or not _is_word_char(text[start - 1])) and (end == len(text) or not _is_word_char(text[end])):
            yield start, end
        start = text.find(surface, start + 1)


def propagate(mentions: list[Mention], text: str) -> list[Mention]:
    """Document-level consistency: a name the model tagged once is tagged at its other,
    untagged occurrences in the same article (whole words, same spelling), and so is the
    last word of a person's full name written alone ("Ray Castillo ... Castillo said"),
    which the small model often misses after the first mention."""
    taken = [(m.start_char, m.end_char) for m in mentions]
    added = []
    surfaces = {m.mention_text: m.label for m in mentions if len(m.mention_text) >= 3 and m.mention_text[0].isupper()}
    labels = {
        surface: Counter(m.label for m in mentions if m.mention_text == surface).most_common(1)[0][0]
        for surface in surfaces
    }
    for m in mentions:
        words = m.mention_text.split()
        if m.label == "PERSON" and len(words) >= 2 and len(words[-1]) >= 3 and words[-1][0].isupper():
            labels.setdefault(words[-1], "PERSON")
    covered = bytearray(len(text) + 1)  # characters inside a mention: one lookup per occurrence, not a scan
    for s, e in taken:
        covered[s:e] = b"\x01" * (e - s)
    for surface in sorted(labels, key=len, reverse=True):
        budget.check()  # one str.find scan of the text per name
        for span in _whole_word_occurrences(text, surface):
            if any(covered[span[0] : span[1]]):
                continue
            covered[span[0] : span[1]] = b"\x01" * (span[1] - span[0])
            added.append(Mention(span[0], span[1], surface, labels[surface]))
    return sorted(mentions + added, key=lambda m: m.start_char)
