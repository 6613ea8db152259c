"""Speed and quality of finding Lạng Sơn's communes in text (`mauson.vntext.address.find_units`).

Speed: characters per second of `find_units` on a few hundred KB of real administrative text
(procedure records and law texts from ../shared/data), cut into 1,000-character pieces as
petitions are; the baseline, run in the same process on the same pieces, folds each piece with
`normalize.fold` and loops `str.find` over every folded Lạng Sơn name (no resolution, no filtering).
Also the time per petition on the training petitions (many place names per text).
Quality: commune accuracy of `find_commune` on ../shared/eval/petitions_dev.jsonl, scored by
../shared/eval/score.py (null gold counts: naming a commune where none is meant is wrong); and
how many law-text pieces (which name no Lạng Sơn commune) get a commune anyway.

Run: make bench   (or .venv/bin/python bench/bench_gazetteer.py [--kb 300] [--shared ../shared])
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from mauson.vntext import gazetteer as gz
from mauson.vntext.address import find_commune, find_units
from mauson.vntext.normalize import fold

ROOT = Path(__file__).resolve().parents[1]
PIECE = 1000


def read_corpus(shared: Path, kilobytes: int) -> str:
    """Procedure texts first (the language of public services), then laws, NFC, up to `kilobytes`."""
    wanted = kilobytes * 1000
    parts: list[str] = []
    with (shared / "data" / "procedures" / "tthc.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            fields = ("ten_thu_tuc", "trinh_tu_thuc_hien", "thanh_phan_ho_so", "yeu_cau_dieu_kien")
            parts.append(" ".join(str(record.get(f) or "") for f in fields))
            if sum(map(len, parts)) > wanted // 2:
                break
    for path in sorted((shared / "data" / "laws" / "corpus").glob("*.txt")):
        parts.append(path.read_text(encoding="utf-8"))
        if sum(map(len, parts)) > wanted:
            break
    return unicodedata.normalize("NFC", "\n".join(parts))[:wanted]


def pieces(text: str) -> list[str]:
    return [text[i : i + PIECE] for i in range(0, len(text), PIECE)]


def folded_names() -> list[str]:
    table = gz.gazetteer()
    names = {u.short_name for u in table.units_in(gz.LANG_SON)}
    names |= {o.short_name for o in table.old_units_in(gz.LANG_SON)}
    names |= {d.short_name for d in table.districts_in(gz.LANG_SON)}
    return sorted({fold(n) for n in names})


def naive_find(text: str, names: list[str]) -> list[tuple[int, str]]:
    """The baseline: every occurrence of every folded name, at word boundaries."""
    folded = fold(text)
    hits = []
    for name in names:
        at = folded.find(name)
        while at >= 0:
            end = at + len(name)
            if (at == 0 or not folded[at - 1].isalnum()) and (end == len(folded) or not folded[end].isalnum()):
                hits.append((at, name))
            at = folded.find(name, at + 1)
    return hits


def timed(work: list[str], run: Callable[[str], object]) -> tuple[float, list[float]]:
    each = []
    started = time.perf_counter()
    for piece in work:
        t = time.perf_counter()
        run(piece)
        each.append(time.perf_counter() - t)
    return time.perf_counter() - started, each


def load_scorer(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_score", shared / "eval" / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def commune_accuracy(shared: Path, name: str) -> tuple[float, int]:
    path = shared / "eval" / name
    gold = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    predictions = []
    for row in gold:
        guess = find_commune(row["text"])
        predictions.append({"id": row["id"], "commune": guess.unit.name if guess else None})
    report = load_scorer(shared).score_petitions(gold, predictions)
    return report["commune_accuracy"], report["n"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kb", type=int, default=300, help="how much text to scan, in thousands of characters")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    if not (args.shared / "data").is_dir():
        print(f"skipped: {args.shared / 'data'} not found (the benchmark reads the shared corpora)")
        return

    started = time.perf_counter()
    find_units("xã Tân Liên")  # loads the table and builds the matcher
    print(f"load_ms: {(time.perf_counter() - started) * 1000:.1f}")

    text = read_corpus(args.shared, args.kb)
    work = pieces(text)
    names = folded_names()
    ours, each = timed(work, find_units)
    baseline, _ = timed(work, lambda piece: naive_find(piece, names))
    print(f"text_chars: {len(text)}")
    print(f"pieces: {len(work)} of {PIECE} chars")
    print(f"names_in_baseline: {len(names)}")
    print(f"find_units_chars_per_s: {len(text) / ours:,.0f}")
    print(f"naive_baseline_chars_per_s: {len(text) / baseline:,.0f}")
    print(f"speedup_vs_naive: {baseline / ours:.2f}")
    print(f"find_units_ms_per_1000_chars_mean: {statistics.mean(each) * 1000:.3f}")
    print(f"find_units_ms_per_1000_chars_p99: {sorted(each)[int(len(each) * 0.99)] * 1000:.3f}")

    petitions = [
        json.loads(line)["text"]
        for line in (args.shared / "eval" / "petitions_train.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    _, per_petition = timed(petitions * 5, find_units)
    mean_chars = statistics.mean(map(len, petitions))
    print(f"find_units_ms_per_petition_mean: {statistics.mean(per_petition) * 1000:.3f} ({mean_chars:.0f} chars)")

    law_pieces = pieces(text[len(text) // 2 :])
    wrong = sum(1 for piece in law_pieces if find_commune(piece) is not None)
    print(f"law_pieces_given_a_commune: {wrong} of {len(law_pieces)}")
    accuracy, n = commune_accuracy(args.shared, "petitions_dev.jsonl")
    print(f"commune_accuracy_petitions_dev: {accuracy:.4f} (n={n})")


if __name__ == "__main__":
    main()
