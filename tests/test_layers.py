"""The module layout in ARCHITECTURE.md, checked: imports flow one way.

- Nothing below the web layer imports FastAPI, Starlette or `mauson.web`. Below the web layer is
  every module file but the routes (`api.py`, `pages.py`, `cli.py`, and the few route modules
  named in `WEB_ROOMS`), the `web` package and `app.py`: a helper that needs the request is web
  glue, and is named and listed as such (`web_intake.py`, beside the logic's own `intake.py`).
- Nothing below the web layer imports a route module either, not even its own module's: the logic
  of a module split into rooms (`petitions/service.py`, `intake.py`, `workflow.py`) is what the
  routes call, and a room that imported them back would close a circle.
- A module may use another module's `models` and `service`, never its `api`, `pages`
  or `cli`; only `app.py` and the root `cli.py` assemble those.
"""

from __future__ import annotations

import ast
from pathlib import Path

import mauson

PACKAGE = Path(mauson.__file__).parent
WEB_FRAMEWORKS = ("fastapi", "starlette")
FRONT_ROOMS = ("api", "pages", "cli")
ASSEMBLERS = {PACKAGE / "app.py", PACKAGE / "cli.py"}
# Route modules (and their web glue) not named after a front room, each with what it serves.
WEB_ROOMS = {
    "petitions/open311.py": "Open311 GeoReport v2 routes",
    "petitions/web_intake.py": "what the petition routes share: the sender's key, the push after commit",
    "datahub/ckan_api.py": "the CKAN-compatible Action API routes",
}


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _sources() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]


def _is_web(path: Path) -> bool:
    relative = path.relative_to(PACKAGE)
    return (
        relative.parts[0] == "web" or path in ASSEMBLERS or path.stem in FRONT_ROOMS or relative.as_posix() in WEB_ROOMS
    )


def _below_web() -> list[Path]:
    return [p for p in _sources() if not _is_web(p)]


def test_the_web_rooms_listed_exist() -> None:
    assert [name for name in WEB_ROOMS if not (PACKAGE / name).is_file()] == []


def test_nothing_below_the_web_layer_imports_the_web_framework() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in _below_web()
        for name in _imports(path)
        if name.split(".")[0] in WEB_FRAMEWORKS
    ]
    assert not offenders


def test_nothing_below_the_web_layer_imports_a_route_module() -> None:
    routes = {".".join(("mauson", *p.relative_to(PACKAGE).with_suffix("").parts)) for p in _sources() if _is_web(p)}
    assert "mauson.petitions.pages" in routes and "mauson.petitions.web_intake" in routes
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in _below_web()
        for name in _imports(path)
        if name in routes
    ]
    assert not offenders


def test_modules_use_each_other_only_through_models_and_service() -> None:
    offenders = []
    for path in _sources():
        if path in ASSEMBLERS:
            continue
        own_module = path.relative_to(PACKAGE).parts[0]
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] != "mauson" or len(parts) < 3:
                continue
            other, room = parts[1], parts[2]
            if other != own_module and room in FRONT_ROOMS:
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not offenders


def test_services_and_models_never_import_the_web_package() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in _below_web()
        for name in _imports(path)
        if name.startswith("mauson.web")
    ]
    assert not offenders


def test_importing_the_package_touches_neither_environment_nor_database(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = "import mauson.app, mauson.cli, os; print(sorted(os.listdir('.')))"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
