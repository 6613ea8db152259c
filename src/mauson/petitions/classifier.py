"""The triage classifier: TF-IDF over folded words and character n-grams, one linear model per label.

Citizens write with and without diacritics, in "ko", "dc" shorthand and in long formal letters, so
every text is normalised and folded ("Đường" → "duong") before features are taken: words, word
pairs, and character 3–5-grams inside words (they survive typos and inflected spellings). Each
label (category, agency, urgency) has its own multinomial logistic model over the same features.

The model is stored as one gzipped `.npz` of plain arrays (no pickle: loading it runs no code) and
scored here with numpy alone, so a triage needs no scikit-learn import and takes well under a
millisecond; `mauson.petitions.training` fits it. `Prediction.words` are the features that pushed
the chosen label up the most: what an officer reads as "why".
"""

from __future__ import annotations

import gzip
import io
import itertools
import json
import logging
import math
import zipfile
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from mauson.privacy.models import EntityType
from mauson.privacy.service import without_personal_data
from mauson.vntext.address import without_place_names
from mauson.vntext.normalize import fold, normalize
from mauson.vntext.segment import WORD

log = logging.getLogger("mauson.petitions")

FORMAT = "mauson-triage/1"
LABELS = ("category", "agency", "urgency")
CHAR_SIZES = (3, 4, 5)
SHOWN_WORDS = 5
# Who sent a petition is not what it is about: "… Tôi là Lương Thị Hạnh, điện thoại 0912345678"
# made a pothole "Điện, nước" (from "điện thoại") and sent it to the police ("Tôi là", "Triệu").
# So the sender's name, number and papers are left out of the features, and so is a clause that
# is nothing else besides a few words ("Tôi là …", "SĐT …", "Ông …"): CONTACT_WORDS or fewer.
CONTACT_TYPES = frozenset(
    {EntityType.PERSON, EntityType.PHONE, EntityType.EMAIL, EntityType.CCCD, EntityType.CMND, EntityType.PASSPORT}
)
CONTACT_WORDS = 3


def words(text: str) -> list[str]:
    """The folded word tokens of `text`: what every feature and the duplicate finder read."""
    return WORD.findall(fold(normalize(text)))


@lru_cache(maxsize=2)
def described(text: str) -> str:
    """What the petition describes: `text` without who sent it nor the names of its places.

    The sender's contact details are blanked (CONTACT_TYPES), with each clause that holds one and
    at most CONTACT_WORDS other words; each commune or former district named is cut down to its
    type word (`vntext.address.without_place_names`: "Đồng Đăng" had read as "đang", in progress,
    and raised a workshop's noise to khẩn cấp). The commune is found apart, and the duplicate
    finder compares it apart.

    The last two are kept: a triage reads one text twice in a row, for its duplicate profile and
    for its labels, and would otherwise scan it twice. No more are kept, so a benchmark that
    repeats its texts does not time a cache."""
    return without_place_names(without_personal_data(text, CONTACT_TYPES, clause_words=CONTACT_WORDS))


def written_forms(text: str) -> dict[str, str]:
    """Each folded word and word pair of `text` (the features shown as reasons) mapped to its first
    form as written, accents and case kept: officers read "rác, mùi hôi", not "rac, mui hoi"."""
    written = WORD.findall(normalize(text))
    folded = [fold(token) for token in written]
    forms: dict[str, str] = {}
    for size in (1, 2):
        for start in range(len(written) - size + 1):
            forms.setdefault(" ".join(folded[start : start + size]), " ".join(written[start : start + size]))
    return forms


def features(text: str) -> list[str]:
    """Word unigrams and bigrams, and character n-grams of each word padded with spaces ("#" marks
    them), of what the text describes (`described`: no contact details, no place names)."""
    tokens = words(described(text))
    found = tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
    for token in tokens:
        padded = f" {token} "
        for n in CHAR_SIZES:
            found += [f"#{padded[i : i + n]}" for i in range(len(padded) - n + 1)]
    return found


@dataclass(frozen=True)
class Prediction:
    """One label's answer: the label, its probability, and the words that decided it."""

    label: str
    confidence: float
    words: tuple[tuple[str, float], ...]
    ranking: tuple[tuple[str, float], ...]  # every label with its probability, best first
    rule: str | None = None  # the written rule that decided the label, if one did ("quy tắc: ... → ...")


