"""`newsroom bench`: throughput, re-run cost and memory, measured in one run against bare
spaCy on the same articles (ratios, not absolute timings: these machines are shared).

The corpus is made from real article texts (../shared/eval: PolNeAR and ECB+), replicated
with variations (names and numbers changed, paragraphs reordered) up to --articles, so that
every copy is a distinct article to the pipeline.
"""
from __future__ import annotations

import json
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from .config import PROJECT_ROOT

EVAL = PROJECT_ROOT.parent / "shared" / "eval"
_NUMBER = re.compile(r"\b\d+\b")


def source_texts(eval_dir: Path = EVAL) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((eval_dir / "quotes" / "polnear").glob("*/text/*.txt"))]
    ecb = eval_dir / "clustering" / "ecbplus.jsonl"
    if ecb.exists():
        texts += [json.loads(line)["text"] for line in ecb.read_text().splitlines() if line.strip()]
    return [t for t in texts if len(t.split()) >= 80]


def variant(text: str, n: int, rng: random.Random) -> str:
    if n == 0:
        return text
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    if len(paragraphs) > 3:
        middle = paragraphs[1:-1]
        rng.shuffle(middle)
        paragraphs = paragraphs[:1] + middle + paragraphs[-1:]
    changed = _NUMBER.sub(lambda m: str(int(m.group()) + n), "\n\n".join(paragraphs))
    return f"{changed}\n\n(Edition {n}.)"


def build_corpus(path: Path, articles: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    base = source_texts()
    if not base:
        raise SystemExit(f"no article texts under {EVAL}")
    texts = [variant(base[i % len(base)], i // len(base), rng) for i in range(articles)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as out:
        for i, text in enumerate(texts):
            out.write(json.dumps({"id": f"bench-{i}", "text": text}) + "\n")
    return texts


def bare_spacy(texts: list[str]) -> float:
    """Seconds for nlp.pipe over the texts: same model, same components, all cores."""
    from .annotate import nlp as nlp_models

    nlp = nlp_models.load()
    started = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=nlp_models.processes(), batch_size=32):
        pass
    return time.perf_counter() - started


def _pipeline(corpus: Path, warehouse: Path) -> tuple[float, dict]:
    started = time.perf_counter()
    done = subprocess.run([str(Path(sys.executable).with_name("newsroom")), "run", "--input", str(corpus),
                           "--warehouse", str(warehouse)], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"pipeline failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    stages = json.loads(con.execute("select stage_seconds from ops.runs order by started_at desc limit 1").fetchone()[0])
    con.close()
    return seconds, stages


def run(articles: int, workdir: Path) -> dict:
    corpus = workdir / f"corpus-{articles}.jsonl"
    warehouse = workdir / f"bench-{articles}.duckdb"
    for stale in workdir.glob(f"bench-{articles}.duckdb*"):
        stale.unlink()
    texts = build_corpus(corpus, articles)
    words = sum(len(t.split()) for t in texts)
    print(f"corpus: {articles} articles, {words / articles:.0f} words on average ({corpus})", flush=True)

    bare = bare_spacy(texts)
    print(f"bare nlp.pipe:      {articles / bare:7.1f} articles/s ({bare:.1f} s)", flush=True)
    first, stages = _pipeline(corpus, warehouse)
    print(f"full pipeline:      {articles / first:7.1f} articles/s ({first:.1f} s, end to end incl. start-up and dbt)", flush=True)
    rerun, _ = _pipeline(corpus, warehouse)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    ratio = bare / first
    print(f"ratio full/bare:    {ratio:7.2f}   (target >= 0.8)")
    print(f"re-run, unchanged:  {rerun:7.1f} s = {rerun / first:.1%} of the first run (target < 5%)")
    print(f"peak memory:        {peak_mb:7.0f} MB (largest process; target < 2048 MB)")
    total = sum(stages.values()) or 1.0
    print("stage shares of the first run: " + ", ".join(f"{k} {v / total:.0%}" for k, v in stages.items()))
    return {"articles": articles, "bare_s": bare, "first_s": first, "rerun_s": rerun, "peak_mb": peak_mb, "stages": stages}
