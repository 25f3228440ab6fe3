"""The analysts' example queries (`sql/examples/*.sql`) as dbt doc blocks, so that each
exposure page of the docs site shows the query itself, not only its file name.

The SQL files are the one source: each file's leading comment is the exposure's text, and
the doc blocks are rendered from them (`newsroom docs` rewrites the file; a test checks the
committed one is current).
"""

from __future__ import annotations

from pathlib import Path

from ..config import DBT_DIR, SQL_DIR

EXAMPLES = SQL_DIR / "examples"
DOC_BLOCKS = DBT_DIR / "docs" / "example_queries.md"


def queries(folder: Path = EXAMPLES) -> list[Path]:
    return sorted(folder.glob("*.sql"))


def _comment(sql: str) -> str:
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.removeprefix("--").strip())
    return " ".join(lines)


def render(folder: Path = EXAMPLES) -> str:
    blocks = []
    for path in queries(folder):
        sql = path.read_text().strip()
        blocks.append(
            "\n".join(
                [
                    f"{{% docs example_{path.stem} %}}",
                    _comment(sql),
                    "",
                    f"Run it with `newsroom sql sql/examples/{path.name}` (read-only; `--csv` for CSV), or paste it",
                    "into `.venv/bin/duckdb -readonly warehouse/news.duckdb`:",
                    "",
                    "```sql",
                    sql,
                    "```",
                    "{% enddocs %}",
                ]
            )
        )
    return "\n\n".join(blocks) + "\n"


def write(doc_blocks: Path = DOC_BLOCKS) -> None:
    text = render()
    if not doc_blocks.exists() or doc_blocks.read_text() != text:
        doc_blocks.write_text(text)
