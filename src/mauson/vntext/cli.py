"""`mauson vntext`: the Vietnamese text kit from the server console (diacritic restoration)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Annotated

import typer

from mauson.console import fail
from mauson.errors import Invalid
from mauson.vntext import diacritics

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
        training, held_out = diacritics.split_documents(diacritics.read_documents(source))
        typer.echo(f"{len(training)} văn bản để huấn luyện, {len(held_out)} văn bản giữ lại để đánh giá.")
        metadata = {
            "held_out_seed": diacritics.SPLIT_SEED,
            "held_out_share": str(diacritics.HELD_OUT_SHARE),
            "held_out_fingerprint": diacritics.fingerprint(held_out),
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


def _texts_with_progress(documents: Sequence[diacritics.Document]) -> Iterator[str]:
    """Feed the documents to training behind a progress bar, then say what comes next."""
    with typer.progressbar(documents, label="Đọc và đếm n-gram", show_pos=True) as bar:
        for document in bar:
            yield document.text
    typer.echo("Đang ước lượng xác suất (Kneser–Ney) và cắt tỉa n-gram hiếm...")


def _report_accuracy(model: diacritics.Model, held_out: Sequence[diacritics.Document]) -> None:
    if not held_out:
        typer.echo("Không có văn bản giữ lại nào: bỏ qua bước đánh giá.")
        return

    def restorer(text: str) -> str:
        return diacritics.restore(text, model=model)

    paragraphs = diacritics.sample_paragraphs(held_out, syllables=HELD_OUT_SYLLABLES)
    texts = diacritics.evaluate(paragraphs, restorer)
    titles = diacritics.evaluate([t.lower() for d in held_out for t in d.titles], restorer)
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
