"""Attribution: every cue with a subject gives a speaker and a content: the quotes in its
sentence (direct), its clausal complement (indirect), or a complement that holds quoted
fragments (mixed); headline-style "Name: words" lines; a quote split by its attribution is
one quote."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass

from .. import budget
from .cues import (
    _CONTENT_DEPS,
    _DROP_FROM_SPEAKER,
    _KEEP_PREP_HEADS,
    _LONG_OBJECT,
    _NO_OBJECT_CONTENT,
    _OBJECT_DEPS,
    _SAY_FORMS,
    _SPEAKER_LABELS,
    _VIEW_HOLDER_HEADS,
    CUE_FORMS,
    _is_cue,
    _subject,
    is_direct_cue,
    reports_as_role,
)
from .spans import CLOSING_MARKS, _alpha, _overlaps, _strip


def phrase_tokens(head) -> list:
    """The noun phrase headed by `head`, without relative clauses, appositions and
    conjuncts ("the official, who was described as ..." -> "the official")."""
    keep = [head]
    for child in head.children:
        if child.dep_ in _DROP_FROM_SPEAKER:
            if child.dep_ == "prep" and head.lower_ in _KEEP_PREP_HEADS and child.i > head.i:
                keep.extend(child.subtree)
            continue
        keep.extend(child.subtree)
    low, high = min(t.i for t in keep), max(t.i for t in keep)
    doc = head.doc
    while low < high and (doc[low].is_punct or doc[low].is_space):
        low += 1
    while high > low and (doc[high].is_punct or doc[high].is_space):
        high -= 1
    return list(doc[low : high + 1])


def _in_order(tokens) -> list:
    """Tokens in text order. Token.subtree is not, where the parse is non-projective (an
    apposition hung on a word left of its head's head): a reported clause's second piece came
    out as (245, 243), an inverted span, in a 20,000-article run (2026-12-04)."""
    return sorted(tokens, key=lambda t: t.i)


def _span_chars(tokens) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _subtree_chars(root, exclude=None) -> tuple[int, int]:
    tokens = [t for t in root.subtree if exclude is None or t not in exclude]
    tokens.sort(key=lambda t: t.i)
    # Keep the contiguous run that contains the root.
    ids = [t.i for t in tokens]
    low = high = ids.index(root.i)
    while low > 0 and ids[low - 1] == ids[low] - 1:
        low -= 1
    while high < len(ids) - 1 and ids[high + 1] == ids[high] + 1:
        high += 1
    run = tokens[low : high + 1]
    while len(run) > 1 and (run[0].is_punct or run[0].lower_ in ("that", ",")):
        run = run[1:]
    while len(run) > 1 and run[-1].is_punct and run[-1].text not in CLOSING_MARKS:
        run = run[:-1]
    return _span_chars(run)


def _content_of(cue):
    """(start, end) of what the cue attributes, from the parse; None when it has none: the
    first of the readings below that finds one."""
    if cue.lower_ == "according":
        return _according_to(cue)
    if _on_another_cue(cue):
        # '"Be very conservative," Trump said, adding a plug for himself': "adding" reports
        # a clause of its own or nothing; hung on "said", the readings below gave it said's
        # clause, quotation and speaker included, and it took the quotation from "said"
        # (PolNeAR train: quotations 0.8412 -> 0.8417, all 0.6197 -> 0.6204; dev 0.8492 ->
        # 0.8492, 0.6508 -> 0.6514). A verb of stance beside the cue keeps its object ("denied
        # the report, calling it a fabrication"); inside the cue's reported clause ("Cruz
        # says he supports the bill") it is what that cue reports, not a second attribution
        # (train all 0.6204 -> 0.6223, dev 0.6514 -> 0.6542; quotations 0.8417 -> 0.8416, dev 0.8492).
        found = _clausal_complement(cue) or _clause_under_prep(cue)
        if found or cue.lower_ in CUE_FORMS or cue.dep_ == "ccomp":
            return found
        return _object_as_view(cue)
    for reading in (_clausal_complement, _clause_under_prep, _long_object_of_say, _hanging_cue, _object_as_view):
        found = reading(cue)
        if found is not None:
            return found
    return None


def _hangs_back(cue) -> bool:
    """Whether the parse hangs the cue off a verb before it."""
    return cue.dep_ in ("parataxis", "ccomp", "advcl") and cue.head.i < cue.i


def _on_another_cue(cue) -> bool:
    """Whether the cue hangs off a cue verb before it ("said, adding", "said she recalled")."""
    return _hangs_back(cue) and cue.head.lower_ in CUE_FORMS


def _according_to(cue):
    """'according to X': the rest of the sentence, on the side away from X."""
    sent = cue.sent
    phrase = _in_order(cue.subtree)
    p_start, p_end = phrase[0].i, phrase[-1].i
    if p_start - sent.start <= 1:
        rest = [t for t in sent if t.i > p_end and not (t.i == p_end + 1 and t.is_punct)]
    else:
        rest = [t for t in sent if t.i < p_start]
    rest = [t for t in rest if not t.is_space]
    while rest and (rest[0].is_punct or rest[0].is_quote):
        rest = rest[1:]
    while rest and rest[-1].is_punct:
        rest = rest[:-1]
    return _span_chars(rest) if rest else None


def _clausal_complement(cue):
    for child in cue.children:
        if child.dep_ in _CONTENT_DEPS:
            return _subtree_chars(child)
    return None


def _clause_under_prep(cue):
    """ "said on Friday during a news conference that he may wait": the parser hangs the
    reported clause on the nearest noun, as a relative clause opened by "that" as a
    conjunction (mark). It marks a few true relative clauses so too, but under the
    cue's own prepositional phrase the reported clause is the likelier reading."""
    for token in cue.rights:
        if token.dep_ == "prep":
            for clause in token.subtree:
                if clause.dep_ in ("relcl", "acl") and any(
                    c.dep_ == "mark" and c.lower_ == "that" for c in clause.lefts
                ):
                    return _subtree_chars(clause)
    return None


def _long_object_of_say(cue):
    """ "McCain says the movement that's sweeping the country appeals to ...": a long object
    of "say" holding a clause is a reported clause the parser read as a noun phrase
    ("said a short prayer for the victims" holds none)."""
    if cue.lower_ not in _SAY_FORMS:
        return None
    obj = next((c for c in cue.rights if c.dep_ == "dobj"), None)
    if (
        obj is None
        or sum(1 for t in obj.subtree if not t.is_punct) < _LONG_OBJECT
        or not any(t.dep_ in ("relcl", "acl", "ccomp") for t in obj.subtree)
    ):
        return None
    rest = [t for t in cue.sent if t.i > cue.i and not t.is_space]
    while rest and rest[-1].is_punct and not rest[-1].is_quote:
        rest = rest[:-1]
    return _span_chars(rest) if rest else None


def _hanging_cue(cue):
    """ "..., the ministry said." parsed with the cue hanging off the content's verb."""
    if _hangs_back(cue) and cue.lower_ in CUE_FORMS:
        return _subtree_chars(cue.head, exclude=set(cue.subtree))
    return None


def _object_as_view(cue):
    """ "accused Sanders of an 'artful smear'", "called for a ban": the object is the view."""
    if cue.lower_ in _NO_OBJECT_CONTENT:
        return None
    objects = _in_order(t for c in cue.rights if c.dep_ in _OBJECT_DEPS for t in c.subtree)
    objects = [t for t in objects if not t.is_space]
    while objects and objects[-1].is_punct and objects[-1].text not in CLOSING_MARKS:
        objects.pop()
    return (objects[0].idx, objects[-1].idx + len(objects[-1].text)) if objects else None


def _around_parenthetical(cue) -> tuple[tuple[int, int], ...]:
    """A cue set off inside the clause it reports ("This campaign, he says, is different"),
    parsed as parataxis of that clause's verb, which follows it: the clause around the cue,
    as two pieces; () for any other cue."""
    if cue.dep_ != "parataxis" or cue.head.i <= cue.i or cue.lower_ not in CUE_FORMS:
        return ()
    inner = [t.i for t in cue.subtree]
    first, last = min(inner), max(inner)
    clause = _in_order(t for t in cue.head.subtree if not first <= t.i <= last and not t.is_space)
    pieces = []
    for piece in ([t for t in clause if t.i < first], [t for t in clause if t.i > last]):
        while piece and piece[0].is_punct and not piece[0].is_quote:
            piece = piece[1:]
        while piece and piece[-1].is_punct and not piece[-1].is_quote:
            piece = piece[:-1]
        if not piece:
            return ()
        pieces.append(_span_chars(piece))
    return tuple(pieces)


@dataclass
class _Attribution:
    cue: object
    subject: object
    content: tuple[int, int]
    quote_type: str
    parts: tuple[tuple[int, int], ...] = ()  # a quote split by its attribution: the quoted pieces
    named: tuple[int, int] | None = None  # where the speaker's name is, when the parse may run past it

    def text(self, text: str) -> str:
        return " ".join(text[s:e] for s, e in self.parts or (self.content,))


class _Spans:
    """The quoted spans (sorted, disjoint) looked up by bisection, not scanned once per cue:
    a page made of quotation marks made that quadratic."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = spans
        self.starts, self.ends = [s for s, _ in spans], [e for _, e in spans]

    def inside(self, position: int) -> bool:
        k = bisect_right(self.starts, position) - 1
        return k >= 0 and position < self.ends[k]

    def overlapping(self, start: int, end: int) -> range:
        return range(bisect_right(self.ends, start), bisect_left(self.starts, end))

    def first_unused_starting(self, low: int, high: int, used: set[int]) -> int | None:
        """The first span not in `used` that starts between low and high."""
        k = bisect_left(self.starts, low)
        while k < len(self.starts) and self.starts[k] <= high:
            if k not in used:
                return k
            k += 1
        return None


def attribute(doc, spans: list[tuple[int, int]], text: str | None = None) -> list[_Attribution]:
    text = doc.text if text is None else text  # doc.text joins every token: once per article
    used: set[int] = set()
    index = _Spans(spans)
    found: list[_Attribution] = _before_colon(doc, index, text, used)
    for sent in doc.sents:
        budget.check()
        overlapping = index.overlapping(sent.start_char, sent.end_char)  # once a sentence, not once a cue
        cues = []
        for cue in sent:
            if index.inside(cue.idx):
                continue
            direct_only = not _is_cue(cue)
            as_role = direct_only and reports_as_role(cue)
            if as_role:
                direct_only = False
            elif direct_only and not (len(overlapping) and is_direct_cue(cue)):
                continue
            subject = _subject(cue, skip=lambda token: index.inside(token.idx))
            if subject is None or index.inside(subject.idx):
                continue
            cues.append(_Cue(cue, subject, direct_only, reports_only=as_role))
        found += _attribute_sentence(cues, sent, overlapping, index, text, used)
    _continue_speakers(spans, text, found, used)
    found.extend(a for a in _colon_lines(doc, text) if not any(_overlaps(a.content, b.content) for b in found))
    cues = sorted((a.cue.idx, a.cue.idx + len(a.cue.text), n) for n, a in enumerate(found))
    found = [a for n, a in enumerate(found) if not _is_other_attribution(n, a, cues)]
    found = [a for a in found if not (a.quote_type == "direct" and _is_title(text[a.content[0] : a.content[1]]))]
    found.sort(key=lambda a: a.content)
    return [_trimmed(a, text) for a in _join_split_quotes(found, text)]


@dataclass
class _Cue:
    token: object
    subject: object
    direct_only: bool  # a verb that only sets off a quotation ("continued", "read")
    parts: tuple[tuple[int, int], ...] = ()
    content: tuple[int, int] | None = None
    reports_only: bool = False  # owns no quotation (see cues.reports_as_role)

    def __post_init__(self):
        if not self.direct_only:
            self.parts = _around_parenthetical(self.token)
            self.content = (self.parts[0][0], self.parts[-1][1]) if self.parts else _content_of(self.token)


def _attribute_sentence(cues: list[_Cue], sent, overlapping: range, index: _Spans, text: str, used: set[int]):
    """What the cues of one sentence attribute: each quotation of the sentence goes to one
    cue (see _owner), then each cue its quotations or, without any, its reported clause."""
    spans, sent_range = index.spans, (sent.start_char, sent.end_char)
    in_sentence = [k for k in overlapping if k not in used and _overlaps(spans[k], sent_range)]
    owners = {k: _owner(spans[k], cues, text) for k in in_sentence} if cues else {}
    found = []
    for n, cue in enumerate(cues):
        found += _attribute_cue(cue, [k for k in in_sentence if owners[k] == n], sent, index, text, used)
    return found


def _owner(span: tuple[int, int], cues: list[_Cue], text: str) -> int:
    """The cue a quotation belongs to: the one whose reported clause holds it (the outermost:
    in "Trump said that Clinton once described the deal as “the gold standard”" the
    annotation's speaker is Trump), else the sentence's first cue. The first cue took every
    quotation of its sentence, so "when I emailed him to thank him, he replied, “...”" gave
    the reply to "thank" (PolNeAR train, 2026-12-03: quotations 0.807 -> 0.824; holding the
    innermost 0.819, the nearest cue instead of the first for the rest the same)."""
    holding = [n for n, c in enumerate(cues) if c.content and _overlaps(span, c.content) and not c.reports_only]
    if holding:
        return max(holding, key=lambda n: cues[n].content[1] - cues[n].content[0])
    # '...: "Securing our borders ...," the senator says': the cue right after the quotation
    # (PolNeAR strict speaker on quotations: train 0.9012 -> 0.9013, dev 0.8832 -> 0.8849)
    owners = [n for n, c in enumerate(cues) if not c.reports_only]
    return next((n for n in owners if _right_after_quotation(span, cues[n], text)), owners[0] if owners else -1)


def _right_after_quotation(span, cue, text: str) -> bool:
    """Whether the cue or its subject follows the quotation's end with only its closing mark,
    a comma and spaces between ('"...," the senator says', '"...," said Smith')."""
    start = min(cue.token.idx, cue.subject.left_edge.idx)
    gap = text[span[1] : start]  # the text, not doc.text: that joins every token at each call
    return span[1] <= start and len(gap) <= 5 and all(ch.isspace() or ch in ",”\"'’" for ch in gap)


def _attribute_cue(cue: _Cue, mine: list[int], sent, index: _Spans, text: str, used: set[int]) -> list[_Attribution]:
    """What one cue attributes: its quotations (direct), its reported clause (indirect, or
    mixed where quoted fragments sit in it), or the quotation opening the next sentence
    ("He said:"). A direct-only cue attributes its quotations only."""
    spans, content, token, subject = index.spans, cue.content, cue.token, cue.subject
    used.update(mine)
    if cue.direct_only:
        if not mine and (k := _quotation_ending_before(sent, index, text, used)) is not None:
            used.add(k)
            return [_Attribution(token, subject, spans[k], "direct")]
        return [_Attribution(token, subject, spans[k], "direct") for k in mine]
    if mine:
        content = _stretched(content, [spans[k] for k in mine], text, token.idx)
        inside = [k for k in mine if _overlaps(spans[k], content or (0, 0))]
        quoted = sum(_alpha(text[spans[k][0] : spans[k][1]]) for k in inside)
        unquoted = _alpha(text[content[0] : content[1]]) - quoted if content else 0
        # A quoted fragment inside the reported clause ('he voted "uncommitted."')
        # makes the clause a mixed quote; only a clause that is all quotation is direct.
        if inside and unquoted >= max(3, 0.1 * quoted):
            # Its other quotations go with it (a title or scare quote beside the clause: giving
            # them their own direct quote lost on both splits, 0.004-0.007 on dev).
            return [_Attribution(token, subject, content, "mixed", cue.parts)]
        return [_Attribution(token, subject, spans[k], "direct") for k in mine]
    if content and _alpha(text[content[0] : content[1]]) >= 8:
        return [_Attribution(token, subject, content, "indirect", cue.parts)]
    if cue.reports_only:
        return []
    # "He said:" then the quotation. Only after a colon or comma: a sentence that ends
    # ("Muir asked who would win.") leaves the next quotation to the cue of its own sentence.
    k = index.first_unused_starting(sent.end_char, sent.end_char + 3, used)
    if k is None or not _opens_quotation(text, sent.end_char):
        # '“Does he not understand that?” Biden said.': the parser ends the sentence at the
        # quotation's question mark, and "Biden said." reports the quotation just before it
        k = _quotation_ending_before(sent, index, text, used)
        if k is None:
            return []
    used.add(k)
    return [_Attribution(token, subject, spans[k], "direct")]


def _quotation_ending_before(sent, index: _Spans, text: str, used: set[int]) -> int | None:
    """The unattributed quotation that ends right where the sentence starts (nothing but
    closing marks, punctuation and spaces between them)."""
    k = bisect_right(index.ends, sent.start_char) - 1
    if k < 0 or k in used or sent.start == 0:
        return None
    between = text[index.ends[k] : sent.start_char]
    if "\n" in between or not all(ch.isspace() or ch in _AFTER_QUOTATION for ch in between):
        return None
    # the quotation is a sentence of its own, not a phrase quoted at the end of one
    before = text[sent.doc[sent.start - 1].sent.start_char : index.starts[k]]
    return k if all(ch.isspace() or ch in _BEFORE_QUOTATION for ch in before) else None


_AFTER_QUOTATION = frozenset("”»\"'’.!?,")
_BEFORE_QUOTATION = frozenset("“«\"'‘")


def _opens_quotation(text: str, end: int) -> bool:
    """Whether the sentence ending at `end` introduces what follows (its last mark a colon
    or comma)."""
    stripped = text[:end].rstrip()
    return stripped.endswith((":", ","))


def _continue_speakers(spans, text: str, found: list[_Attribution], used: set[int]) -> None:
    """A quotation with no cue of its own continues the speaker of the quotation just before
    it (a quote running over paragraphs, or a speaker quoted twice in a row)."""
    by_end = sorted((a.content[1], n) for n, a in enumerate(found))  # (end, position in found)
    for k, span in enumerate(spans):
        budget.check()
        if k in used or _alpha(text[span[0] : span[1]]) < 20:
            continue
        j = bisect_right(by_end, (span[0], len(found))) - 1  # the attribution ending last before it
        if j >= 0 and span[0] - by_end[j][0] < 400:
            prev = found[by_end[bisect_left(by_end, (by_end[j][0], -1))][1]]  # on a tie, the first found
            if _on_another_cue(prev.cue):  # '"A," he said, referring to X. "B."': said's, not referring's
                prev = next((a for a in found if a.cue.i == prev.cue.head.i), prev)
            found.append(_Attribution(prev.cue, prev.subject, span, "direct"))
            insort(by_end, (span[1], len(found) - 1))
            used.add(k)


def _is_other_attribution(n: int, candidate: _Attribution, cues: list[tuple[int, int, int]]) -> bool:
    """A reported 'content' that ends at another attribution's cue is that attribution's
    speaker and cue ("Council member Dana Whitcombe, who sits on the board, said"), read by
    the parser as the object of a verb in what she said; it reports nothing. `cues` holds
    (start, end, position in found) of every cue, sorted."""
    if candidate.quote_type == "direct":
        return False
    start, end = candidate.content
    k = bisect_left(cues, (start, -1, -1))
    while k < len(cues) and cues[k][0] < end:  # cues inside the content; a cue is a word or two
        if cues[k][2] != n and end <= cues[k][1] + 1:
            return True
        k += 1
    return False


def _trimmed(attribution: _Attribution, text: str) -> _Attribution:
    """Content without edge whitespace: the blanked dateline before a first sentence
    ("FRESNO, Calif. — Deliveries will be cut, the agency said") is spaces in the parsed text."""
    attribution.content = _strip(text, *attribution.content)
    attribution.parts = tuple(_strip(text, s, e) for s, e in attribution.parts)
    return attribution


# A line's opening words up to its first colon, and what follows on the line.
_COLON_LINE = re.compile(r"^[ \t]*([^\n:]{1,60}?)[ \t]*:[ \t]*(.*)$", re.MULTILINE)


# Labels that head a line with a colon without attributing it to anyone.
_LINE_LABELS = {
    "latest",
    "note",
    "correction",
    "clarification",
    "update",
    "updated",
    "editor",
    "editor's",
    "editor’s",
    "photo",
    "photos",
    "video",
    "watch",
    "read",
    "related",
    "credit",
    "image",
    "images",
    "advertisement",
    "tags",
    "share",
    "listen",
    "source",
    "click",
    "subscribe",
    "contact",
    "email",
    "follow",
    "contributing",
    "breaking",
    "disclaimer",
    "transcript",
    "warning",
    "q",
    "question",
    "answer",  # interview furniture: Q: ... A: ...
}


def _name_shaped(words: list[str]) -> bool:
    """'Lynch', 'Ben Carson', 'KASICH': one to three capitalised words that neither open
    with an article ('The Latest') nor name a page label ('Correction', 'Photo')."""
    return (
        1 <= len(words) <= 3
        and all(w[:1].isupper() for w in words)
        and words[0].lower() not in ("the", "a", "an")
        and not any(w.lower().strip(".,") in _LINE_LABELS for w in words)
    )


def _is_name_list(line: str) -> bool:
    """ "Tim Albrecht, Brad Anderson, Rob Barron, ...": a list of names (a credit line, a
    panel's members) is what follows a label, not what someone said."""
    words = line.split()
    return line.count(",") >= 2 and sum(w[:1].isupper() for w in words) >= 0.7 * len(words)


def _colon_lines(doc, text: str) -> list[_Attribution]:
    """Headline style: a line 'Trump: We will build the wall' or 'Poll: Clinton leads'
    attributes the rest of the line to the name before the colon."""
    found = []
    for line in _COLON_LINE.finditer(text):
        budget.check()
        prefix = line.group(1)
        words = prefix.split()
        if len(words) > 5 or not prefix[:1].isupper() or any(ch.isdigit() for ch in prefix):
            continue
        if any(w.lower().strip(".,") in _LINE_LABELS for w in words):  # "Follow AWR Hawkins:", "Contributing:"
            continue
        start, end = _strip(text, line.start(2), line.end(2))
        if len(text[start:end].split()) < 3 or _is_name_list(text[start:end]):
            continue
        speaker = doc.char_span(line.start(1), line.end(1), alignment_mode="contract")
        colon = doc.char_span(line.end(1), start, alignment_mode="contract")
        if not speaker or colon is None or not any(t.text == ":" for t in colon):
            continue
        if not (
            any(t.ent_type_ in _SPEAKER_LABELS for t in speaker)
            or speaker[-1].lower_ in _VIEW_HOLDER_HEADS
            or _name_shaped(words)
        ):
            continue
        cue = next(t for t in colon if t.text == ":")
        found.append(_Attribution(cue, speaker.root, (start, end), "direct"))
    return found


_MAX_JOIN_GAP = 200


def _before_colon(doc, index: _Spans, text: str, used: set[int]) -> list[_Attribution]:
    """The quotations opened right after a colon, and whose they are: the name's before it, or
    the subject's of the clause it ends (_named_before_colon, _subject_before_colon)."""
    found = []
    names = {e.end_char: e for e in doc.ents}
    speakers = {end: e for end, e in names.items() if e.label_ in _SPEAKER_LABELS}
    for k, start in enumerate(index.starts):
        if k in used:
            continue
        base = max(0, start - 6)
        match = _QUOTE_AFTER_COLON.search(text[base:start])
        colon = match and doc.char_span(base + match.start(1), base + match.end(1))
        if not colon or index.inside(colon.start_char):
            continue
        name_end = colon.start_char  # spaces aside, read backwards: no copy of the text before it
        while name_end > 0 and text[name_end - 1] in " \t":
            name_end -= 1
        name = names.get(name_end)
        attribution = (
            _named_before_colon(name, colon, index.spans[k], speakers, text)
            if name is not None
            else _subject_before_colon(colon[0], index.spans[k], index, doc)
        )
        if attribution is not None:
            used.add(k)
            found.append(attribution)
    return found


def _named_before_colon(name, colon, span, speakers: dict, text: str) -> _Attribution | None:
    """'Pollsters agree - Carl Bialik: “One of the biggest lessons ...”', 'Clinton: "Our goal
    is ..." Bush: "The mission is ..."': a quotation opened right after a name and a colon is
    that name's, when the name opens its clause (after a line or sentence start, a dash or a
    quotation's end: not 'Smith told CNN: "..."', whose speaker is the subject)."""
    if name.label_ not in _SPEAKER_LABELS:
        return None
    first = _first_of_names(name, speakers, text)
    if not _opens_clause(text, first.start_char):
        return None
    # the names alone: a headline before them is parsed as their modifier ("JUST TOO EARLY - Mark Blumenthal")
    return _Attribution(colon[0], first.root, span, "direct", named=(first.start_char, name.end_char))


def _subject_before_colon(colon, span, index: _Spans, doc) -> _Attribution | None:
    """'Rubio fired back forcefully: "If they sue us ..."', 'Clinton seemed irritated: "..."':
    a quotation opened right after the colon that ends a sentence's main clause is what its
    subject said, whatever the verb (PolNeAR train: 29 quotations after a colon had no
    attribution, 38 another speaker; quotations 0.8428 -> 0.8431, strict speaker 0.9038 ->
    0.9039; dev 0.8504 -> 0.8512, 0.8887 -> 0.8889; no row fell). Not after a dash ('Media
    shares blame - HuffPollster: "..."'), nor a clause inside another ('the code of conduct
    the dynasty has long embodied: "..."'), nor where the verb is a cue, whose own readings
    place the quotation. (After a name the colon is _named_before_colon's: 'More from Jones:
    "..."', 'Smith told CNN: "..."', the speaker or whom it was said to.)"""
    verb = colon.head
    main_clause = verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
    if not main_clause or verb.i > colon.i or _is_cue(verb) or is_direct_cue(verb):
        return None
    if any(t.text in _DASHES for t in doc[verb.i : colon.i]):  # 'Media shares blame - HuffPollster:'
        return None
    subject = _subject(verb, skip=lambda token: index.inside(token.idx))
    if subject is None or index.inside(subject.idx):
        return None
    return _Attribution(verb, subject, span, "direct")


_DASHES = frozenset("-–—")
# the colon, spaces, and the opening mark (or two apostrophes) just before a quotation
_QUOTE_AFTER_COLON = re.compile(r"(:)[ \t\xa0]*[“\"«']{0,2}\Z")


def _first_of_names(ent, ending_at: dict, text: str):
    """The first name of 'Frank Newport and Jim Harter' (up to three names joined by 'and' or
    commas), given the last."""
    for _ in range(2):
        joiner = next((j for j in _NAME_JOINERS if text.endswith(j, 0, ent.start_char)), None)
        if joiner is None or ent.start_char - len(joiner) not in ending_at:
            break
        ent = ending_at[ent.start_char - len(joiner)]
    return ent


_NAME_JOINERS = (", and ", " and ", ", ")


def _opens_clause(text: str, start: int) -> bool:
    """Whether the text before `start` (spaces aside) is the text's start or ends a clause;
    read backwards a character at a time, never a copy of the text before it."""
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    if i < 0:
        return True
    if text[i] == ".":  # 'wrote of Ms. Merkel:': a title's full stop, the title outside the name found
        word = i
        while word > 0 and text[word - 1].isalpha():
            word -= 1
        if text[word:i].lower() in _TITLES:
            return False
    return text[i] in _OPENS_CLAUSE


_TITLES = frozenset({"mr", "mrs", "ms", "dr"})
_OPENS_CLAUSE = frozenset('\n.-—–”"])')


def _join_split_quotes(found: list[_Attribution], text: str) -> list[_Attribution]:
    """One quotation interrupted by its attribution ("A," she said. "B.") is one quote, as
    readers and annotators count it. Pieces in different paragraphs stay apart: joining them
    cost more matches on PolNeAR than it gained."""
    joined: list[_Attribution] = []
    for attribution in found:
        prev = joined[-1] if joined else None
        # '"A," he said, referring to X. "B."': A and B are still one quotation, beside the
        # clause of the cue hung on its cue (PolNeAR quotations: train 0.8416 -> 0.8428, dev
        # 0.8492 -> 0.8504; each publisher half of both up)
        beside = None
        if prev is not None and len(joined) > 1 and _on_another_cue(prev.cue) and prev.cue.head.i == attribution.cue.i:
            beside, prev = prev, joined[-2]
        if (
            prev is not None
            and prev.quote_type == attribution.quote_type == "direct"
            and prev.cue.i == attribution.cue.i
            and prev.content[1] <= attribution.cue.idx < attribution.content[0]
            and attribution.content[0] - prev.content[1] <= _MAX_JOIN_GAP
            and "\n" not in text[prev.content[1] : attribution.content[0]]
        ):
            parts = (prev.parts or (prev.content,)) + (attribution.content,)
            joined[-2 if beside is not None else -1] = _Attribution(
                prev.cue, prev.subject, (prev.content[0], attribution.content[1]), "direct", parts
            )
            continue
        joined.append(attribution)
    return joined


# How far past its reported clause a cue's quotation may start and still continue the clause
# (characters, no sentence end, colon or line between). PolNeAR train, quotations F1: 30 ->
# 0.8313, 60 -> 0.8319, 120 -> 0.8317 (0.8289 without); dev 0.8344 at all three.
_STRETCH_GAP = 60


def _stretched(content, quotations: list[tuple[int, int]], text: str, cue_at: int):
    """A reported clause that the parser ended before its cue's quotations later in the
    sentence ('said he would abdicate leadership, his world view is "dangerously wrong" and
    he is a "bully"', 'reported "2,521 shooting incidents"'): it runs on to the last of them,
    a mixed quote, as annotators read it. Only a clause after its cue: one before it ('...,
    Kall said: "I feel ..."') is no part of what follows."""
    if not content or content[0] < cue_at:
        return content
    after = [q for q in quotations if q[0] >= content[1]]
    if not after or any(_overlaps(q, content) for q in quotations):
        return content
    gap = text[content[1] : after[0][0]]
    if len(gap) > _STRETCH_GAP or any(c in gap for c in ".!?:\n"):
        return content
    return (content[0], max(q[1] for q in after))


# A title in quote marks (news style for shows, songs, books, podcasts: "The Late Show With
# Stephen Colbert", "La Gozadera", the "Off Message" podcast) is no quotation: a short one in
# title case not ending as a sentence does. PolNeAR train, quotations F1 0.8319 -> 0.8325 /
# 0.8325 / 0.8328 with at most 3 / 5 / 8 words (all attributions 0.5937 -> 0.5935); dev 0.8344
# -> 0.8357 / 0.8364 / 0.8355 (all 0.6325 -> 0.6330 at 5).
_TITLE_WORDS = 5
_SMALL_WORDS = frozenset("a an and the of in on at to for with by or from as is".split())


def _is_title(quoted: str) -> bool:
    words = [w for w in quoted.replace("\u2019", "'").split() if any(c.isalpha() for c in w)]
    if not words or len(words) > _TITLE_WORDS or quoted.rstrip().endswith((".", "?", "!")):
        return False
    return words[0][0].isupper() and all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words)
