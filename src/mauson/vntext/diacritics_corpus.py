"""The text that trains and measures diacritic restoration: documents, the held-out split, accuracy.

`read_documents()` reads the shared data folder (procedures, laws, informal complaints, place
names, reference lists) into `Document`s; `split_documents()` holds a fixed tenth of them out,
by document and never by sentence; `evaluate()` strips the diacritics from accented text, lets
a restorer put them back and counts what came back right. The CLI and the benchmark both use
these, so they train and measure with the same held-out documents.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mauson.errors import Invalid
from mauson.vntext.diacritics import LETTERS, accented_share, unglue_cells
from mauson.vntext.normalize import fold, normalize

SPLIT_SEED = "mauson-diacritics-2026"
HELD_OUT_SHARE = 0.1
_PROCEDURE_FIELDS = (
    "ten_thu_tuc", "cap_thuc_hien", "loai_thu_tuc", "linh_vuc", "doi_tuong_thuc_hien", "co_quan_co_tham_quyen",
    "dia_chi_tiep_nhan", "co_quan_duoc_uy_quyen", "co_quan_phoi_hop", "thu_tuc_lien_quan", "trinh_tu_thuc_hien",
    "cach_thuc_thuc_hien", "thanh_phan_ho_so", "yeu_cau_dieu_kien", "can_cu_phap_ly", "co_quan_thuc_hien",
    "ket_qua_xu_ly",
)  # fmt: skip
_REFERENCES = ("names/boy.txt", "names/girl.txt", "admin-units/input/docs/*.md", "admin-units/input/docs/*.csv")
_INFORMAL_MIN_ACCENTED = 0.6
_PARENTHESES = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class Document:
    """One unit of the held-out split: a procedure (with its variants per level) or a law.

    `splittable` is False for reference lists (given names, administrative-unit texts),
    which always go to training; `titles` are procedure names, short like citizens' queries.
    """

    key: str
    text: str
    titles: tuple[str, ...] = ()
    splittable: bool = True


def read_documents(source: Path) -> list[Document]:
    """The training text in `source` (the shared data folder): procedures, laws, references."""
    procedures, laws = source / "procedures" / "tthc.jsonl", source / "laws" / "corpus"
    if not procedures.is_file() or not laws.is_dir():
        raise Invalid(f"Không thấy {procedures} và {laws}: hãy chỉ đúng thư mục dữ liệu chung (--source).")
    documents = _procedures(procedures)
    documents += [Document(f"laws/{p.name}", _read_text(p)) for p in sorted(laws.glob("*.txt"))]
    documents += _informal(source / "bank-complaints" / "train.txt")
    documents.append(_place_names(source / "admin-units"))
    for pattern in _REFERENCES:
        documents += [Document(p.relative_to(source).as_posix(), _read_text(p), splittable=False)
                      for p in sorted(source.glob(pattern))]  # fmt: skip
    return documents


def _read_text(path: Path) -> str:
    try:
        return unicodedata.normalize("NFC", path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise Invalid(f"Không đọc được {path} (cần tệp văn bản UTF-8).") from error


def _informal(path: Path) -> list[Document]:
    """Social-media complaints (UTS2017_Bank): the only informal, question-like text we have
    ("bao nhiêu", "ở đâu", "được không"). Lines typed mostly without accents are skipped."""
    if not path.is_file():
        return []
    lines = [line.partition(" ")[2] for line in _read_text(path).splitlines()]
    kept = [line for line in lines if accented_share(line) >= _INFORMAL_MIN_ACCENTED]
    return [Document("bank-complaints/train.txt", "\n".join(kept), splittable=False)]


def _place_names(folder: Path) -> Document:
    """Every commune, district and province name, old and new, one a line: citizens type them
    ("Dong Dang", "Cao Loc") and the prose corpora name few of them."""
    names: dict[str, None] = {}
    for path in sorted(folder.glob("**/*.json")):
        try:
            _collect_names(json.loads(_read_text(path)), names)
        except json.JSONDecodeError as error:
            raise Invalid(f"{path} không phải JSON hợp lệ.") from error
    return Document("admin-units/names", "\n".join(names), splittable=False)


def _collect_names(value: object, names: dict[str, None]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and "name" in key:
                names[item] = None
            else:
                _collect_names(item, names)
    elif isinstance(value, list):
        for item in value:
            _collect_names(item, names)


def _procedures(path: Path) -> list[Document]:
    """Procedures grouped by name without its parentheses, so that the same procedure at
    another level ("(cấp tỉnh)", "(cấp xã)") cannot sit on both sides of the split."""
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        try:
            row = json.loads(line) if line.strip() else {}
        except json.JSONDecodeError:
            row = None
        if not isinstance(row, dict):
            raise Invalid(f"Dòng {number} của {path} không phải một đối tượng JSON hợp lệ.")
        fields = {f: unicodedata.normalize("NFC", str(row.get(f) or "")) for f in _PROCEDURE_FIELDS}
        groups[" ".join(fold(_PARENTHESES.sub(" ", fields["ten_thu_tuc"])).split())].append(fields)
    return [
        Document(
            key=f"procedures/{key}",
            text="\n".join(row[f] for row in rows for f in _PROCEDURE_FIELDS),
            titles=tuple(dict.fromkeys(" ".join(row["ten_thu_tuc"].split()) for row in rows)),
        )
        for key, rows in groups.items()
        if key
    ]


def is_held_out(key: str, *, share: float = HELD_OUT_SHARE, seed: str = SPLIT_SEED) -> bool:
    """A fixed pseudo-random draw per document key, stable when other documents change."""
    digest = hashlib.blake2b(f"{seed}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64 < share


def split_documents(documents: Iterable[Document]) -> tuple[list[Document], list[Document]]:
    """(training, held-out) by document, never by sentence, so near-copies cannot leak."""
    training: list[Document] = []
    held_out: list[Document] = []
    for document in documents:
        (held_out if document.splittable and is_held_out(document.key) else training).append(document)
    return training, held_out


def fingerprint(documents: Iterable[Document]) -> str:
    """A short hash of the document keys: the model records its held-out set with it."""
    return hashlib.sha256("\n".join(sorted(d.key for d in documents)).encode()).hexdigest()[:16]


@lru_cache(maxsize=4096)
def _strip_char(char: str) -> str:
    stripped = fold(char)
    return stripped.upper() if char.isupper() else stripped


def strip_diacritics(text: str) -> str:
    """Remove every diacritic but keep the case: 'Lạng Sơn' → 'Lang Son' (how such users type)."""
    return "".join(_strip_char(c) for c in unicodedata.normalize("NFC", text))


@dataclass
class Accuracy:
    """Syllables restored exactly, and texts whose every syllable is right."""

    correct: int = 0
    total: int = 0
    texts_correct: int = 0
    texts: int = 0

    @property
    def syllables(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def exact(self) -> float:
        return self.texts_correct / self.texts if self.texts else 0.0


def evaluate(texts: Iterable[str], restorer: Callable[[str], str]) -> Accuracy:
    """Strip the diacritics from accented reference texts, restore them, count the syllables."""
    result = Accuracy()
    for text in texts:
        reference = normalize(unglue_cells(text))
        expected = LETTERS.findall(reference)
        produced = LETTERS.findall(restorer(strip_diacritics(reference)))
        right = sum(a == b for a, b in zip(expected, produced, strict=False)) if len(expected) == len(produced) else 0
        result.correct += right
        result.total += len(expected)
        result.texts += 1
        result.texts_correct += right == len(expected)
    return result


def sample_paragraphs(documents: Iterable[Document], *, syllables: int) -> list[str]:
    """Up to `syllables` syllables of paragraphs, drawn evenly across the documents (fixed order)."""
    paragraphs = [p for d in documents for p in d.text.split("\n") if LETTERS.search(p)]
    paragraphs.sort(key=lambda p: hashlib.blake2b(p.encode(), digest_size=8).digest())
    chosen: list[str] = []
    count = 0
    for paragraph in paragraphs:
        if count >= syllables:
            break
        chosen.append(paragraph)
        count += len(LETTERS.findall(paragraph))
    return chosen
