"""Articles -> entity mentions and quotes, streamed through spaCy in batches."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass

from spacy.language import Language
from spacy.tokens import Doc

from ..extract.metadata import dateline_prefix
from ..extract.records import Article
from . import nlp as nlp_models
from .entities import Mention, mentions_from_doc
from .quotes import Quote, extract_quotes


@dataclass
class Annotation:
    article_id: str
    mentions: list[Mention]
    quotes: list[Quote]


def annotate_doc(article_id: str, doc) -> Annotation:
    mentions = mentions_from_doc(doc)
    return Annotation(article_id, mentions, extract_quotes(doc, mentions))


@Language.component("newsroom_annotations")
def newsroom_annotations(doc: Doc) -> Doc:
    """Entities and quotes computed inside the spaCy pipeline, so that with n_process > 1
    they run in the worker processes too; results travel back as plain data."""
    annotation = annotate_doc("", doc)
    doc.user_data["newsroom"] = (
        [astuple(m) for m in annotation.mentions],
        [astuple(q) for q in annotation.quotes],
    )
    return doc


def _from_user_data(article_id: str, doc) -> Annotation:
    mentions, quotes = doc.user_data["newsroom"]
    return Annotation(article_id, [Mention(*m) for m in mentions], [Quote(*q) for q in quotes])


def annotate(
    articles: Iterable[Article],
    model: str | None = None,
    n_process: int | None = None,
    batch_size: int = 32,
) -> Iterator[Annotation]:
    """Yield one Annotation per article, in order. Memory stays flat: spaCy streams.

    The dateline ('SEOUL, South Korea — ') is blanked before parsing (offsets kept): the
    parser otherwise takes the city for the subject of the first sentence's verb.
    """
    nlp = nlp_models.load(model)
    if "newsroom_annotations" not in nlp.pipe_names:
        nlp.add_pipe("newsroom_annotations", last=True)
    n_process = n_process or nlp_models.processes()
    articles = list(articles)
    if len(articles) < 2 * batch_size:
        n_process = 1  # forking workers costs more than it saves on a small batch
    texts = (nlp_models.mask_prefix(a.body_text, dateline_prefix(a.body_text)) for a in articles)
    for article, doc in zip(articles, nlp.pipe(texts, n_process=n_process, batch_size=batch_size)):
        yield _from_user_data(article.article_id, doc)
