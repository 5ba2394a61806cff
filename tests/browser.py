"""Debian's headless Chromium for the tests, driven by Selenium, with the network cut off: every host but this
machine is unreachable, so a page or a notebook that fetched anything would show it."""

from __future__ import annotations

import shutil

import pytest


def offline_chromium(user_data_dir, window: str, performance_log: bool = False):
    """A Chromium driver (quit it when done): headless, no sandbox (the tests run as root), no network but
    127.0.0.1, the browser's console kept (and its network log, with ``performance_log``)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not shutil.which("chromium") or not shutil.which("chromedriver"):
        pytest.fail("Debian's chromium and chromium-driver are missing: run `make setup`, which installs them")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions",
                "--proxy-server=http://127.0.0.1:9",  # no network at all: every other host is unreachable
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                f"--user-data-dir={user_data_dir}", f"--window-size={window}"):
        options.add_argument(arg)
    logs = {"browser": "ALL", "performance": "ALL"} if performance_log else {"browser": "ALL"}
    options.set_capability("goog:loggingPrefs", logs)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
