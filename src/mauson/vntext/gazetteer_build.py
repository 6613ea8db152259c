"""Building the gazetteer's data file (`data/admin_units.json`) from the shared sources.

`build_gazetteer()` reads the dvhcvn code lists and mappings (MIT) and, for Lạng Sơn, the list
checked against resolution 1672/NQ-UBTVQH15, cross-checks them, and writes the compact table
that `mauson.vntext.gazetteer` loads. Disagreements between the sources come back as warnings in
the `BuildReport`; a link to a unit that does not exist stops the build.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mauson.errors import Invalid
from mauson.vntext.gazetteer import DATA_FILE, FORMAT, LANG_SON, accent_key, name_key, split_kind
from mauson.vntext.normalize import normalize


@dataclass(frozen=True)
class BuildReport:
    """What `build_gazetteer` wrote, and every disagreement it found between its sources."""

    output: Path
    size_bytes: int
    provinces: int
    communes: int
    old_provinces: int
    old_communes: int
    old_districts: int
    langson_units: int
    langson_phuong: int
    warnings: tuple[str, ...]


def build_gazetteer(source_dir: Path, output: Path = DATA_FILE) -> BuildReport:
    """Read the dvhcvn sources under `source_dir` and write the compact table to `output`.

    The national mappings give every old → new link; for Lạng Sơn the list checked against
    resolution 1672/NQ-UBTVQH15 (`langson-communes.json`) wins and adds the old districts.
    Disagreements between sources are reported in `warnings`, not hidden; a link to a unit that
    does not exist stops the build. The file is replaced atomically.
    """
    payload, warnings = _assemble(Path(source_dir))
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    _write_atomically(Path(output), text)
    langson = [row for row in payload["communes"] if row[2] == LANG_SON]
    return BuildReport(
        output=Path(output),
        size_bytes=len(text.encode("utf-8")),
        provinces=len(payload["provinces"]),
        communes=len(payload["communes"]),
        old_provinces=len(payload["old_provinces"]),
        old_communes=len(payload["old_communes"]),
        old_districts=len(payload["old_districts"]),
        langson_units=len(langson),
        langson_phuong=sum(1 for row in langson if split_kind(row[1])[0] == "phuong"),
        warnings=tuple(warnings),
    )


@dataclass
class _Sources:
    """The source files, read and lightly checked."""

    merges: list[dict[str, Any]]
    splits: list[dict[str, Any]]
    official: dict[str, tuple[str, str]]  # 1027/CTK-CSCL: code → (name, province)
    province_list: dict[str, str]  # 915/CTK-CSCL: code → name
    langson: dict[str, Any]
    langson_old_to_new: dict[str, tuple[str, str, tuple[str, ...]]]  # old code → (district code, district, targets)
    licence: str


def _assemble(source_dir: Path) -> tuple[dict[str, Any], list[str]]:
    src = _read_sources(source_dir)
    warnings: list[str] = []
    provinces = [[p["level1_id"], normalize(p["name"]), [m["old_id"] for m in p["merges"]]] for p in src.merges]
    _check_provinces(provinces, src.province_list, warnings)
    communes = [[c["level2_id"], normalize(c["name"]), p["level1_id"]] for p in src.merges for c in p["level2s"]]
    _check_official(communes, src.official, warnings)
    links = _national_links(src.merges)
    langson_links, districts_of = _langson_links(src.langson, communes, links, warnings)
    links.update(langson_links)
    _check_langson_files(src.langson_old_to_new, langson_links, districts_of, warnings)
    district_names = list(dict.fromkeys(districts_of.values()))
    old_communes = _old_communes(src.splits, links, districts_of, district_names, warnings)
    old_districts = _old_districts(src, district_names, old_communes, communes)
    _check_links(old_communes, old_districts, communes)
    meta = {
        "title": "Đơn vị hành chính Việt Nam từ 01/7/2025 và các đơn vị trước sắp xếp",
        "effective": "2025-07-01",
        "source": "github.com/dvhcvn/20250701 (commit dd94887): mapping/merges.json, mapping/splits.json, "
        "input/docs/915_CTK-CSCL.csv, input/docs/1027_CTK-CSCL.md, langson-communes.json, langson-old-to-new/",
        "langson_source": src.langson.get("meta", {}).get("source", ""),
        "licence": "MIT",
        "licence_text": src.licence,
        "fields": {
            "provinces": "[code, name, [old province codes]]",
            "old_provinces": "[code, name]",
            "communes": "[code, name, province code]",
            "old_districts": "[name, province code (new), code or '', [new unit codes]]",
            "old_communes": "[code, name, old province code, index in old_districts or -1, [[new code, 1 if whole]]]",
        },
    }
    payload = {
        "format": FORMAT,
        "meta": meta,
        "provinces": provinces,
        "old_provinces": [[p["level1_id"], normalize(p["name"])] for p in src.splits],
        "communes": communes,
        "old_districts": old_districts,
        "old_communes": old_communes,
    }
    return payload, warnings


def _read_sources(source_dir: Path) -> _Sources:
    return _Sources(
        merges=_read_json(source_dir / "mapping" / "merges.json")["data"],
        splits=_read_json(source_dir / "mapping" / "splits.json")["data"],
        official=_read_official_list(source_dir / "input" / "docs" / "1027_CTK-CSCL.md"),
        province_list=_read_province_list(source_dir / "input" / "docs" / "915_CTK-CSCL.csv"),
        langson=_read_json(source_dir / "langson-communes.json"),
        langson_old_to_new=_read_langson_files(source_dir / "langson-old-to-new"),
        licence=_read_text(source_dir / "LICENSE"),
    )


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise Invalid(
            f"Thiếu hoặc không đọc được tệp nguồn {path}: {error.strerror}.", code="gazetteer.source"
        ) from error


def _read_json(path: Path) -> Any:
    try:
        return json.loads(_read_text(path))
    except ValueError as error:
        raise Invalid(f"Tệp nguồn {path} không phải JSON hợp lệ: {error}.", code="gazetteer.source") from error


_TABLE_ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*(\d{5})\s*\|\s*(.*?)\s*\|\s*(.*?)\s*\|")


def _clean_cell(cell: str) -> str:
    """Undo the PDF-to-Markdown artefacts of the official list: line breaks inside cells, 'Tp '."""
    text = re.sub(r"\s+", " ", cell.replace("<br>", " ")).strip()
    return normalize(re.sub(r"^Tp ", "Thành phố ", text))


def _read_official_list(path: Path) -> dict[str, tuple[str, str]]:
    rows = {}
    for line in _read_text(path).splitlines():
        match = _TABLE_ROW.match(line)
        if match:
            rows[match.group(2)] = (_clean_cell(match.group(3)), _clean_cell(match.group(4)))
    if not rows:
        raise Invalid(f"Không đọc được danh mục mã xã, phường nào trong {path}.", code="gazetteer.source")
    return rows


def _read_province_list(path: Path) -> dict[str, str]:
    rows = {}
    for line in _read_text(path).splitlines()[1:]:
        cells = [c.strip() for c in line.split(",")]
        if len(cells) >= 3 and cells[1].isdigit():
            rows[cells[1].zfill(2)] = normalize(cells[2])
    return rows


def _read_langson_files(folder: Path) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """Per old Lạng Sơn commune (file name = old code, folder = old district code): where it went."""
    found = {}
    for path in sorted(folder.glob("*/*.json")):
        record = _read_json(path)
        parts = [p.strip() for p in record.get("address", "").split(",")]
        targets = tuple(r["ward_code"] for r in record.get("result", []))
        found[path.stem] = (path.parent.name, parts[1] if len(parts) > 1 else "", targets)
    return found


def _check_provinces(provinces: list[list[Any]], official: dict[str, str], warnings: list[str]) -> None:
    ours = {code: name_key(split_kind(name)[1]) for code, name, _ in provinces}
    theirs = {code: name_key(split_kind(name)[1]) for code, name in official.items()}
    for code in sorted(set(ours) | set(theirs)):
        if ours.get(code) != theirs.get(code):
            warnings.append(f"tỉnh {code}: merges.json '{ours.get(code)}' ≠ 915/CTK-CSCL '{theirs.get(code)}'")


def _check_official(communes: list[list[Any]], official: dict[str, tuple[str, str]], warnings: list[str]) -> None:
    for code, name, _ in communes:
        if code not in official:
            warnings.append(f"{code} {name}: không có trong 1027/CTK-CSCL")
        elif accent_key(official[code][0]) != accent_key(name):
            warnings.append(f"{code}: merges.json '{name}' ≠ 1027/CTK-CSCL '{official[code][0]}'")
    for code in sorted(set(official) - {row[0] for row in communes}):
        warnings.append(f"{code} {official[code][0]}: có trong 1027/CTK-CSCL nhưng không có trong merges.json")


def _national_links(merges: list[dict[str, Any]]) -> dict[str, dict[str, bool]]:
    """old code → {new code: whole?}, from the new units' lists of what they were formed from."""
    links: dict[str, dict[str, bool]] = defaultdict(dict)
    for province in merges:
        for commune in province["level2s"]:
            for part in commune["merges"]:
                links[part["old_id"]][commune["level2_id"]] = part["type"] == "full"
    return links


