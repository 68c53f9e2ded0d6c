"""The page's files: all from the package, nothing from elsewhere, within the weight budget."""

from __future__ import annotations

import re

from controller.web.assets import CSP, FILES, Assets

PAGE_BUDGET_BYTES = 150_000  # issue 14: the page with all its assets


def test_the_page_with_every_asset_is_within_its_weight() -> None:
    assets = Assets.load()
    assert assets.total_bytes() <= PAGE_BUDGET_BYTES
    assert assets.total_bytes(gzipped=True) < assets.total_bytes()


def test_nothing_is_loaded_from_another_origin() -> None:
    assets = Assets.load()
    for path in FILES:
        asset = assets.get(path)
        assert asset is not None
        text = asset.body.decode("utf-8")
        urls = set(re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"')]*", text))
        assert urls <= {"http://www.w3.org/2000/svg"}, (path, urls)
    assert "default-src 'none'" in CSP and "'unsafe-inline'" not in CSP


def test_the_page_references_only_the_files_served() -> None:
    page = Assets.load().get("/")
    assert page is not None
    refs = set(re.findall(r'(?:src|href)="([^"]+)"', page.body.decode()))
    assert {"/" + r for r in refs} <= set(FILES)
