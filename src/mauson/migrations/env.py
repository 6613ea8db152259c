"""Alembic environment: runs on the connection `Database.upgrade()` hands over."""

from alembic import context

from mauson.assistant import models as assistant_models  # noqa: F401  (registers tables)
from mauson.audit import models as audit_models  # noqa: F401
from mauson.datahub import models as datahub_models  # noqa: F401
from mauson.db import Base
from mauson.identity import models as identity_models  # noqa: F401
from mauson.petitions import models as petitions_models  # noqa: F401

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `mauson db upgrade`, which passes a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
