"""`mauson vntext`: the Vietnamese text kit from the server console (diacritic restoration)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Annotated

import typer

from mauson.console import fail
from mauson.errors import Invalid
from mauson.vntext import address, diacritics, diacritics_corpus, gazetteer, gazetteer_build

vntext_app = typer.Typer(help="Xử lý văn bản tiếng Việt (vntext).", no_args_is_help=True)

DEFAULT_SOURCE = Path("../shared/data")
HELD_OUT_SYLLABLES = 50_000


@vntext_app.command("train-diacritics")
def train_diacritics(
    source: Annotated[
        Path, typer.Option("--source", help="Thư mục dữ liệu chung (procedures/, laws/, names/, ...)")
    ] = DEFAULT_SOURCE,
    output: Annotated[
        Path | None, typer.Option("--output", help="Tệp mô hình sẽ ghi (mặc định: tệp đi kèm gói)")
    ] = None,
) -> None:
    """Rebuild the diacritic-restoration model from the shared data and print its held-out accuracy.

    A fixed tenth of the procedures and laws is held out of training and used to measure the
    model, so the printed figure is what users can expect on similar text.

    Example: mauson vntext train-diacritics --source ../shared/data
    """
    target = output or diacritics.shipped_path()
    try:
        training, held_out = diacritics_corpus.split_documents(diacritics_corpus.read_documents(source))
        typer.echo(f"{len(training)} văn bản để huấn luyện, {len(held_out)} văn bản giữ lại để đánh giá.")
        metadata = {
            "held_out_seed": diacritics_corpus.SPLIT_SEED,
            "held_out_share": str(diacritics_corpus.HELD_OUT_SHARE),
            "held_out_fingerprint": diacritics_corpus.fingerprint(held_out),
            "training_documents": str(len(training)),
        }
        model = diacritics.train(_texts_with_progress(training), metadata=metadata)
        diacritics.save(model, target)
        model = diacritics.load(target)  # measure what ships: the stored, quantised numbers
    except Invalid as error:
        raise fail(error.message) from None
    diacritics.shipped_model.cache_clear()
    size_mb = target.stat().st_size / 1e6
    typer.echo(f"Đã ghi {target} ({size_mb:.2f} MB; {model.size} âm tiết, {len(model.trigram)} trigram).")
    _report_accuracy(model, held_out)


def _texts_with_progress(documents: Sequence[diacritics_corpus.Document]) -> Iterator[str]:
    """Feed the documents to training behind a progress bar, then say what comes next."""
    with typer.progressbar(documents, label="Đọc và đếm n-gram", show_pos=True) as bar:
        for document in bar:
            yield document.text
    typer.echo("Đang ước lượng xác suất (Kneser–Ney) và cắt tỉa n-gram hiếm...")


def _report_accuracy(model: diacritics.Model, held_out: Sequence[diacritics_corpus.Document]) -> None:
    if not held_out:
        typer.echo("Không có văn bản giữ lại nào: bỏ qua bước đánh giá.")
        return

    def restorer(text: str) -> str:
        return diacritics.restore(text, model=model)

    paragraphs = diacritics_corpus.sample_paragraphs(held_out, syllables=HELD_OUT_SYLLABLES)
    texts = diacritics_corpus.evaluate(paragraphs, restorer)
    titles = diacritics_corpus.evaluate([t.lower() for d in held_out for t in d.titles], restorer)
    typer.echo(f"Độ chính xác âm tiết trên văn bản giữ lại: {texts.syllables:.2%} ({texts.total} âm tiết).")
    if titles.texts:
        typer.echo(
            f"Tên thủ tục giữ lại (chữ thường, giống câu hỏi của người dân): {titles.syllables:.2%} âm tiết, "
            f"{titles.exact:.2%} tên đúng hoàn toàn ({titles.texts} tên)."
        )


@vntext_app.command("restore")
def restore_text(text: Annotated[str, typer.Argument(help="Câu tiếng Việt gõ không dấu")]) -> None:
    """Print the text with its Vietnamese diacritics put back (words typed with accents are kept).

    Example: mauson vntext restore "lam giay khai sinh can gi"
    """
    try:
        typer.echo(diacritics.restore(text))
    except Invalid as error:
        raise fail(error.message) from None


@vntext_app.command("build-gazetteer")
def build_gazetteer_command(
    source: Annotated[
        Path, typer.Option("--source", help="Thư mục admin-units (mã, nghị quyết, ánh xạ cũ → mới)")
    ] = DEFAULT_SOURCE / "admin-units",
    output: Annotated[
        Path | None, typer.Option("--output", help="Tệp dữ liệu sẽ ghi (mặc định: tệp đi kèm gói)")
    ] = None,
) -> None:
    """Rebuild the gazetteer of administrative units from the official lists and mappings.

    Example: mauson vntext build-gazetteer --source ../shared/data/admin-units
    """
    report = gazetteer_build.build_gazetteer(source, output or gazetteer.DATA_FILE)
    typer.echo(
        f"Đã ghi {report.output} ({report.size_bytes / 1e6:.2f} MB): "
        f"{report.provinces} tỉnh, {report.communes} xã/phường; "
        f"Lạng Sơn {report.langson_units} đơn vị ({report.langson_phuong} phường); "
        f"{report.old_communes} đơn vị cấp xã cũ."
    )
    for warning in report.warnings:
        typer.echo(f"Cảnh báo: {warning}", err=True)


@vntext_app.command("address")
def parse_address_command(text: Annotated[str, typer.Argument(help="Địa chỉ, kể cả tên cũ trước 01/7/2025")]) -> None:
    """Take an address apart and name the commune or ward it is in today.

    Example: mauson vntext address "thôn Nà Pàn, xã Tân Liên, huyện Cao Lộc, tỉnh Lạng Sơn"
    """
    parsed = address.parse_address(text)
    for label, value in (
        ("Số nhà", parsed.house_number),
        ("Đường/phố", parsed.street),
        ("Thôn/bản/khu", parsed.hamlet),
        ("Xã/phường (hiện nay)", parsed.commune.name if parsed.commune else None),
        ("Xã/phường (như đã viết)", parsed.commune_as_written),
        ("Huyện cũ", parsed.district),
        ("Tỉnh", parsed.province.name if parsed.province else None),
    ):
        if value:
            typer.echo(f"{label}: {value}")