@dataclass(frozen=True)
class Head:
    """The linear model of one label kind. `floors` lets a rare, costly label win below 50 %."""

    classes: tuple[str, ...]
    coef: NDArray[np.float32]  # classes × features
    intercept: NDArray[np.float32]
    floors: dict[str, float]

    def predict(
        self,
        indices: NDArray[np.int64],
        values: NDArray[np.float32],
        vocabulary: list[str],
        prior: Prior | None = None,
    ) -> Prediction:
        logits = self.coef[:, indices] @ values + self.intercept
        exp = np.exp(logits - logits.max())
        probabilities = exp / exp.sum()
        model_alone = probabilities.copy()
        if prior is not None and prior.label in self.classes:  # a rule's likelihood ratio on its label
            probabilities[self.classes.index(prior.label)] *= prior.weight
            probabilities /= probabilities.sum()
        order = np.argsort(-probabilities)
        best = int(order[0])
        for label, floor in self.floors.items():
            position = self.classes.index(label)
            # a rule raising another label never hides a costly one ("Xin hỏi: cây sắp đổ vào nhà" stays
            # khẩn cấp); only a rule against that label itself lowers it (a danger told as past: `rules`)
            against = prior is not None and prior.label == label and prior.weight < 1
            chance = probabilities[position] if against else max(probabilities[position], model_alone[position])
            if chance >= floor:
                best = position
        contributions = self.coef[best, indices] * values
        top = np.argsort(-contributions)
        shown: list[tuple[str, float]] = []
        for i in top:
            if contributions[i] <= 0 or len(shown) == SHOWN_WORDS:
                break
            feature = vocabulary[int(indices[i])]
            if not feature.startswith("#"):  # n-grams of letters mean nothing to a reader
                shown.append((feature, round(float(contributions[i]), 3)))
        ranking = tuple((self.classes[int(i)], round(float(probabilities[i]), 3)) for i in order)
        rule = None
        # a rule for a label explains it when it is chosen; one against a label (a danger told as
        # past), when another is
        if prior is not None and (self.classes[best] == prior.label) == (prior.weight >= 1):
            rule = prior.reason
            shown = [(prior.reason, round(abs(math.log(prior.weight)), 3)), *shown[: SHOWN_WORDS - 1]]
        return Prediction(self.classes[best], round(float(probabilities[best]), 3), tuple(shown), ranking, rule)


@dataclass(frozen=True)
class Prior:
    """What a written rule says about one label kind: `label` is `weight` times likelier, because of `reason`."""

    label: str
    weight: float
    reason: str


@dataclass(frozen=True, eq=False)
class TriageModel:
    """A fitted vocabulary with its IDF weights and one `Head` per label kind. Two models are the
    same only if they are one object: caches of what a model computed are keyed by it."""

    vocabulary: list[str]
    idf: NDArray[np.float32]
    heads: dict[str, Head]
    meta: dict[str, object]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {feature: i for i, feature in enumerate(self.vocabulary)})

    def vector(self, text: str) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
        """The sparse, L2-normalised TF-IDF vector of `text` (sublinear term frequency), as (indices, values)."""
        index: dict[str, int] = self._index  # type: ignore[attr-defined]
        counts: dict[int, int] = {}
        for feature in features(text):
            position = index.get(feature)
            if position is not None:
                counts[position] = counts.get(position, 0) + 1
        indices = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
        values = (tf * self.idf[indices]).astype(np.float32)
        norm = float(np.linalg.norm(values))
        return indices, values / norm if norm else values

    def predict(self, text: str, priors: dict[str, Prior] | None = None) -> dict[str, Prediction]:
        """Each head's prediction; `priors` (from `mauson.petitions.rules`) weigh a label up for some heads."""
        indices, values = self.vector(text)
        priors = priors or {}
        return {
            name: head.predict(indices, values, self.vocabulary, priors.get(name)) for name, head in self.heads.items()
        }

    def profile(self, text: str) -> Profile:
        """The text's TF-IDF weights over every feature, known or not, for comparing two petitions.

        Unlike `vector()` it keeps words the model never saw (a hamlet's name, a shop's): an unseen
        feature weighs as much as the rarest known one, since a shared rare name says most.
        """
        index: dict[str, int] = self._index  # type: ignore[attr-defined]
        rarest = float(self.idf.max()) if len(self.idf) else 1.0
        counts: dict[str, int] = {}
        for feature in features(text):
            counts[feature] = counts.get(feature, 0) + 1
        weights = {}
        for feature, count in counts.items():
            position = index.get(feature)
            weights[feature] = (1.0 + math.log(count)) * (float(self.idf[position]) if position is not None else rarest)
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {feature: w / norm for feature, w in weights.items()}


