"""How much of real reports the reader gets: the cells of sections 三 and 四 known, printed empty, or left empty.

Not a test: it prints figures, one line per report and totals, to drive work on the layouts real files show.

    python benchmarks/coverage.py FOLDER [FOLDER ...] [--only-incomplete]

Every report under the folders is parsed with ``govlib.parse_report``; a ``GovlibError`` is a refusal (listed with
its reason), any other exception a crash (listed separately: a crash is always a defect). For the cells of 三
(``applications``) and 四 (``review_litigation``) it counts those

- known: ``read`` or ``inferred`` through an identity;
- printed empty: ``blank`` or ``dash``;
- left empty: ``unresolved`` or ``missing``, by the rule of the finding that names them (``missing_row``,
  ``unreadable``, ``ambiguous``, …). A left-empty cell that no finding names is *unexplained*: a defect.

A ``blank`` is checked against the text (a false blank is a wrong statement about the report): a row of 三 whose
every cell is blank while digits follow its label, or a section 四 all blank while digits follow its header, is
counted as a *false blank* (a defect) and not as printed empty. The check reads the text on its own, not through the
reader's layout: a label and the digits right after it.

A report is complete and consistent when every 三/四 cell is known or printed empty and no I1–I4 error is found.
Section 二 (``proactive``) is counted on its own line and kept out of the headline percentage. The last line is a
one-line summary.
"""

from __future__ import annotations

import argparse
import re
import sys
import traceback
from collections import Counter
from pathlib import Path

import govlib
from govlib import codebook
from govlib.files import find_reports
from govlib.decoding import read_document

HEADLINE = ("applications", "review_litigation")  # sections 三 and 四
KNOWN, PRINTED_EMPTY, LEFT_EMPTY = ("read", "inferred"), ("blank", "dash"), ("unresolved", "missing")
IDENTITIES = ("I1", "I2", "I3", "I4")
# the finding that explains an empty cell best: the reader's own account first, then a validation finding
RULE_ORDER = ("missing_row", "unreadable", "ambiguous", "layout")


def cell_name(table: str, row: str, col: str) -> str:
    """A cell as findings name it (``Finding.cells`` joins these with "; ")."""
    return f"review_litigation.{col}" if table == "review_litigation" else f"{table}.{row}×{col}"


def explaining_rule(name: str, findings) -> str | None:
    rules = {f.rule for f in findings if name in f.cells.split("; ")}
    if not rules:
        return None
    return min(rules, key=lambda r: (RULE_ORDER.index(r) if r in RULE_ORDER else len(RULE_ORDER), r))


def tally(report, tables) -> Counter:
    """State counts of the cells of ``tables``; left-empty cells keyed ``empty:<rule>`` (``empty:unexplained``)."""
    out: Counter = Counter()
    for table in tables:
        for (row, col), cell in report.cells[table].items():
            if cell.state in LEFT_EMPTY:
                rule = explaining_rule(cell_name(table, row, col), report.finding_list)
                out[f"empty:{rule or 'unexplained'}"] += 1
            else:
                out[cell.state] += 1
    return out


_NUMBERING = re.compile(r"[1-9]\s*[.、](?=\s*[\u4e00-\u9fff])|[(（][一二三四五六七八九十]+[)）]")
_REVIEW_END = re.compile(r"尚\s*未\s*审\s*结\s*总\s*计")


def _digits_after(text: str, at: int) -> bool:
    """Whether a digit is printed after ``at`` before the next Chinese text (a label's numbering is text)."""
    tail = _NUMBERING.sub("x", text[at:at + 200])
    m = re.search(r"[\u4e00-\u9fffx]", tail)
    return bool(re.search(r"\d", tail[: m.start() if m else len(tail)]))


def false_blanks(report) -> list[str]:
    """Cells stated ``blank`` where the text prints digits: every cell of a row of 三 blank while its label is
    followed by digits, or all of 四 blank while its header (…尚未审结 总计) is."""
    text = read_document(Path(report.meta.source)).text
    out = []
    apps = report.cells["applications"]
    rows = {}
    for (row, col), cell in apps.items():
        rows.setdefault(row, []).append(cell.state)
    start = text.find("本年新收")
    for row, states in rows.items():
        if set(states) != {"blank"} or start < 0:
            continue
        m = re.compile(codebook.label_pattern(codebook.code("application", row).leaf)).search(text, start)
        if m and _digits_after(text, m.end()):
            out += [f"applications.{row}×{col}" for (r, col) in apps if r == row]
    review = report.cells["review_litigation"]
    if review and {c.state for c in review.values()} == {"blank"}:
        ends = list(_REVIEW_END.finditer(text, max(start, 0)))
        if ends and _digits_after(text, ends[-1].end()):
            out += [f"review_litigation.{m}" for _, m in review]
    return out


