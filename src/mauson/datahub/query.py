"""Reading stored tables with DuckDB: filtered pages of rows, read-only SQL, statistics, exports.

The SQL that users write runs in a connection that can see nothing but the tables it was given:
a fresh in-memory database whose views point at exactly those Parquet files, with
`allowed_paths` set to them, external access then switched off and the configuration locked,
so `read_csv('/etc/passwd')`, `COPY ... TO`, `ATTACH`, `INSTALL` and `LOAD` fail inside DuckDB
itself. Before that, DuckDB's own parser must find exactly one SELECT statement (`PRAGMA`,
`SET`, `CALL` and the rest are refused), and a timer interrupts a query that runs too long.

Memory: the sandbox has a memory limit, one thread and nowhere to spill, so a query that builds a
huge list or aggregate fails at once. A few functions allocate their whole result in one call
outside that limit and cannot be interrupted (`repeat('x', 1e9)` took 4 GB and ran past the
timer), so the parsed query is walked and those are refused, with `query()`, which would hide
SQL inside a string from that walk.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from openpyxl import Workbook  # type: ignore[import-untyped]

from mauson.datahub.isolation import run_capped, too_big, too_slow
from mauson.errors import Invalid
from mauson.vntext.amounts import written
from mauson.vntext.normalize import fold

SQL_SECONDS = 5.0
SQL_MEMORY = "512MB"  # as much as an ingest may use
SQL_RESULT_BYTES = 20_000_000  # what one answer may carry: 10,000 rows of 1 MB text would not fit
SQL_FETCH = 100
# Scalar functions whose result size is an argument: DuckDB's memory limit does not cover them.
# `replace` too: three nested over a 3,000-character literal ask for 27 GB and ignore the timer.
UNBOUNDED_FUNCTIONS = frozenset(
    {
        "repeat",
        "lpad",
        "rpad",
        "printf",
        "format",
        "list_resize",
        "array_resize",
        "range",
        "generate_series",
        "replace",
        "regexp_replace",
    }
)
# Table functions that run SQL given as a string, out of reach of the check above.
HIDDEN_SQL_FUNCTIONS = frozenset({"query", "query_table"})
FILTER_OPERATORS = {
    "exact": "=",
    "not": "<>",
    "gt": ">",
    "gte": ">=",
    "lt": "<",
    "lte": "<=",
    "contains": "ILIKE",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_575
BATCH = 10_000


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: Path | str) -> str:
    """`text` (a path, a column name) as a SQL string literal for DuckDB."""
    return "'" + str(text).replace("'", "''") + "'"


def sandbox(views: Mapping[str, Path]) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that can read only `views` (name → Parquet file), and nothing else."""
    connection = duckdb.connect(":memory:")
    allowed = ", ".join(literal(path) for path in views.values())
    connection.execute(f"SET allowed_paths = [{allowed}]")
    for name, path in views.items():
        connection.execute(f"CREATE VIEW {quote(name)} AS SELECT * FROM read_parquet({literal(path)})")  # noqa: S608
    connection.execute(f"SET memory_limit = '{SQL_MEMORY}'")
    connection.execute("SET threads = 1")
    connection.execute("SET temp_directory = ''")
    connection.execute("SET enable_external_access = false")
    connection.execute("SET autoinstall_known_extensions = false")
    connection.execute("SET autoload_known_extensions = false")
    connection.execute("SET lock_configuration = true")
    return connection


@dataclass(frozen=True)
class Rows:
    columns: list[str]
    rows: list[list[Any]]
    total: int | None
    truncated: bool = False


