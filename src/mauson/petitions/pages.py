"""Web pages of the module (work in progress)."""

from __future__ import annotations

from fastapi import APIRouter

from mauson.web.templates import NavItem

router = APIRouter(include_in_schema=False)

NAV: list[NavItem] = []
