"""`newsroom bench`: throughput, re-run cost and memory, measured in one run against bare
spaCy on the same articles (ratios, not absolute timings: these machines are shared).

The corpus is made from real article texts (../shared/eval: PolNeAR and ECB+), replicated
with variations up to --articles: numbers changed, middle paragraphs reordered and about one
word in five replaced by a word of another article, so that every variant is a distinct
article to the pipeline and a paraphrase, not a verbatim copy, to the story clustering (as
many outlets' versions of one event are).

`newsroom bench clusters` times the clustering stage alone at two sizes (2k and 20k by
default): the base texts are annotated once by the real pipeline, and the variants carry
their base's entities, so that 20k articles cost minutes rather than an hour of spaCy.
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
PART = 500  # articles per corpus file


def source_texts(eval_dir: Path = EVAL) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((eval_dir / "quotes" / "polnear").glob("*/text/*.txt"))]
    ecb = eval_dir / "clustering" / "ecbplus.jsonl"
    if ecb.exists():
        texts += [json.loads(line)["text"] for line in ecb.read_text().splitlines() if line.strip()]
    return list(dict.fromkeys(t for t in texts if len(t.split()) >= 80))  # a few texts occur twice


def variant(text: str, n: int, rng: random.Random, vocabulary: list[str]) -> str:
    if n == 0:
        return text
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    if len(paragraphs) > 3:
        middle = paragraphs[1:-1]
        rng.shuffle(middle)
        paragraphs = paragraphs[:1] + middle + paragraphs[-1:]
    changed = _NUMBER.sub(lambda m: str(int(m.group()) + n), "\n\n".join(paragraphs))
    words = re.split(r"( +)", changed)
    for i in range(0, len(words), 2):
        if rng.random() < 0.2 and words[i].isalpha() and words[i].islower():
            words[i] = rng.choice(vocabulary)
    return f"{''.join(words)}\n\n(Edition {n}.)"


def variants(base: list[str], articles: int, seed: int = 7) -> list[tuple[int, str]]:
    """(index of the base text, text) for `articles` articles."""
    rng = random.Random(seed)
    vocabulary = sorted({w for t in base[:200] for w in t.split() if w.isalpha() and w.islower() and len(w) > 3})
    return [(i % len(base), variant(base[i % len(base)], i // len(base), rng, vocabulary)) for i in range(articles)]


def build_corpus(path: Path, articles: int, seed: int = 7) -> list[str]:
    base = source_texts()
    if not base:
        raise SystemExit(f"no article texts under {EVAL}")
    texts = [text for _, text in variants(base, articles, seed)]
    write_corpus(path, texts)
    return texts


def write_corpus(path: Path, texts: list[str], prefix: str = "bench") -> None:
    """The texts as JSON Lines files of PART articles each (as feeds deliver them)."""
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.jsonl"):
        stale.unlink()
    for part, start in enumerate(range(0, len(texts), PART)):
        with (path / f"part-{part:04d}.jsonl").open("w") as out:
            for i in range(start, min(start + PART, len(texts))):
                out.write(json.dumps({"id": f"{prefix}-{i}", "text": texts[i]}) + "\n")


def polnear_train(eval_dir: Path = EVAL) -> list[str]:
    """The 840 article texts of PolNeAR train, as issue 19 measured them."""
    return [
        p.read_text(encoding="utf-8")
        for p in sorted((eval_dir / "quotes" / "polnear" / "train" / "text").glob("*.txt"))
    ]


def bare_import() -> float:
    """Seconds of a fresh `python -c "import prefect, newsroom"`: the floor of any CLI run."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import prefect, newsroom"], check=True)
    return time.perf_counter() - started


def bare_spacy(texts: list[str]) -> float:
    """Seconds for nlp.pipe over the texts: same model, same components, all cores."""
    from .annotate import nlp as nlp_models

    nlp = nlp_models.load()
    started = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=nlp_models.processes(), batch_size=32):
        pass
    return time.perf_counter() - started


def _places_share(stages: dict) -> str:
    """Place resolution against annotation, both in the same run (issue 22's target: < 5%).
    The gazetteer is built on a thread while the first batch is annotated, inside neither."""
    places, annotate = stages.get("places", 0.0), stages.get("annotate", 0.0)
    share = places / annotate if annotate else 0.0
    return f"  places / annotate: {share:.4f} ({places:.2f} s against {annotate:.1f} s; target < 0.05)"


def _remove_warehouse(path: Path) -> None:
    for stale in path.parent.glob(path.name + "*"):  # with its .lock, .wal, .building
        stale.unlink()


