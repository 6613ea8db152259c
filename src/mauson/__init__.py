"""Mẫu Sơn: the provincial AI platform of Lạng Sơn (plan 105/KH-UBND).

Importing the package has no side effects: settings, the database and the web
application are built by `mauson.settings.get_settings()`, `mauson.db.Database`
and `mauson.app.create_app()` when a caller asks for them.
"""

__version__ = "0.1.0"
