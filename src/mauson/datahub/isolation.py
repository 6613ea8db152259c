"""Running a user's SQL in a child process that the operating system caps, so it cannot take the server down.

DuckDB's `memory_limit` covers its buffers, not every value it builds: casting a large list to
text a few dozen times in one SELECT took 4.5 GB and ran past its 5-second interrupt in our
tests, and the public CKAN endpoint `datastore_search_sql` lets anyone send such a query. So the
query runs in a child process whose address space is capped (`RLIMIT_AS`) at what it uses once
started, DuckDB opened, plus `MEMORY_BUDGET`: an allocation past the cap fails inside DuckDB, which reports "out
of memory", and a child that overruns its time is killed.

The child is a fresh interpreter (`python -m mauson.datahub.isolation`), not a multiprocessing
child: those re-import the parent's main module first, and under the `mauson` command that is the
whole application, 700 MB of address space before the query starts. A child starts in about
0.2 s. At most `CONCURRENT` run at once; a request that finds them busy is refused at once rather
than holding a server thread.
"""

from __future__ import annotations

import pickle
import resource
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import duckdb

from mauson.errors import Invalid, MausonError

T = TypeVar("T")

MEMORY_BUDGET = 1024 * 2**20  # address space a query may add to the child's: DuckDB's 512 MB limit and its text
CONCURRENT = 2
BUSY_WAIT_SECONDS = 1.0  # how long a request waits for a free child before it is refused
START_SECONDS = 2.0  # allowed for the child to start, on top of the query's own time
GRACE_SECONDS = 2.0  # past its own time limit, a child that has not answered is killed

_slots = threading.BoundedSemaphore(CONCURRENT)


def too_slow(seconds: float) -> Invalid:
    """The error for a query stopped at its time limit, in the child or by killing it."""
    return Invalid(f"Câu truy vấn chạy quá {seconds:g} giây nên đã bị dừng.", code="datahub.sql_timeout")


def too_big(amount: str) -> Invalid:
    """The error for a query stopped for memory ("quá 512MB" in DuckDB, "quá nhiều" by the OS cap)."""
    return Invalid(
        f"Câu truy vấn cần {amount} bộ nhớ nên đã bị dừng; hãy lọc hoặc gộp bớt dữ liệu.", code="datahub.sql_too_big"
    )


def _address_space() -> int:
    """This process's address space in bytes now (Linux: /proc/self/status, VmSize)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    raise OSError("VmSize not found")


def _warm_up_duckdb() -> None:
    """Open DuckDB's connections once before the cap: each of the first two reserves some 500 MB of
    address space it never touches (later ones reuse it), which would otherwise eat the budget."""
    duckdb.execute("SELECT 1").fetchall()
    duckdb.connect(":memory:").close()


def _serve_one(requests: BinaryIO, answers: BinaryIO) -> None:
    """In the child: read one (function, args, kwargs), cap the address space, run, answer.

    The answer is ("ok", value) or ("error", message, code) for a `MausonError`, ("memory",) or
    ("crash", description). Unpickling the request imports the function's module before the cap.
    """
    function, args, kwargs = pickle.load(requests)  # noqa: S301 - written by our own parent
    _warm_up_duckdb()
    cap = _address_space() + MEMORY_BUDGET
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    answer: tuple[Any, ...]
    try:
        answer = ("ok", function(*args, **kwargs))
    except MausonError as error:
        answer = ("error", error.message, error.code)
    except MemoryError:
        answer = ("memory",)
    except Exception as error:
        answer = ("crash", f"{type(error).__name__}: {error}")
    pickle.dump(answer, answers)
    answers.flush()


def run_capped(function: Callable[..., T], *args: Any, timeout: float, **kwargs: Any) -> T:
    """`function(*args, **kwargs)` run in a capped child process; its `MausonError`s are raised here.

    `function` must be importable by name (a module-level function) and its arguments and result
    picklable. A child that runs out of memory or past `timeout` raises `Invalid`; one that fails
    otherwise raises `RuntimeError` (a server error, logged).
    """
    if not _slots.acquire(timeout=BUSY_WAIT_SECONDS):
        raise Invalid("Máy chủ đang chạy nhiều truy vấn; hãy thử lại sau ít phút.", code="datahub.sql_busy")
    try:
        answer = _ask_child(pickle.dumps((function, args, kwargs)), timeout)
    finally:
        _slots.release()
    if answer[0] == "ok":
        return answer[1]  # type: ignore[no-any-return]
    if answer[0] == "error":
        raise Invalid(answer[1], code=answer[2])
    if answer[0] == "timeout":
        raise too_slow(timeout)
    if answer[0] == "memory":
        raise too_big("quá nhiều")
    raise RuntimeError(f"the query process failed: {answer[1]}")


def _ask_child(request: bytes, timeout: float) -> tuple[Any, ...]:
    """Start a child, send it the request, and read its answer (or say how it ended)."""
    child = subprocess.Popen(
        [sys.executable, "-m", "mauson.datahub.isolation"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        out, err = child.communicate(request, timeout=START_SECONDS + timeout + GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        return ("timeout",)
    if child.returncode == 0 and out:
        answer: tuple[Any, ...] = pickle.loads(out)  # noqa: S301 - written by our own child
        return answer
    if child.returncode == -signal.SIGKILL:  # the kernel's out-of-memory killer
        return ("memory",)
    return ("crash", f"exit status {child.returncode}: {err.decode(errors='replace')[-500:]}")


if __name__ == "__main__":
    _serve_one(sys.stdin.buffer, sys.stdout.buffer)
