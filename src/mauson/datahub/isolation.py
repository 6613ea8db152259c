"""Running a user's SQL in a child process that the operating system caps, so it cannot take the server down.

DuckDB's `memory_limit` covers its buffers, not every value it builds: casting a large list to
text a few dozen times in one SELECT took 4.5 GB and ran past its 5-second interrupt in our
tests, and the public CKAN endpoint `datastore_search_sql` lets anyone send such a query. So the
query runs in a child process whose address space is capped (`RLIMIT_AS`): an allocation past the
cap fails inside DuckDB, which then reports "out of memory", and a child that overruns its time
is killed. The children are forked from a small server process started once (multiprocessing's
"forkserver", with the query module preloaded), not from the web server itself, which holds
threads and models: a child starts in about 50 ms. At most `CONCURRENT` children run at once;
the others wait their turn within their own time limit.
"""

from __future__ import annotations

import multiprocessing
import resource
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from mauson.errors import Invalid, MausonError

T = TypeVar("T")

MEMORY_CAP = 1536 * 2**20  # address space of a child: the interpreter and DuckDB (~0.4 GB) plus the 512 MB limit
CONCURRENT = 2
GRACE_SECONDS = 2.0  # past its own time limit, a child that has not answered is killed
PRELOAD = ["mauson.datahub.query"]

_slots = threading.BoundedSemaphore(CONCURRENT)
_context_lock = threading.Lock()
_context: Any = None


def _start_context() -> Any:
    """The forkserver context (spawn where the platform has none), made once per process."""
    global _context  # noqa: PLW0603 - one context per process, made on first use
    with _context_lock:
        if _context is None:
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            context = multiprocessing.get_context(method)
            if method == "forkserver":
                context.set_forkserver_preload(PRELOAD)
            _context = context
        return _context


def _child(answer: Connection, function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """In the child: cap the address space, run, and send back ("ok", value) or ("error", message, code)."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    try:
        answer.send(("ok", function(*args, **kwargs)))
    except MausonError as error:
        answer.send(("error", error.message, error.code))
    except MemoryError:
        answer.send(("memory",))
    except Exception as error:
        answer.send(("crash", f"{type(error).__name__}: {error}"))
    finally:
        answer.close()


def _receive(receiving: Connection, seconds: float) -> tuple[Any, ...]:
    """The child's answer, ("timeout",) if none came in time, ("memory",) if it died without one."""
    try:
        answer: tuple[Any, ...] = receiving.recv() if receiving.poll(seconds) else ("timeout",)
    except EOFError:  # the child died without answering (killed by the OS for memory)
        return ("memory",)
    return answer


def run_capped(function: Callable[..., T], *args: Any, timeout: float, **kwargs: Any) -> T:
    """`function(*args, **kwargs)` run in a capped child process; its `MausonError`s are raised here.

    `function` must be importable by name (a module-level function) and its arguments and result
    picklable. A child that runs out of memory or past `timeout` + `GRACE_SECONDS` raises `Invalid`.
    """
    context = _start_context()
    if not _slots.acquire(timeout=timeout):
        raise Invalid("Máy chủ đang chạy nhiều truy vấn; hãy thử lại sau ít phút.", code="datahub.sql_busy")
    try:
        receiving, sending = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(sending, function, args, kwargs), daemon=True)
        child.start()
        sending.close()
        try:
            answer = _receive(receiving, timeout + GRACE_SECONDS)
        finally:
            receiving.close()
            if child.is_alive():
                child.kill()
            child.join()
    finally:
        _slots.release()
    if answer[0] == "ok":
        return answer[1]  # type: ignore[no-any-return]
    if answer[0] == "error":
        raise Invalid(answer[1], code=answer[2])
    if answer[0] == "crash":
        raise RuntimeError(f"the query process failed: {answer[1]}")
    if answer[0] == "timeout":
        raise Invalid(f"Câu truy vấn chạy quá {timeout:g} giây nên đã bị dừng.", code="datahub.sql_timeout")
    raise Invalid(
        "Câu truy vấn cần quá nhiều bộ nhớ nên đã bị dừng; hãy lọc hoặc gộp bớt dữ liệu.", code="datahub.sql_too_big"
    )
