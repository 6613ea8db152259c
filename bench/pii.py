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
import logging
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


def print_report(name: str, report: dict, rows: list[dict], seconds: float) -> None:
    chars = sum(len(row["text"]) for row in rows)
    size = sum(len(row["text"].encode("utf-8")) for row in rows)
    print(f"\n== {name}: {size / seconds / 1e6:.2f} MB/s of UTF-8, {chars / seconds / 1e6:.2f} M characters/s")
    for mode in ("exact", "overlap"):
        micro = report[mode]["micro"]
        print(f"{mode:8} micro: P {micro['precision']:.3f}  R {micro['recall']:.3f}  F1 {micro['f1']:.3f}")
    print(f"{'type':18} {'P':>6} {'R':>6} {'F1':>6} {'F1 ovl':>7} {'support':>8}")
    for entity_type, row in report["exact"]["per_type"].items():
        overlap = report["overlap"]["per_type"].get(entity_type, {}).get("f1", 0.0)
        scores = f"{row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f}"
        print(f"{entity_type:18} {scores} {overlap:7.3f} {row['support']:8}")


VIPII_TYPES = {
    "CCCD": "CCCD",
    "CMND": "CMND",
    "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "MST": "TAX_CODE",
    "PASSPORT": "PASSPORT",
    "BANK_ACCOUNT": "BANK_ACCOUNT",
    "DATE_OF_BIRTH": "DATE_OF_BIRTH",
    "VEHICLE_PLATE": "LICENSE_PLATE",
    "SOCIAL_INSURANCE_NUMBER": "SOCIAL_INSURANCE",
    "HEALTH_INSURANCE_NUMBER": "SOCIAL_INSURANCE",
}
PRESIDIO_TYPES = {
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "CREDIT_CARD": "BANK_ACCOUNT",
    "IBAN_CODE": "BANK_ACCOUNT",
}


def vipii_detector() -> Callable[[str], list[dict]] | None:
    """vipii with its built-in Vietnamese recognisers (no NER model: nothing may be downloaded)."""
    try:
        from vipii import PIIDetector
    except ImportError:
        return None
    detector = PIIDetector()

    def detect(text: str) -> list[dict]:
        return [
            {"start": m.start, "end": m.end, "type": VIPII_TYPES[m.label]}
            for m in detector.detect(text)
            if m.label in VIPII_TYPES
        ]

    return detect


def presidio_detector(workdir: Path) -> Callable[[str], list[dict]] | None:
    """Presidio's pattern recognisers for e-mail, phone (region VN), card and IBAN, on a blank
    spaCy pipeline saved to disk: the offline configuration (its default engine downloads a model)."""
    try:
        import spacy
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import SpacyNlpEngine
        from presidio_analyzer.predefined_recognizers import (
            CreditCardRecognizer,
            EmailRecognizer,
            IbanRecognizer,
            PhoneRecognizer,
        )
    except ImportError:
        return None
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)  # it tries to fetch a suffix list, then falls back
    model = workdir / "blank_xx"
    spacy.blank("xx").to_disk(model)
    engine = SpacyNlpEngine(models=[{"lang_code": "vi", "model_name": str(model)}])
    registry = RecognizerRegistry(supported_languages=["vi"])
    registry.add_recognizer(EmailRecognizer(supported_language="vi"))
    registry.add_recognizer(PhoneRecognizer(supported_language="vi", supported_regions=("VN",)))
    registry.add_recognizer(CreditCardRecognizer(supported_language="vi"))
    registry.add_recognizer(IbanRecognizer(supported_language="vi"))
    analyzer = AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["vi"])

    def detect(text: str) -> list[dict]:
        results = analyzer.analyze(text=text, language="vi", score_threshold=0.3)
        return [
            {"start": r.start, "end": r.end, "type": PRESIDIO_TYPES[r.entity_type]}
            for r in results
            if r.entity_type in PRESIDIO_TYPES
        ]

    return detect


def compare(
    name: str, detector: Callable[[str], list[dict]], covered: set[str], rows: list[dict], gold: Path, ours: dict
) -> None:
    """Score a peer on the types it covers and print it beside our figures for the same types."""
    predictions, seconds = predict(rows, detector)
    report = score(gold, predictions)
    size = sum(len(row["text"].encode("utf-8")) for row in rows)
    print(f"\n== peer {name}: {size / seconds / 1e6:.2f} MB/s of UTF-8; F1 (exact) on the types it covers")
    print(f"{'type':18} {'peer':>6} {'ours':>6}")
    for entity_type in sorted(covered):
        peer_f1 = report["exact"]["per_type"].get(entity_type, {}).get("f1", 0.0)
        our_f1 = ours["exact"]["per_type"].get(entity_type, {}).get("f1", 0.0)
        print(f"{entity_type:18} {peer_f1:6.3f} {our_f1:6.3f}{'' if our_f1 > peer_f1 else '   <-- peer not beaten'}")


def general_text_speed() -> None:
    """Throughput on ordinary administrative text (the law corpus), where personal data is sparse."""
    corpus = ROOT.parent / "shared" / "data" / "laws" / "corpus"
    if not corpus.is_dir():
        return
    text = "".join(path.read_text("utf-8") for path in sorted(corpus.iterdir())[:40])[:2_000_000]
    started = time.perf_counter()
    for offset in range(0, len(text), 20_000):
        scan(text[offset : offset + 20_000])
    seconds = time.perf_counter() - started
    size = len(text.encode("utf-8"))
    rate = f"{size / seconds / 1e6:.2f} MB/s of UTF-8 ({len(text) / seconds / 1e6:.2f} M characters/s)"
    print(f"\n== speed on the law corpus: {rate}, one core")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold", type=Path, default=EVAL / "pii_dev.jsonl")
    parser.add_argument("--predictions", type=Path)
    args = parser.parse_args()
    if not args.gold.exists():
        sys.exit(f"gold file not found: {args.gold} (the benchmark needs ../shared/eval)")
    rows = [json.loads(line) for line in args.gold.read_text("utf-8").splitlines() if line.strip()]
    scan("khởi động")  # load lexicons before timing
    predictions, seconds = predict(rows, ours)
    repeat_seconds = min(predict(rows, ours)[1] for _ in range(3))
    if args.predictions:
        args.predictions.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in predictions), "utf-8")
    ours_report = score(args.gold, predictions)
    print_report("Mẫu Sơn privacy.scan (one core)", ours_report, rows, min(seconds, repeat_seconds))
    general_text_speed()
    with tempfile.TemporaryDirectory() as workdir:
        peers = [
            ("vipii 0.2 (built-in recognisers)", vipii_detector(), set(VIPII_TYPES.values())),
            ("Presidio (pattern recognisers, offline)", presidio_detector(Path(workdir)), set(PRESIDIO_TYPES.values())),
        ]
        for name, detector, covered in peers:
            if detector is None:
                print(f"\n== peer {name}: not installed (make bench installs requirements-bench.lock)")
                continue
            compare(name, detector, covered, rows, args.gold, ours_report)


if __name__ == "__main__":
    main()