def _langson_links(
    langson: dict[str, Any], communes: list[list[Any]], national: dict[str, dict[str, bool]], warnings: list[str]
) -> tuple[dict[str, dict[str, bool]], dict[str, str]]:
    """Lạng Sơn's links and old districts from the list checked against the resolution."""
    names = {row[0]: row[1] for row in communes if row[2] == LANG_SON}
    links: dict[str, dict[str, bool]] = defaultdict(dict)
    districts: dict[str, str] = {}
    for commune in langson.get("communes", []):
        if names.get(commune["code"]) != normalize(commune["name"]):
            warnings.append(
                f"Lạng Sơn {commune['code']}: '{commune['name']}' ≠ merges.json '{names.get(commune['code'])}'"
            )
        for part in commune["merged_from"]:
            links[part["old_code"]][commune["code"]] = part["merge_type"] == "full"
            districts[part["old_code"]] = normalize(part["old_district"])
    for old_code, targets in links.items():
        if national.get(old_code) != targets:
            warnings.append(
                f"Lạng Sơn, đơn vị cũ {old_code}: merges.json {national.get(old_code)} "
                f"≠ danh sách đã đối chiếu {targets}"
            )
    return links, districts


def _check_langson_files(
    files: dict[str, tuple[str, str, tuple[str, ...]]],
    links: dict[str, dict[str, bool]],
    districts: dict[str, str],
    warnings: list[str],
) -> None:
    for old_code, (_, district, targets) in files.items():
        if set(targets) != set(links.get(old_code, {})):
            warnings.append(
                f"langson-old-to-new/{old_code}: {sorted(targets)} "
                f"≠ danh sách đã đối chiếu {sorted(links.get(old_code, {}))}"
            )
        if normalize(district) != districts.get(old_code):
            warnings.append(f"langson-old-to-new/{old_code}: huyện '{district}' ≠ '{districts.get(old_code)}'")


