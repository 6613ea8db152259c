"""The home page: every module that works is linked from its card, and every link answers; the site's icon."""

from __future__ import annotations

import re

import httpx

from mauson.web.pages import MODULES


def test_each_working_module_is_linked_and_its_page_answers(client: httpx.Client) -> None:
    page = client.get("/").text
    linked = set(re.findall(r'<a href="(/[a-z-]*)"', page))
    for module in MODULES:
        if module.href is not None:
            assert module.href in linked, f"{module.title} has no link on the home page"
            assert client.get(module.href).status_code == 200, module.href
    assert {"/assistant", "/laws", "/petitions", "/datasets"} <= {m.href for m in MODULES}


def test_every_page_links_the_site_icon_and_the_browsers_default_address_finds_it(client: httpx.Client) -> None:
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/datasets").text
    asked = client.get("/favicon.ico")
    assert asked.status_code == 301 and asked.headers["location"] == "/static/favicon.svg"
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
