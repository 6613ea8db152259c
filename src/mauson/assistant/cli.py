"""`mauson procedures` (import the national procedure catalogue, index it, look at one procedure),
`mauson laws` (import legal texts as articles, index them, read one) and `mauson ask` (the citizen
assistant from the console, one question or a JSON Lines batch)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import typer

from mauson.assistant import laws
from mauson.assistant import procedures as service
from mauson.assistant.models import Coverage, ImportReport, ProcedureRead
from mauson.assistant.service import ask, reindex_procedures
from mauson.console import CliState, fail, jsonl_id, jsonl_record, operator, state
from mauson.errors import Invalid, MausonError
from mauson.vntext.amounts import written
from mauson.vntext.encoding import iter_blocks

procedures_app = typer.Typer(help="Thủ tục hành chính (procedures).", no_args_is_help=True)
laws_app = typer.Typer(help="Văn bản luật (laws).", no_args_is_help=True)
Reindex = Callable[..., int]  # reindex_procedures or laws.reindex_laws: (session=, index=, progress=)
SHOWN_REJECTIONS = 20


def _count_lines(handle: BinaryIO) -> int:
    """Lines in the file, for the progress bar (read as bytes: cheap, whatever the encoding)."""
    count, last = 0, b"\n"
    for block in iter(lambda: handle.read(1 << 20), b""):
        count, last = count + block.count(b"\n"), block[-1:]
    handle.seek(0)
    return count + (last != b"\n")


def _lines(blocks: Iterable[str]) -> Iterator[str]:
    """The lines of text decoded block by block; only "\n" ends a line (JSON may hold U+2028)."""
    for block in blocks:
        lines = block.split("\n")
        if not lines[-1]:
            lines.pop()
        yield from lines


def _percent(coverage: Coverage, count: int) -> str:
    """'2.594/2.642 (98,2 %)': Vietnamese separators."""
    return f"{written(count)}/{written(coverage.records)} ({written(coverage.share(count) * 100, 1)} %)"


def _print_report(report: ImportReport) -> None:
    typer.echo(
        f"Đã đọc {report.read} dòng: {report.created} thủ tục mới, {report.updated} cập nhật, "
        f"{report.unchanged} không đổi, {len(report.rejected)} dòng bị từ chối."
    )
    coverage = report.coverage
    typer.echo(
        f"Bóc tách được: cách thức nộp {_percent(coverage, coverage.channels)}, "
        f"thành phần hồ sơ {_percent(coverage, coverage.documents)}, "
        f"căn cứ pháp lý {_percent(coverage, coverage.legal_bases)}; "
        f"đủ cả ba {_percent(coverage, coverage.complete)}."
    )
    for line, reason in report.rejected[:SHOWN_REJECTIONS]:
        typer.echo(f"  Dòng {line}: {reason}")
    if len(report.rejected) > SHOWN_REJECTIONS:
        typer.echo(f"  … và {len(report.rejected) - SHOWN_REJECTIONS} dòng khác.")


@procedures_app.command("import")
def import_catalogue(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Tệp JSON Lines: mỗi dòng một thủ tục (ma_thu_tuc, ten_thu_tuc, ...)")],
) -> None:
    """Import the national procedure catalogue; running it again only applies what changed.

    Example: mauson procedures import ../shared/data/procedures/tthc.jsonl
    """
    if not file.is_file():
        raise Invalid(f"Không có tệp '{file}'.", code="file.not_found")
    with ExitStack() as stack, file.open("rb") as handle, state(ctx).database.unit_of_work() as session:
        total, done = _count_lines(handle), 0
        bar: list[Callable[[int], None]] = []  # the bar's `update`, once shown

        def advance(number: int) -> None:
            """Show the bar from the first record on: a refused file prints its error line alone."""
            nonlocal done
            if not bar:
                stderr = typer.get_text_stream("stderr")
                bar.append(stack.enter_context(typer.progressbar(length=total, label="Đang nhập", file=stderr)).update)
            bar[0](number - done)
            done = number

        report = service.import_catalogue(
            session=session, actor=operator(), lines=_lines(iter_blocks(handle)), progress=advance
        )
    _print_report(report)
    _reindex(state(ctx), reindex_procedures, "thủ tục")


@procedures_app.command("reindex")
def reindex(ctx: typer.Context) -> None:
    """Rebuild the search index of the procedures (unchanged names keep their vectors).

    Example: mauson procedures reindex
    """
    _reindex(state(ctx), reindex_procedures, "thủ tục")


def _reindex(cli: CliState, reindex: Reindex, noun: str) -> None:
    """Run `reindex` with a progress bar (embedding is the slow part: about 15 documents a second)."""
    stderr = typer.get_text_stream("stderr")
    with cli.database.unit_of_work() as session, typer.progressbar(length=1, label="Lập chỉ mục", file=stderr) as bar:

        def advance(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        count = reindex(session=session, index=cli.search, progress=advance)
    typer.echo(f"Chỉ mục tìm kiếm có {count} {noun}.")


@laws_app.command("import")
def import_laws(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Thư mục các tệp văn bản luật (*.txt, UTF-8)")],
) -> None:
    """Import every law in DIR as articles (Chương / Mục / Điều / Khoản) and index them.

    Running it again re-reads only the files whose text changed.
    Example: mauson laws import ../shared/data/laws/corpus
    """
    files = laws.law_files(directory)
    stderr = typer.get_text_stream("stderr")
    with (
        state(ctx).database.unit_of_work() as session,
        typer.progressbar(length=len(files), label="Đang nhập", file=stderr) as bar,
    ):
        report = laws.import_laws(
            session=session, actor=operator(), files=files, progress=lambda done: bar.update(done - bar.pos)
        )
    typer.echo(
        f"Đã đọc {len(files)} tệp: {len(report.created)} luật mới, {len(report.updated)} cập nhật, "
        f"{len(report.unchanged)} không đổi, {len(report.rejected)} bị từ chối; {report.articles} điều được lưu."
    )
    for name, reason in report.rejected[:SHOWN_REJECTIONS]:
        typer.echo(f"  {name}: {reason}")
    _reindex(state(ctx), laws.reindex_laws, "điều luật")


@laws_app.command("list")
def list_laws(ctx: typer.Context) -> None:
    """List the imported laws: slug, number, title, articles.

    Example: mauson laws list
    """
    with state(ctx).database.unit_of_work() as session:
        for law in laws.list_laws(session=session):
            typer.echo(f"{law.slug}\t{law.number or '-'}\t{law.title}\t{law.articles_count} điều")


@laws_app.command("show")
def show_law(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="Tên tệp của luật, không có .txt, ví dụ luat-cu-tru")],
    article: Annotated[str | None, typer.Option("--article", "-d", help="Chỉ in một điều, ví dụ 20")] = None,
) -> None:
    """Print a law's articles with their citations, or one article.

    Example: mauson laws show luat-cu-tru --article 20
    """
    with state(ctx).database.unit_of_work() as session:
        law = laws.get_law_or_raise(session=session, slug=slug)
        articles = [a for a in laws.articles_of(session=session, law=law) if article in (None, a.number)]
        if not articles:
            raise Invalid(f"{law.title} không có Điều {article}.", code="law.article_not_found")
        typer.echo(f"{law.title}" + (f" (số {law.number})" if law.number else ""))
        for item in articles:
            typer.echo(f"\n{item.citation}. {item.heading}".rstrip(". ") if item.heading else f"\n{item.citation}")
            if article is not None:
                typer.echo(item.text)


def _print_procedure(procedure: ProcedureRead) -> None:
    typer.echo(f"{procedure.code} — {procedure.name}")
    for label, value in [
        ("Cấp thực hiện", procedure.levels),
        ("Lĩnh vực", procedure.field),
        ("Cơ quan thực hiện", procedure.agency),
        ("Nơi tiếp nhận", procedure.receiving_place),
        ("Đối tượng", procedure.subjects),
        ("Kết quả", procedure.result),
        ("Điều kiện", procedure.conditions),
        ("Quyết định công bố", procedure.decision),
        ("Nguồn", procedure.url),
    ]:
        if value:
            typer.echo(f"{label}: {value}")
    typer.echo("Cách thức thực hiện:")
    for channel in procedure.channels:
        time = channel.time_text or "không có thông tin"
        typer.echo(f"  - {channel.channel}: thời hạn {time}; phí, lệ phí: {channel.fee_text or 'không có thông tin'}")
    typer.echo("Thành phần hồ sơ:")
    group = None
    for document in procedure.documents:
        if document.group != group and document.group:
            typer.echo(f"  {document.group}:")
        group = document.group
        extra = "; ".join(part for part in (document.quantity_text, document.template) if part)
        typer.echo(f"  - {document.name}" + (f" ({extra})" if extra else ""))
    typer.echo("Căn cứ pháp lý:")
    for basis in procedure.legal_bases:
        suffix = f" [{basis.identifier}]" if basis.identifier and basis.identifier not in basis.title else ""
        typer.echo(f"  - {basis.title}{suffix}")


@procedures_app.command("show")
def show(ctx: typer.Context, code: Annotated[str, typer.Argument(help="Mã thủ tục, ví dụ 1.001193")]) -> None:
    """Print one procedure as the platform understood it: channels, fees, documents, legal bases.

    Example: mauson procedures show 1.001193
    """
    with state(ctx).database.unit_of_work() as session:
        procedure = ProcedureRead.model_validate(service.get_procedure_or_raise(session=session, code=code))
    _print_procedure(procedure)


def ask_command(
    ctx: typer.Context,
    question: Annotated[str | None, typer.Argument(help="Câu hỏi, có dấu hoặc không dấu")] = None,
    jsonl: Annotated[Path | None, typer.Option("--jsonl", help='Tệp JSONL: mỗi dòng {"id", "question"}')] = None,
) -> None:
    """Ask the citizen assistant; with --jsonl, answer one JSON line per input line.

    Each answered line gives {"id", "procedures", "answer", "abstained"}.
    A bad line (not JSON, no "id", an empty question) gives {"id", "error"},
    its id null when it has none, and the batch goes on; blank lines are skipped.
    Exit status 1 when any line failed (their count on stderr), else 0.
    Example: mauson ask "làm giấy khai sinh cần gì?"
    """
    cli = state(ctx)
    if jsonl is not None:
        _ask_batch(cli, jsonl)
        return
    if not question:
        raise Invalid("Hãy nhập câu hỏi, hoặc dùng --jsonl TỆP.", code="ask.empty")
    with cli.database.unit_of_work() as session:
        reply = ask(session=session, actor=operator(), index=cli.search, question=question, settings=cli.settings)
    typer.echo(reply.answer)
    typer.echo(f"\n(Độ tin cậy {reply.confidence:.0%}; thủ tục: {', '.join(reply.procedures[:5]) or 'không có'})")


def _ask_batch(cli: CliState, path: Path) -> None:
    """Answer every line, one output line each: a bad line in a batch of hundreds must not cost the
    answers to all those after it, so it gets its error in its own output line and the batch goes on."""
    if not path.is_file():
        raise Invalid(f"Không có tệp '{path}'.", code="file.not_found")
    failed: list[int] = []
    seen: dict[str, int] = {}  # id → the first line that had it
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            line = _batch_answer(cli, raw, number)
            if "error" in line:
                failed.append(number)
            first = seen.setdefault(str(line.get("id")), number) if line.get("id") is not None else number
            if first != number:  # a reader keying the answers by id would keep one of them only
                typer.echo(f"Cảnh báo: dòng {number} có cùng id với dòng {first}.", err=True)
            typer.echo(json.dumps(line, ensure_ascii=False))
    if failed:
        shown = ", ".join(str(number) for number in failed[:SHOWN_REJECTIONS])
        more = f" và {len(failed) - SHOWN_REJECTIONS} dòng khác" if len(failed) > SHOWN_REJECTIONS else ""
        raise fail(f'{len(failed)} dòng không trả lời được (dòng {shown}{more}); xem trường "error" của các dòng đó.')


def _batch_answer(cli: CliState, raw: bytes, number: int) -> dict[str, Any]:
    """The output line for input line `number`: the answer, or its id with what is wrong ("error")."""
    try:
        record = jsonl_record(raw, number, "question")
    except Invalid as error:
        return {"id": jsonl_id(raw), "error": error.message}
    try:
        with cli.database.unit_of_work() as session:
            reply = ask(
                session=session, actor=operator(), index=cli.search, question=record["question"], settings=cli.settings
            )
    except MausonError as error:  # an empty or too long question: the message does not say which line
        return {"id": record["id"], "error": f"Dòng {number}: {error.message}"}
    return {"id": record["id"], "procedures": reply.procedures, "answer": reply.answer, "abstained": reply.abstained}
