"""Search: one interface for every module that finds things (procedures, legal texts, documents).

Import from `mauson.search.service` (`open_index`, `SearchIndex`) and `mauson.search.models`
(`SearchDocument`, `Access`, `Mode`, `Hit`, `SearchResult`); nothing here loads a model until a
document is embedded or a query is searched.
"""
