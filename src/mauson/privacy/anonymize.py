"""Anonymisers: what to put in place of the personal data that `scan()` found.

- `redact`: a black bar of the same length ("██████"), nothing left to read;
- `mask`: keep the first and last few characters of numbers ("020******234"), initials of names;
  a date of birth keeps only its separators ("**/**/****"), an address only its commune or ward
  ("***, xã Đình Lập") and a health condition nothing: their first and last letters would give
  away the day and year, a village or a disease;
- `tag`: the type in brackets ("[HỌ TÊN]");
- `pseudonym`: a realistic Vietnamese fake of the same kind, the same for the same value across
  a document or a whole dataset (keyed by the secret key, so nobody can recompute it without it);
- `hash`: a short keyed digest ("#3fa9c2d1"), equal for equal values, for joining tables;
- `encrypt`: reversible for an authorised officer ("⟦enc:...⟧"), with AES-GCM under a key derived
  from the platform's secret key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from mauson.errors import Invalid
from mauson.privacy.models import Entity, EntityType, Method
from mauson.vntext.address import parse_address
from mauson.vntext.normalize import nfc

TAGS: dict[EntityType, str] = {
    EntityType.PERSON: "[HỌ TÊN]",
    EntityType.CCCD: "[SỐ CCCD]",
    EntityType.CMND: "[SỐ CMND]",
    EntityType.PASSPORT: "[SỐ HỘ CHIẾU]",
    EntityType.PHONE: "[SỐ ĐIỆN THOẠI]",
    EntityType.EMAIL: "[THƯ ĐIỆN TỬ]",
    EntityType.ADDRESS: "[ĐỊA CHỈ]",
    EntityType.DATE_OF_BIRTH: "[NGÀY SINH]",
    EntityType.TAX_CODE: "[MÃ SỐ THUẾ]",
    EntityType.BANK_ACCOUNT: "[SỐ TÀI KHOẢN]",
    EntityType.LICENSE_PLATE: "[BIỂN SỐ XE]",
    EntityType.SOCIAL_INSURANCE: "[MÃ SỐ BHXH]",
    EntityType.HEALTH: "[THÔNG TIN SỨC KHỎE]",
}
ENCRYPTED = re.compile(r"⟦enc:([A-Za-z0-9_-]+={0,2})⟧")

FAKE_SURNAMES = ("Nguyễn", "Trần", "Lê", "Hoàng", "Nông", "Lương", "Vi", "Lăng", "Hà", "Triệu", "Lý", "Đinh")
FAKE_MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc")
FAKE_GIVEN = (
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vân",
    "Yến",
)
FAKE_HAMLETS = ("Nà Lừa", "Khuổi Phầy", "Bản Cầu", "Pác Pha", "Còn Chè", "Nà Thâm", "Khòn Quảng", "Làng Giang")
FAKE_COMMUNES = ("xã Hòa Lạc", "xã Tân Tiến", "xã Yên Bình", "phường Đông Kinh", "xã Châu Sơn", "xã Thiện Long")


@dataclass(frozen=True)
class Keys:
    """Separate keys for each purpose, derived from the platform's secret key."""

    pseudonym: bytes
    hash: bytes
    encryption: bytes

    @classmethod
    def derive(cls, secret: str) -> Keys:
        def sub(purpose: str) -> bytes:
            return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).digest()

        return cls(sub("mauson/pseudonym"), sub("mauson/hash"), sub("mauson/encryption"))


def _digest(key: bytes, entity_type: EntityType, value: str) -> bytes:
    """Equal for the same value however it was typed: spacing, case, composed or decomposed Unicode."""
    canonical = re.sub(r"\s+", " ", nfc(value).strip()).casefold()
    return hmac.new(key, f"{entity_type.value}\x00{canonical}".encode(), hashlib.sha256).digest()


def _digits(seed: bytes, count: int) -> str:
    number = int.from_bytes(seed, "big")
    return "".join(str((number >> (4 * i)) % 10) for i in range(count))


def mask(entity: Entity) -> str:
    value = nfc(entity.text)  # initials and the commune read the same in NFD text
    match entity.type:
        case EntityType.PERSON:
            return " ".join(word[0] + "." for word in value.split())
        case EntityType.EMAIL:
            local, _, domain = value.partition("@")
            return local[:1] + "***@" + domain
        case EntityType.DATE_OF_BIRTH:
            return re.sub(r"\w", "*", value)
        case EntityType.ADDRESS:
            return _commune_only(value)
        case EntityType.HEALTH:
            return "***"
    visible = 3 if len(value) >= 9 else 1
    hidden = "".join("*" if ch.isalnum() else ch for ch in value[visible:-visible])
    return value[:visible] + hidden + value[-visible:] if len(value) > 2 * visible else "*" * len(value)


