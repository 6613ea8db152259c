"""Which petitions an officer may read with their personal data: the one rule, as a SQL predicate.

The inbox, a petition's page, the escalation run and the emergency alerts all select through
`visible()`, so a case transferred away leaves every list of the agency that gave it up at once.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, false, or_

from mauson.identity.models import Actor
from mauson.petitions.models import Petition

Query = TypeVar("Query", bound=Select[*tuple[Any, ...]])


def visible(stmt: Query, actor: Actor) -> Query:
    """Restrict a query joined to `Petition` to the cases of the actor's organisation, as handler
    or as the supervising agency an overdue case was escalated to (all, for an administrator)."""
    if actor.is_admin:
        return stmt
    if not actor.is_authenticated or actor.organisation_id is None:
        return stmt.where(false())
    mine = actor.organisation_id
    return stmt.where(or_(Petition.organisation_id == mine, Petition.escalated_to_id == mine))
