"""Which petitions an officer may read with their personal data, and which they may work: the
two rules, as SQL predicates.

The inbox, a petition's page and the escalation run select through `visible()`, the workflow's
steps and the emergency alerts through `workable()`, so a case transferred away leaves every list
of the agency that gave it up at once, and an escalated one is followed, not taken over, above.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, false, or_

from mauson.identity.models import Actor
from mauson.petitions.models import Petition

Query = TypeVar("Query", bound=Select[*tuple[Any, ...]])


def visible(stmt: Query, actor: Actor) -> Query:
    """Restrict a query joined to `Petition` to the cases the actor may read: their organisation's,
    as handler or as the supervising agency an overdue case was escalated to (all, for an
    administrator)."""
    return _of_organisation(stmt, actor, supervising=True)


def workable(stmt: Query, actor: Actor) -> Query:
    """Restrict a query joined to `Petition` to the cases the actor may work and whose alerts they
    may acknowledge: their organisation's as handler only. A supervising agency follows an escalated
    case but does not take it over (it had cleared the police's fire alert and rejected a commune's case)."""
    return _of_organisation(stmt, actor, supervising=False)


def _of_organisation(stmt: Query, actor: Actor, *, supervising: bool) -> Query:
    if actor.is_admin:
        return stmt
    if not actor.is_authenticated or actor.organisation_id is None:
        return stmt.where(false())
    mine = actor.organisation_id
    if supervising:
        return stmt.where(or_(Petition.organisation_id == mine, Petition.escalated_to_id == mine))
    return stmt.where(Petition.organisation_id == mine)
