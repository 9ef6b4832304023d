"""Headless Chromium for the playground's browser tests and screenshots (Debian's chromium and
chromedriver, driven by Selenium; nothing is downloaded at run time).

The flags keep Chromium from reaching out: this machine has no internet, and a browser that
keeps trying to phone home is slow and noisy.
"""

from __future__ import annotations

import shutil
import tempfile
from typing import Any

CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMEDRIVER = ("/usr/bin/chromedriver",)
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1500,1000",
)


def _first(paths: tuple[str, ...], name: str) -> str | None:
    for path in paths:
        if shutil.which(path):
            return path
    return shutil.which(name)


def missing() -> str | None:
    """Why no browser can be started here (None when one can)."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    if _first(CHROMIUM, "chromium") is None:
        return "no Chromium (Debian: apt-get install chromium chromium-driver)"
    if _first(CHROMEDRIVER, "chromedriver") is None:
        return "no chromedriver (Debian: apt-get install chromium-driver)"
    return None


def start_browser() -> Any:
    """A headless Chromium driven through chromedriver, with its own empty profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(_first(CHROMIUM, "chromium"))
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='leerzone-chromium-')}")
    service = Service(executable_path=str(_first(CHROMEDRIVER, "chromedriver")))
    return webdriver.Chrome(service=service, options=options)
