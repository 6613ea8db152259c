"""The FastAPI application factory: one app, each module's API router and pages mounted.

`create_app(settings)` builds everything from the settings it is given; nothing is
read from the environment or the database at import time.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel
from sqlalchemy import text

from mauson import __version__
from mauson.assistant import api as assistant_api
from mauson.assistant import pages as assistant_pages
from mauson.audit import api as audit_api
from mauson.audit import pages as audit_pages
from mauson.datahub import api as datahub_api
from mauson.datahub import pages as datahub_pages
from mauson.db import Database
from mauson.identity import api as identity_api
from mauson.identity import pages as identity_pages
from mauson.petitions import api as petitions_api
from mauson.petitions import pages as petitions_pages
from mauson.privacy import api as privacy_api
from mauson.privacy import pages as privacy_pages
from mauson.search.service import open_index
from mauson.settings import Settings, get_settings
from mauson.web import pages as web_pages
from mauson.web.errors import install_error_handlers
from mauson.web.middleware import BodyLimitMiddleware, NumberRangeMiddleware, SecurityHeadersMiddleware
from mauson.web.templates import make_environment

MODULES_WITH_TEMPLATES = ["identity", "audit", "privacy", "assistant", "datahub", "petitions"]

DESCRIPTION = """API của Mẫu Sơn, nền tảng trí tuệ nhân tạo của tỉnh Lạng Sơn.

Xác thực bằng token: `Authorization: Bearer mst_...` (tạo tại trang *Token API*).
Mọi lỗi có dạng `{"error": {"code": "...", "message": "..."}}`.
"""


class Health(BaseModel):
    status: str
    version: str
    database: str


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    """Build the web application for `settings` (default: from the environment)."""
    settings = settings or get_settings()
    database = database or Database(settings.effective_database_url)
    app = FastAPIOffline(  # Swagger UI served from the package, not a CDN: servers are offline
        title="Mẫu Sơn API",
        version=__version__,
        description=DESCRIPTION,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        static_url="/api/docs-static",
    )
    app.state.settings = settings
    app.state.database = database
    app.state.search = open_index(settings.data_dir / "search")
    app.state.templates = make_environment(MODULES_WITH_TEMPLATES)
    app.state.nav = [
        *web_pages.NAV,
        *assistant_pages.NAV,
        *petitions_pages.NAV,
        *datahub_pages.NAV,
        *identity_pages.NAV,
        *privacy_pages.NAV,
        *audit_pages.NAV,
    ]

    install_error_handlers(app)
    uploads = [
        (method, path, settings.datahub_max_upload_bytes)
        for method, path in [*datahub_api.UPLOAD_ROUTES, *datahub_pages.UPLOAD_ROUTES]
    ] + petitions_pages.UPLOAD_ROUTES
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, uploads=uploads)
    app.add_middleware(NumberRangeMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "web" / "static"), name="static")

    @app.get("/healthz", response_model=Health, tags=["platform"], summary="Liveness and database check")
    def healthz() -> Health:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return Health(status="ok", version=__version__, database=database.engine.dialect.name)

    routers = [
        identity_api.router,
        audit_api.router,
        privacy_api.router,
        assistant_api.router,
        datahub_api.router,
        petitions_api.router,
    ]
    routers += [
        web_pages.router,
        assistant_pages.router,
        petitions_pages.router,
        datahub_pages.router,
        identity_pages.router,
        privacy_pages.router,
        audit_pages.router,
    ]
    for router in routers:
        app.include_router(router)
    return app