def summed(c: Counter, states) -> int:
    return sum(c[s] for s in states)


def left_empty(c: Counter) -> int:
    return sum(n for s, n in c.items() if s.startswith("empty:"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--only-incomplete", action="store_true",
                    help="list only the reports that are not complete and consistent")
    args = ap.parse_args(argv)

    files = find_reports(args.folders)
    total, proactive = Counter(), Counter()
    complete, parsed, refused, crashed = 0, 0, [], []
    wrong_blanks: list[tuple[str, list[str]]] = []
    for path in files:
        name = str(path)
        try:
            report = govlib.parse_report(path)
        except govlib.GovlibError as e:
            refused.append((name, str(e).removeprefix(f"{path}: ")))
            print(f"{name}: REFUSED")
            continue
        except Exception as e:  # noqa: BLE001 - a crash is listed, never stops the run
            crashed.append((name, f"{type(e).__name__}: {e}", traceback.format_exc(limit=-1).strip().splitlines()))
            print(f"{name}: CRASHED")
            continue
        parsed += 1
        c = tally(report, HEADLINE)
        suspects = false_blanks(report)
        if suspects:
            wrong_blanks.append((name, suspects))
            c["blank"] -= len(suspects)
            c["false_blank"] += len(suspects)
        total += c
        proactive += tally(report, ("proactive",))
        breaches = Counter(f.rule for f in report.finding_list if f.rule in IDENTITIES and f.severity == "error")
        ok = left_empty(c) == 0 and not breaches and not suspects
        complete += ok
        if ok and args.only_incomplete:
            continue
        why = []
        if left_empty(c):
            why.append("empty: " + ", ".join(f"{s[6:]} {n}" for s, n in sorted(c.items()) if s.startswith("empty:")))
        if breaches:
            why.append("breaks " + ", ".join(f"{r}×{n}" for r, n in sorted(breaches.items())))
        if suspects:
            why.append(f"FALSE BLANK {len(suspects)}")
        who = " ".join(str(x) for x in (report.meta.agency, report.meta.year) if x is not None) or "(no agency/year)"
        print(f"{name}: {who} [{report.meta.template}, {report.meta.layout}] — known {summed(c, KNOWN)}, "
              f"printed empty {summed(c, PRINTED_EMPTY)}, empty with reason {left_empty(c) - c['empty:unexplained']}"
              + (f", UNEXPLAINED {c['empty:unexplained']}" if c["empty:unexplained"] else "")
              + (" — complete and consistent" if ok else " — INCOMPLETE: " + "; ".join(why)))

    cells = sum(total.values())
    known_or_empty = summed(total, KNOWN + PRINTED_EMPTY)
    unexplained = total["empty:unexplained"] + proactive["empty:unexplained"]
    print()
    print(f"reports: {len(files)} files, {parsed} parsed, {len(refused)} refused, {len(crashed)} crashed")
    print(f"三/四 cells: {cells} — read {total['read']}, inferred {total['inferred']}, "
          f"printed empty {summed(total, PRINTED_EMPTY)} (blank {total['blank']}, dash {total['dash']}), "
          f"left empty {left_empty(total)}, FALSE BLANK {total['false_blank']}")
    for name, suspects in wrong_blanks:
        print(f"    false blank: {name}: {', '.join(suspects[:3])}{' …' if len(suspects) > 3 else ''}")
    for s, n in sorted(total.items()):
        if s.startswith("empty:"):
            print(f"    left empty, {s[6:]}: {n}")
    print(f"二 cells (not in the headline): {sum(proactive.values())} — read {proactive['read']}, "
          f"inferred {proactive['inferred']}, printed empty {summed(proactive, PRINTED_EMPTY)}, "
          f"left empty {left_empty(proactive)}"
          + "".join(f"; {s[6:]} {n}" for s, n in sorted(proactive.items()) if s.startswith("empty:")))
    print(f"complete and consistent: {complete} of {parsed} parsed reports")
    for name, reason in refused:
        print(f"refused: {name}: {reason}")
    for name, reason, tb in crashed:
        print(f"CRASHED: {name}: {reason} ({tb[-2].strip() if len(tb) > 1 else ''})")
    share = f"{100 * known_or_empty / cells:.1f}%" if cells else "n/a"
    print(f"coverage: {share} of 三/四 cells known or printed empty ({known_or_empty} of {cells}); "
          f"{complete} of {len(files)} reports complete and consistent; {len(refused)} refused"
          + (f"; {len(crashed)} CRASHED" if crashed else "")
          + f"; {unexplained} unexplained empty cells; {total['false_blank']} false blanks")
    return 1 if crashed or unexplained or total["false_blank"] else 0


if __name__ == "__main__":
    sys.exit(main())
