"""Data hub: the catalogue of open and shared datasets, their ingest, access rights, privacy gate,
queries, and the DCAT and CKAN-compatible APIs (105/KH-UBND, II.2 and III.2)."""
