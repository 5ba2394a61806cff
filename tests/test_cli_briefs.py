"""`govlib briefs`: one brief per region and year from the command line; every wrong request is a one-line error
before any kernel starts."""

import pytest
from click.testing import CliRunner

from govlib.briefs import runner
from govlib.cli import cli

from .conftest import RAW


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    result = CliRunner().invoke(cli, ["parse", str(RAW / "pingtan"), str(RAW / "seeds"), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out


def briefs(processed, out, *args: str):
    return CliRunner().invoke(cli, ["briefs", "--data", str(processed), "--out", str(out), "--quiet", *args])


@pytest.mark.parametrize("args,message", [
    (["--region", "350128", "--year", "2018"], "Error: region 350128 has no reports for 2018; it has 2019, 2020"),
    (["--region", "../etc"], "Error: unknown region '../etc' at county level"),
    (["--year", "1999"], "Error: no region has reports for 1999"),
])
def test_a_wrong_request_is_one_line_before_any_kernel(processed, tmp_path, monkeypatch, args, message):
    monkeypatch.setattr(runner, "run_one", lambda *a, **k: pytest.fail("a kernel started"))
    result = briefs(processed, tmp_path / "reports", *args)
    assert result.exit_code == 1
    assert result.output.startswith(message) and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("option,value", [("--lang", "fr"), ("--level", "village"), ("--jobs", "0")])
def test_an_impossible_option_is_refused_by_the_command_line(processed, tmp_path, option, value):
    assert briefs(processed, tmp_path, option, value).exit_code == 2


def test_one_region_in_english_from_the_command_line(processed, tmp_path):
    out = tmp_path / "reports"
    result = briefs(processed, out, "--region", "410822", "--lang", "en", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"briefs in {out}: 1 made, 0 unchanged, 0 failed")
    page = (out / "2020" / "410822.html").read_text(encoding="utf-8")
    assert "government information disclosure in 2020" in page
    again = briefs(processed, out, "--region", "410822", "--lang", "en")
    assert again.output.startswith(f"briefs in {out}: 0 made, 1 unchanged, 0 failed")
