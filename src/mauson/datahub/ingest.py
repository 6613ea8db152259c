"""Turning an uploaded file into typed Parquet tables, in bounded memory, with a validation report.

Every format goes through DuckDB, which streams: a CSV of any size is read block by block and
written out as Parquet row group by row group under a memory limit (spilling to the workspace).
CSV text is first checked (and, when it is not already UTF-8 in NFC, re-encoded) with the
language kit's decoder, so Windows-1258, UTF-16 and a BOM are read alike and a text typed with a
legacy font is refused with a message saying how to convert it. Rows DuckDB cannot read are
reported with their line numbers; a column whose values are of mixed types is kept as text
rather than losing the rows that do not fit. Workbooks are unpacked sheet by sheet (after a
zip-bomb check) into CSV and then read the same way, so a sheet's row numbers are its lines.
"""

from __future__ import annotations

import codecs
import csv
import threading
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from openpyxl import load_workbook  # type: ignore[import-untyped]

from mauson.datahub.query import literal
from mauson.errors import Invalid, TooLarge
from mauson.vntext.amounts import written
from mauson.vntext.encoding import iter_blocks

Progress = Callable[[float], None]

FORMATS = ("CSV", "XLSX", "JSON", "PARQUET")
MEMORY_LIMIT = "512MB"
MAX_XLSX_RATIO = 100  # uncompressed / compressed: real workbooks stay far below, zip bombs far above
MAX_XLSX_EXPANDED = 2 << 30
SHOWN_REJECTIONS = 100
DELIMITERS = (",", ";", "\t", "|")

REASONS = {
    "CAST": "giá trị không đúng kiểu dữ liệu của cột",
    "MISSING COLUMNS": "dòng thiếu ô so với dòng tiêu đề",
    "TOO MANY COLUMNS": "dòng thừa ô so với dòng tiêu đề",
    "UNQUOTED VALUE": "dấu ngoặc kép không đóng đúng",
    "LINE SIZE OVER MAXIMUM": "dòng quá dài",
    "INVALID UNICODE": "có ký tự không phải Unicode hợp lệ",
}


@dataclass(frozen=True)
class Rejection:
    """A line of the file that did not become a row, and why (for the validation report)."""

    line: int
    column: str | None
    reason: str


@dataclass(frozen=True)
class Staged:
    """One table read from the upload, as a Parquet file in the workspace (not yet stored)."""

    name: str
    path: Path
    format: str
    rows: int
    columns: list[dict[str, str]]
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def too_large(limit: int, size: int | None = None) -> TooLarge:
    """The error for a file over the upload limit; `size` when it is known (a stream is cut at the limit)."""
    known = f"lớn {written(size)} byte, " if size is not None else ""
    return TooLarge(f"Tệp {known}vượt giới hạn {written(limit)} byte. Hãy chia nhỏ tệp.", code="datahub.too_large")


def stage(
    source: Path, *, filename: str, workdir: Path, max_bytes: int, progress: Progress | None = None
) -> list[Staged]:
    """Read `source` (named `filename` by its uploader) into one Parquet file per table."""
    size = source.stat().st_size
    if size > max_bytes:
        raise too_large(max_bytes, size)
    if size == 0:
        raise Invalid("Tệp trống: không có dữ liệu nào.", code="datahub.empty")
    kind = detect_format(source, filename)
    stem = Path(filename).stem or "data"
    if kind == "CSV":
        return [_stage_csv_file(source, name=stem, workdir=workdir, progress=progress)]
    if kind == "XLSX":
        return [
            _stage_csv(sheet_csv, name=sheet, kind=kind, workdir=workdir, progress=progress, delimiter=",")
            for sheet, sheet_csv in _sheets_as_csv(source, workdir)
        ]
    reader = "read_json_auto" if kind == "JSON" else "read_parquet"
    return [_stage_direct(source, reader=reader, name=stem, kind=kind, workdir=workdir, progress=progress)]


