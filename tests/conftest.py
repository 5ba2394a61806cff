from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
# the twelve hand-checked reports of six regions, one agency each, that most tests are about
SAMPLE = [RAW / "seeds", RAW / "pingtan"]
# 106 crawled reports of 18 agencies of 平潭综合实验区: with RAW / "pingtan", one region of nineteen agencies
AGENCIES = RAW / "pingtan-agencies"
EXPECTED = Path(__file__).resolve().parent / "expected"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def raw() -> Path:
    return RAW