def jsonable(value: Any) -> Any:
    """A DuckDB value as JSON can carry it: dates as ISO text, decimals as floats."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    return value


def select_rows(
    path: Path,
    *,
    schema: Sequence[str],
    columns: Sequence[str] | None = None,
    filters: Sequence[tuple[str, str, str]] = (),
    sort: Sequence[tuple[str, bool]] = (),
    search: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Rows:
    """A page of rows: `filters` are (column, operator, value), `sort` is (column, descending).

    Column names come only from `schema`; values are bound as parameters, never spliced in.
    """
    known = set(schema)
    for name in [*(columns or []), *(f[0] for f in filters), *(s[0] for s in sort)]:
        if name not in known:
            raise Invalid(f"Không có cột '{name}' trong bảng này.", code="datahub.unknown_column")
    chosen = list(columns or schema)
    conditions, parameters = _where(filters, search, schema)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    order = ", ".join(f"{quote(name)} {'DESC' if descending else 'ASC'}" for name, descending in sort)
    source = f"read_parquet({literal(path)})"
    connection = duckdb.connect(":memory:")
    try:
        total_row = connection.execute(f"SELECT count(*) FROM {source}{where}", parameters).fetchone()  # noqa: S608
        select = ", ".join(quote(name) for name in chosen)
        sql = f"SELECT {select} FROM {source}{where}" + (f" ORDER BY {order}" if order else "")  # noqa: S608
        fetched = connection.execute(f"{sql} LIMIT {int(limit)} OFFSET {int(offset)}", parameters).fetchall()
    except duckdb.ConversionException as error:
        raise Invalid("Giá trị lọc không đúng kiểu dữ liệu của cột.", code="datahub.bad_filter") from error
    finally:
        connection.close()
    return Rows(chosen, [[jsonable(value) for value in row] for row in fetched], int(total_row[0]) if total_row else 0)


def _where(
    filters: Sequence[tuple[str, str, str]], search: str | None, schema: Sequence[str]
) -> tuple[list[str], list[Any]]:
    conditions: list[str] = []
    parameters: list[Any] = []
    for name, operator, value in filters:
        if operator not in FILTER_OPERATORS:
            raise Invalid(
                f"Phép lọc '{operator}' không hỗ trợ; dùng: {', '.join(FILTER_OPERATORS)}.", code="datahub.bad_filter"
            )
        if operator == "contains":
            conditions.append(f"CAST({quote(name)} AS VARCHAR) ILIKE ?")
            parameters.append(f"%{value}%")
        else:
            conditions.append(f"{quote(name)} {FILTER_OPERATORS[operator]} ?")
            parameters.append(value)
    if search:
        anywhere = " OR ".join(f"CAST({quote(name)} AS VARCHAR) ILIKE ?" for name in schema)
        conditions.append(f"({anywhere})")
        parameters += [f"%{search}%"] * len(schema)
    return conditions, parameters


def check_select(sql: str) -> str:
    """The one SELECT statement in `sql`, or `Invalid` saying why it cannot run."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as error:
        raise Invalid(f"Câu SQL có lỗi cú pháp: {_first_line(error)}", code="datahub.sql_syntax") from error
    if len(statements) != 1:
        raise Invalid("Chỉ chạy được đúng một câu lệnh SQL mỗi lần.", code="datahub.sql_statements")
    if statements[0].type != duckdb.StatementType.SELECT:
        raise Invalid("Chỉ được dùng câu lệnh SELECT (chỉ đọc).", code="datahub.sql_not_select")
    return statements[0].query.strip().rstrip(";")


def refuse_unbounded(connection: duckdb.DuckDBPyConnection, statement: str) -> None:
    """`Invalid` if `statement` calls a function the sandbox cannot bound (see the module's
    docstring). `range` and `generate_series` are refused as scalars (one list of any size) but
    not as tables (`FROM range(10)`), whose rows stream and stop at the row limit. Parsed on the
    sandbox's own connection: a new one costs ~9 ms, the module's default one is shared by threads."""
    serialized = connection.execute("SELECT json_serialize_sql(?)", [statement]).fetchone()
    tree = json.loads(serialized[0]) if serialized else {"error": True}
    if tree.get("error"):
        raise Invalid(
            "Không kiểm tra được câu truy vấn này (PIVOT và các dạng đặc biệt chưa hỗ trợ); "
            "hãy viết SELECT ... FROM ....",
            code="datahub.sql_not_select",
        )
    found: set[str] = set()
    _walk(tree["statements"], found, table=False)
    if found:
        raise Invalid(
            f"Câu truy vấn dùng hàm không được phép ở đây: {', '.join(sorted(found))}.", code="datahub.sql_forbidden"
        )


