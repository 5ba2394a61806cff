"""Placing agencies in the administrative hierarchy."""

import shutil

import polars as pl
import pytest

from govlib import frames, parse_corpus, regions
from govlib.regions import RegionError, resolve

from .conftest import RAW, SAMPLE


def test_the_division_table_is_the_pinned_one():
    db = regions.divisions()
    frame = frames.divisions_frame()
    assert frame.group_by("level").len().sort("level")["len"].to_list() == [33, 333, 2845, 38723]
    assert db.by_code["410822101"].name == "柏山镇"
    assert frames.divisions_frame() is frame  # loaded once


def test_a_changed_division_table_is_an_error(monkeypatch):
    regions.divisions.cache_clear()
    monkeypatch.setattr(regions, "DIVISIONS_SHA256", "0" * 64)
    try:
        with pytest.raises(RegionError, match="has sha256 a64deeac.*reinstall the pinned"):
            regions.divisions()
    finally:
        monkeypatch.undo()
        regions.divisions.cache_clear()


@pytest.fixture(scope="module")
def bundled():
    ds = parse_corpus(SAMPLE, progress=False)
    return {row["file"].rsplit("/", 1)[-1]: row for row in ds.reports.iter_rows(named=True)}


@pytest.mark.parametrize("file,code,county,method,zone", [
    ("000_081dc9eb37983e65.txt", "410822101", "博爱县", "name", None),
    ("001_4760a96778e8f996.txt", "500110100", "綦江区", "name", "万盛经济技术开发区"),
    ("002_c3db75ac4ce109b2.txt", "621025104", "正宁县", "text", None),  # 永正镇; the text names 正宁县
    ("003_c7348176eda313db.txt", "350582106", "晋江市", "name", None),
    ("004_1ca4751f2c2053c2.txt", None, "镇坪县", "name", None),
    ("pingtan-2023.txt", None, "平潭县", "name", "平潭综合实验区"),
])
def test_bundled_reports_resolve_exactly(bundled, file, code, county, method, zone):
    row = bundled[file]
    assert (row["township_code"], row["county"], row["region_method"], row["zone"]) == (code, county, method, zone)


def test_bundled_county_level_reports(bundled):
    assert (bundled["004_1ca4751f2c2053c2.txt"]["county_code"], bundled["004_1ca4751f2c2053c2.txt"]["admin_level"]) \
        == ("610927", "county")
    pingtan = bundled["pingtan-2019.txt"]
    assert (pingtan["prefecture"], pingtan["county"], pingtan["county_code"]) == ("福州市", "平潭县", "350128")


def test_a_name_shared_by_many_townships_stays_ambiguous_with_its_candidates():
    r = resolve("城关镇人民政府", "本镇认真贯彻落实条例。")
    assert (r.method, r.code) == ("ambiguous", None)
    assert len(r.candidates) == 82 and "610927100" in r.candidates
    assert "陕西省安康市镇坪县城关镇 610927100" in r.columns()["region_candidates"]


def test_the_reports_own_text_settles_it():
    r = resolve("城关镇人民政府", "在镇坪县委、县政府的坚强领导下")
    assert (r.method, r.code, r.admin_level) == ("text", "610927100", "township")


@pytest.mark.parametrize("context", [
    "在县委、县政府的坚强领导下",  # 县委/县政府 is not a place
    "镇坪乡",  # 镇坪 inside 镇坪乡 is not 镇坪县
    "城区建设",  # 城区 alone is not 阳泉市城区
])
def test_false_hits_stay_false(context):
    assert resolve("城关镇人民政府", context).method == "ambiguous"


def test_a_town_is_not_a_district_of_the_same_stem():
    r = resolve("古城镇人民政府")
    assert r.method == "ambiguous" and "530702" not in r.candidates
    assert all(regions.divisions().by_code[c].name == "古城镇" for c in r.candidates)


def test_repeated_county_names_need_their_parent():
    assert resolve("鼓楼区人民政府").method == "ambiguous"
    assert resolve("福州市鼓楼区人民政府").code == "350102"
    assert resolve("鼓楼区人民政府", "福州市鼓楼区人民政府办公室").code == "350102"


@pytest.mark.parametrize("agency,code,level", [
    ("镇坪县发展和改革局", "610927", "department-of-county"),
    ("安康市科学技术局", "610900", "department-of-prefecture"),
    ("镇坪县城关街道办事处", "610927100", "township"),  # a 镇 that became a 街道, or the other way round
    ("镇坪县城关乡人民政府", "610927100", "township"),  # an old 乡 name, once the county is fixed
    ("陕西省安康市镇坪县城关镇人民政府", "610927100", "township"),
])
def test_names_read_left_to_right(agency, code, level):
    r = resolve(agency)
    assert (r.code, r.admin_level) == (code, level)


def test_a_zone_resolves_to_the_division_it_sits_in():
    r = resolve("平潭综合实验区管委会")
    assert (r.code, r.zone, r.method) == ("350128", "平潭综合实验区", "name")
    assert regions.zones()[1].members and all(
        any(d.parent == "500110" for d in regions.divisions().by_name[m]) for m in regions.zones()[1].members)


