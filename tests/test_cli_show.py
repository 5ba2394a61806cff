from click.testing import CliRunner

from govlib.cli import cli

from .conftest import RAW


def test_show_prints_metadata_tables_and_findings():
    result = CliRunner().invoke(cli, ["show", str(RAW / "seeds" / "004_1ca4751f2c2053c2.txt")])
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("镇坪县 · 2020 · template 2019")
    assert "procurement_amount 1297.58 万元" in out
    assert "items_change -111" in out and "items_change +207" in out
    lines = out.splitlines()
    new = next(line for line in lines if line.strip().startswith("new_received"))
    assert new.split()[:8] == ["new_received", "11", "·", "·", "·", "·", "·", "11"]
    assert "warning blank_table" in out


def test_show_marks_inferred_and_unresolved_cells():
    out = CliRunner().invoke(cli, ["show", str(RAW / "pingtan" / "pingtan-2021.txt")]).output
    granted = next(line for line in out.splitlines() if line.strip().startswith("granted"))
    assert granted.split()[1:8] == ["27*", "0*", "0*", "2*", "0*", "1*", "30*"]
    assert "normative_documents  issued ?, repealed ?, in_force ?" in out
    assert "ambiguous" in out


def test_show_a_file_that_is_not_a_report(tmp_path):
    p = tmp_path / "notice.txt"
    p.write_text("通知\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["show", str(p)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "notice.txt" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_every_command_is_documented_in_the_readme():
    readme = (RAW.parent.parent / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"govlib {name}" in readme, name
