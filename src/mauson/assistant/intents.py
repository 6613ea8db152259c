"""What a citizen wants to know about a procedure: documents, fee, time, channel, conditions,
result, legal basis, the status of their own dossier, or something outside administration.

Cue phrases are matched on folded text, so questions typed without accents work the same.
The first cue found in the question's own order wins when several match ("cần gì và mất bao
lâu" asks for documents first).
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from mauson.vntext.diacritics import restore, typed_with_accents
from mauson.vntext.normalize import fold, fold_aligned, has_diacritics, normalize
from mauson.vntext.phrases import whole_words
from mauson.vntext.segment import WORD


class Intent(StrEnum):
    DOCUMENTS = "documents"
    FEE = "fee"
    TIME = "time"
    CHANNEL = "channel"
    CONDITIONS = "conditions"
    RESULT = "result"
    LEGAL_BASIS = "legal_basis"
    STATUS = "dossier_status"
    GENERAL = "general"


CUES: dict[Intent, tuple[str, ...]] = {
    Intent.STATUS: (  # how far the citizen's own file has got: "hồ sơ của tôi" alone is no such question
        "tinh trang ho so",  # ("hồ sơ của tôi có nợ xấu…" asks about a credit record)
        "tra cuu ho so",
        "ma ho so",
        "ho so den dau",
        "bao gio co ket qua",
        "ho so chua co ket qua",  # not "chưa có kết quả" alone: an exam's, a medical test's
        "xu ly xong chua",
        "duoc duyet chua",
        "den dau roi",
    ),
    Intent.DOCUMENTS: (
        "giay to",
        "ho so gom",
        "thanh phan ho so",
        "can gi",
        "can nhung gi",
        "can mang",
        "mang theo",
        "chuan bi",
        "can nop gi",
        "nop gi",
        "nop nhung gi",
        "ho so can",
        "can giay",
        "can nhung",
        "gom nhung",
        "to khai",
        "mau don",
        "hs gom",
        "can chuan bi",
        # whole phrases, so that no part of one is left in the searched subject ("cần giấy tờ gì"
        # had left "tờ", "cần mang theo giấy tờ gì" "theo", "cần hồ sơ gì" "cần hồ sơ"); not "cần
        # hồ sơ" itself, which folded is also "căn hộ sở/số" (an apartment)
        "can giay to",
        "can nhung giay to",
        "ho so gi",
        "nhung ho so gi",
        "can mang theo",
        "mang theo giay to",
    ),
    Intent.FEE: (
        "le phi",
        "phi",
        "bao nhieu tien",
        "mat tien",
        "ton bao nhieu",
        "chi phi",
        "tien",
        "mien phi",
        "mat phi",
        "nop tien",
        "bao nhieu d",
        "bao nhieu dong",
        "het bao nhieu",
    ),
    Intent.TIME: (
        "bao lau",
        "thoi gian",
        "may ngay",
        "bao nhieu ngay",
        "thoi han",
        "mat may",
        "bao gio",
        "khi nao co",
        "trong bao",
        # whole, or the longest cue at each place leaves a part in the subject ("trong bao" had left
        # "nhiêu" of "trong bao nhiêu ngày làm việc")
        "trong bao nhieu ngay",
        "trong bao nhieu ngay lam viec",
        "bao nhieu ngay lam viec",
        "nhanh khong",
        "ngay lam viec",
        "lau khong",
    ),
    Intent.CHANNEL: (
        "nop o dau",
        # the whole frame, or "nộp hồ sơ" is left in the subject and finds the records that say it
        # ("xin phép xây nhà ở riêng lẻ, nộp hồ sơ ở đâu" found "…cá nhân để nộp hồ sơ đề nghị cấp giấy
        # phép khai thác khoáng sản")
        "nop ho so o dau",
        "nop ho so tai dau",
        "nop ho so o co quan nao",
        "o dau",
        "truc tuyen",
        "online",
        "qua mang",
        "buu chinh",
        "noi nop",
        "co the nop",
        "nop qua",
        "dich vu cong",
        "lam o dau",
        "co quan nao",
        "ai giai quyet",
        "phai len",
        "nop truc tiep",
    ),
    Intent.CONDITIONS: (
        "dieu kien",
        "can dap ung",
        "phai dap ung",
        "yeu cau",
        "co can",
        "co phai",
        "duoc khong",
        "co duoc",
        "truong hop nao",
        "ai duoc",
        "doi tuong",
    ),
    Intent.RESULT: ("ket qua", "nhan duoc gi", "duoc cap gi", "cap cho", "nhan lai gi", "duoc gi"),
    Intent.LEGAL_BASIS: (
        "can cu",
        "can cu phap ly",  # not "pháp lý" left in the subject
        "luat nao",
        "van ban nao",
        "quy dinh o dau",
        "nghi dinh",
        "thong tu",
        "quy dinh nao",
        "theo luat",
        "co so phap ly",
        "van ban phap",
    ),
}


# Cues are whole words: "can cu" (căn cứ) is not in "can cuoc" (căn cước).
_CUE_PATTERNS = {
    intent: re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, cues)) + r")(?![^\W_])")
    for intent, cues in CUES.items()
}


def _said(match: re.Match[str], text: str, accented: bool) -> bool:
    """Whether a word found in the folded text is that word as `text` writes it: in a question typed
    with accents (`vntext.diacritics.typed_with_accents`), only its `SPELLED` spellings are."""
    written = text[match.start() : match.end()].lower()
    return not accented or written in SPELLED.get(match.group(), (written,))


# A documents cue that is also what procedures act on: after "chứng thực", "bản sao", "từ bản chính",
# "dịch", "hợp pháp hóa" it names the papers acted on ("chứng thực giấy tờ hết bao nhiêu tiền" asks
# the fee), not the file to bring, and stays in the subject searched for ("chứng thực bản sao từ bản
# chính giấy tờ" had lost it, and found "… từ bản chính giao dịch đã được chứng thực").
OBJECT_CUES = frozenset({"giay to"})
_ASKED_WHICH = re.compile(r"\s+(?:gi|nao)\b")
_ACTING_ON = re.compile(
    r"(?:chung thuc|cong chung|ban sao|tu ban chinh|sao y|dich|hop phap hoa|chung nhan lanh su)\s+$"
)


def detect(question: str) -> list[Intent]:
    """The intents a question expresses, in the order it expresses them (GENERAL when none)."""
    text = unicodedata.normalize("NFC", question)
    folded, accented = fold_aligned(text), typed_with_accents(text)
    found: list[tuple[int, Intent]] = []
    for intent, pattern in _CUE_PATTERNS.items():
        first = next(
            (m.start() for m in pattern.finditer(folded) if _said(m, text, accented) and not _acted_on(m, folded)),
            None,
        )
        if first is not None:
            found.append((first, intent))
    if not found:
        return [Intent.GENERAL]
    if any(intent is Intent.STATUS for _, intent in found):
        return [Intent.STATUS]  # about the citizen's own dossier, not the procedure in general
    return [intent for _, intent in sorted(found)]


def _acted_on(cue: re.Match[str], folded: str) -> bool:
    """Whether the cue is what the procedure acts on ("chứng thực bản sao giấy tờ"), not a question
    ("cần bản sao giấy tờ gì" asks which papers)."""
    return (
        cue.group() in OBJECT_CUES
        and _ACTING_ON.search(folded, 0, cue.start()) is not None
        and _ASKED_WHICH.match(folded, cue.end()) is None
    )


_FOLLOW_UP = re.compile(r"^\s*(con|the|vay|thi|the con|con ve|vay con|con thu tuc do|thu tuc do|no)\b")


# Words left beside the cues of a question that names nothing ("phải nộp những gì", "mất mấy ngày
# vậy"); any other word may be a subject ("cccd cần gì", "visa mất bao lâu" are new questions).
# "giải quyết", "được cấp", "có giấy", "nhận kết quả" are what every procedure does: "thời hạn giải
# quyết?", "bao lâu thì được cấp?" ask about the one discussed.
ASKING_WORDS = frozenset(
    {"nop", "lam", "theo", "mang", "xin", "tien", "ngay", "het", "mat", "xong"}
    | {"giai", "quyet", "duoc", "cap", "co", "giay", "nhan", "tra", "ket", "qua"}
)
# The words of a follow-up's opening and ending ("còn … thì sao?", "thế … vậy?"): they name nothing either.
REFERRING_WORDS = frozenset({"con", "the", "vay", "thi", "sao", "no", "do", "thu", "tuc"})


def looks_like_follow_up(question: str) -> bool:
    """Short questions about the procedure just discussed: 'còn lệ phí thì sao?', 'thế mất bao lâu?',
    'vậy còn hồ sơ?', and those that ask something without naming anything to ask it about ('mất bao
    lâu?', 'nộp ở đâu?', 'cần mang theo gì'), which searched on their own find a procedure at random.

    An opening like "còn", "thế", "vậy" makes a follow-up only when nothing new is named after it:
    folded, those openings are also "con" (a child), "thẻ" (a card), "thi" (an exam), "vay" (a
    loan), and "còn làm hộ chiếu thì sao?" asks about another procedure."""
    if len(fold(question).split()) > 8:
        return False
    if opens_like_follow_up(question):
        return not _named(question, ASKING_WORDS | REFERRING_WORDS)
    return names_nothing(question, ASKING_WORDS)


def opens_like_follow_up(question: str) -> bool:
    """A short question that opens or ends as a follow-up does ("còn …", "thế …", "… thì sao?"),
    whatever it names."""
    folded = fold(question).strip()
    return len(folded.split()) <= 8 and (_FOLLOW_UP.match(folded) is not None or "thi sao" in folded)


def names_nothing(question: str, besides: frozenset[str] = ASKING_WORDS | REFERRING_WORDS) -> bool:
    """The question asks something (a fee, a time) and names nothing to ask it about, besides
    `besides`: "còn lệ phí thì sao?" opening a conversation cannot be searched, only asked back."""
    return detect(question) != [Intent.GENERAL] and not _named(question, besides)


def _named(question: str, besides: frozenset[str]) -> set[str]:
    """The folded words the question names besides its cues, question words, `besides` and "hồ sơ"
    (every procedure has one: "vậy còn hồ sơ?" names no other)."""
    subject = " ".join(word.strip("?!.,").lower() for word in map(fold, subject_words(question)))
    return set(f" {subject} ".replace(" ho so ", " ").split()) - besides


# Words of the question itself, not of the procedure: they match every record's body at random.
QUESTION_WORDS = (
    "mat bao lau",
    "mat bao nhieu",
    "het bao lau",
    "thu tuc",
    "lam the nao",
    "nhu the nao",
    "the nao",
    "ra sao",
    "o dau",
    "khong a",
    "khong",
    "a",
    "ah",
    "nhe",
    "vay",
    "oi",
    "cho hoi",
    "xin hoi",
    "toi muon",
    "em muon",
    "minh muon",
    "muon",
    "can phai",
    "phai",
    "duoc",
    "bao nhieu",
    "bao lau",
    "gi",
    "nao",
    "co",
    "la",
    "thi",
    "ve",
    "cua toi",
    "cua em",
    "giup",
    "voi",
    "nhung",
)
# Words that hold a question word and name what procedures do: "trợ giúp pháp lý", "trợ giúp xã hội"
# (the catalogue's names) had lost their "giúp" to the "giúp" of "giúp tôi", and "giúp việc" (a
# domestic worker) its own. Matched with the question words, the longest first, and left in the subject.
WHOLE_WORDS = ("tro giup", "giup viec")
_QUESTION_WORDS = re.compile(
    r"\b(?:"
    + "|".join(
        re.escape(w)
        for w in sorted(
            {*QUESTION_WORDS, *WHOLE_WORDS, *(c for cs in CUES.values() for c in cs)}, key=len, reverse=True
        )
    )
    + r")\b"
)


# Question words and cues that fold onto other words: in a question typed with accents, only these
# spellings are question words ("thì", not the "thị" of "thị thực"; "có", not "cô" or "cỏ"; "tiền",
# not the "tiên" of "ưu tiên"; "phí", not the "phi" of "đất phi nông nghiệp").
SPELLED: dict[str, tuple[str, ...]] = {
    "tien": ("tiền",),
    "phi": ("phí",),
    "thi": ("thì",),
    "co": ("có",),
    "la": ("là",),
    "ve": ("về",),
    "muon": ("muốn",),
    "nao": ("nào",),
    "gi": ("gì",),
    "nhung": ("những",),
    "a": ("à", "ạ", "a"),
    "oi": ("ơi",),
    "voi": ("với",),
    "giup": ("giúp",),
    "phai": ("phải",),
    "duoc": ("được",),
    "vay": ("vậy",),
    "nhe": ("nhé", "nhe"),
}


def subject_words(question: str) -> list[str]:
    """The question's words that are not question words or intent cues, as written: what it asks
    about ('lam giay khai sinh can gi' → ['lam', 'giay', 'khai', 'sinh']). Offsets follow the folded
    text, so the words kept keep their accents; a question that folding would reshape is kept whole."""
    folded = fold(question)
    if len(folded) != len(question):
        return question.split()
    accented = typed_with_accents(question)
    keep = list(question)
    for match in _QUESTION_WORDS.finditer(folded):
        if match.group() in WHOLE_WORDS or not _said(match, question, accented) or _acted_on(match, folded):
            continue  # "thị thực" is not "thì", "muộn" is not "muốn": a word of the subject
        keep[match.start() : match.end()] = " " * (match.end() - match.start())
    return [w for w in "".join(keep).split() if any(ch.isalnum() for ch in w)]


def topic(question: str) -> str:
    """What the question is about, without the words that only say what kind of question it is:
    'lam giay khai sinh can gi' → 'lam giay khai sinh'. Returns the question itself when nothing
    else would remain."""
    words = subject_words(question)
    return " ".join(words) if len(words) >= 2 else question


# Greetings, thanks and goodbyes: a message made only of these asks nothing to search for.
SMALL_TALK_WORDS = frozenset(
    "xin chao hello hi alo cam on thank thanks ban em anh chi oi a ah nhe tro ly ok oke vang da "
    "duoc roi tam biet bye nha nhieu lam".split()
)


def is_small_talk(question: str) -> bool:
    """'xin chào', 'cảm ơn bạn nhiều': nothing to search for (a search answered «xin chào» with a
    land procedure)."""
    words = WORD.findall(fold(question).lower())
    return bool(words) and all(word in SMALL_TALK_WORDS for word in words)


# Services that businesses (or foreign states), not Vietnam's public offices, provide: a question
# about them is outside the catalogue even when its words resemble a procedure's ("mở tài khoản
# ngân hàng cho con" is not a procedure about children). Written from what a one-stop office is
# asked, not from any test set. Not listed, because public offices deal in them too: interest rates
# and loans (the social-housing loan), scholarships at home, buying and selling land (its transfer
# is a procedure), embassies (legalisation goes through them), hotels (a guest's residence declaration
# and a hotel's licences are; booking a room, "đặt phòng", is not).
COMMERCIAL_PHRASES = (
    "tài khoản ngân hàng",
    "thẻ ATM",
    "thẻ tín dụng",
    "trả góp",
    "bảo hiểm nhân thọ",
    "siêu thị",
    "thẻ thành viên",
    "vé tàu",
    "vé máy bay",
    "vé xe",
    "đặt phòng",
    "gói cước",
    "sim",
    "xổ số",
    "giá vàng",
    "thời tiết",
    "công thức nấu",
    "cách nấu",
    "chứng khoán",
    "tiền ảo",
    "visa đi",
    "thị thực đi",
    "học bổng du học",
)
_ACCENTED = {fold(phrase): normalize(phrase).lower() for phrase in COMMERCIAL_PHRASES}  # folded: as written
_COMMERCIAL = whole_words(_ACCENTED)
# Typed without accents, "ve" is "vé" (a ticket) or, far more often, the word "về" ("hỏi về xe máy").
BARE_READINGS = {"ve": "về"}


def commercial_phrase(question: str, procedure_name: str) -> str | None:
    """The business service the question asks about, when the procedure found does not name it
    itself (a procedure on "vay vốn" for social housing keeps a question about "vay vốn")."""
    found = _commercial_in(question)
    return None if found is None or fold(found) in fold(procedure_name) else found


def _commercial_in(question: str) -> str | None:
    """A phrase of COMMERCIAL_PHRASES in the question: written with its accents, or typed without
    them, word by word (a question may mix both: "mua ve tau Tết"), unless the restored accents read
    a bare "ve" as "về"."""
    text = normalize(question)
    folded = fold_aligned(text).lower()
    restored: str | None = None
    for match in _COMMERCIAL.finditer(folded):
        typed = text[match.start() : match.end()].lower()
        if typed == _ACCENTED[match.group()]:
            return typed
        if has_diacritics(typed):
            continue  # other words with those letters ("về xe")
        restored = restored if restored is not None else restore(text)  # as long as `text`: letters for letters
        first = match.group().split()[0]
        if BARE_READINGS.get(first) != restored[match.start() : match.start() + len(first)].lower():
            return match.group()
    return None
