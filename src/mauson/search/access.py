"""Who may find which document: the single rule, written once as a SQL predicate.

Both search channels (lexical and dense) select their candidates through `visible_clause()`,
so a document the actor may not see is never scored, ranked, counted or highlighted; there is
no filtering of results afterwards that a new code path could forget.

- public: everyone, anonymous citizens included;
- internal: any signed-in actor;
- restricted: actors of the owner organisation, and admins.
"""

from __future__ import annotations

from mauson.identity.models import Actor
from mauson.search.models import Access

SqlParams = list[str | int]


def visible_clause(actor: Actor, alias: str = "d") -> tuple[str, SqlParams]:
    """A WHERE fragment over the documents table (`alias`) and its parameters."""
    if actor.is_admin:
        return "1", []
    if not actor.is_authenticated:
        return f"{alias}.access = ?", [Access.PUBLIC.value]
    open_levels = f"{alias}.access IN (?, ?)"
    params: SqlParams = [Access.PUBLIC.value, Access.INTERNAL.value]
    if actor.organisation_id is None:
        return open_levels, params
    owned = f"({alias}.access = ? AND {alias}.owner_org_id = ?)"
    return f"({open_levels} OR {owned})", [*params, Access.RESTRICTED.value, actor.organisation_id]
