"""`mauson datasets ...`: ingest a file, list the catalogue, look at a dataset, query it, export it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Annotated

import typer

from mauson.console import fail, operator, state
from mauson.datahub import query, service
from mauson.datahub.models import Access, DatasetMeta
from mauson.errors import Invalid
from mauson.vntext.amounts import written

datasets_app = typer.Typer(help="Kho dữ liệu (datasets).", no_args_is_help=True)
DEFAULT_MAX_BYTES = 4 << 30  # the console is trusted with big files; the web upload is capped by max_body_bytes
SHOWN_REJECTIONS = 20


def _print_reports(tables: list[service.Prepared]) -> None:
    for table in tables:
        typer.echo(f"Bảng '{table.name}': {written(table.rows)} dòng, {len(table.columns)} cột.")
        for warning in table.warnings:
            typer.echo(f"  Lưu ý: {warning}")
        if table.rejected:
            typer.echo(f"  {table.rejected} dòng bị loại:")
            for rejection in table.rejections[:SHOWN_REJECTIONS]:
                typer.echo(f"    Dòng {rejection['line']}: {rejection['reason']} ({rejection['column'] or ''})")
        personal = [c for c in table.privacy if c["type"]]
        for column in personal:
            typer.echo(f"  Cột '{column['name']}' chứa dữ liệu cá nhân: {column['label']} ({column['share']:.0%}).")


@datasets_app.command("ingest")
def ingest(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Tệp CSV, XLSX, JSON hoặc Parquet")],
    title: Annotated[str, typer.Option(help="Tên bộ dữ liệu")] = "",
    org: Annotated[
        str | None, typer.Option(help="Mã cơ quan công bố (mặc định: cơ quan của quản trị viên đầu tiên)")
    ] = None,
    access: Annotated[Access, typer.Option(help="public, shared hoặc restricted")] = Access.RESTRICTED,
    theme: Annotated[str | None, typer.Option(help="Chủ đề, ví dụ dan-cu")] = None,
    description: Annotated[str | None, typer.Option(help="Mô tả")] = None,
    max_bytes: Annotated[int, typer.Option(help="Kích thước tệp tối đa (byte)")] = DEFAULT_MAX_BYTES,
) -> None:
    """Ingest a file as a new dataset (validated, typed, scanned for personal data); public access
    on personal data is refused with the privacy report.

    Example: mauson datasets ingest xa-phuong.csv --title "Danh sách xã, phường" --org SNV --access public
    """
    if not file.is_file():
        raise Invalid(f"Không có tệp '{file}'.", code="file.not_found")
    cli = state(ctx)
    stderr = typer.get_text_stream("stderr")
    with typer.progressbar(length=100, label="Đang nạp", file=stderr) as bar:

        def advance(share: float) -> None:
            bar.update(int(share * 100) - bar.pos)

        tables = service.prepare(
            store=service.store_for(cli.settings),
            source=file,
            filename=file.name,
            max_bytes=max_bytes,
            progress=advance,
        )
    _print_reports(tables)
    if access is Access.PUBLIC and any(table.personal for table in tables):
        raise fail(
            "bộ dữ liệu chứa dữ liệu cá nhân nên không thể công khai; hãy nạp ở chế độ restricted rồi tạo bản ẩn danh."
        )
    meta = DatasetMeta(theme=theme, description=description) if theme or description else None
    with cli.database.unit_of_work() as session:
        dataset = service.create_dataset(
            session=session,
            actor=operator(),
            tables=tables,
            title=title or file.stem,
            organisation_code=org,
            access=access,
            meta=meta,
        )
        name = dataset.name
    typer.echo(f"Đã tạo bộ dữ liệu '{name}' ({access.value}).")


@datasets_app.command("list")
def list_datasets(ctx: typer.Context) -> None:
    """List the datasets: name, access, organisation, title.

    Example: mauson datasets list
    """
    with state(ctx).database.unit_of_work() as session:
        for dataset in service.list_visible(session=session, actor=operator()):
            flag = " [dữ liệu cá nhân]" if dataset.personal_columns else ""
            typer.echo(f"{dataset.name}\t{dataset.access}\t{dataset.organisation.code}\t{dataset.title}{flag}")


@datasets_app.command("show")
def show(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Tên (mã) bộ dữ liệu")]) -> None:
    """Print a dataset's metadata, tables, columns and versions as JSON.

    Example: mauson datasets show xa-phuong-lang-son
    """
    with state(ctx).database.unit_of_work() as session:
        dataset = service.get_visible_or_raise(session=session, actor=operator(), name=name, purpose="cli")
        typer.echo(service.describe(session=session, dataset=dataset).model_dump_json(indent=2))


@datasets_app.command("query")
def run_query(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Tên (mã) bộ dữ liệu")],
    sql: Annotated[str, typer.Argument(help="Câu SELECT; bảng `data` là phiên bản mới nhất")],
    limit: Annotated[int, typer.Option(help="Số dòng tối đa")] = 1000,
) -> None:
    """Run a read-only SELECT on one dataset; prints JSON lines.

    Example: mauson datasets query xa-phuong-lang-son "SELECT loai, count(*) FROM data GROUP BY loai"
    """
    cli = state(ctx)
    with cli.database.unit_of_work() as session:
        dataset = service.get_visible_or_raise(session=session, actor=operator(), name=name, purpose="cli.sql")
        found = service.run_sql(store=service.store_for(cli.settings), dataset=dataset, sql=sql, limit=limit)
    for row in found.rows:
        typer.echo(json.dumps(dict(zip(found.columns, row, strict=True)), ensure_ascii=False))
    if found.truncated:
        typer.echo(f"(chỉ hiện {limit} dòng đầu)", err=True)


@datasets_app.command("export")
def export(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Tên (mã) bộ dữ liệu")],
    output: Annotated[Path | None, typer.Option(help="Tệp ra (mặc định: TÊN.ĐỊNH_DẠNG)")] = None,
    format: Annotated[str, typer.Option(help="csv, xlsx, parquet hoặc json")] = "csv",
    version: Annotated[int | None, typer.Option(help="Số phiên bản (mặc định: mới nhất)")] = None,
) -> None:
    """Export a dataset's first table to a file (CSV cells that look like formulas are neutralised).

    Example: mauson datasets export xa-phuong-lang-son --format xlsx
    """
    if format not in ("csv", "xlsx", "parquet", "json"):
        raise Invalid("Định dạng phải là csv, xlsx, parquet hoặc json.", code="datahub.format")
    cli = state(ctx)
    with cli.database.unit_of_work() as session:
        dataset = service.get_visible_or_raise(
            session=session, actor=operator(), name=name, purpose=f"cli.export.{format}"
        )
        chosen = service.version_or_raise(service.resource_or_raise(dataset, None), version)
    source = service.store_for(cli.settings).path(chosen.sha256)
    target = output or Path(f"{name}.{format}")
    if format == "parquet":
        shutil.copyfile(source, target)
    elif format == "xlsx":
        query.write_xlsx(source, target)
    else:
        with target.open("wb") as handle:
            for chunk in query.iter_csv(source) if format == "csv" else query.iter_json(source):
                handle.write(chunk)
    typer.echo(f"Đã ghi {target}.")
