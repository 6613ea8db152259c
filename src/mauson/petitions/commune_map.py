"""The transparency page's commune map: the 65 communes as tiles, one row per former district,
shaded by their petition counts, with the legend that says what each shade stands for."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from mauson.petitions import service
from mauson.petitions.models import StatRow
from mauson.vntext.gazetteer import Unit


@dataclass(frozen=True)
class Tile:
    """One commune on the map: a square in its former district's row, shaded by its petition count."""

    code: str
    name: str
    count: int
    x: int
    y: int
    shade: int  # 0 (none) to 4 (most)


@dataclass(frozen=True)
class Band:
    """One shade of the map's colour scale: the petition counts it stands for, and how many communes
    are in it, so that the legend says what a colour means without hovering over a tile."""

    shade: int
    low: int
    high: int
    communes: int


@dataclass(frozen=True)
class CommuneMap:
    """The tile map drawn at its own size (`width` × `height` pixels): the page lets it scroll
    sideways in its box on a phone rather than shrink its tiles below what a finger can tap."""

    tiles: list[Tile]
    rows: list[tuple[str, int]]  # (former district, y)
    legend: list[Band]
    width: int
    height: int


TILE = 34  # a tile of 30 px and a gap of 4: above the 24 px a finger needs
LABEL_WIDTH = 160  # the former districts' names, at 14 px
SHADES = 4


def _shade(count: int, most: int) -> int:
    """The band of `count`: the counts 1..most cut in four equal parts, 0 for none."""
    return -(-SHADES * count // most) if count else 0


def draw(stats_by_commune: list[StatRow]) -> CommuneMap:
    """A tile map of the 65 communes, one row per pre-2025 district: the choropleth the public page draws.

    Drawn from the gazetteer the project ships (no geometry, no tiles from the Internet): each unit
    sits in the row of the first district it was formed from.
    """
    counts = {row.key: row.total for row in stats_by_commune if row.key}
    most = max(counts.values(), default=0)
    rows: dict[str, list[Unit]] = {}
    for unit in service.communes():
        district = unit.former_districts[0] if unit.former_districts else "Khác"
        rows.setdefault(district, []).append(unit)
    tiles, labels = [], []
    for y, (district, units) in enumerate(sorted(rows.items())):
        labels.append((district, y * TILE))
        for x, unit in enumerate(units):
            count = counts.get(unit.code, 0)
            tiles.append(Tile(unit.code, unit.name, count, x * TILE, y * TILE, _shade(count, most)))
    in_band = Counter(tile.shade for tile in tiles)
    bands = [Band(0, 0, 0, in_band[0])] + [
        Band(shade, most * (shade - 1) // SHADES + 1, most * shade // SHADES, in_band[shade])
        for shade in range(1, SHADES + 1)
    ]
    return CommuneMap(
        tiles=tiles,
        rows=labels,
        legend=[band for band in bands if band.low <= band.high],
        width=LABEL_WIDTH + TILE * max(len(units) for units in rows.values()),
        height=TILE * len(rows),
    )