Profile = dict[str, float]


def similarity(a: Profile, b: Profile) -> float:
    """Cosine of two profiles from `TriageModel.profile()`."""
    if len(b) < len(a):
        a, b = b, a
    return sum(w * b.get(feature, 0.0) for feature, w in a.items())


def save(model: TriageModel, path: Path) -> None:
    """Write the model as a gzipped `.npz` of plain arrays and a JSON header (no pickled objects)."""
    arrays: dict[str, NDArray[np.generic]] = {"idf": model.idf}
    header: dict[str, object] = {"format": FORMAT, "vocabulary": model.vocabulary, "meta": model.meta, "heads": {}}
    for name, head in model.heads.items():
        arrays[f"{name}_coef"] = head.coef.astype(np.float16)
        arrays[f"{name}_intercept"] = head.intercept
        header["heads"][name] = {"classes": list(head.classes), "floors": head.floors}  # type: ignore[index]
    arrays["header"] = np.frombuffer(json.dumps(header, ensure_ascii=False).encode(), dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(gzip.compress(buffer.getvalue(), mtime=0))
    temporary.replace(path)


def load(path: Path) -> TriageModel:
    with np.load(io.BytesIO(gzip.decompress(path.read_bytes())), allow_pickle=False) as data:
        header = json.loads(data["header"].tobytes().decode())
        if header.get("format") != FORMAT:
            raise ValueError(f"{path} is not a {FORMAT} model")
        heads = {
            name: Head(
                tuple(spec["classes"]),
                data[f"{name}_coef"].astype(np.float32),
                data[f"{name}_intercept"].astype(np.float32),
                dict(spec["floors"]),
            )
            for name, spec in header["heads"].items()
        }
        return TriageModel(header["vocabulary"], data["idf"].astype(np.float32), heads, header["meta"])


def shipped_path() -> Path:
    return Path(__file__).parent / "data" / "triage.npz.gz"


@cache
def shipped_model() -> TriageModel:
    """The model committed with the package (rebuilt with `mauson petitions train -o` this path)."""
    return load(shipped_path())


def retrained_path(data_dir: Path) -> Path:
    """Where `mauson petitions train` writes and the platform looks first: the data dir, beside the
    database whose corrections the model learned. In the package, an upgrade would undo what the
    officers taught it, and an installation the service cannot write to could not be retrained."""
    return data_dir / "models" / "triage.npz.gz"


# What reading a model file that is not one raises: not gzip, cut short, not an .npz, another format.
UNREADABLE = (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile)


def model_in_use(data_dir: Path) -> TriageModel:
    """The model that triages for the platform keeping its data in `data_dir`: the one retrained
    there when there is one, else the shipped one (loaded once per process). The retrained file is
    read again when it changes, so a retraining takes effect with the next petition, without a
    restart."""
    path = retrained_path(data_dir)
    try:
        return _retrained(path, path.stat().st_mtime_ns)
    except FileNotFoundError:
        return shipped_model()


@lru_cache(maxsize=2)
def _retrained(path: Path, changed: int) -> TriageModel:
    """The model at `path`, or the shipped one where it cannot be read (a file copied in by hand, cut
    short): a citizen's petition must still be received and triaged. `changed` (the file's
    modification time) is only part of the cache key: the error is logged once per version."""
    try:
        return load(path)
    except UNREADABLE as error:
        log.error("the retrained triage model %s cannot be read (%s); triaging with the shipped one", path, error)
        return shipped_model()
