"""Articles -> entity mentions and quotes, streamed through spaCy in batches."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

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
    n_process = n_process or nlp_models.processes()
    articles = list(articles)
    if len(articles) < 2 * batch_size:
        n_process = 1  # forking workers costs more than it saves on a small batch
    texts = (nlp_models.mask_prefix(a.body_text, dateline_prefix(a.body_text)) for a in articles)
    for article, doc in zip(articles, nlp.pipe(texts, n_process=n_process, batch_size=batch_size)):
        yield annotate_doc(article.article_id, doc)