def _walk(node: Any, found: set[str], *, table: bool) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, found, table=False)
        return
    if not isinstance(node, dict):
        return
    if node.get("class") == "FUNCTION":
        name = str(node.get("function_name", "")).lower()
        if name in (HIDDEN_SQL_FUNCTIONS if table else UNBOUNDED_FUNCTIONS):
            found.add(name)
    for key, value in node.items():
        _walk(value, found, table=node.get("type") == "TABLE_FUNCTION" and key == "function")


def run_sql(views: Mapping[str, Path], sql: str, *, max_rows: int = 1000, seconds: float = SQL_SECONDS) -> Rows:
    """Run one read-only SELECT over `views`; at most `max_rows` rows, at most `seconds` seconds.

    It runs in a child process with an operating-system memory cap (`isolation.py` says why).
    """
    return run_capped(_run_sql_in_sandbox, dict(views), sql, max_rows=max_rows, seconds=seconds, timeout=seconds)


def _run_sql_in_sandbox(views: Mapping[str, Path], sql: str, *, max_rows: int, seconds: float) -> Rows:
    """`run_sql` itself, in whichever process calls it."""
    statement = check_select(sql)
    connection = sandbox(views)
    timer = threading.Timer(seconds, connection.interrupt)
    timer.start()
    try:
        refuse_unbounded(connection, statement)
        result = connection.execute(statement)
        columns = [str(column[0]) for column in result.description or []]
        fetched = _fetch_bounded(result, max_rows + 1)
    except duckdb.InterruptException as error:
        raise too_slow(seconds) from error
    except duckdb.OutOfMemoryException as error:
        raise too_big(f"quá {SQL_MEMORY}") from error
    except duckdb.PermissionException as error:
        raise Invalid(
            "Câu truy vấn chỉ được đọc các bảng của bộ dữ liệu này (không đọc tệp, không cài tiện ích).",
            code="datahub.sql_forbidden",
        ) from error
    except duckdb.Error as error:
        raise Invalid(f"Câu SQL không chạy được: {_first_line(error)}", code="datahub.sql_error") from error
    finally:
        timer.cancel()
        connection.close()
    rows = [[jsonable(value) for value in row] for row in fetched[:max_rows]]
    return Rows(columns, rows, None, truncated=len(fetched) > max_rows)


def _fetch_bounded(result: duckdb.DuckDBPyConnection, count: int) -> list[tuple[Any, ...]]:
    """At most `count` rows, refused once their text passes `SQL_RESULT_BYTES`: the row limit
    alone let one query return 1.3 GB (10,000 rows of a 128 KB string built by `||`)."""
    fetched: list[tuple[Any, ...]] = []
    size = 0
    while len(fetched) < count and (batch := result.fetchmany(min(SQL_FETCH, count - len(fetched)))):
        size += sum(len(value) for row in batch for value in row if isinstance(value, str | bytes))
        if size > SQL_RESULT_BYTES:
            raise Invalid(
                f"Kết quả quá lớn (hơn {SQL_RESULT_BYTES // 1_000_000} MB); hãy chọn ít cột hoặc ít dòng hơn.",
                code="datahub.sql_too_big",
            )
        fetched += batch
    return fetched


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0][:300]


@dataclass(frozen=True)
class ColumnStats:
    name: str
    type: str
    nulls: float  # share of empty cells, 0–100
    distinct: int
    min: str | None
    max: str | None
    mean: str | None


def statistics(path: Path) -> list[ColumnStats]:
    """Per-column statistics (DuckDB's SUMMARIZE): empties, distinct values, range, mean."""
    connection = duckdb.connect(":memory:")
    try:
        summary = connection.execute(f"SUMMARIZE SELECT * FROM read_parquet({literal(path)})").fetchall()  # noqa: S608
    finally:
        connection.close()
    stats = []
    for row in summary:
        name, kind, low, high, distinct, mean = row[0], row[1], row[2], row[3], row[4], row[5]
        nulls = float(row[-1] or 0)
        stats.append(ColumnStats(str(name), str(kind), nulls, int(distinct or 0), low, high, mean))
    return stats


