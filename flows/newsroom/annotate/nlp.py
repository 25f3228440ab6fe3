"""Loading the spaCy pipeline once per process, with only the components we use."""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..config import Settings

# Quotes need the parser (subjects of cue verbs, sentence bounds); entities need ner.
# The tagger, attribute ruler and lemmatizer cost a third of the time and we use none of them.
NEEDED = ("tok2vec", "parser", "ner")


def model_name() -> str:
    return Settings().spacy_model


@functools.lru_cache(maxsize=4)
def load(name: str | None = None) -> Language:
    name = name or model_name()
    probe = spacy.load(name)
    unused = [pipe for pipe in probe.pipe_names if pipe not in NEEDED]
    nlp = spacy.load(name, exclude=unused)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser")
    return nlp


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line always ends a sentence: the parser alone sometimes runs a sentence on
    into the next paragraph, which breaks quote attribution."""
    for token in doc[1:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


def mask_prefix(text: str, length: int) -> str:
    """Blank out the first `length` characters (a dateline) with spaces, keeping offsets."""
    return " " * length + text[length:] if length else text


def processes() -> int:
    """spaCy worker processes: all cores by default (NEWSROOM_NLP_PROCESSES overrides)."""
    return Settings().nlp_processes
