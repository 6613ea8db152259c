"""Quality and speed of petition triage on ../shared/eval/petitions_dev.jsonl, and a real-data check.

1. Runs the dev set through the batch path (`mauson petitions triage --jsonl`, the shipped model,
   which never saw the dev file) and scores it with ../shared/eval/score.py: category macro-F1 and
   accuracy, agency accuracy, khan_cap recall, urgency macro-F1, commune accuracy, duplicate pairs.
2. Times end-to-end triage in this process on one core (labels, commune, duplicates, personal data),
   repeating the dev set, in petitions per second.
3. Trains the same classifier code on ../shared/data/bank-complaints/train.txt (UTS2017_Bank, the
   first aspect label of each line) and reports accuracy and macro-F1 on its test.txt.

`--cv` instead cross-validates the written rules (`mauson.petitions.rules`) with the model over the
train file (3 × 5 folds, the project's seed always on the training side; the dev file is not read)
and prints agency and urgency figures for each rule weight (how `rules.WEIGHTS` was chosen) and the
model's category figures, then per-class F1 and the confusions (gold → predicted, counted over the
repeats) of category, agency and urgency with the shipped rules. `--quick` compares only no rules
and the shipped table (for iterating on the seed).

Run: .venv/bin/python bench/petitions.py [--gold PATH] [--bank DIR] [--cv [--quick] [--train PATH]]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

from sklearn.metrics import accuracy_score, f1_score

from mauson.petitions import rules
from mauson.petitions.classifier import described, shipped_model
from mauson.petitions.training import Example, fit, read_examples, seed_path
from mauson.petitions.triage import Submission, triage_batch

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TARGETS = {
    "category_macro_f1": 0.85,
    "agency_accuracy": 0.85,
    "khan_cap_recall": 0.95,
    "commune_accuracy": 0.95,
    "duplicate_f1": 0.80,
    "per_second": 100,
}


def batch_predictions(gold: Path, workdir: Path) -> Path:
    """Run the CLI's batch path on the gold file's texts only (no labels go in)."""
    inputs = workdir / "in.jsonl"
    with gold.open(encoding="utf-8") as source, inputs.open("w", encoding="utf-8") as handle:
        for line in source:
            record = json.loads(line)
            fields = {key: record[key] for key in ("id", "text", "submitted_at", "channel")}
            handle.write(json.dumps(fields, ensure_ascii=False) + "\n")
    predictions = workdir / "pred.jsonl"
    command = [str(Path(sys.executable).parent / "mauson"), "petitions", "triage", "--jsonl", str(inputs)]
    started = time.perf_counter()
    output = subprocess.run(
        command, check=True, capture_output=True, text=True, env={**os.environ, "MAUSON_DATA_DIR": str(workdir)}
    )
    lines, seconds = len(output.stdout.splitlines()), time.perf_counter() - started
    print(f"batch command: {lines} lines in {seconds:.2f} s (with start-up)")
    predictions.write_text(output.stdout, encoding="utf-8")
    return predictions


def score(gold: Path, predictions: Path) -> dict:
    scorer = gold.parent / "score.py"
    result = subprocess.run(
        [sys.executable, str(scorer), "petitions", str(gold), str(predictions)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)


def throughput(gold: Path, rounds: int = 10) -> float:
    """Petitions per second through `triage_batch`, the dev texts repeated `rounds` times."""
    records = [json.loads(line) for line in gold.open(encoding="utf-8")]
    submissions = [
        Submission(f"{r['id']}-{n}", r["text"], datetime.fromisoformat(r["submitted_at"]).replace(year=2030 + n))
        for n in range(rounds)
        for r in records
    ]
    shipped_model()
    triage_batch(submissions[:5])  # warm the caches (gazetteer, recognisers)
    started = time.perf_counter()
    triage_batch(submissions)
    return len(submissions) / (time.perf_counter() - started)


def read_bank(path: Path) -> list[Example]:
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        tokens = line.split()
        labels = [t for t in tokens if t.startswith("__label__")]
        text = " ".join(t for t in tokens if not t.startswith("__label__"))
        if labels and text:
            examples.append(Example(text, {"aspect": labels[0].removeprefix("__label__").split("#")[0]}))
    return examples


def bank_check(folder: Path) -> dict[str, float]:
    train, test = read_bank(folder / "train.txt"), read_bank(folder / "test.txt")
    started = time.perf_counter()
    model = fit(train, names=("aspect",), meta={"source": "UTS2017_Bank"})
    seconds = time.perf_counter() - started
    gold = [e.labels["aspect"] for e in test]
    predicted = [model.predict(e.text)["aspect"].label for e in test]
    return {
        "train": len(train),
        "test": len(test),
        "accuracy": round(accuracy_score(gold, predicted), 4),
        "macro_f1": round(float(f1_score(gold, predicted, average="macro", zero_division=0)), 4),
        "train_seconds": round(seconds, 1),
    }


CV_WEIGHTS = (2.0, 20.0, 1e4)  # 1e4: a rule that fires decides


SHIPPED = "shipped (rules.WEIGHTS)"


def _cv_settings(quick: bool = False) -> dict[str, dict[str, float]]:
    """The rule weight tables compared: none, the shipped one, each kind's rules together, each rule alone."""
    settings: dict[str, dict[str, float]] = {"no rules": {}, SHIPPED: dict(rules.WEIGHTS)}
    if quick:
        return settings
    for weight in CV_WEIGHTS:
        for kind, table in rules.RULES.items():
            settings[f"all {kind} rules at {weight:g}"] = {rule.reason: weight for rule in table}
            for rule in table:
                settings[f"{kind} '{rule.reason}' alone at {weight:g}"] = {rule.reason: weight}
    return settings