def sample_text(path: Path, size: int) -> tuple[list[str], list[list[str | None]]]:
    """A random sample of rows as text, for the privacy scan."""
    connection = duckdb.connect(":memory:")
    try:
        result = connection.execute(f"SELECT * FROM read_parquet({literal(path)}) USING SAMPLE {int(size)} ROWS")  # noqa: S608
        header = [str(column[0]) for column in result.description or []]
        rows = [[None if value is None else str(value) for value in row] for row in result.fetchall()]
    finally:
        connection.close()
    return header, rows


def group_sizes(path: Path, columns: Sequence[str], smallest: int = 5) -> tuple[int, list[tuple[list[str], int]]]:
    """How many groups of rows share the same text in `columns` (empty for missing), and the
    `smallest` of them with their sizes: k-anonymity counted by DuckDB, for a table of any size."""
    keys = ", ".join(f"coalesce(CAST({quote(name)} AS VARCHAR), '')" for name in columns)
    connection = duckdb.connect(":memory:")
    try:
        grouped = f"SELECT [{keys}] AS key, count(*) AS n FROM read_parquet({literal(path)}) GROUP BY ALL"  # noqa: S608
        count_row = connection.execute(f"SELECT count(*) FROM ({grouped})").fetchone()  # noqa: S608
        rows = connection.execute(f"{grouped} ORDER BY n, key LIMIT {int(smallest)}").fetchall()
    finally:
        connection.close()
    return (int(count_row[0]) if count_row else 0), [(list(key), int(n)) for key, n in rows]


def count_rows(path: Path) -> int:
    connection = duckdb.connect(":memory:")
    try:
        found = connection.execute(f"SELECT count(*) FROM read_parquet({literal(path)})").fetchone()  # noqa: S608
    finally:
        connection.close()
    return int(found[0]) if found else 0


def read_all_text(path: Path, limit: int) -> tuple[list[str], list[list[str]]]:
    """Every row as text (empty for missing), for building an anonymised derivative in memory."""
    connection = duckdb.connect(":memory:")
    try:
        count_row = connection.execute(f"SELECT count(*) FROM read_parquet({literal(path)})").fetchone()  # noqa: S608
        if count_row and int(count_row[0]) > limit:
            raise Invalid(
                f"Bộ dữ liệu có hơn {written(limit)} dòng; bản ẩn danh chỉ tạo được cho bộ nhỏ hơn.",
                code="datahub.too_many_rows",
            )
        result = connection.execute(f"SELECT * FROM read_parquet({literal(path)})")  # noqa: S608
        header = [str(column[0]) for column in result.description or []]
        rows = [["" if value is None else str(jsonable(value)) for value in row] for row in result.fetchall()]
    finally:
        connection.close()
    return header, rows


MEASURE_TYPE = re.compile(r"U?(BIG|SMALL|TINY|HUGE)?INT(EGER)?\b|DOUBLE|FLOAT|DECIMAL|REAL")
TIME_TYPE = re.compile(r"DATE|TIMESTAMP")
IDENTIFIER_WORDS = frozenset({"id", "ma", "code", "stt", "key", "uuid"})  # "ma": mã, a code
YEAR_WORDS = frozenset({"nam", "year"})
YEARS = range(1900, 2101)
CATEGORY_SHARE = 0.5  # a category's values are each on two rows or more, on average


@dataclass(frozen=True)
class ChartChoice:
    """What the automatic bar chart shows: `measure` summed per value of `axis` (rows counted
    when `measure` is None); on a time axis the bars keep time order."""

    axis: str
    measure: str | None
    time: bool


def choose_chart(stats: Sequence[ColumnStats], rows: int, personal: Collection[str] = ()) -> ChartChoice | None:
    """A chart only where one means something: the axis a date, a year or a category whose values
    repeat; the measure a number that is neither an identifier nor a year. One bar per unique code
    (a commune's `ma`) says nothing, so such a table gets no chart. `personal` columns (names,
    birth dates) are never drawn: a bar would show one person's data."""
    usable = [s for s in stats if s.name not in personal]
    axis = next((s for s in usable if _is_time(s)), None) or next((s for s in usable if _is_category(s, rows)), None)
    if axis is None:
        return None
    measure = next((s.name for s in usable if s is not axis and _is_measure(s)), None)
    return ChartChoice(axis.name, measure, _is_time(axis))


