"""The catalogue in DCAT-AP (JSON-LD): what European and national portals harvest.

Each dataset is a `dcat:Dataset` with its publisher, theme, keywords, licence, frequency,
temporal and spatial coverage and contact point; each table a `dcat:Distribution` per download
format.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mauson.datahub.models import THEMES, Dataset

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
LICENCE_URIS = {
    "cc-by-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "cc0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "odc-by": "https://opendatacommons.org/licenses/by/1-0/",
}
DOWNLOADS = {"csv": "text/csv", "json": "application/json", "parquet": "application/vnd.apache.parquet"}


def dataset(item: Dataset, *, base: str) -> dict[str, Any]:
    page = f"{base}/datasets/{item.name}"
    described: dict[str, Any] = {
        "@id": page,
        "@type": "dcat:Dataset",
        "dct:identifier": item.name,
        "dct:title": {"@value": item.title, "@language": "vi"},
        "dct:description": {"@value": item.description, "@language": "vi"},
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": item.organisation.name},
        "dct:issued": {"@value": item.created_at.isoformat(), "@type": "xsd:dateTime"},
        "dct:modified": {"@value": item.updated_at.isoformat(), "@type": "xsd:dateTime"},
        "dcat:keyword": item.tags,
        "dcat:landingPage": {"@id": page},
        "dct:accessRights": item.access,
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dct:title": f"{resource.name} ({kind.upper()})",
                "dcat:downloadURL": {
                    "@id": f"{base}/api/v1/datasets/{item.name}/download?format={kind}&resource={resource.id}"
                },
                "dcat:mediaType": media,
                "dct:license": {"@id": LICENCE_URIS.get(item.licence, item.licence)},
            }
            for resource in item.resources
            for kind, media in DOWNLOADS.items()
        ],
    }
    if item.theme in THEMES:
        described["dcat:theme"] = {"@value": THEMES[item.theme], "@language": "vi"}
    optional = {
        "dct:accrualPeriodicity": item.frequency,
        "dct:temporal": item.temporal,
        "dct:spatial": item.spatial,
    }
    described |= {key: value for key, value in optional.items() if value}
    if item.contact:
        described["dcat:contactPoint"] = {"@type": "vcard:Kind", "vcard:fn": item.contact}
    return described


def catalog(datasets: Sequence[Dataset], *, base: str) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@id": f"{base}/datasets",
        "@type": "dcat:Catalog",
        "dct:title": {"@value": "Kho dữ liệu mở tỉnh Lạng Sơn", "@language": "vi"},
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": "Ủy ban nhân dân tỉnh Lạng Sơn"},
        "dcat:dataset": [dataset(item, base=base) for item in datasets],
    }
