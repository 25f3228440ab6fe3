"""The pair model: how alike two reports must be, and in what, to be one event.

Two reports' similarity is a weighted sum of cosines of their feature blocks (similarity.py),
scaled by how their event times relate (eventtime.py) and whether each is about a person the
other never names (protagonists.py); an article joins a story when its mean similarity to the
story's members reaches `join`, two stories merge when theirs reaches `merge`. All of it is
fitted on ECB+ dev (CC BY 3.0) by `make train-stories` (evaluate/pairs.py), which
cross-validates two procedures by topic half and ships the better: weights and factors by
logistic regression on article pairs, or as they were set by hand; either way the two
thresholds by the clustering stage's own BCubed F1, each where its neighbours score as well.
The fitted values live in pair_model.json beside this file, with the procedure chosen and the
held-out figures that chose it.
"""

from __future__ import annotations

import functools
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

BLOCKS = ("text", "entities", "lead", "numbers", "places_people")
FITTED = Path(__file__).with_name("pair_model.json")


@dataclass(frozen=True)
class PairModel:
    weights: dict[str, float]  # feature block -> weight, summing to 1
    time_conflict: float  # similarity kept between reports whose event times cannot match
    time_match: float  # ... and the factor between reports of a common year
    protagonist_conflict: float  # ... kept between reports each about a person the other never names
    join: float  # mean similarity to a story's members that joins it
    merge: float  # mean similarity between two stories' members that merges them
    provenance: dict = field(default_factory=dict, compare=False)  # what it was fitted on, and how it scored

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> PairModel:
        values = json.loads(text)
        weights = values.pop("weights")
        missing = set(BLOCKS) - set(weights)
        if missing:
            raise ValueError(f"pair model without weights for {sorted(missing)}")
        return cls(weights={b: float(weights[b]) for b in BLOCKS}, **values)


@functools.cache
def fitted() -> PairModel:
    """The model shipped with the package (pair_model.json)."""
    return PairModel.from_json(FITTED.read_text(encoding="utf-8"))