def _commune_only(address: str) -> str:
    """The commune or ward of an address as written ("***, xã Đình Lập"): where a problem or a
    household is, to the level the public may know; "***" when the address names none."""
    commune = parse_address(address).commune_as_written
    if commune is None:
        return "***"
    return commune if address.strip() == commune else f"***, {commune}"


def pseudonym(entity: Entity, key: bytes) -> str:
    """A fake of the same kind, chosen by a keyed hash of the value: same value, same fake."""
    seed = _digest(key, entity.type, entity.text)
    pick = int.from_bytes(seed[:8], "big")
    match entity.type:
        case EntityType.PERSON:
            return (
                f"{FAKE_SURNAMES[pick % len(FAKE_SURNAMES)]} {FAKE_MIDDLE[(pick >> 8) % len(FAKE_MIDDLE)]} "
                f"{FAKE_GIVEN[(pick >> 16) % len(FAKE_GIVEN)]}"
            )
        case EntityType.CCCD:
            return "020" + str((pick >> 3) % 4) + _digits(seed[8:], 8)
        case EntityType.CMND:
            return "08" + _digits(seed[8:], 7)
        case EntityType.PHONE:
            return "09" + _digits(seed[8:], 8)
        case EntityType.EMAIL:
            return f"nguoidung{_digits(seed[8:], 5)}@example.vn"
        case EntityType.ADDRESS:
            return f"thôn {FAKE_HAMLETS[pick % len(FAKE_HAMLETS)]}, {FAKE_COMMUNES[(pick >> 8) % len(FAKE_COMMUNES)]}"
        case EntityType.DATE_OF_BIRTH:
            return f"{1 + pick % 28:02d}/{1 + (pick >> 5) % 12:02d}/{1950 + (pick >> 9) % 55}"
        case EntityType.LICENSE_PLATE:
            return f"12A-{_digits(seed[8:], 3)}.{_digits(seed[12:], 2)}"
        case EntityType.HEALTH:
            return "[THÔNG TIN SỨC KHỎE]"
        case _:
            return _digits(seed[8:], len(re.sub(r"\D", "", entity.text)) or 10)


def keyed_hash(entity: Entity, key: bytes) -> str:
    return "#" + _digest(key, entity.type, entity.text).hex()[:10]


def encrypt(value: str, key: bytes) -> str:
    """AES-GCM with a random nonce: the same value encrypts differently each time."""
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, value.encode(), b"mauson")
    return f"⟦enc:{base64.urlsafe_b64encode(nonce + sealed).decode()}⟧"


def decrypt_all(text: str, key: bytes) -> str:
    """Replace every encrypted token in `text` by its plain value (for an authorised officer)."""

    def opened(match: re.Match[str]) -> str:
        blob = base64.urlsafe_b64decode(match.group(1))
        try:
            return AESGCM(key).decrypt(blob[:12], blob[12:], b"mauson").decode()
        except (InvalidTag, ValueError) as error:
            raise Invalid(
                "Không giải mã được: dữ liệu đã bị sửa hoặc được mã hóa bằng khóa của hệ thống khác.",
                code="privacy.decrypt_failed",
            ) from error

    return ENCRYPTED.sub(opened, text)


def replacement(method: Method, keys: Keys) -> Callable[[Entity], str]:
    match method:
        case Method.REDACT:
            return lambda e: "█" * max(3, len(e.text))
        case Method.MASK:
            return mask
        case Method.TAG:
            return lambda e: TAGS[e.type]
        case Method.PSEUDONYM:
            return lambda e: pseudonym(e, keys.pseudonym)
        case Method.HASH:
            return lambda e: keyed_hash(e, keys.hash)
        case Method.ENCRYPT:
            return lambda e: encrypt(e.text, keys.encryption)


def anonymize(
    text: str,
    entities: Iterable[Entity],
    *,
    method: Method,
    keys: Keys,
    per_type: dict[EntityType, Method] | None = None,
) -> str:
    """`text` with each entity replaced as `method` (or `per_type[type]`) says."""
    pieces: list[str] = []
    position = 0
    chosen = per_type or {}
    for entity in sorted(entities, key=lambda e: e.start):
        if entity.start < position:
            continue
        pieces.append(text[position : entity.start])
        pieces.append(replacement(chosen.get(entity.type, method), keys)(entity))
        position = entity.end
    pieces.append(text[position:])
    return "".join(pieces)