def cross_validate(train: Path, repeats: int = 3, folds: int = 5, *, quick: bool = False) -> None:
    """Agency and urgency figures on held-out train lines: no rules, all rules, each rule alone, the shipped set.

    Each setting is a `rules.WEIGHTS`-like table; one fit per fold serves them all.
    """
    from sklearn.model_selection import KFold

    examples, seed = list(read_examples(train)), list(read_examples(seed_path()))
    settings = _cv_settings(quick)
    outcomes: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (setting, kind) → [(gold, predicted)]
    fired: Counter[tuple[str, str, bool]] = Counter()  # (kind, rule reason, right) on held-out lines
    everything = {reason: 1.0 for table in rules.RULES.values() for reason in (r.reason for r in table)}
    for repeat in range(repeats):
        for kept, held in KFold(folds, shuffle=True, random_state=repeat).split(examples):
            model = fit(seed + [examples[i] for i in kept], meta={})
            for i in held:
                example = examples[i]
                for kind in rules.RULES:
                    hit = rules.match(described(example.text), kind, everything)
                    if hit is not None:
                        fired[kind, hit.reason, hit.label == example.labels[kind]] += 1
                for name, weights in settings.items():
                    predicted = model.predict(example.text, rules.priors(example.text, weights))
                    for kind in rules.RULES:
                        outcomes.setdefault((name, kind), []).append((example.labels[kind], predicted[kind].label))
                category = predicted["category"].label  # no rule touches it: one setting's answer serves
                outcomes.setdefault(("model", "category"), []).append((example.labels["category"], category))
    print(f"{repeats} × {folds}-fold cross-validation over {train.name} ({len(examples)} lines; seed of {len(seed)})")
    _print_figures(outcomes)
    if not quick:
        _print_rules(fired, seed, everything)
    for kind, setting in (("category", "model"), ("agency", SHIPPED), ("urgency", SHIPPED)):
        _print_confusions(kind, outcomes[setting, kind])