def _pipeline(corpus: Path, warehouse: Path) -> tuple[float, dict]:
    started = time.perf_counter()
    done = subprocess.run(
        [str(Path(sys.executable).with_name("newsroom")), "run", "--input", str(corpus), "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"pipeline failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    stages = json.loads(
        con.execute("select stage_seconds from ops.runs order by started_at desc limit 1").fetchone()[0]
    )
    con.close()
    return seconds, stages


def run(articles: int, workdir: Path) -> dict:
    """All of `make bench` in one run: the fixed costs on PolNeAR train (840 articles), then
    the large corpus, then 30 new articles into it."""
    small = run_fixed_costs(workdir)
    large = run_large(articles, workdir)
    large["increment"] = run_increment(articles, workdir)
    return {"polnear": small, **large}


def run_fixed_costs(workdir: Path) -> dict:
    """840 articles into a new warehouse against bare nlp.pipe on them, and the no-op re-run
    against a bare import (issue 19). The CLI runs as a user's would: the first starts the
    local Prefect server (or finds one), the re-run reports to it."""
    texts = polnear_train()
    if not texts:
        print(f"no PolNeAR train texts under {EVAL}: the fixed-cost figures are skipped")
        return {}
    corpus, warehouse = workdir / "corpus-polnear", workdir / "bench-polnear.duckdb"
    write_corpus(corpus, texts, "polnear")
    _remove_warehouse(warehouse)
    # a run over an empty folder first: it starts the local Prefect server if none is up, so
    # that the figures below are a user's steady state (the server outlives a run)
    empty, scratch = workdir / "empty", workdir / "bench-empty.duckdb"
    empty.mkdir(parents=True, exist_ok=True)
    _remove_warehouse(scratch)
    warm, _ = _pipeline(empty, scratch)
    print(
        f"an empty folder into a new warehouse: {warm:.1f} s (dbt builds the empty marts; the first run starts the server)"
    )
    bare = bare_spacy(texts)
    first, stages = _pipeline(corpus, warehouse)
    noop, noop_stages = _pipeline(corpus, warehouse)
    imports = min(bare_import() for _ in range(3))
    print(
        f"PolNeAR train, {len(texts)} articles into a new warehouse: {first:.1f} s against bare nlp.pipe {bare:.1f} s"
    )
    print(f"  throughput full/bare: {bare / first:.2f} (target >= 0.85)")
    print("  stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items()))
    print(_places_share(stages))
    print(
        f"  no-op re-run:     {noop:7.1f} s, a bare `import prefect, newsroom` {imports:.1f} s: "
        f"{noop - imports:+.1f} s (target <= +3 s); in the flow {sum(noop_stages.values()):.1f} s",
        flush=True,
    )
    return {
        "articles": len(texts),
        "empty_s": warm,
        "bare_s": bare,
        "first_s": first,
        "noop_s": noop,
        "import_s": imports,
        "stages": stages,
    }


def run_increment(articles: int, workdir: Path, new: int = 30) -> dict:
    """`new` articles the warehouse of run_large has not seen, in a folder of their own (an
    hourly inbox), against bare nlp.pipe on them."""
    base = source_texts()
    texts = [text for _, text in variants(base, articles + new)][articles:]
    corpus, warehouse = workdir / f"corpus-{articles}-plus-{new}", workdir / f"bench-{articles}.duckdb"
    write_corpus(corpus, texts, f"increment-{articles}")
    bare = bare_spacy(texts)
    seconds, stages = _pipeline(corpus, warehouse)
    print(
        f"{new} new articles into the {articles}-article warehouse: {seconds:.1f} s, bare nlp.pipe on them "
        f"{bare:.1f} s: {seconds - bare:+.1f} s (target <= +10 s)"
    )
    print("  stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items()), flush=True)
    return {"new": new, "bare_s": bare, "seconds": seconds, "stages": stages}


def run_large(articles: int, workdir: Path) -> dict:
    corpus = workdir / f"corpus-{articles}"
    warehouse = workdir / f"bench-{articles}.duckdb"
    _remove_warehouse(warehouse)
    texts = build_corpus(corpus, articles)
    words = sum(len(t.split()) for t in texts)
    print(f"corpus: {articles} articles, {words / articles:.0f} words on average ({corpus})", flush=True)

    bare = bare_spacy(texts)
    print(f"bare nlp.pipe:      {articles / bare:7.1f} articles/s ({bare:.1f} s)", flush=True)
    first, stages = _pipeline(corpus, warehouse)
    print(
        f"full pipeline:      {articles / first:7.1f} articles/s ({first:.1f} s, end to end incl. start-up and dbt)",
        flush=True,
    )
    rerun, _ = _pipeline(corpus, warehouse)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    ratio = bare / first
    print(f"ratio full/bare:    {ratio:7.2f}   (target >= 0.8)")
    print(f"re-run, unchanged:  {rerun:7.1f} s = {rerun / first:.1%} of the first run (target < 5%)")
    print(f"peak memory:        {peak_mb:7.0f} MB (largest process; target < 2048 MB)")
    total = sum(stages.values()) or 1.0
    print("stage shares of the first run: " + ", ".join(f"{k} {v / total:.0%}" for k, v in stages.items()))
    return {
        "articles": articles,
        "bare_s": bare,
        "first_s": first,
        "rerun_s": rerun,
        "peak_mb": peak_mb,
        "stages": stages,
    }


def _annotated_base(base: list[str], workdir: Path) -> list[tuple[object, object]]:
    """(Article, Annotation) of every base text through the real extraction and annotation,
    cached in workdir by model and texts (it takes minutes)."""
    import hashlib
    import pickle
    from datetime import date as date_

    from .annotate import nlp as nlp_models
    from .annotate.annotator import annotate
    from .extract.article import build_article
    from .records import Article, RawDocument

    key = hashlib.sha256((nlp_models.model_name() + "\0".join(base)).encode()).hexdigest()[:12]
    cache = workdir / f"base-annotations-{key}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    articles = []
    for i, text in enumerate(base):
        built = build_article(RawDocument(f"base-{i}.jsonl", f"base-{i}", "jsonl", text=text), date_.today())
        articles.append(built if isinstance(built, Article) else None)
    kept = [a for a in articles if a is not None]
    annotations = iter(annotate(kept))
    pairs = [(a, next(annotations)) if a is not None else None for a in articles]
    cache.write_bytes(pickle.dumps(pairs))
    return pairs


def cluster_corpus(warehouse: Path, articles: int, workdir: Path) -> int:
    """A warehouse whose landing tables hold `articles` variants of the annotated base texts,
    published over 90 days, none clustered yet."""
    import dataclasses
    from datetime import date as date_
    from datetime import timedelta

    from .load import warehouse as wh
    from .records import Annotation, content_id

    base = source_texts()
    annotated = _annotated_base(base, workdir)
    rng = random.Random(11)
    rows, notes, seen = [], [], set()
    for index, text in variants(base, articles):
        article_id = content_id(text)
        if annotated[index] is None or article_id in seen:
            continue
        seen.add(article_id)
        article, annotation = annotated[index]
        rows.append(
            dataclasses.replace(
                article,
                article_id=article_id,
                external_id=article_id,
                body_text=text,
                published_date=date_(2024, 1, 1) + timedelta(days=rng.randrange(90)),
            )
        )
        kept = [m for m in annotation.mentions if rng.random() < 0.9]  # outlets name a few entities differently
        notes.append(Annotation(article_id, kept, []))
    _remove_warehouse(warehouse)
    con = wh.connect(warehouse)
    wh.ensure_schema(con)
    for start in range(0, len(rows), 1000):
        wh.load_batch(con, "bench", rows[start : start + 1000], notes[start : start + 1000], [], [])
    con.close()
    return len(rows)


def run_clusters(sizes: list[int], workdir: Path) -> dict:
    """Seconds of the clustering stage over each size of warehouse, all articles new, and
    before it of computing the articles' clustering features (in a run, the annotation
    workers compute those, in parallel with spaCy)."""
    import datasketch  # noqa: F401 - imported before timing: a run imports them once
    import sklearn.feature_extraction.text  # noqa: F401

    from .cluster.features import text_features
    from .load import stories
    from .load import warehouse as wh
    from .pipeline import cluster_warehouse

    workdir.mkdir(parents=True, exist_ok=True)
    timings = {}
    for size in sizes:
        path = workdir / f"clusters-{size}.duckdb"
        loaded = cluster_corpus(path, size, workdir)
        con = wh.connect(path)
        started = time.perf_counter()
        wh.insert_features(con, [(a, text_features(text)) for a, text in stories.articles_without_features(con)])
        features = time.perf_counter() - started
        started = time.perf_counter()
        counts = cluster_warehouse(con, "bench")
        timings[size] = time.perf_counter() - started
        con.close()
        print(
            f"clustering {loaded:6d} articles: {timings[size]:7.1f} s ({counts.stories_created} stories, "
            f"{counts.links} links); their features beforehand: {features:.1f} s",
            flush=True,
        )
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        print(
            f"time at {large} / time at {small}: {timings[large] / timings[small]:.1f}x for "
            f"{large / small:.0f}x the articles (target <= 12x for 10x)"
        )
    return timings
