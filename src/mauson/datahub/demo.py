"""The demo datasets `mauson demo load` publishes, built once from `../shared/data` and shipped:
Lạng Sơn's 65 communes and wards with their codes and the units each was formed from
(Nghị quyết 1672/NQ-UBTVQH15, via github.com/dvhcvn/20250701, MIT), and the number of
administrative procedures per field and level (national public-service portal)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from mauson.datahub import service
from mauson.datahub.models import Access, Dataset, DatasetMeta
from mauson.identity.models import Actor
from mauson.settings import Settings


@dataclass(frozen=True)
class DemoDataset:
    file: str
    title: str
    organisation: str
    meta: DatasetMeta


DEMO = [
    DemoDataset(
        "xa-phuong-lang-son.csv",
        "Danh sách xã, phường tỉnh Lạng Sơn (từ 01/7/2025)",
        "SNV",
        DatasetMeta(
            description="65 đơn vị hành chính cấp xã (61 xã, 4 phường) theo Nghị quyết 1672/NQ-UBTVQH15, "
            "kèm mã đơn vị và các đơn vị cũ hợp thành.",
            theme="hanh-chinh",
            tags=["xã phường", "đơn vị hành chính"],
            frequency="khi có sắp xếp đơn vị hành chính",
            temporal="từ 01/7/2025",
            spatial="Tỉnh Lạng Sơn",
            contact="Sở Nội vụ tỉnh Lạng Sơn",
        ),
    ),
    DemoDataset(
        "thu-tuc-theo-linh-vuc.csv",
        "Số thủ tục hành chính theo lĩnh vực và cấp thực hiện",
        "VPUBND",
        DatasetMeta(
            description="Số thủ tục hành chính trên Cổng Dịch vụ công quốc gia, theo lĩnh vực và cấp thực hiện.",
            theme="hanh-chinh",
            tags=["thủ tục hành chính"],
            frequency="hằng quý",
            spatial="Toàn quốc",
            contact="Văn phòng UBND tỉnh Lạng Sơn",
        ),
    ),
]


def load(*, session: Session, actor: Actor, settings: Settings) -> list[str]:
    """Publish the demo datasets that are not there yet; returns the names created."""
    created = []
    folder = resources.files("mauson.datahub") / "data"
    for demo in DEMO:
        if session.scalar(select(Dataset.id).where(Dataset.title == demo.title)) is not None:
            continue
        path = Path(str(folder / demo.file))
        tables = service.prepare(
            store=service.store_for(settings), source=path, filename=demo.file, max_bytes=path.stat().st_size + 1
        )
        dataset = service.create_dataset(
            session=session,
            actor=actor,
            tables=tables,
            title=demo.title,
            organisation_code=demo.organisation,
            access=Access.PUBLIC,
            meta=demo.meta,
            name=Path(demo.file).stem,
        )
        created.append(dataset.name)
    return created