def test_a_mapping_file_overrides_the_resolver(tmp_path):
    shutil.copytree(RAW / "seeds", tmp_path / "seeds")
    (tmp_path / "regions.csv").write_text("file,region_code\nseeds/002_c3db75ac4ce109b2.txt,621025100\n",
                                          encoding="utf-8")
    ds = parse_corpus(tmp_path, progress=False)
    row = ds.reports.filter(pl.col("agency") == "永正镇").row(0, named=True)
    assert (row["township_code"], row["region_method"]) == ("621025100", "manifest")


def test_a_mapping_to_an_unknown_code_names_the_row(tmp_path):
    shutil.copytree(RAW / "seeds", tmp_path / "seeds")
    (tmp_path / "regions.csv").write_text("file,region_code\nseeds/000_081dc9eb37983e65.txt,410822101\n"
                                          "seeds/002_c3db75ac4ce109b2.txt,999999\n", encoding="utf-8")
    with pytest.raises(RegionError, match=r"regions\.csv, line 3: region code '999999' for "
                                          r"'seeds/002_c3db75ac4ce109b2.txt' is not in the division table"):
        parse_corpus(tmp_path, progress=False)


def test_regions_are_counties_by_default(bundled):
    reports = pl.DataFrame(list(bundled.values()))
    county = frames.summarise(reports)
    assert county.filter(pl.col("region_code") == "350128").row(0, named=True) | {} == {
        "region_code": "350128", "region": "福建省福州市平潭县", "reports": 7, "agencies": 1,
        "first_year": 2019, "last_year": 2025}
    assert frames.summarise(reports, "province").filter(pl.col("region_code") == "350000")["reports"].item() == 8


def test_a_mapping_saved_by_excel_on_chinese_windows_is_read(tmp_path):
    # before: UnicodeDecodeError and a traceback for a GBK regions.csv
    shutil.copytree(RAW / "seeds", tmp_path / "seeds")
    (tmp_path / "regions.csv").write_bytes("文件备注,file,region_code\r\n永正镇,seeds/002_c3db75ac4ce109b2.txt,"
                                           "621025100\r\n".encode("gbk"))
    ds = parse_corpus(tmp_path, progress=False)
    assert ds.reports.filter(pl.col("agency") == "永正镇")["township_code"].to_list() == ["621025100"]


def test_a_mapping_without_a_file_column_says_so(tmp_path):
    # before: KeyError 'file' and a traceback
    shutil.copytree(RAW / "seeds", tmp_path / "seeds")
    (tmp_path / "regions.csv").write_text("name,region_code\nseeds/002_c3db75ac4ce109b2.txt,621025100\n",
                                          encoding="utf-8")
    with pytest.raises(RegionError, match=r"regions\.csv: it has a region_code column but no file column \(its "
                                          r"columns: name, region_code\); add a column named file"):
        parse_corpus(tmp_path, progress=False)


@pytest.mark.parametrize("code", ['"410822\n"', "４１０８２２", "4108 22", "+410822"])
def test_a_region_code_is_ascii_digits_only(tmp_path, code):
    # before: "410822\n" was taken as 410822, and full-width digits were reported missing from the table
    shutil.copytree(RAW / "seeds", tmp_path / "seeds")
    (tmp_path / "regions.csv").write_text(f"file,region_code\nseeds/000_081dc9eb37983e65.txt,{code}\n",
                                          encoding="utf-8")
    with pytest.raises(RegionError, match=r"regions\.csv, line \d: region code .* for "
                                          r"'seeds/000_081dc9eb37983e65.txt' is not a division code, which is 6 to "
                                          r"12 ASCII digits \(e\.g\. 410822\)"):
        parse_corpus(tmp_path, progress=False)


@pytest.mark.parametrize("agency,level", [
    ("平潭综合实验区管委会办公室", "department-of-county"),
    ("平潭综合实验区交通与建设局", "department-of-county"),
    ("平潭综合实验区综合执法与应急管理局", "department-of-county"),
    ("平潭综合实验区苏平片区管理局", "area-of-county"),  # an area administration under the zone, over its towns
    ("平潭综合实验区金井片区管理局", "area-of-county"),
])
def test_a_zone_s_departments_and_area_administrations_sit_in_its_region(agency, level):
    r = resolve(agency)
    assert (r.code, r.zone, r.admin_level, r.method) == ("350128", "平潭综合实验区", level, "name")


@pytest.mark.parametrize("agency,level", [
    ("上海市人民政府办公厅", "department-of-province"),  # a municipality directly under the central government
    ("上海市科委", "department-of-province"),
    ("北京市人民政府", "province"),
])
def test_agencies_of_the_municipalities_are_province_level(agency, level):
    r = resolve(agency)
    assert (r.code[2:], r.admin_level, r.method) == ("0000", level, "name")


@pytest.mark.parametrize("agency,context", [
    ("平潭综合实脸区交通与建设局", "在平潭综合实验区党工委、管委会的领导下，我局…"),  # 实验 read as 实脸 by OCR
    ("平谭综合实验区交通与建设局", "平潭综合实验区交通与建设局\n2024年1月20日"),  # the signature names it right
])
def test_an_agency_name_garbled_by_ocr_is_placed_from_its_own_text(agency, context):
    r = resolve(agency, context)
    assert (r.code, r.method, r.admin_level, r.zone) == ("350128", "text", "department-of-county", "平潭综合实验区")


def test_a_garbled_name_whose_text_names_no_place_stays_unplaced():
    assert resolve("某某真人民政府", "本机关认真贯彻落实条例。").method == "unresolved"
