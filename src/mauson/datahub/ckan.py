"""The catalogue as CKAN describes it, so CKAN clients and harvesters work unchanged.

A dataset is a CKAN *package* named by its URL id; its tables are *resources* whose `id` (a
UUID) is what `datastore_search` takes; the theme is a CKAN *group*; the publisher an
*organization* named by its code. `package_search` understands CKAN's `q` (words of titles and
tags, with or without diacritics), `fq` (`organization:SNV res_format:CSV tags:"dân số"`),
`rows`, `start`, `sort` and `facet.field`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from mauson.datahub.models import LICENCES, THEMES, Access, Dataset
from mauson.datahub.service import formats
from mauson.errors import Invalid
from mauson.vntext.normalize import fold

FACETS = ("organization", "groups", "tags", "res_format", "license_id", "access_level")
FQ_TERM = re.compile(r'(\w+):(?:"([^"]*)"|(\S+))')
UUID_TABLE = re.compile(r'"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"')
MAX_ROWS = 1000


def package(dataset: Dataset, base: str) -> dict[str, Any]:
    organisation = dataset.organisation
    extras = {
        "access_level": dataset.access,
        "frequency": dataset.frequency,
        "temporal": dataset.temporal,
        "spatial": dataset.spatial,
        "contact": dataset.contact,
    }
    return {
        "id": dataset.name,
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.description,
        "type": "dataset",
        "state": "active",
        "private": dataset.access != Access.PUBLIC.value,
        "owner_org": organisation.code,
        "organization": {"id": organisation.code, "name": organisation.code, "title": organisation.name},
        "license_id": dataset.licence,
        "license_title": LICENCES.get(dataset.licence, dataset.licence),
        "metadata_created": dataset.created_at.isoformat(),
        "metadata_modified": dataset.updated_at.isoformat(),
        "tags": [{"name": tag, "display_name": tag} for tag in dataset.tags],
        "num_tags": len(dataset.tags),
        "groups": [{"name": dataset.theme, "title": THEMES[dataset.theme]}] if dataset.theme in THEMES else [],
        "extras": [{"key": key, "value": value} for key, value in extras.items() if value],
        "num_resources": len(dataset.resources),
        "resources": [
            {
                "id": resource.id,
                "package_id": dataset.name,
                "name": resource.name,
                "format": resource.latest.format,
                "url": f"{base}/api/v1/datasets/{dataset.name}/download?format=csv&resource={resource.id}",
                "datastore_active": True,
                "last_modified": resource.latest.created_at.isoformat(),
                "position": resource.position,
            }
            for resource in dataset.resources
        ],
    }


def _values(dataset: Dataset, field: str) -> list[str]:
    """The values a package has for a facet or `fq` field."""
    match field:
        case "organization":
            return [dataset.organisation.code]
        case "groups":
            return [dataset.theme] if dataset.theme else []
        case "tags":
            return list(dataset.tags)
        case "res_format":
            return formats(dataset)
        case "license_id":
            return [dataset.licence]
        case "access_level":
            return [dataset.access]
    raise Invalid(f"Trường '{field}' không hỗ trợ; dùng: {', '.join(FACETS)}.", code="ckan.field")


def as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(item) for item in value]
    try:
        parsed = json.loads(str(value))
    except json.JSONDecodeError:
        return [str(value)]
    return [str(item) for item in parsed] if isinstance(parsed, list) else [str(parsed)]


def integer(params: dict[str, Any], key: str, default: int, maximum: int) -> int:
    try:
        value = int(params.get(key, default))
    except (TypeError, ValueError) as error:
        raise Invalid(f"Tham số '{key}' phải là số nguyên.", code="ckan.bad_parameter") from error
    if value < 0:
        raise Invalid(f"Tham số '{key}' không được âm.", code="ckan.bad_parameter")
    return min(value, maximum)


def search(datasets: Sequence[Dataset], params: dict[str, Any], base: str) -> dict[str, Any]:
    """`package_search` over the datasets the caller may see."""
    words = fold(str(params.get("q") or "")).split()
    if words == ["*:*"]:
        words = []
    matched = [d for d in datasets if all(word in d.search_text for word in words)]
    for field, quoted, bare in FQ_TERM.findall(str(params.get("fq") or "")):
        wanted = (quoted or bare).strip('"')
        matched = [d for d in matched if wanted.casefold() in (v.casefold() for v in _values(d, field))]
    if str(params.get("sort") or "").startswith("title"):
        matched.sort(key=lambda d: fold(d.title), reverse=str(params["sort"]).endswith("desc"))
    start, rows = integer(params, "start", 0, 1 << 31), integer(params, "rows", 10, MAX_ROWS)
    facet_fields = as_list(params.get("facet.field"))
    facets = {field: Counter(v for d in matched for v in _values(d, field)) for field in facet_fields}
    return {
        "count": len(matched),
        "sort": params.get("sort") or "metadata_modified desc",
        "results": [package(d, base) for d in matched[start : start + rows]],
        "facets": {field: dict(counts) for field, counts in facets.items()},
        "search_facets": {
            field: {
                "title": field,
                "items": [{"name": v, "display_name": v, "count": n} for v, n in counts.most_common()],
            }
            for field, counts in facets.items()
        },
    }


def datastore_filters(params: dict[str, Any]) -> list[tuple[str, str, str]]:
    raw = params.get("filters") or {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as error:
            raise Invalid("Tham số 'filters' phải là một đối tượng JSON.", code="ckan.bad_parameter") from error
    if not isinstance(raw, dict):
        raise Invalid("Tham số 'filters' phải là một đối tượng JSON.", code="ckan.bad_parameter")
    return [(str(column), "exact", str(value)) for column, value in raw.items()]


def datastore_sort(params: dict[str, Any]) -> list[tuple[str, bool]]:
    """CKAN's `sort`: "col desc, other" → (column, descending) pairs."""
    pairs = []
    for part in str(params.get("sort") or "").split(","):
        words = part.strip().rsplit(" ", 1)
        if words[0]:
            descending = len(words) == 2 and words[1].lower() == "desc"
            name = words[0] if len(words) == 2 and words[1].lower() in ("asc", "desc") else part.strip()
            pairs.append((name.strip('"'), descending))
    return pairs


def fields(columns: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """Column types in CKAN's datastore vocabulary."""
    kinds = {"VARCHAR": "text", "BIGINT": "int", "INTEGER": "int", "DOUBLE": "float", "DATE": "date", "BOOLEAN": "bool"}
    return [{"id": c["name"], "type": kinds.get(c["type"], c["type"].lower())} for c in columns]


def tables_in(sql: str) -> list[str]:
    """The resource ids a `datastore_search_sql` query names (as quoted table names)."""
    return list(dict.fromkeys(UUID_TABLE.findall(sql)))