def detect_format(source: Path, filename: str) -> str:
    """The format by content first (magic numbers), then by the file name's extension."""
    with source.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(b"PAR1"):
        return "PARQUET"
    if head.startswith(b"PK\x03\x04"):
        return "XLSX"
    suffix = Path(filename).suffix.lower()
    if suffix in (".xls", ".ods"):
        raise Invalid("Chỉ nhận bảng tính .xlsx; hãy lưu lại dưới dạng .xlsx hoặc CSV.", code="datahub.format")
    stripped = head.lstrip(codecs.BOM_UTF8).lstrip()
    if suffix in (".json", ".jsonl", ".ndjson") or stripped[:1] in (b"[", b"{"):
        return "JSON"
    return "CSV"


def connect(workdir: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection for ingest: memory capped, spilling to the workspace, progress tracked."""
    connection = duckdb.connect(":memory:")
    connection.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    connection.execute(f"SET temp_directory = {literal(workdir / 'spill')}")
    connection.execute("SET enable_progress_bar = true")
    connection.execute("SET enable_progress_bar_print = false")
    return connection


def _run(connection: duckdb.DuckDBPyConnection, sql: str, progress: Progress | None) -> None:
    """Run a long statement, reporting DuckDB's own progress estimate from a watcher thread."""
    if progress is None:
        connection.execute(sql)
        return
    finished = threading.Event()

    def watch() -> None:
        while not finished.wait(0.2):
            percent = connection.query_progress()
            if percent >= 0:
                progress(min(percent, 100.0) / 100)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        connection.execute(sql)
    finally:
        finished.set()
        watcher.join()
    progress(1.0)


# --- CSV ---


def _stage_csv_file(source: Path, *, name: str, workdir: Path, progress: Progress | None) -> Staged:
    """Read an uploaded CSV, converting it to UTF-8 in NFC first only when it is not already.

    The first block always goes through the language kit's decoder, which refuses binary data,
    an unknown encoding and text typed with a legacy font, with a message saying what to do.
    Whether the whole file is UTF-8 in NFC is checked in a thread while DuckDB already reads it
    (DuckDB releases the GIL): the common file needs no copy and pays for the check only once
    the read is done; a file that fails the check is read again from its converted copy.
    """
    with source.open("rb") as handle:
        first = next(iter_blocks(handle), "")
    if not first.strip():
        raise Invalid("Tệp trống: không có dữ liệu nào.", code="datahub.empty")
    with ThreadPoolExecutor(max_workers=1) as pool:
        clean = pool.submit(_is_utf8_nfc, source)
        try:
            staged: Staged | None = _stage_csv(source, name=name, kind="CSV", workdir=workdir, progress=progress)
        except (Invalid, UnicodeError):  # a file in another encoding may fail the first read
            if clean.result():
                raise
            staged = None
        if clean.result() and staged is not None:
            return staged
    return _stage_csv(_utf8_copy(source, workdir), name=name, kind="CSV", workdir=workdir, progress=progress)


def _utf8_copy(source: Path, workdir: Path) -> Path:
    """A UTF-8, NFC copy of a text file in another encoding or normal form."""
    target = workdir / "utf8.csv"
    with source.open("rb") as handle, target.open("w", encoding="utf-8", newline="") as out:
        for block in iter_blocks(handle, block_size=1 << 20):
            out.write(block)
    return target


def _is_utf8_nfc(source: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    with source.open("rb") as handle:
        if handle.read(3) == codecs.BOM_UTF8:
            return False
        handle.seek(0)
        try:
            for block in iter(lambda: handle.read(1 << 20), b""):
                if not unicodedata.is_normalized("NFC", decoder.decode(block)):
                    return False
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _header(path: Path, delimiter: str, quote: str) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle, delimiter=delimiter, quotechar=quote or '"'), [])


