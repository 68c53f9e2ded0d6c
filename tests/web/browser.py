"""Headless Chromium from Debian's packages, driven by Selenium through Debian's chromedriver
(test I/O). Nothing is downloaded: both paths are given, so Selenium Manager never runs.

``ARTIFACTS`` is where the page tests leave their screenshots (``$ACUMAT_TEST_ARTIFACTS``, else
``tmp-artifacts/web/`` in the checkout, which git ignores); docs/img/web-*.png are copies.
"""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("ACUMAT_TEST_ARTIFACTS", ROOT / "tmp-artifacts" / "web"))
PHONE = (390, 844)
DESKTOP = (1280, 900)


def _find(*names: str) -> str:
    for name in names:
        found = shutil.which(name) or (name if Path(name).exists() else None)
        if found:
            return found
    raise RuntimeError(
        f"none of {names} found: apt-get install chromium chromium-driver (./dev test does)"
    )


def chromium(size: tuple[int, int] = DESKTOP) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = _find("chromium", "/usr/lib/chromium/chromium", "chromium-browser")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-extensions", "--hide-scrollbars",
                f"--window-size={size[0]},{size[1]}"):  # fmt: skip
        options.add_argument(arg)
    service = Service(executable_path=_find("chromedriver", "/usr/lib/chromium/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    return driver


def screenshot(driver: webdriver.Chrome, name: str, size: tuple[int, int]) -> tuple[Path, int]:
    """The whole page laid out at ``size`` (a phone is emulated as one: mobile viewport) as
    ARTIFACTS/name, beyond the fold too; and the page's width there (wider: it scrolls)."""
    phone = size[0] < 600
    metrics = {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": phone}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        width = int(driver.execute_script("return document.documentElement.scrollWidth"))
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
        )
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(base64.b64decode(shot["data"]))
    return path, width
