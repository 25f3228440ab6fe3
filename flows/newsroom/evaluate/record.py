"""The latest figures of each evaluation command, kept beside the dbt project so that the
docs site shows them (the `evaluation_figures` exposure) next to the marts they measure."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from ..config import DBT_DIR, PROJECT_ROOT

RECORD = DBT_DIR / "docs" / "evaluations.json"
DOC_BLOCK = DBT_DIR / "docs" / "evaluation_figures.md"
ORDER = ("extraction", "ner", "quotes", "clusters")


def save(name: str, report: str, data: Path, record: Path = RECORD, doc_block: Path = DOC_BLOCK) -> None:
    figures = json.loads(record.read_text()) if record.exists() else {}
    try:
        data_label = str(Path(data).resolve().relative_to(PROJECT_ROOT.parent))
    except ValueError:
        data_label = str(data)
    figures[name] = {
        "measured": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "data": data_label,
        "report": report.strip(),
    }
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    doc_block.write_text(render(figures))


def render(figures: dict) -> str:
    lines = [
        "{% docs evaluation_figures %}",
        "The latest figures printed by the evaluation commands (`make eval`, or",
        "`newsroom eval <what>`), on labelled data written by others (`../shared/eval`).",
        "Each table has a reference row measured in the same run.",
        "",
    ]
    for name in sorted(figures, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n)):
        entry = figures[name]
        lines += [
            f"### `newsroom eval {name}`",
            "",
            f"Measured {entry['measured']} on `{entry['data']}`.",
            "",
            "```text",
            entry["report"],
            "```",
            "",
        ]
    lines.append("{% enddocs %}")
    return "\n".join(lines) + "\n"
