"""JSON API of the module (work in progress)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