def check_header(header: list[str]) -> None:
    """Refuse blank and duplicate column names: every column must be addressable by its name."""
    blank = [str(index + 1) for index, name in enumerate(header) if not name.strip()]
    if blank:
        raise Invalid(
            f"Dòng tiêu đề có cột không tên (cột thứ {', '.join(blank)}). Hãy đặt tên cho mọi cột.",
            code="datahub.blank_column",
        )
    counts = Counter(name.strip().casefold() for name in header)
    duplicates = sorted({name for name in header if counts[name.strip().casefold()] > 1})
    if duplicates:
        raise Invalid(
            f"Dòng tiêu đề có tên cột trùng nhau: {', '.join(duplicates)}. Hãy đặt tên khác nhau.",
            code="datahub.duplicate_column",
        )


def _delimiter(path: Path) -> str:
    """The delimiter of the header line: the most frequent of , ; tab | (a comma when none is)."""
    with path.open(encoding="utf-8", newline="") as handle:
        first = handle.readline()
    counts = {candidate: first.count(candidate) for candidate in DELIMITERS}
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","


def _stage_csv(
    path: Path,
    *,
    name: str,
    kind: str,
    workdir: Path,
    progress: Progress | None,
    delimiter: str | None = None,
) -> Staged:
    connection = connect(workdir)
    try:
        quote = '"'
        delimiter = delimiter or _delimiter(path)
        header = _header(path, delimiter, quote)
        check_header(header)
        out = workdir / f"{len(list(workdir.glob('*.parquet')))}.parquet"
        text_columns: list[str] = []
        warnings: list[str] = []
        while True:
            _copy_csv(connection, path, out, delimiter, quote, text_columns, progress)
            mixed = _mixed_columns(connection) if not text_columns else []
            if not mixed:
                break
            text_columns = mixed
            warnings = [f"Cột '{column}' có giá trị lẫn nhiều kiểu; được lưu dạng văn bản." for column in mixed]
        rejected, rejections = _rejections(connection)
        staged = _finish(connection, out, name=name, kind=kind, rejected=rejected, rejections=rejections)
    finally:
        connection.close()
    if staged.rows == 0 and not rejected:
        raise Invalid("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.", code="datahub.header_only")
    return Staged(**{**vars(staged), "warnings": warnings})


def _copy_csv(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    out: Path,
    delimiter: str,
    quote: str,
    text_columns: list[str],
    progress: Progress | None,
) -> None:
    connection.execute("DROP TABLE IF EXISTS reject_errors")  # a second pass reports afresh
    connection.execute("DROP TABLE IF EXISTS reject_scans")
    types = ", ".join(f"{literal(column)}: 'VARCHAR'" for column in text_columns)
    options = (
        f"delim = {literal(delimiter)}, quote = {literal(quote)}, header = true, store_rejects = true, "
        f"normalize_names = false, auto_detect = true" + (f", types = {{{types}}}" if types else "")
    )
    sql = f"COPY (SELECT * FROM read_csv({literal(path)}, {options})) TO {literal(out)} (FORMAT parquet, COMPRESSION zstd)"  # noqa: E501, S608
    try:
        _run(connection, sql, progress)
    except duckdb.Error as error:
        raise Invalid(f"Không đọc được tệp CSV: {_first_line(error)}", code="datahub.csv") from error


def _mixed_columns(connection: duckdb.DuckDBPyConnection) -> list[str]:
    rows = connection.execute(
        "SELECT DISTINCT column_name FROM reject_errors WHERE error_type = 'CAST' AND column_name IS NOT NULL"
    ).fetchall()
    return sorted(str(row[0]) for row in rows)


def _rejections(connection: duckdb.DuckDBPyConnection) -> tuple[int, list[Rejection]]:
    count_row = connection.execute("SELECT count(DISTINCT line) FROM reject_errors").fetchone()
    count = int(count_row[0]) if count_row else 0
    rows = connection.execute(
        f"SELECT line, any_value(column_name), any_value(CAST(error_type AS VARCHAR)) FROM reject_errors "  # noqa: S608
        f"GROUP BY line ORDER BY line LIMIT {SHOWN_REJECTIONS}"
    ).fetchall()
    return count, [Rejection(int(line), column, REASONS.get(kind, kind.lower())) for line, column, kind in rows]


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0][:300]


