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

The package: cues.py (lexicons), spans.py (1), attribution.py (2), speakers.py (3).
"""

from .spans import quoted_spans
from .speakers import extract_quotes

__all__ = ["extract_quotes", "quoted_spans"]
