"""The template as data: codes, Chinese and English labels, units and the match patterns built from them.

Everything that knows a label string reads it from here: ``data/codebook.csv`` (the spec's codebook, byte for byte)
holds every row and column of both templates; ``data/labels.csv`` adds the groups of outcome rows that charts,
metrics and the prose check speak of, and the short names of the applicant columns. No other module repeats a
label.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from .errors import UnknownCodeError
from .text import fold

TEMPLATES = ("2019", "2021")

# Full-width and look-alike characters are folded to ASCII before matching (see ``text.fold``), so labels are
# folded the same way before patterns are built.
_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")
_TRAILING_PAREN = re.compile(r"（[^（）]*）$")
_QUOTES = "“”\"'‘’「」『』"
_CJK_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Code:
    """One row of the codebook."""

    table: str
    code: str
    label_zh: str
    label_en: str
    templates: frozenset[str]
    group: str
    unit: str

    @property
    def variants(self) -> tuple[str, ...]:
        """The printed forms of this label ("规范性文件 / 行政规范性文件" lists two)."""
        return tuple(v.strip() for v in self.label_zh.split(" / "))

    @property
    def leaf(self) -> str:
        """The label of the row itself, without its group ("（三）不予公开 1.属于国家秘密" → "1.属于国家秘密")."""
        return self.label_zh.split(" ")[-1]


def _char_pattern(text: str) -> str:
    """A pattern for ``text`` that tolerates white space between characters and varies quotes."""
    parts = []
    for ch in text:
        if ch in _QUOTES:
            parts.append(f"[{re.escape(_QUOTES)}]?")
        elif ch.isspace():
            continue
        else:
            parts.append(re.escape(ch))
    return r"\s*".join(parts)


def _prefix_pattern(prefix: str) -> str:
    """A pattern for a label's numbering as people type it: "1." or "1、", "（一）" in any brackets, "一、" or "一."."""
    m = re.fullmatch(r"(\d+)\.|\(([一二三四五六七八九十]+)\)|([一二三四五六七八九十]+)、", prefix)
    if m is None:
        return _char_pattern(prefix)
    if m.group(1):
        return re.escape(m.group(1)) + r"\s*[.、]"
    if m.group(2):
        return r"[(\[【〔]\s*" + m.group(2) + r"\s*[)\]】〕]"
    return m.group(3) + r"\s*[、.]"


def label_pattern(leaf: str) -> str:
    """A regular expression that finds a row label as printed, in any layout (wrapped, glued, numbered or not).

    The numbering ("1.", "（七）", "一、") is optional unless the label itself is too short to be told apart from
    other text ("（七）总计", "3.其他"). A long label matches on its first eight characters and then runs on to the
    next digit or cell separator, so that punctuation variants in long labels do not matter.
    """
    m = _PREFIX.match(leaf)
    prefix, core = (m.group(0), leaf[m.end():]) if m else ("", leaf)
    paren = _TRAILING_PAREN.search(core)
    if paren:
        core = core[: paren.start()]
    prefix, core = fold(prefix), fold(core)
    if len(core) > 8:
        body = _char_pattern(core[:8]) + r"[^\d\t|\n]{0,60}"
    else:
        body = _char_pattern(core)
    if paren:
        body += r"(?:\s*\([^)\n\t|]*\))?"
    if prefix:
        pre = _prefix_pattern(prefix) + r"\s*"
        # "(?:pre)?body" spelled as an alternation of the two, which matches the same text: a pattern that starts
        # with known characters is scanned for them, not tried at every position (label search in half the time)
        body = pre + body if len(core) <= 2 else f"(?:{pre}{body}|{body})"
    # a label is never the first part of a longer word ("其他处理" is not "其他")
    return body + r"(?![\u4e00-\u9fff])" if len(core) <= 2 else body


@dataclass(frozen=True)
class Template:
    """The rows and columns of one template version, in printed order."""

    name: str
    applicants: tuple[Code, ...]
    applications: tuple[Code, ...]
    review_litigation: tuple[Code, ...]
    proactive: tuple[tuple[Code, tuple[Code, ...]], ...] = field(default=())

    @property
    def outcome_rows(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.applications if c.group not in ("intake", "total", "carry"))


