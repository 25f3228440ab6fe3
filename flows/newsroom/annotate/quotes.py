"""Quotations and who said them, from a parsed spaCy Doc.

Three passes over an article:
1. quoted_spans: the text between quote marks, straight or curly, tolerant of unbalanced
   marks and of quotes that run over several paragraphs;
2. attribution: every cue verb ("said", "told", "according to", ...) with a subject gives
   a speaker and a content: the quotes in its sentence (direct), its clausal complement
   (indirect), or a complement that contains quoted fragments (mixed). Verbs of stance
   ("criticized", "wants", "polls show") count where their subject can hold a view, and
   their object is the content; a quote interrupted by its attribution is one quote;
3. speaker resolution: pronouns go to the nearest compatible earlier speaker or person,
   definite role descriptions ("the official") to the fuller earlier description of the
   same role ("an unidentified North Korean defense official").
Nothing here raises on odd input: an unmatched mark simply ends at the paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from dataclasses import dataclass

from ..records import Mention, Quote
from . import budget

_CUE_LEMMAS = {
    "say": "say said says saying",
    "tell": "tell told tells telling",
    "add": "add added adds adding",
    "warn": "warn warned warns warning",
    "deny": "deny denied denies denying",
    "insist": "insist insisted insists insisting",
    "claim": "claim claimed claims claiming",
    "state": "state stated states stating",
    "announce": "announce announced announces announcing",
    "explain": "explain explained explains explaining",
    "note": "note noted notes noting",
    "argue": "argue argued argues arguing",
    "write": "write wrote writes writing written",
    "ask": "ask asked asks asking",
    "reply": "reply replied replies replying",
    "respond": "respond responded responds responding",
    "acknowledge": "acknowledge acknowledged acknowledges acknowledging",
    "admit": "admit admitted admits admitting",
    "declare": "declare declared declares declaring",
    "stress": "stress stressed stresses stressing",
    "emphasize": "emphasize emphasized emphasizes emphasise emphasised emphasises",
    "suggest": "suggest suggested suggests suggesting",
    "predict": "predict predicted predicts predicting",
    "confirm": "confirm confirmed confirms confirming",
    "urge": "urge urged urges urging",
    "accuse": "accuse accused accuses accusing",
    "recall": "recall recalled recalls recalling",
    "tweet": "tweet tweeted tweets tweeting",
    "post": "posted",
    "report": "report reported reports reporting",
    "allege": "allege alleged alleges alleging",
    "assert": "assert asserted asserts asserting",
    "concede": "concede conceded concedes conceding",
    "contend": "contend contended contends contending",
    "promise": "promise promised promises promising",
    "vow": "vow vowed vows vowing",
    "pledge": "pledge pledged pledges pledging",
    "threaten": "threaten threatened threatens",
    "complain": "complain complained complains complaining",
    "reiterate": "reiterate reiterated reiterates",
    "maintain": "maintained maintains",
    "disclose": "disclose disclosed discloses",
    "reveal": "reveal revealed reveals",
    "estimate": "estimate estimated estimates",
    "observe": "observed observes",
    "remark": "remark remarked remarks",
    "joke": "joke joked jokes",
    "quip": "quipped",
    "charge": "charged",
    "counter": "countered",
    "caution": "caution cautioned cautions",
    "believe": "believe believes believed",
    "think": "think thinks thought",
    "testify": "testify testified testifies",
    "indicate": "indicate indicated indicates",
    "point": "pointed",
    "agree": "agree agreed agrees",
}


def _forms(lexicon: dict[str, str], lemmas=None) -> set[str]:
    return {form for lemma, forms in lexicon.items() if lemmas is None or lemma in lemmas for form in forms.split()}


CUE_FORMS = _forms(_CUE_LEMMAS)
# Verbs of stance rather than speech: they attribute a view ("Clinton criticized the
# deal", "polls show that ...") when their subject is someone who can hold one.
_STANCE_LEMMAS = {
    "call": "call called calls calling",
    "show": "show shows showed showing shown",
    "find": "find found finds",
    "want": "want wants wanted",
    "criticize": "criticize criticized criticizes criticizing criticise criticised criticises",
    "support": "support supports supported supporting",
    "endorse": "endorse endorsed endorses endorsing",
    "refuse": "refuse refused refuses refusing",
    "decline": "decline declined declines declining",
    "describe": "describe described describes describing",
    "praise": "praise praised praises praising",
    "defend": "defend defended defends defending",
    "hope": "hope hopes hoped hoping",
    "plan": "plan plans planned planning",
    "propose": "propose proposed proposes proposing",
    "see": "see sees saw",
    "know": "know knows knew",
    "mention": "mention mentioned mentions mentioning",
    "cite": "cite cited cites citing",
    "question": "question questioned questions questioning",
    "blame": "blame blamed blames blaming",
    "reject": "reject rejected rejects rejecting",
    "dismiss": "dismiss dismissed dismisses dismissing",
    "fear": "fear fears feared fearing",
    "demand": "demand demanded demands demanding",
    "oppose": "oppose opposed opposes opposing",
    "attack": "attack attacked attacks attacking",
    "slam": "slam slammed slams slamming",
    "blast": "blast blasted blasts blasting",
    "mock": "mock mocked mocks mocking",
    "expect": "expect expects expected expecting",
    "discuss": "discuss discussed discusses discussing",
    "express": "express expressed expresses expressing",
    "seek": "seek seeks sought seeking",
    "prefer": "prefer prefers preferred preferring",
    "welcome": "welcome welcomed welcomes welcoming",
    "condemn": "condemn condemned condemns condemning",
    "invite": "invite invited invites inviting",
    "encourage": "encourage encouraged encourages encouraging",
    "conclude": "conclude concluded concludes concluding",
    "compare": "compare compared compares comparing",
    "liken": "liken likened likens likening",
    "refer": "referring referred refers",
    "talk": "talking talked talks",
    "speak": "spoke speaks speaking",
    "imply": "imply implied implies implying",
    "highlight": "highlight highlighted highlights highlighting",
    "tout": "tout touted touts touting",
    "denounce": "denounce denounced denounces denouncing",
    "decry": "decry decried decries decrying",
    "applaud": "applaud applauded applauds applauding",
    "remind": "remind reminded reminds reminding",
    "thank": "thank thanked thanks thanking",
    "congratulate": "congratulate congratulated congratulates congratulating",
    "echo": "echoed echoes echoing",
    "repeat": "repeat repeated repeats repeating",
    "downplay": "downplay downplayed downplays downplaying",
    "hail": "hail hailed hails hailing",
    "lament": "lament lamented laments lamenting",
}
STANCE_FORMS = _forms(_STANCE_LEMMAS) - CUE_FORMS
# Speech verbs whose object is the addressee or nothing said ("told reporters").
_NO_OBJECT_CONTENT = _forms(_CUE_LEMMAS, {"say", "tell", "ask", "add"})
_SAY_FORMS = _forms(_CUE_LEMMAS, {"say"})
_LONG_OBJECT = 6  # words
_OBJECT_DEPS = {"dobj", "dative", "prep", "oprd", "attr", "acomp", "pcomp"}

PRONOUNS = {"he", "she", "they", "it", "we", "i", "you"}
_PERSON_PRONOUNS = {"he", "she", "i"}
ANON_SOURCE_HEADS = {
    "source",
    "sources",
    "insider",
    "insiders",
    "person",
    "people",
    "someone",
    "individual",
    "individuals",
}
OFFICIAL_HEADS = {
    "official",
    "officials",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "spokespeople",
    "aide",
    "aides",
    "diplomat",
    "diplomats",
    "officer",
    "officers",
    "representative",
    "representatives",
    "authorities",
    "minister",
    "director",
    "adviser",
    "advisers",
    "advisor",
    "advisors",
    "envoy",
    "staffer",
    "staffers",
}
ORG_HEADS = {
    "ministry",
    "government",
    "department",
    "agency",
    "company",
    "police",
    "military",
    "army",
    "court",
    "committee",
    "statement",
    "report",
    "administration",
    "council",
    "commission",
    "office",
    "campaign",
    "board",
    "bank",
    "firm",
    "group",
    "party",
    "embassy",
    "media",
    "newspaper",
    "bureau",
    "union",
}

_OPEN = {"“", "«", "„"}
_CLOSE = {"”", "»"}
_STRAIGHT = '"'
_OPENING_CONTEXT = set(" \t\n([{—–-:/") | {""}
_CONTENT_DEPS = ("ccomp", "xcomp")
_DROP_FROM_SPEAKER = {"relcl", "acl", "appos", "advcl", "punct", "cc", "conj", "parataxis", "prep"}
_KEEP_PREP_HEADS = {
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "official",
    "officials",
    "director",
    "minister",
    "representative",
    "member",
    "members",
}


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of text between quote marks. An opening mark left open at the end of a
    paragraph closes there, unless the next paragraph opens with a quote mark, which in news
    style continues the same quotation."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            j = i
            while j < n and text[j] in " \t\n":
                j += 1
            if open_at is not None:
                if j < n and (text[j] in _OPEN or text[j] == _STRAIGHT):
                    spans.append((open_at, i))
                    open_at, i = j + 1, j + 1
                    continue
                spans.append((open_at, i))
                open_at = None
            i = j
            continue
        prev = text[i - 1] if i else ""
        if ch in _OPEN or (ch == _STRAIGHT and open_at is None and prev in _OPENING_CONTEXT):
            if open_at is None:
                open_at = i + 1
        elif ch in _CLOSE or ch == _STRAIGHT:
            if open_at is not None:
                spans.append((open_at, i))
                open_at = None
        i += 1
    if open_at is not None:
        spans.append((open_at, n))
    return [_strip(text, s, e) for s, e in spans if text[s:e].strip()]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_cue(token) -> bool:
    lower = token.lower_
    if lower == "according" and any(c.lower_ == "to" for c in token.children):
        return True
    if lower in STANCE_FORMS:
        subject = _active_subject(token)
        return subject is not None and _agentive(subject)
    if lower not in CUE_FORMS:
        return False
    # An active subject: "the deal was announced" names no speaker.
    return _active_subject(token) is not None


_SHARED_SUBJECT_DEPS = ("conj", "advcl", "xcomp")


def _active_subject(verb):
    """The verb's subject, or the subject it shares with the verb it is coordinated with
    or hangs from ("Rubio flipped his choice, saying ...", "McCain ... and says ...")."""
    own = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")), None)
    if own is not None:
        return own if own.dep_ == "nsubj" else None
    if (
        verb.dep_ in _SHARED_SUBJECT_DEPS
        and verb.head.i != verb.i
        and not any(c.dep_ == "auxpass" for c in verb.children)
    ):
        return next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    return None


_EVIDENCE_HEADS = {
    "poll",
    "polls",
    "survey",
    "surveys",
    "study",
    "studies",
    "data",
    "report",
    "reports",
    "analysis",
    "research",
    "records",
    "documents",
    "figures",
    "statement",
    "letter",
    "memo",
}
_SPEAKER_LABELS = ("PERSON", "ORG", "GPE", "NORP")
# Polled and voting groups hold views too ("56 percent would vote for Clinton", "voters see
# Clinton as ..."). Bare quantifiers ("most", "half") are left out: "most of Europe has
# pulled out, blaming the US" made "most" a speaker, and pronouns then resolved to it.
_PUBLIC_HEADS = {
    "voters",
    "respondents",
    "percent",
    "democrats",
    "republicans",
    "independents",
    "americans",
    "supporters",
    "residents",
    "citizens",
    "adults",
    "delegates",
    "critics",
    "opponents",
    "experts",
    "analysts",
    "economists",
    "observers",
    "conservatives",
    "liberals",
}
_VIEW_HOLDER_HEADS = OFFICIAL_HEADS | ANON_SOURCE_HEADS | ORG_HEADS | _EVIDENCE_HEADS | _PUBLIC_HEADS


def _agentive(subject) -> bool:
    """Whether a subject can hold a view: a named person or body, a pronoun, an official,
    a source, an organisation, a document or a polled group."""
    return subject.ent_type_ in _SPEAKER_LABELS or subject.lower_ in PRONOUNS or subject.lower_ in _VIEW_HOLDER_HEADS


def _subject(cue):
    if cue.lower_ == "according":
        to = next(c for c in cue.children if c.lower_ == "to")
        return next((c for c in to.children if c.dep_ == "pobj"), None)
    return _active_subject(cue)


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
    while len(run) > 1 and run[-1].is_punct and run[-1].text not in _CLOSE | {_STRAIGHT}:
        run = run[:-1]
    return _span_chars(run)


def _content_of(cue):
    """(start, end) of what the cue attributes, from the parse; None when it has none."""
    sent = cue.sent
    if cue.lower_ == "according":
        phrase = list(cue.subtree)
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
    for child in cue.children:
        if child.dep_ in _CONTENT_DEPS:
            return _subtree_chars(child)
    # "said on Friday during a news conference that he may wait": the parser hangs the
    # reported clause on the nearest noun, as a relative clause opened by "that" as a
    # conjunction (mark). It marks a few true relative clauses so too, but under the
    # cue's own prepositional phrase the reported clause is the likelier reading.
    for token in cue.rights:
        if token.dep_ == "prep":
            for clause in token.subtree:
                if clause.dep_ in ("relcl", "acl") and any(
                    c.dep_ == "mark" and c.lower_ == "that" for c in clause.lefts
                ):
                    return _subtree_chars(clause)
    # "McCain says the movement that's sweeping the country appeals to ...": a long object
    # of "say" holding a clause is a reported clause the parser read as a noun phrase
    # ("said a short prayer for the victims" holds none).
    if cue.lower_ in _SAY_FORMS:
        obj = next((c for c in cue.rights if c.dep_ == "dobj"), None)
        if (
            obj is not None
            and sum(1 for t in obj.subtree if not t.is_punct) >= _LONG_OBJECT
            and any(t.dep_ in ("relcl", "acl", "ccomp") for t in obj.subtree)
        ):
            rest = [t for t in cue.sent if t.i > cue.i and not t.is_space]
            while rest and rest[-1].is_punct and not rest[-1].is_quote:
                rest = rest[:-1]
            if rest:
                return _span_chars(rest)
    # "..., the ministry said." parsed with the cue hanging off the content's verb.
    if cue.dep_ in ("parataxis", "ccomp", "advcl") and cue.head.i < cue.i and cue.lower_ in CUE_FORMS:
        return _subtree_chars(cue.head, exclude=set(cue.subtree))
    # "accused Sanders of an 'artful smear'", "called for a ban": the object is the view.
    if cue.lower_ not in _NO_OBJECT_CONTENT:
        objects = [t for c in cue.rights if c.dep_ in _OBJECT_DEPS for t in c.subtree]
        objects = [t for t in objects if not t.is_space]
        while objects and objects[-1].is_punct and objects[-1].text not in _CLOSE | {_STRAIGHT}:
            objects.pop()
        if objects:
            return objects[0].idx, objects[-1].idx + len(objects[-1].text)
    return None


def _around_parenthetical(cue) -> tuple[tuple[int, int], ...]:
    """A cue set off inside the clause it reports ("This campaign, he says, is different"),
    parsed as parataxis of that clause's verb, which follows it: the clause around the cue,
    as two pieces; () for any other cue."""
    if cue.dep_ != "parataxis" or cue.head.i <= cue.i or cue.lower_ not in CUE_FORMS:
        return ()
    inner = [t.i for t in cue.subtree]
    first, last = min(inner), max(inner)
    clause = [t for t in cue.head.subtree if not first <= t.i <= last and not t.is_space]
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


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _alpha(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


@dataclass
class _Attribution:
    cue: object
    subject: object
    content: tuple[int, int]
    quote_type: str
    parts: tuple[tuple[int, int], ...] = ()  # a quote split by its attribution: the quoted pieces

    def text(self, text: str) -> str:
        return " ".join(text[s:e] for s, e in self.parts or (self.content,))


def attribute(doc, spans: list[tuple[int, int]], text: str | None = None) -> list[_Attribution]:
    text = doc.text if text is None else text  # doc.text joins every token: once per article
    used: set[int] = set()
    found: list[_Attribution] = []
    # Spans are sorted and disjoint: looked up by bisection, not scanned once per cue (a page
    # made of quotation marks made that quadratic).
    starts, ends = [s for s, _ in spans], [e for _, e in spans]

    def inside_a_span(position: int) -> bool:
        k = bisect_right(starts, position) - 1
        return k >= 0 and position < ends[k]

    for sent in doc.sents:
        budget.check()
        sent_range = (sent.start_char, sent.end_char)
        overlapping = range(bisect_right(ends, sent.start_char), bisect_left(starts, sent.end_char))
        for cue in sent:
            if not _is_cue(cue) or inside_a_span(cue.idx):
                continue
            subject = _subject(cue)
            if subject is None or inside_a_span(subject.idx):
                continue
            in_sentence = [k for k in overlapping if k not in used and _overlaps(spans[k], sent_range)]
            parts = _around_parenthetical(cue)
            content = (parts[0][0], parts[-1][1]) if parts else _content_of(cue)
            if in_sentence:
                quoted = sum(
                    _alpha(text[spans[k][0] : spans[k][1]])
                    for k in in_sentence
                    if _overlaps(spans[k], content or (0, 0))
                )
                unquoted = _alpha(text[content[0] : content[1]]) - quoted if content else 0
                # A quoted fragment inside the reported clause ('he voted "uncommitted."')
                # makes the clause a mixed quote; only a clause that is all quotation is direct.
                if (
                    content
                    and unquoted >= max(3, 0.1 * quoted)
                    and any(_overlaps(spans[k], content) for k in in_sentence)
                ):
                    used.update(in_sentence)
                    found.append(_Attribution(cue, subject, content, "mixed", parts))
                else:
                    for k in in_sentence:
                        used.add(k)
                        found.append(_Attribution(cue, subject, spans[k], "direct"))
            elif content and _alpha(text[content[0] : content[1]]) >= 8:
                found.append(_Attribution(cue, subject, content, "indirect", parts))
            else:
                # "He said:" with the quotation in the next sentence.
                nxt = [
                    k for k, span in enumerate(spans) if k not in used and sent.end_char <= span[0] <= sent.end_char + 3
                ]
                for k in nxt[:1]:
                    used.add(k)
                    found.append(_Attribution(cue, subject, spans[k], "direct"))
    # A quotation with no cue of its own continues the speaker of the quotation just before
    # it (a quote running over paragraphs, or a speaker quoted twice in a row).
    by_end = sorted((a.content[1], n) for n, a in enumerate(found))  # (end, position in found)
    for k, span in enumerate(spans):
        budget.check()
        if k in used or _alpha(text[span[0] : span[1]]) < 20:
            continue
        j = bisect_right(by_end, (span[0], len(found))) - 1  # the attribution ending last before it
        if j >= 0 and span[0] - by_end[j][0] < 400:
            prev = found[by_end[bisect_left(by_end, (by_end[j][0], -1))][1]]  # on a tie, the first found
            found.append(_Attribution(prev.cue, prev.subject, span, "direct"))
            insort(by_end, (span[1], len(found) - 1))
            used.add(k)
    found.extend(a for a in _colon_lines(doc, text) if not any(_overlaps(a.content, b.content) for b in found))
    cues = sorted((a.cue.idx, a.cue.idx + len(a.cue.text), n) for n, a in enumerate(found))
    found = [a for n, a in enumerate(found) if not _is_other_attribution(n, a, cues)]
    found.sort(key=lambda a: a.content)
    return [_trimmed(a, text) for a in _join_split_quotes(found, text)]


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
        start, end = _strip(text, line.start(2), line.end(2))
        if len(text[start:end].split()) < 3:
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


def _join_split_quotes(found: list[_Attribution], text: str) -> list[_Attribution]:
    """One quotation interrupted by its attribution ("A," she said. "B.") is one quote, as
    readers and annotators count it. Pieces in different paragraphs stay apart: joining them
    cost more matches on PolNeAR than it gained."""
    joined: list[_Attribution] = []
    for attribution in found:
        prev = joined[-1] if joined else None
        if (
            prev is not None
            and prev.quote_type == attribution.quote_type == "direct"
            and prev.cue.i == attribution.cue.i
            and prev.content[1] <= attribution.cue.idx < attribution.content[0]
            and attribution.content[0] - prev.content[1] <= _MAX_JOIN_GAP
            and "\n" not in text[prev.content[1] : attribution.content[0]]
        ):
            parts = (prev.parts or (prev.content,)) + (attribution.content,)
            joined[-1] = _Attribution(
                prev.cue, prev.subject, (prev.content[0], attribution.content[1]), "direct", parts
            )
            continue
        joined.append(attribution)
    return joined


class _Mentions:
    """An article's entity mentions (sorted by offset, disjoint) looked up by bisection: a
    scan per quote was quadratic in a long page of quotes and names."""

    def __init__(self, mentions: list[Mention]):
        self.mentions = mentions
        self.starts = [m.start_char for m in mentions]
        self.ends = [m.end_char for m in mentions]

    def at(self, start: int, end: int) -> Mention | None:
        """The mention holding the span (its end may fall two characters short: "Kim's")."""
        k = bisect_left(self.ends, end - 2)
        if k < len(self.mentions) and self.starts[k] <= start:
            return self.mentions[k]
        return None

    def within(self, start: int, end: int):
        """The mentions inside [start, end), in order."""
        for k in range(bisect_left(self.starts, start), bisect_left(self.starts, end)):
            if self.ends[k] <= end:
                yield self.mentions[k]


def _kind(head_text: str, mention: Mention | None, pronoun_unresolved: bool) -> str:
    if mention is not None:
        if mention.label == "PERSON":
            return "named_person"
        if mention.label in ("ORG", "GPE", "NORP", "FAC"):
            return "organisation"
    head = head_text.lower()
    if pronoun_unresolved:
        return "unresolved"
    if head in ANON_SOURCE_HEADS:
        return "anonymous_source"
    if head in OFFICIAL_HEADS:
        return "anonymous_official"
    if head in ORG_HEADS:
        return "organisation"
    return "other"


_DESCRIPTION_DEPS = ("nsubj", "nsubjpass", "pobj", "dobj", "appos", "attr")


class _Descriptions:
    """For 'the official': the longest earlier phrase with the same head noun. The doc's
    candidate heads are indexed once per word asked for, each with the longest phrase up to
    it, instead of every earlier token scanned for every quote (quadratic in a long page)."""

    def __init__(self, doc):
        self.doc = doc
        self._heads: dict[str, list] | None = None
        self._best: dict[str, tuple[list[int], list]] = {}

    def _prefix_best(self, word: str) -> tuple[list[int], list]:
        if word not in self._best:
            if self._heads is None:
                self._heads = defaultdict(list)
                for token in self.doc:
                    if token.dep_ in _DESCRIPTION_DEPS:
                        self._heads[token.lower_].append(token)
            positions, best_so_far, best = [], [], None
            for token in self._heads.get(word, []):
                tokens = phrase_tokens(token)
                if best is None or len(tokens) > len(best):
                    best = tokens
                positions.append(token.i)
                best_so_far.append(best)
            self._best[word] = (positions, best_so_far)
        return self._best[word]

    def earlier(self, subject) -> list | None:
        positions, best_so_far = self._prefix_best(subject.lower_)
        k = bisect_left(positions, subject.i) - 1
        if k >= 0 and len(best_so_far[k]) > len(phrase_tokens(subject)):
            return best_so_far[k]
        return None


def extract_quotes(doc, mentions: list[Mention], text: str | None = None) -> list[Quote]:
    text = doc.text if text is None else text
    spans = quoted_spans(text)
    quotes: list[Quote] = []
    resolved_speakers: list[tuple[int, list, Mention | None]] = []  # (cue position, phrase, entity)
    descriptions, index = _Descriptions(doc), _Mentions(mentions)
    for attribution in attribute(doc, spans, text):
        budget.check()
        subject = attribution.subject
        written = phrase_tokens(subject)
        phrase, entity = written, index.at(*_span_chars([subject]))
        unresolved = False
        if subject.lower_ in PRONOUNS and len(written) == 1:
            phrase, entity = _resolve_pronoun(subject, resolved_speakers, mentions)
            unresolved = phrase is None
            phrase = phrase or written
        elif entity is None and any(t.lower_ in ("the", "this", "that", "these") for t in written[:1]):
            fuller = descriptions.earlier(subject)
            if fuller is not None:
                phrase = fuller
        head = next((t for t in phrase if t.lower_ == subject.lower_), subject) if phrase is not written else subject
        entity = entity or index.at(head.idx, head.idx + len(head.text))
        p_start, p_end = _span_chars(phrase)
        affiliation = next(
            (m.canonical_name for m in index.within(p_start, p_end) if m is not entity and m.label != "PERSON"), None
        )
        resolved_speakers.append((attribution.cue.idx, phrase, entity))
        start, end = attribution.content
        w_start, w_end = _span_chars(written)
        quotes.append(
            Quote(
                start_char=start,
                end_char=end,
                quote_text=attribution.text(text),
                quote_type=attribution.quote_type,
                cue_text="according to" if attribution.cue.lower_ == "according" else attribution.cue.text,
                cue_start=attribution.cue.idx,
                speaker_text=text[p_start:p_end],
                speaker_mention_text=text[w_start:w_end],
                speaker_start=w_start,
                speaker_end=w_end,
                speaker_kind=_kind(head.text, entity, unresolved),
                speaker_canonical=entity.canonical_name if entity else None,
                speaker_affiliation=affiliation,
                speaker_resolved_start=p_start,
                speaker_resolved_end=p_end,
            )
        )
    return quotes


def _resolve_pronoun(pronoun, resolved_speakers, mentions: list[Mention]):
    """Nearest earlier compatible speaker, else nearest earlier person (he/she/I) or
    organisation/country (it/we/they)."""
    wants_person = pronoun.lower_ in _PERSON_PRONOUNS
    for position, phrase, entity in reversed(resolved_speakers):
        if position >= pronoun.idx:
            continue
        is_person = entity is not None and entity.label == "PERSON"
        head_lower = {t.lower_ for t in phrase}
        if len(phrase) == 1 and phrase[0].lower_ in PRONOUNS:
            continue
        if wants_person and (is_person or head_lower & OFFICIAL_HEADS or entity is None):
            return phrase, entity
        if not wants_person and (not is_person):
            return phrase, entity
    labels = ("PERSON",) if wants_person else ("ORG", "GPE", "NORP")
    earlier = [m for m in mentions if m.end_char <= pronoun.idx and m.label in labels]
    if earlier:
        mention = earlier[-1]
        span = pronoun.doc.char_span(mention.start_char, mention.end_char, alignment_mode="expand")
        if span is not None:
            return list(span), mention
    return None, None
