"""Speed of the web shell, served by uvicorn on loopback: requests per second for a
token-authenticated API read (token lookup, permission check, audited read of the user
list) and for the home page, against the baseline of `/healthz` (no auth, one SELECT 1)
in the same process.

Run: make bench   (or .venv/bin/python bench/bench_http.py [--requests N])
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from mauson.app import create_app
from mauson.db import Database
from mauson.identity import service as identity
from mauson.identity.models import Role, TokenCreate, UserCreate
from mauson.settings import get_settings


def prepare(data_dir: Path) -> tuple[Database, str]:
    settings = get_settings(data_dir=data_dir)
    database = Database(settings.effective_database_url)
    database.upgrade()
    with database.unit_of_work() as session:
        identity.seed_organisations(session=session)
        data = UserCreate(username="bench.admin", full_name="Bench", role=Role.ADMIN, organisation_code="VPUBND")
        user, _ = identity.create_user(session=session, actor=identity.SYSTEM, data=data)
        token = identity.create_token(
            session=session, actor=identity.SYSTEM, data=TokenCreate(name="bench", user_id=user.id)
        ).secret
    return database, token


def rate(client: httpx.Client, path: str, count: int, headers: dict[str, str] | None = None) -> float:
    client.get(path, headers=headers)  # warm up
    started = time.perf_counter()
    for _ in range(count):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, response.text
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database, token = prepare(Path(tmp))
        app = create_app(get_settings(data_dir=Path(tmp)), database)
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            baseline = rate(client, "/healthz", args.requests)
            api = rate(client, "/api/v1/users", args.requests, {"Authorization": f"Bearer {token}"})
            page = rate(client, "/organisations", args.requests)
        server.should_exit = True
        thread.join()
        database.dispose()
    print(f"requests per endpoint: {args.requests}, one client, sequential")
    print(f"/healthz (baseline): {baseline:,.0f} req/s")
    print(f"/api/v1/users with token (auth + audited read): {api:,.0f} req/s, ratio to baseline {api / baseline:.2f}")
    print(
        f"/organisations page (81 organisations rendered): {page:,.0f} req/s, ratio to baseline {page / baseline:.2f}"
    )


if __name__ == "__main__":
    main()
