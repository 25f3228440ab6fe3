"""`newsroom train stories` end to end on a small labelled set written here: the real pipeline
annotates it, each topic half is fitted and scored on the other, and the model written is one
the clustering stage loads."""

from __future__ import annotations

import json
import re

EVENTS = {  # topic_event -> (place, what happened, who, year); two events of one kind a topic
    "1_1": ("Valdora", "an earthquake of magnitude 6.1 shook the coast", "Mayor Ines Arroyo", 2011),
    "1_2": ("Kesmark", "an earthquake of magnitude 5.4 cracked the old dam", "Governor Tomas Ruhl", 2015),
    "2_1": ("Lindqvist Bay", "a ferry ran aground with 300 passengers aboard", "Captain Erik Solberg", 2012),
    "2_2": ("Port Amsel", "a cargo ship sank in a storm with 14 crew", "Admiral Hanne Moe", 2018),
    "12_1": ("Ostrava Park", "the city council voted to close the zoo", "Councillor Jana Kral", 2013),
    "12_2": ("Rivermead", "the county board voted to sell the airport", "Commissioner Paul Oduya", 2019),
    "13_1": ("Samarkand Road", "a fire destroyed a textile factory", "Fire chief Malik Usmanov", 2010),
    "13_2": ("Quillon Mills", "a fire gutted the municipal library", "Librarian Dora Venn", 2016),
}
ANGLES = (
    "{who} said on Tuesday that {what} in {place}, and that officials were still counting the cost in {year}.",
    "In {place}, {what}, according to {who}, who spoke to reporters in {year} as crews worked through the night.",
    "Residents of {place} described how {what}; {who} promised an inquiry before the end of {year}.",
)


def _articles():
    for event, (place, what, who, year) in EVENTS.items():
        for n in range(len(ANGLES)):
            body = " ".join(a.format(place=place, what=what, who=who, year=year) for a in ANGLES[n:] + ANGLES[:n])
            yield {"id": f"{event}-{n}", "cluster": event, "text": f"{body} {place} waited for news. " * 3}


def test_training_fits_both_halves_and_writes_a_model_the_stage_loads(tmp_path, capsys):
    from newsroom.cluster.pair_model import FITTED, PairModel
    from newsroom.evaluate import pairs

    data = tmp_path / "events.jsonl"
    data.write_text("\n".join(json.dumps(a) for a in _articles()))
    shipped_before = FITTED.read_text()
    target = tmp_path / "pair_model.json"
    model = pairs.run(data, target=target)
    printed = capsys.readouterr().out
    assert FITTED.read_text() == shipped_before  # the shipped model is written only by make train-stories
    assert PairModel.from_json(target.read_text()) == model
    assert set(model.provenance["held_out_half_mean_f1"]) == set(pairs.PROCEDURES)
    assert model.provenance["procedure"] in pairs.PROCEDURES
    assert pairs.JOIN_GRID[0] <= model.join <= pairs.JOIN_GRID[-1] and 0 < model.merge <= model.join
    for row in ("topics 12-22, fitted on topics 1-11", "topics 1-11, fitted on topics 12-22", "in sample"):
        assert row in printed
    # eight events, three reports each told in other orders: the fitted model finds them
    f1 = float(re.search(r"in sample\)\s+[\d.]+\s+[\d.]+\s+([\d.]+)", printed).group(1))
    assert f1 >= 0.9, printed