# --- JSON, Parquet ---


def _stage_direct(
    source: Path, *, reader: str, name: str, kind: str, workdir: Path, progress: Progress | None
) -> Staged:
    connection = connect(workdir)
    out = workdir / "0.parquet"
    try:
        sql = f"COPY (SELECT * FROM {reader}({literal(source)})) TO {literal(out)} (FORMAT parquet, COMPRESSION zstd)"  # noqa: S608
        try:
            _run(connection, sql, progress)
        except duckdb.Error as error:
            raise Invalid(f"Không đọc được tệp {kind}: {_first_line(error)}", code="datahub.read") from error
        staged = _finish(connection, out, name=name, kind=kind)
    finally:
        connection.close()
    check_header([column["name"] for column in staged.columns])
    if staged.rows == 0:
        raise Invalid("Tệp không có dòng dữ liệu nào.", code="datahub.header_only")
    return staged


def _finish(
    connection: duckdb.DuckDBPyConnection,
    out: Path,
    *,
    name: str,
    kind: str,
    rejected: int = 0,
    rejections: list[Rejection] | None = None,
) -> Staged:
    described = connection.execute(f"DESCRIBE SELECT * FROM read_parquet({literal(out)})").fetchall()  # noqa: S608
    columns = [{"name": str(row[0]), "type": str(row[1])} for row in described]
    rows = pq.ParquetFile(out).metadata.num_rows
    return Staged(name, out, kind, rows, columns, rejected, rejections or [])


# --- XLSX ---


def _sheets_as_csv(source: Path, workdir: Path) -> Iterator[tuple[str, Path]]:
    """Each non-empty sheet as a UTF-8 CSV file, after refusing workbooks that expand too far."""
    _check_zip(source)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken workbook
        raise Invalid("Không mở được bảng tính .xlsx (tệp hỏng hoặc sai định dạng).", code="datahub.xlsx") from error
    found = False
    try:
        for index, sheet in enumerate(workbook.worksheets):
            target = workdir / f"sheet{index}.csv"
            with target.open("w", encoding="utf-8", newline="") as handle:
                written = _write_sheet(sheet.iter_rows(values_only=True), csv.writer(handle))
            if written:
                found = True
                yield sheet.title, target
    finally:
        workbook.close()
    if not found:
        raise Invalid("Bảng tính không có trang nào chứa dữ liệu.", code="datahub.empty")


def _check_zip(source: Path) -> None:
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise Invalid("Tệp .xlsx bị hỏng (không phải tệp nén hợp lệ).", code="datahub.xlsx") from error
    expanded = sum(member.file_size for member in members)
    compressed = max(1, sum(member.compress_size for member in members))
    if expanded > MAX_XLSX_EXPANDED or expanded / compressed > MAX_XLSX_RATIO:
        raise Invalid(
            "Bảng tính giải nén ra quá lớn so với kích thước tệp (nghi là tệp độc hại 'zip bomb'); đã từ chối.",
            code="datahub.zip_bomb",
        )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _write_sheet(rows: Iterator[tuple[Any, ...]], writer: Any) -> int:
    """Write the sheet's rows; trailing blank rows and columns are dropped. Returns rows written."""
    written, blank_run, width = 0, 0, 0
    for row in rows:
        cells = [_cell(value) for value in row]
        if written == 0:
            while cells and not cells[-1].strip():
                cells.pop()
            if not cells:
                continue
            width = len(cells)
        if not any(cell.strip() for cell in cells):
            blank_run += 1
            continue
        for _ in range(blank_run):
            writer.writerow([""] * width)
        blank_run = 0
        writer.writerow(cells[:width] if len(cells) >= width else cells)
        written += 1
    return written
