"""Loading the spaCy pipeline once per process, with only the components we use."""

from __future__ import annotations

import functools
from pathlib import Path

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
    nlp = spacy.load(name, exclude=[c for c in _components(name) if c not in NEEDED])
    _split_run_on_quotes(nlp)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser")
    return nlp


# A quote mark run on to the word beside it, as scraped text often has it ('Ryan
# said,“Look, ...', 'paranoia,”Clinton said', 'Hispanics!”Former'): spaCy's English
# tokenizer keeps 'said,“Look' as one token, so the cue and the quotation are lost.
_RUN_ON_QUOTES = (
    r"(?<=[A-Za-z0-9])[,.;:!?](?=[“”\"])",  # the punctuation before the mark
    r"(?<=[,.;:!?])[“”\"](?=[A-Za-z])",  # the mark between punctuation and a word
    r"(?<=[A-Za-z])[“”\"](?=[A-Za-z])",  # the mark between two words
)


def _split_run_on_quotes(nlp: Language) -> None:
    infixes = list(nlp.Defaults.infixes) + list(_RUN_ON_QUOTES)
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer


def _components(name: str) -> list[str]:
    """Every component of an installed pipeline (a package or a folder), read from its
    meta.json: loading the pipeline whole only to list them cost 0.27 s of every process
    that annotates (2026-12-07)."""
    if spacy.util.is_package(name):
        return spacy.util.get_model_meta(spacy.util.get_package_path(name))["components"]
    if Path(name).is_dir():
        return spacy.util.get_model_meta(Path(name))["components"]
    return spacy.load(name).component_names


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
