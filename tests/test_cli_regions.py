"""`govlib regions`: the regions of the parsed reports at each level, in one line each; errors in one line."""

import shutil

import pytest
from click.testing import CliRunner

from govlib.cli import cli

from .conftest import RAW, SAMPLE


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    result = CliRunner().invoke(cli, ["parse", *map(str, SAMPLE), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out


def regions(*args: str):
    return CliRunner().invoke(cli, ["regions", *args])


def test_regions_command(processed):
    result = regions("--data", str(processed))
    assert result.exit_code == 0
    assert "350128  福建省福州市平潭县  7 reports, 1 agencies, 2019–2025" in result.output
    assert "6 regions (county); 0 of 12 reports could not be placed" in result.output


@pytest.mark.parametrize("level,line,summary", [
    ("prefecture", "350500  福建省泉州市  1 reports, 1 agencies, 2020", "6 regions (prefecture)"),
    ("province", "350000  福建省  8 reports, 2 agencies, 2019–2025", "5 regions (province)"),
])
def test_wider_levels_group_the_same_reports(processed, level, line, summary):
    result = regions("--data", str(processed), "--level", level)
    assert result.exit_code == 0, result.output
    assert line in result.output and summary in result.output


def test_regions_without_parsed_data_is_a_one_line_error(tmp_path):
    result = regions("--data", str(tmp_path / "nothing"))
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "run `govlib parse` first" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_an_unknown_level_is_refused_naming_the_choices(processed):
    result = regions("--data", str(processed), "--level", "village")
    assert result.exit_code == 2 and "'county', 'prefecture', 'province'" in result.output


def test_reports_that_cannot_be_placed_are_named(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW / "pingtan", raw)
    text = (raw / "pingtan-2025.txt").read_text(encoding="utf-8")
    (raw / "pingtan-2025.txt").write_text(text.replace("平潭综合实验区", "城关镇"), encoding="utf-8")  # 82 towns
    out = tmp_path / "processed"
    CliRunner().invoke(cli, ["parse", str(raw), "--out", str(out), "--quiet"])
    result = regions("--data", str(out))
    assert result.exit_code == 0
    assert "1 regions (county); 1 of 7 reports could not be placed: " in result.output
    assert "pingtan-2025.txt" in result.output
