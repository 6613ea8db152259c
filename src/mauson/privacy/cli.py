"""`mauson pii`: find and anonymise personal data in files of any size, from the console."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, BinaryIO, TextIO

import typer

from mauson.console import operator, state
from mauson.errors import Invalid
from mauson.privacy import service
from mauson.privacy.anonymize import anonymize
from mauson.privacy.models import Entity, Method
from mauson.vntext.encoding import iter_blocks

pii_app = typer.Typer(help="Dữ liệu cá nhân (personal data).", no_args_is_help=True)
FileArg = Annotated[str, typer.Argument(help="Tệp văn bản, hoặc - để đọc từ đầu vào chuẩn")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Ghi kết quả vào tệp (mặc định: màn hình)")]


@contextmanager
def _input(path: str) -> Iterator[BinaryIO]:
    if path == "-":
        yield sys.stdin.buffer
        return
    source = Path(path)
    if not source.is_file():
        raise Invalid(f"Không có tệp '{path}'.", code="file.not_found")
    with source.open("rb") as handle:
        yield handle


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """Standard output, or a file written whole or not at all (a temporary file renamed at the end)."""
    if path is None:
        yield sys.stdout
        return
    fd, temporary = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            yield handle
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _shifted(entities: list[Entity], offset: int) -> Iterator[Entity]:
    for e in entities:
        yield Entity(e.start + offset, e.end + offset, e.type, e.text, e.score, e.reason)


def _audit(ctx: typer.Context, action: str, characters: int, found: Counter[str], **extra: str) -> None:
    with state(ctx).database.unit_of_work() as session:
        service.record_scan(
            session=session,
            actor=operator(),
            action=action,
            characters=characters,
            found=dict(sorted(found.items())),
            **extra,
        )


@pii_app.command("scan")
def scan(
    ctx: typer.Context,
    file: FileArg = "-",
    jsonl: Annotated[Path | None, typer.Option("--jsonl", help='Tệp JSONL: mỗi dòng {"id", "text"}')] = None,
    output: OutputOption = None,
) -> None:
    """List the personal data in a text file; with --jsonl, answer one JSON line per input line.

    Example: mauson pii scan don-thu.txt
    """
    if jsonl is not None:
        _scan_jsonl(ctx, jsonl, output)
        return
    found: Counter[str] = Counter()
    characters = offset = 0
    with _input(file) as stream, _output(output) as out:
        for block in iter_blocks(stream):
            for entity in _shifted(service.scan(block), offset):
                found[entity.type.value] += 1
                out.write(
                    f"{entity.start:>8}-{entity.end:<8} {entity.type.value:<17} {entity.text!r}  "
                    f"({entity.score:.2f}; {entity.reason})\n"
                )
            offset += len(block)
            characters += len(block)
        if not found:
            out.write("Không thấy dữ liệu cá nhân nào.\n")
    _audit(ctx, "privacy.scan", characters, found, source="cli")


def _scan_jsonl(ctx: typer.Context, path: Path, output: Path | None) -> None:
    found: Counter[str] = Counter()
    characters = 0
    if not path.is_file():
        raise Invalid(f"Không có tệp '{path}'.", code="file.not_found")
    with path.open("rb") as handle, _output(output) as out:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            record = _json_line(raw, number)
            entities = service.scan(record["text"])
            characters += len(record["text"])
            found.update(e.type.value for e in entities)
            line = {
                "id": record["id"],
                "entities": [
                    {"start": e.start, "end": e.end, "type": e.type.value, "text": e.text, "score": round(e.score, 3)}
                    for e in entities
                ],
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    _audit(ctx, "privacy.scan", characters, found, source="cli-jsonl")


def _json_line(raw: bytes, number: int) -> dict[str, str]:
    try:
        record = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Invalid(f"Dòng {number} không phải JSON UTF-8 hợp lệ.", code="jsonl.invalid") from error
    if not isinstance(record, dict) or "id" not in record or not isinstance(record.get("text"), str):
        raise Invalid(f'Dòng {number} phải có dạng {{"id": ..., "text": "..."}}.', code="jsonl.invalid")
    return record


@pii_app.command("redact")
def redact(
    ctx: typer.Context,
    file: FileArg = "-",
    method: Annotated[Method, typer.Option("--method", help="Cách ẩn")] = Method.MASK,
    output: OutputOption = None,
) -> None:
    """Print the text with its personal data anonymised.

    Example: mauson pii redact danh-sach.txt --method pseudonym -o danh-sach-an.txt
    """
    keys = service.keys_for(state(ctx).settings)
    found: Counter[str] = Counter()
    characters = 0
    with _input(file) as stream, _output(output) as out:
        for block in iter_blocks(stream):
            entities = service.scan(block)
            found.update(e.type.value for e in entities)
            characters += len(block)
            out.write(anonymize(block, entities, method=method, keys=keys))
    _audit(ctx, "privacy.redact", characters, found, source="cli", method=method.value)