def _old_communes(
    splits: list[dict[str, Any]],
    links: dict[str, dict[str, bool]],
    districts_of: dict[str, str],
    district_names: list[str],
    warnings: list[str],
) -> list[list[Any]]:
    rows = []
    for province in splits:
        for old in province["level3s"]:
            code = old["level3_id"]
            targets = links.get(code, {})
            if set(targets) != {s["new_id"] for s in old["splits"]}:
                warnings.append(f"đơn vị cũ {code} {old['name']}: splits.json ≠ merges.json")
            district = districts_of.get(code)
            index = district_names.index(district) if district else -1
            name = normalize(old["name"])
            rows.append([code, name, province["level1_id"], index, [[c, int(w)] for c, w in targets.items()]])
    missing = set(districts_of) - {row[0] for row in rows}
    for code in sorted(missing):
        warnings.append(f"đơn vị cũ {code} của Lạng Sơn không có trong splits.json")
    return rows


def _old_districts(
    src: _Sources, district_names: list[str], old_communes: list[list[Any]], communes: list[list[Any]]
) -> list[list[Any]]:
    """Lạng Sơn's 11 former districts (new units per district), and the few districts that became zones."""
    order = {row[0]: i for i, row in enumerate(communes)}
    codes = {district: code for code, district, _ in src.langson_old_to_new.values()}
    rows = []
    for index, name in enumerate(district_names):
        units = {c for row in old_communes if row[3] == index for c, _ in row[4]}
        rows.append([name, LANG_SON, codes.get(name, ""), sorted(units, key=lambda c: order.get(c, 0))])
    province_of = {row[0]: row[2] for row in communes}
    for province in src.splits:
        for district in province.get("level2s", []):
            targets = [s["new_id"] for s in district["splits"]]
            name = normalize(district["name"])
            rows.append([name, province_of.get(targets[0], ""), district["level2_id"], targets])
    return rows


def _check_links(old_communes: list[list[Any]], old_districts: list[list[Any]], communes: list[list[Any]]) -> None:
    known = {row[0] for row in communes}
    dangling = [row[0] for row in old_communes if any(c not in known for c, _ in row[4])]
    dangling += [row[0] for row in old_districts if any(c not in known for c in row[3])]
    if dangling:
        raise Invalid(
            f"Nguồn dữ liệu trỏ tới đơn vị mới không tồn tại (đơn vị cũ {', '.join(dangling[:5])}...).",
            code="gazetteer.source",
        )


def _write_atomically(output: Path, text: str) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=".admin_units.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the table is public data read by every user
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
