"""Where dataset files live: immutable Parquet files named by the SHA-256 of their bytes.

`<data_dir>/datahub/objects/ab/abcdef....parquet`. A file is written under `tmp/` first and
renamed into place (atomic on one file system), so a reader never sees half a file and a process
killed mid-ingest leaves at most a stray temporary file, which the next ingest sweeps away. An
object without a database row pointing at it is invisible; the same content uploaded twice is
stored once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STALE_SECONDS = 6 * 3600  # a temporary folder this old belongs to an ingest that died


class ObjectStore:
    """The content-addressed Parquet files of one platform instance."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.objects = root / "objects"
        self.tmp = root / "tmp"

    def path(self, sha256: str) -> Path:
        return self.objects / sha256[:2] / f"{sha256}.parquet"

    @contextmanager
    def workspace(self) -> Iterator[Path]:
        """A private temporary folder (same file system as the objects), removed afterwards."""
        self.tmp.mkdir(parents=True, exist_ok=True)
        self._sweep()
        folder = Path(tempfile.mkdtemp(dir=self.tmp))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def put(self, staged: Path, digest: str | None = None) -> str:
        """Move a finished Parquet file into the store; returns its SHA-256 (`digest`, when the
        caller has already computed it, spares a second read of the file)."""
        digest = digest or file_sha256(staged)
        target = self.path(digest)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            staged.unlink()
        else:
            os.replace(staged, target)
        return digest

    def _sweep(self) -> None:
        cutoff = time.time() - STALE_SECONDS
        for leftover in self.tmp.iterdir():
            if leftover.stat().st_mtime < cutoff:
                shutil.rmtree(leftover, ignore_errors=True)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