def _words(name: str) -> set[str]:
    return set(re.split(r"[^a-z0-9]+", fold(name)))


def _is_year(column: ColumnStats) -> bool:
    if not MEASURE_TYPE.match(column.type) or not _words(column.name) & YEAR_WORDS:
        return False
    try:
        return int(str(column.min)) in YEARS and int(str(column.max)) in YEARS
    except ValueError:
        return False


def _is_time(column: ColumnStats) -> bool:
    return bool(TIME_TYPE.match(column.type)) or _is_year(column)


def _is_category(column: ColumnStats, rows: int) -> bool:
    filled = rows * (1 - column.nulls / 100)
    named_as_code = bool(_words(column.name) & IDENTIFIER_WORDS)
    return column.type == "VARCHAR" and not named_as_code and 2 <= column.distinct <= filled * CATEGORY_SHARE


def _is_measure(column: ColumnStats) -> bool:
    return bool(MEASURE_TYPE.match(column.type)) and not _words(column.name) & IDENTIFIER_WORDS and not _is_year(column)


def chart_data(path: Path, choice: ChartChoice, top: int = 10) -> list[tuple[str, float]]:
    """The bars of `choice`: the `top` largest categories, or the latest `top` dates in order."""
    measure = f"sum({quote(choice.measure)})" if choice.measure else "count(*)"
    order = "1 DESC" if choice.time else "value DESC"
    connection = duckdb.connect(":memory:")
    try:
        rows = connection.execute(
            f"SELECT {quote(choice.axis)}, {measure} AS value FROM read_parquet({literal(path)}) "  # noqa: S608
            f"WHERE {quote(choice.axis)} IS NOT NULL GROUP BY 1 ORDER BY {order} LIMIT {int(top)}"
        ).fetchall()
    finally:
        connection.close()
    bars = [(str(label), float(value or 0)) for label, value in rows]
    return bars[::-1] if choice.time else bars


# --- exports ---


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _batches(path: Path) -> Iterator[tuple[list[str], list[tuple[Any, ...]]]]:
    connection = duckdb.connect(":memory:")
    try:
        result = connection.execute(f"SELECT * FROM read_parquet({literal(path)})")  # noqa: S608
        header = [str(column[0]) for column in result.description or []]
        while batch := result.fetchmany(BATCH):
            yield header, batch
    finally:
        connection.close()


def iter_csv(path: Path) -> Iterator[bytes]:
    """The table as UTF-8 CSV (with a BOM, so Excel reads Vietnamese), formula cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    first = True
    for header, batch in _batches(path):
        if first:
            buffer.write("\ufeff")
            writer.writerow([neutralise(name) for name in header])
            first = False
        writer.writerows([neutralise(jsonable(value)) for value in row] for row in batch)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()


def iter_json(path: Path) -> Iterator[bytes]:
    """The table as a JSON array of objects, streamed."""
    yield b"["
    first = True
    for header, batch in _batches(path):
        for row in batch:
            record = dict(zip(header, (jsonable(value) for value in row), strict=True))
            yield (b"" if first else b",\n") + json.dumps(record, ensure_ascii=False).encode()
            first = False
    yield b"]\n"


def write_xlsx(path: Path, target: Path) -> None:
    """The table as a workbook (written row by row: bounded memory), formula cells neutralised."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    written = 0
    for header, batch in _batches(path):
        if written == 0:
            sheet.append([neutralise(name) for name in header])
        for row in batch:
            if written >= XLSX_MAX_ROWS:
                raise Invalid(
                    "Bảng quá lớn cho Excel (hơn 1.048.575 dòng); hãy tải CSV hoặc Parquet.", code="datahub.xlsx_rows"
                )
            sheet.append([neutralise(value) for value in row])
            written += 1
    workbook.save(target)