def _print_confusions(kind: str, pairs: list[tuple[str, str]], shown: int = 15) -> None:
    """Per-class F1 (with support) and the most frequent confusions, gold → predicted."""
    gold, predicted = [g for g, _ in pairs], [p for _, p in pairs]
    classes = sorted(set(gold) | set(predicted))
    scores = f1_score(gold, predicted, labels=classes, average=None, zero_division=0)
    support = Counter(gold)
    line = ", ".join(f"{c} {float(f):.2f} ({support[c]})" for c, f in zip(classes, scores, strict=True))
    print(f"{kind} per-class F1 (support over repeats): {line}")
    wrong = Counter((g, p) for g, p in pairs if g != p)
    print(f"{kind} confusions: " + ", ".join(f"{g} → {p} {n}" for (g, p), n in wrong.most_common(shown)))


def _print_rules(fired: Counter[tuple[str, str, bool]], seed: list[Example], everything: dict[str, float]) -> None:
    """How often each rule fired on held-out lines and was right; the same on the seed."""
    for kind, table in rules.RULES.items():
        for reason in dict.fromkeys(r.reason for r in table):
            right, wrong = fired[kind, reason, True], fired[kind, reason, False]
            print(
                f"  {kind} rule '{reason}' (all rules on): fired {right + wrong} times on held-out lines, right {right}"
            )
        seed_hits = [(rules.match(described(e.text), kind, everything), e.labels[kind]) for e in seed]
        fired_seed = [(h, g) for h, g in seed_hits if h is not None]
        right = sum(h.label == g for h, g in fired_seed)
        print(f"  {kind} rules on the seed (training side): fired {len(fired_seed)} of {len(seed)}, right {right}")


def _print_figures(outcomes: dict[tuple[str, str], list[tuple[str, str]]]) -> None:
    """Accuracy and macro-F1 (and khan_cap recall and precision) of each setting, for the kind it concerns."""
    for (name, kind), pairs in outcomes.items():
        if not (name in ("model", "no rules", "shipped (rules.WEIGHTS)") or name.startswith(("all " + kind, kind))):
            continue
        gold, predicted = [g for g, _ in pairs], [p for _, p in pairs]
        figures = {
            "accuracy": round(accuracy_score(gold, predicted), 3),
            "macro_f1": round(float(f1_score(gold, predicted, average="macro", zero_division=0)), 3),
        }
        if kind == "urgency":
            emergencies = [p for g, p in pairs if g == "khan_cap"]
            raised = [g for g, p in pairs if p == "khan_cap"]
            figures["khan_cap_recall"] = round(emergencies.count("khan_cap") / len(emergencies), 3)
            figures["khan_cap_precision"] = round(raised.count("khan_cap") / max(1, len(raised)), 3)
        print(f"{kind} | {name}: {json.dumps(figures)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=SHARED / "eval" / "petitions_dev.jsonl")
    parser.add_argument("--bank", type=Path, default=SHARED / "data" / "bank-complaints")
    parser.add_argument("--cv", action="store_true", help="cross-validate the rule weights on the train file")
    parser.add_argument("--quick", action="store_true", help="with --cv: only no rules and the shipped table")
    parser.add_argument("--train", type=Path, default=SHARED / "eval" / "petitions_train.jsonl")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if args.cv:
        cross_validate(args.train, quick=args.quick)
        return
    with tempfile.TemporaryDirectory() as workdir:
        metrics = score(args.gold, batch_predictions(args.gold, Path(workdir)))
    metrics["duplicate_f1"] = metrics["duplicates"]["f1"]
    metrics["per_second"] = round(throughput(args.gold), 1)
    print(json.dumps(metrics, ensure_ascii=False, indent=1))
    for key, target in TARGETS.items():
        value = metrics.get(key)
        verdict = "ok" if value is not None and value >= target else "BELOW TARGET"
        print(f"{key}: {value} (target ≥ {target}) {verdict}")
    print("bank-complaints (same classifier code):", json.dumps(bank_check(args.bank)))


if __name__ == "__main__":
    main()
