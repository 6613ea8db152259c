"""Diacritic restoration: accuracy on held-out documents and speed, against a trivial baseline.

The source text is split by document with a fixed seed (`diacritics_corpus.split_documents`); the
shipped model records the fingerprint of the held-out set it was trained without, and this
script refuses to score a model trained on other terms (use --retrain to train one here).
The baseline, run in the same process on the same text, writes each syllable in its most
frequent accented form in the training documents, without context.

Run: .venv/bin/python bench/bench_diacritics.py [--source ../shared/data] [--syllables N] [--retrain]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from mauson.vntext import diacritics
from mauson.vntext.diacritics import Model
from mauson.vntext.diacritics_corpus import (
    Document,
    evaluate,
    fingerprint,
    read_documents,
    sample_paragraphs,
    split_documents,
    strip_diacritics,
)
from mauson.vntext.normalize import fold, has_diacritics, normalize

WORD = re.compile(r"[^\W\d_]+")
TARGET = 0.95


def most_frequent_form(training: Sequence[Document]) -> Callable[[str], str]:
    """The baseline: each accentless word becomes its most frequent form in the training text."""
    canonical = lru_cache(maxsize=None)(lambda word: normalize(word.lower()))
    counts: Counter[str] = Counter()
    for document in training:
        counts.update(canonical(word) for word in WORD.findall(document.text))
    best: dict[str, str] = {}
    for form, _ in counts.most_common():
        best.setdefault(fold(form), form)

    def replace(match: re.Match[str]) -> str:
        typed = match.group(0)
        form = best.get(typed.lower(), typed) if not has_diacritics(typed) else typed
        if len(form) != len(typed):
            return typed
        return "".join(f.upper() if t.isupper() else f for t, f in zip(typed, form, strict=True))

    return lambda text: WORD.sub(replace, text)


def choose_model(args: argparse.Namespace, training: list[Document], held_out: list[Document]) -> Model:
    if args.retrain:
        started = time.perf_counter()
        model = diacritics.train(document.text for document in training)
        print(f"model: trained in this run on {len(training)} documents in {time.perf_counter() - started:.1f} s")
        return model
    model = diacritics.load()
    if model.metadata.get("held_out_fingerprint") != fingerprint(held_out):
        sys.exit("the shipped model was not trained without these held-out documents: rebuild it or use --retrain")
    print(f"model: shipped ({model.metadata.get('training_documents')} training documents, held-out set verified)")
    return model


def throughput(restorer: Callable[[str], str], inputs: Sequence[str], syllables: int) -> float:
    started = time.perf_counter()
    for text in inputs:
        restorer(text)
    return syllables / (time.perf_counter() - started)


def query_latencies_ms(restorer: Callable[[str], str], queries: Sequence[str]) -> list[float]:
    timings = []
    for query in queries:
        started = time.perf_counter()
        restorer(query)
        timings.append((time.perf_counter() - started) * 1000)
    return sorted(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=Path("../shared/data"))
    parser.add_argument("--syllables", type=int, default=100_000, help="held-out syllables to score")
    parser.add_argument("--retrain", action="store_true", help="train on the training documents in this run")
    args = parser.parse_args()

    training, held_out = split_documents(read_documents(args.source))
    started = time.perf_counter()
    diacritics.load()
    load_seconds = time.perf_counter() - started
    model = choose_model(args, training, held_out)
    baseline = most_frequent_form(training)

    def restorer(text: str) -> str:
        return diacritics.restore(text, model=model)

    paragraphs = sample_paragraphs(held_out, syllables=args.syllables)
    titles = [title.lower() for document in held_out for title in document.titles]
    texts, base_texts = evaluate(paragraphs, restorer), evaluate(paragraphs, baseline)
    names, base_names = evaluate(titles, restorer), evaluate(titles, baseline)

    inputs = [strip_diacritics(normalize(p)) for p in paragraphs]
    speed, base_speed = throughput(restorer, inputs, texts.total), throughput(baseline, inputs, texts.total)
    queries = [strip_diacritics(t) for t in titles if 6 <= len(t.split()) <= 14]
    latencies = query_latencies_ms(restorer, queries)

    print(f"held_out_documents: {len(held_out)} (of {len(training) + len(held_out)}, split by document)")
    print(f"held_out_syllables: {texts.total}")
    verdict = "met" if texts.syllables >= TARGET else "NOT met"
    print(f"syllable_accuracy: {texts.syllables:.4f} (target >= {TARGET}: {verdict})")
    print(f"baseline_syllable_accuracy: {base_texts.syllables:.4f}")
    print(f"paragraph_exact: {texts.exact:.4f} (baseline {base_texts.exact:.4f}, {texts.texts} paragraphs)")
    print(f"procedure_names_syllable_accuracy: {names.syllables:.4f} ({names.total} syllables, lower case)")
    print(f"procedure_names_exact: {names.exact:.4f} ({names.texts} names)")
    print(f"baseline_procedure_names_syllable_accuracy: {base_names.syllables:.4f}")
    print(f"baseline_procedure_names_exact: {base_names.exact:.4f}")
    print(f"speed_syllables_per_s: {speed:,.0f}")
    print(f"baseline_speed_syllables_per_s: {base_speed:,.0f}")
    print(f"speed_ratio_baseline_over_model: {base_speed / speed:.1f}x")
    print(f"query_latency_ms_p50: {statistics.median(latencies):.2f} ({len(latencies)} names of 6-14 words)")
    print(f"query_latency_ms_p95: {latencies[int(0.95 * (len(latencies) - 1))]:.2f}")
    print(f"model_load_s: {load_seconds:.2f}")
    print(f"artefact_bytes: {diacritics.shipped_path().stat().st_size:,}")


if __name__ == "__main__":
    main()