REVIEW_ROW = "review_litigation"  # section 四 prints one row: its cells are keyed (REVIEW_ROW, measure)
MONEY_MEASURES = ("fee_amount", "procurement_amount")  # in 万元, the template's unit
SIGNED_MEASURES = ("items_change",)  # 本年增/减: "+207", "-111"
SUBTOTAL = "subtotal"  # 小计 of the 法人或其他组织 columns, printed by some reports: checked, not kept
ORGANISATIONS = "法人或其他组织"  # the header over the applicant columns that are organisations


@cache
def codes() -> tuple[Code, ...]:
    """Every row of the codebook, in file order."""
    text = resources.files("govlib").joinpath("data/codebook.csv").read_text(encoding="utf-8")
    return tuple(
        Code(r["table"], r["code"], r["label_zh"], r["label_en"], frozenset(r["templates"].split()), r["group"],
             r["unit"])
        for r in csv.DictReader(text.splitlines())
    )


def code(table: str, name: str) -> Code:
    """The codebook row ``name`` of ``table``."""
    for c in codes():
        if c.table == table and c.code == name:
            return c
    raise UnknownCodeError(f"{table}.{name} is not in the codebook")


def _articles(group: str) -> set[str]:
    return set(re.findall(f"[{_CJK_NUMERALS}]", group.replace("第二十条", "")))


@cache
def template(name: str) -> Template:
    """The template ``"2019"`` or ``"2021"``."""
    if name not in TEMPLATES:
        raise UnknownCodeError(f"unknown template {name!r}; expected one of {', '.join(TEMPLATES)}")

    def rows(table: str) -> tuple[Code, ...]:
        return tuple(c for c in codes() if c.table == table and name in c.templates)

    measures = rows("proactive_measure")
    proactive = tuple(
        (item, tuple(m for m in measures if _articles(item.group) & _articles(m.group)))
        for item in rows("proactive_item")
    )
    return Template(name, rows("applicant"), rows("application"), rows("review_litigation"), proactive)


# --- groups and short names -----------------------------------------------------------------------------------------

LANGS = ("zh", "en")  # every label is in Chinese and in English


def check_lang(lang: str) -> None:
    """Raise ``UnknownCodeError`` unless ``lang`` is a language labels are written in."""
    if lang not in LANGS:
        raise UnknownCodeError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")


@dataclass(frozen=True)
class Label:
    """A group of outcome rows, or an applicant column, as charts and sentences name it."""

    kind: str
    code: str
    zh: str
    en: str
    phrase: str  # in an English sentence: "requests granted in full"
    abbr: str  # a column head in a terminal

    def name(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


@cache
def _labels() -> tuple[Label, ...]:
    text = resources.files("govlib").joinpath("data/labels.csv").read_text(encoding="utf-8")
    return tuple(Label(r["kind"], r["code"], r["label_zh"], r["label_en"], r["phrase_en"], r["abbr"])
                 for r in csv.DictReader(text.splitlines()))


@cache
def outcome_groups() -> tuple[Label, ...]:
    """How requests ended, as the template groups its outcome rows: （一）予以公开 … （六）其他处理, in printed order."""
    return tuple(label for label in _labels() if label.kind == "outcome_group")


@cache
def outcome_rows(group: str) -> tuple[str, ...]:
    """The section 三 rows of an outcome group, in either template (a report has those of its own)."""
    if group not in {g.code for g in outcome_groups()}:
        raise UnknownCodeError(f"unknown outcome group {group!r}; choose one of "
                               f"{', '.join(g.code for g in outcome_groups())}")
    return tuple(c.code for c in codes() if c.table == "application" and (c.code == group or c.group == group))


@cache
def applicant_labels() -> dict[str, Label]:
    """The short names of the applicant columns ("Businesses", "business"), by code."""
    return {label.code: label for label in _labels() if label.kind == "applicant"}


@cache
def row_start() -> re.Pattern[str]:
    """Text that begins with a row label of either template (section 二's items, section 三's rows)."""
    leaves = {c.leaf for name in TEMPLATES for c in template(name).applications}
    leaves |= {v for name in TEMPLATES for item, _ in template(name).proactive for v in item.variants}
    return re.compile("|".join(f"(?:{label_pattern(leaf)})" for leaf in sorted(leaves, key=len, reverse=True)))
