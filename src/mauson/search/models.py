"""What the search module indexes and returns: documents, access levels, hits, results.

A `SearchDocument` is whatever another module wants found (a procedure, a legal-text chunk, a
dataset, a petition), flattened to a title, a body and a few exact-match fields for filters.
Who may find it is part of the document (`access` and `owner_org_id`), so the index can apply
the rule while it ranks instead of after it.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_FIELDS = 20


class Access(StrEnum):
    """Who may find a document; the rule itself lives in `mauson.search.access`."""

    PUBLIC = "public"  # everyone, anonymous citizens included
    INTERNAL = "internal"  # any signed-in actor
    RESTRICTED = "restricted"  # actors of the owner organisation, and admins


class Mode(StrEnum):
    """Which evidence ranks the hits: both channels (the default), or one alone for comparison."""

    HYBRID = "hybrid"
    BM25 = "bm25"
    DENSE = "dense"


class SearchDocument(BaseModel):
    """One thing to find, identified by (kind, key); adding it again replaces it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str = Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_-]*$", description="procedure, law, ...")
    key: str = Field(min_length=1, max_length=200, description="The owning module's id, e.g. a procedure code.")
    title: str = Field(min_length=1, max_length=2_000)
    body: str = Field(default="", max_length=200_000, description="Searched and highlighted, never embedded.")
    summary: str = Field(
        default="",
        max_length=1_000,
        description="What the dense encoder reads (empty: the title); keep it short, embedding cost grows with it.",
    )
    fields: dict[str, str] = Field(default_factory=dict, description="Exact-match filter values, also searched.")
    access: Access = Access.PUBLIC
    owner_org_id: int | None = Field(default=None, description="Organisation that may see a restricted document.")
    url: str | None = Field(default=None, max_length=2_000)

    @model_validator(mode="after")
    def _check(self) -> SearchDocument:
        """A restricted document nobody owns could never be found; field names are plain identifiers."""
        if self.access == Access.RESTRICTED and self.owner_org_id is None:
            raise ValueError("a restricted document needs owner_org_id")
        if len(self.fields) > MAX_FIELDS:
            raise ValueError(f"at most {MAX_FIELDS} fields")
        for name in self.fields:
            if not name.isidentifier():
                raise ValueError(f"field name {name!r} must be an identifier")
        return self


class Hit(BaseModel):
    """One ranked document, with its matched words marked.

    `highlight` and `title_highlight` are HTML: the document's text escaped, with `<mark>`
    around the words that match the query (with or without diacritics).
    """

    kind: str
    key: str
    title: str
    score: float = Field(description="0–1: weighted sum of the lexical and the dense evidence.")
    highlight: str
    title_highlight: str
    fields: dict[str, str]
    url: str | None
    dense_score: float | None = Field(description="Cosine similarity of the query and the document (None in bm25).")


class SearchResult(BaseModel):
    """The hits an actor may see, how many such documents matched in all, and the time it took."""

    hits: list[Hit]
    total: int = Field(description="Visible documents scoring at least the match threshold (never hidden ones).")
    took_ms: float
    mode: Mode
    query: str = Field(description="The query as searched: normalised, and truncated when too long.")
    dense_query: str | None = Field(description="What the dense encoder read: the query with diacritics restored.")
