#!/usr/bin/env python3
"""Keeps the requirement IDs in code, tests and docs/requirements.md in step.

    python3 scripts/requirements-check.py [--root DIR] [--doc FILE] [--spec FILE]
    python3 scripts/requirements-check.py --self-test

docs/requirements.md lists every requirement in Markdown tables whose rows
have five cells:

    | ID | meaning | status | code | tests |

- ID: one requirement ID, e.g. `ARS-4` (backticks optional);
- status: `done`, `partial — what is missing` or `coming — issue/area`;
- code: paths relative to the repository root, each in backticks,
  comma-separated (files or folders), or `—` for none;
- tests: each test in backticks, comma-separated, or `—` for none:
  - a Rust test function name, `ars_4_status_at_an_open_and_a_closed_instant`
    (found as `fn name(` in a file under `crates/*/tests/` or
    `tools/*/tests/`, or as a `#[test]`/`#[tokio::test]` function anywhere
    under `crates/`, `tools/` or `functions/`);
  - a browser test, `tests/browser/FILE.test.mjs: title` (the file holds a
    `test('title', …)`; a title ending in `…` is a prefix of exactly one
    title in that file), or a whole browser file `tests/browser/FILE.test.mjs`;
  - a script or any other file, `scripts/e2e-simulator.sh` (it exists).

Rows whose first cell is not an ID (other tables) are ignored.

Problems (each printed on its own line; exit 1 when there is any):
- an ID used in code or tests (`crates/`, `functions/`, `tools/`,
  `static/js/`, `tests/browser/`, `scripts/`) has no row in the doc; a
  range (`CON-1..3`, `MON-1..MON-7`, `ARS-4–5`) counts every ID from one end to
  the other, a slash list (`ARS-1/2/6`) each of its IDs;
- with `--spec FILE`: an ID of that specification has no row in the doc;
- a row's ID appears twice, or its status is none of the three;
- a path in the code column does not exist;
- a named test does not exist;
- an ID marked `done` names no test (or no code).

Always prints one summary line:
    requirements: N IDs, N done, N partial, N coming, N problems

`--self-test` runs the checker on small temporary repositories (a doc missing
an ID the code uses, a test name that does not exist, a `done` row without
tests, a consistent one) and exits 1 unless each gives the expected verdict.
Standard library only.
"""

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

PREFIXES = "ACC|AGT|ARS|AUD|AUTH|CB|CON|HIST|MON|RUN|STAT|SVC|TEL|UI"
ID_RE = re.compile(rf"\b({PREFIXES})-([0-9]+)\b")
# A range: ARS-1..7, MON-1..MON-7, ARS-4–5 (en dash). A slash list: ARS-1/2/6.
RANGE_RE = re.compile(rf"\b({PREFIXES})-([0-9]+)(?:\.\.|–)(?:(?:{PREFIXES})-)?([0-9]+)\b")
SLASH_RE = re.compile(rf"\b({PREFIXES})-([0-9]+)((?:/(?:(?:{PREFIXES})-)?[0-9]+)+)\b")
EXACT_ID_RE = re.compile(rf"^({PREFIXES})-([0-9]+)$")

SCAN_DIRS = ["crates", "functions", "tools", "static/js", "tests/browser", "scripts"]
SKIP_DIRS = {"target", "node_modules", "__pycache__"}
THIS_FILE = "scripts/requirements-check.py"
STATUSES = ("done", "partial", "coming")
NONE_CELL = {"", "—", "-", "–"}


# ---- IDs in code and tests ---------------------------------------------------


def ids_in_text(text: str) -> set:
    """Every requirement ID the text names, ranges and slash lists expanded."""
    found = {f"{p}-{n}" for p, n in ID_RE.findall(text)}
    for p, a, b in RANGE_RE.findall(text):
        lo, hi = sorted((int(a), int(b)))
        if hi - lo <= 50:
            found.update(f"{p}-{n}" for n in range(lo, hi + 1))
    for m in SLASH_RE.finditer(text):
        p = m.group(1)
        found.add(f"{p}-{m.group(2)}")
        for part in m.group(3).split("/")[1:]:
            found.add(part if "-" in part else f"{p}-{part}")
    return found


def walk_files(root: Path, rel_dir: str):
    base = root / rel_dir
    if not base.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            yield Path(dirpath) / name


def read_text(path: Path):
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b"\0" in data[:8192]:
        return None  # binary
    return data.decode("utf-8", errors="replace")


def ids_in_code(root: Path) -> dict:
    """ID -> sorted list of files (relative) that name it."""
    where = {}
    for rel_dir in SCAN_DIRS:
        for f in walk_files(root, rel_dir):
            rel = f.relative_to(root).as_posix()
            if rel == THIS_FILE:
                continue
            text = read_text(f)
            if text is None:
                continue
            for i in ids_in_text(text):
                where.setdefault(i, []).append(rel)
    return where


# ---- tests that exist --------------------------------------------------------

RUST_TEST_RE = re.compile(
    r"#\[\s*(?:\w+::)*test\s*(?:\([^\]]*\))?\s*\]\s*"  # #[test], #[tokio::test(...)]
    r"(?:#\[[^\]]*\]\s*)*"  # further attributes
    r"(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+(\w+)"
)
FN_RE = re.compile(r"\bfn\s+(\w+)\s*[(<]")
JS_TITLE_RE = re.compile(
    r"""\b(?:test|it)(?:\.(?:only|skip|todo))?\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1""", re.S
)


def rust_tests(root: Path) -> set:
    names = set()
    for top in ("crates", "tools", "functions"):
        base = root / top
        if not base.is_dir():
            continue
        for f in walk_files(root, top):
            if f.suffix != ".rs":
                continue
            text = read_text(f)
            if text is None:
                continue
            parts = f.relative_to(root).parts
            # crates/<name>/tests/** and tools/<name>/tests/**: any function.
            if len(parts) > 3 and parts[0] in ("crates", "tools") and parts[2] == "tests":
                names.update(FN_RE.findall(text))
            names.update(RUST_TEST_RE.findall(text))
    return names


def js_titles(path: Path) -> list:
    text = read_text(path) or ""
    return [re.sub(r"\\(.)", r"\1", m.group(2)) for m in JS_TITLE_RE.finditer(text)]


# ---- the doc -----------------------------------------------------------------


def split_row(line: str) -> list:
    """Cells of a Markdown table row; `|` inside backticks does not split."""
    cells, cur, in_code = [], [], False
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    for ch in body:
        if ch == "`":
            in_code = not in_code
        if ch == "|" and not in_code:
            cells.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    cells.append("".join(cur).strip())
    return cells


def ticked(cell: str) -> list:
    """The backticked items of a cell."""
    return [s.strip() for s in re.findall(r"`([^`]+)`", cell) if s.strip()]


def parse_doc(text: str):
    """Rows (line number, ID, status word, status text, code paths, tests) and
    problems with the rows themselves."""
    rows, problems = [], []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.lstrip().startswith("|"):
            continue
        cells = split_row(line)
        ident = cells[0].strip("`* ") if cells else ""
        if not EXACT_ID_RE.match(ident):
            continue
        if len(cells) != 5:
            problems.append(f"doc line {n}: {ident}: expected 5 cells (ID, meaning, status, code, tests), found {len(cells)}")
            continue
        _, meaning, status, code, tests = cells
        word = re.split(r"[\s—–:-]", status.strip("` "), maxsplit=1)[0].lower()
        if word not in STATUSES:
            problems.append(f"doc line {n}: {ident}: status must be done, partial — …, or coming — …; found {status!r}")
        elif word != "done" and len(status.strip()) <= len(word) + 2:
            problems.append(f"doc line {n}: {ident}: a {word} status says what is missing or where it comes (`{word} — …`)")
        if not meaning.strip():
            problems.append(f"doc line {n}: {ident}: the meaning is empty")
        code_items = [] if code.strip() in NONE_CELL else ticked(code)
        if code.strip() not in NONE_CELL and not code_items:
            problems.append(f"doc line {n}: {ident}: the code cell has no backticked path")
        test_items = [] if tests.strip() in NONE_CELL else ticked(tests)
        if tests.strip() not in NONE_CELL and not test_items:
            problems.append(f"doc line {n}: {ident}: the tests cell has no backticked test")
        rows.append((n, ident, word, status, code_items, test_items))
    return rows, problems


def check_test(root: Path, item: str, rust: set, titles_cache: dict):
    """None when the test exists, else why not."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", item):
        return None if item in rust else f"no Rust test function `{item}`"
    m = re.match(r"^(tests/browser/[^:]+?\.m?js)\s*:\s*(.+)$", item, re.S)
    if m:
        rel, title = m.group(1), m.group(2).strip()
        path = root / rel
        if not path.is_file():
            return f"no browser test file `{rel}`"
        titles = titles_cache.setdefault(rel, js_titles(path))
        if title.endswith("…"):
            hits = [t for t in titles if t.startswith(title[:-1])]
            if len(hits) == 1:
                return None
            return f"`{rel}`: {len(hits)} test titles start with {title[:-1]!r} (need exactly 1)"
        return None if title in titles else f"`{rel}` has no test titled {title!r}"
    if "/" in item or item.endswith((".sh", ".py", ".mjs")):
        return None if (root / item).exists() else f"no file `{item}`"
    return f"`{item}` is neither a Rust test name, a browser test, nor a file"


def check(root: Path, doc: Path, spec: Path = None):
    problems = []
    if not doc.is_file():
        return [f"no doc at {doc}"], {}
    rows, row_problems = parse_doc(doc.read_text(encoding="utf-8"))
    problems += row_problems

    seen = {}
    for n, ident, *_ in rows:
        if ident in seen:
            problems.append(f"doc line {n}: {ident} has a row already (line {seen[ident]})")
        else:
            seen[ident] = n

    rust = rust_tests(root)
    titles_cache = {}
    for n, ident, word, _status, code_items, test_items in rows:
        for p in code_items:
            if p.startswith("/") or ".." in Path(p).parts:
                problems.append(f"doc line {n}: {ident}: code path `{p}` must be relative to the repository root")
            elif not (root / p.split("#")[0]).exists():
                problems.append(f"doc line {n}: {ident}: code path `{p}` does not exist")
        for t in test_items:
            why = check_test(root, t, rust, titles_cache)
            if why:
                problems.append(f"doc line {n}: {ident}: {why}")
        if word == "done" and not test_items:
            problems.append(f"doc line {n}: {ident} is done but names no test")
        if word == "done" and not code_items:
            problems.append(f"doc line {n}: {ident} is done but names no code")

    for ident, files in sorted(ids_in_code(root).items(), key=lambda kv: id_key(kv[0])):
        if ident not in seen:
            more = f" and {len(files) - 3} more" if len(files) > 3 else ""
            problems.append(f"{ident} is used in {', '.join(files[:3])}{more} but has no row in {doc.name}")

    if spec is not None:
        if not spec.is_file():
            problems.append(f"no specification at {spec}")
        else:
            for ident in sorted(ids_in_text(spec.read_text(encoding="utf-8")), key=id_key):
                if ident not in seen:
                    problems.append(f"{ident} is in {spec.name} but has no row in {doc.name}")

    counts = {s: sum(1 for r in rows if r[2] == s) for s in STATUSES}
    counts["ids"] = len(seen)
    return problems, counts


def id_key(ident: str):
    p, n = ident.rsplit("-", 1)
    return (p, int(n))


def summary(counts: dict, problems: list) -> str:
    return (
        f"requirements: {counts.get('ids', 0)} IDs, {counts.get('done', 0)} done, "
        f"{counts.get('partial', 0)} partial, {counts.get('coming', 0)} coming, "
        f"{len(problems)} problems"
    )


def run(root: Path, doc: Path, spec: Path = None, out=sys.stdout) -> int:
    problems, counts = check(root, doc, spec)
    for p in problems:
        print(f"problem: {p}", file=out)
    print(summary(counts, problems), file=out)
    return 1 if problems else 0


# ---- self-test ---------------------------------------------------------------

FIXTURE_FILES = {
    "crates/app/src/hours.rs": (
        "//! Business hours (ARS-4); the settings of CON-1..3.\n"
        "pub fn open() -> bool { true }\n"
        "#[cfg(test)]\nmod tests {\n    #[test]\n    fn ars_4_unit() {}\n}\n"
    ),
    "crates/app/tests/hours.rs": "//! ARS-4 through the API.\n#[tokio::test]\nasync fn ars_4_api() {}\nfn helper() {}\n",
    "static/js/pages/dash.js": "// Dashboard (MON-1/2), not built.\n",
    "tests/browser/hours.test.mjs": "test('hours: it\\'s saved', async () => {});\ntest('hours: refused', () => {});\n",
    "scripts/e2e.sh": "#!/bin/sh\n",
}

GOOD_DOC = """# Requirements

| ID | meaning | status | code | tests |
| --- | --- | --- | --- | --- |
| ARS-4 | business hours | done | `crates/app/src/hours.rs` | `ars_4_unit`, `ars_4_api`, `tests/browser/hours.test.mjs: hours: it's saved` |
| CON-1 | contract | done | `crates/app/src/hours.rs` | `tests/browser/hours.test.mjs: hours: ref…`, `scripts/e2e.sh` |
| CON-2 | licence change | partial — once a day is not checked | `crates/app/` | `tests/browser/hours.test.mjs` |
| CON-3 | termination | coming — settings | — | — |
| MON-1 | resources | coming — dashboard | `static/js/pages/dash.js` | — |
| MON-2 | inflow | coming — dashboard | — | — |
"""


def self_test() -> int:
    cases = [
        ("a consistent repository passes", GOOD_DOC, None, 0, []),
        (
            "a doc missing an ID the code uses fails",
            GOOD_DOC.replace("| MON-2 | inflow | coming — dashboard | — | — |\n", ""),
            None,
            1,
            ["MON-2 is used in static/js/pages/dash.js"],
        ),
        (
            "an ID used only as a range end is missing",
            GOOD_DOC.replace("| CON-3 | termination | coming — settings | — | — |\n", ""),
            None,
            1,
            ["CON-3 is used in crates/app/src/hours.rs"],
        ),
        (
            "a test name that does not exist fails",
            GOOD_DOC.replace("`ars_4_api`", "`ars_4_no_such_test`"),
            None,
            1,
            ["no Rust test function `ars_4_no_such_test`"],
        ),
        (
            "a helper in src without #[test] is not a test",
            GOOD_DOC.replace("`ars_4_unit`", "`open`"),
            None,
            1,
            ["no Rust test function `open`"],
        ),
        (
            "a browser title that does not exist fails",
            GOOD_DOC.replace("hours: it's saved", "hours: it's lost"),
            None,
            1,
            ["has no test titled \"hours: it's lost\""],
        ),
        (
            "a missing script fails",
            GOOD_DOC.replace("`scripts/e2e.sh`", "`scripts/gone.sh`"),
            None,
            1,
            ["no file `scripts/gone.sh`"],
        ),
        (
            "a code path that does not exist fails",
            GOOD_DOC.replace("`static/js/pages/dash.js`", "`static/js/pages/dashboard.js`"),
            None,
            1,
            ["code path `static/js/pages/dashboard.js` does not exist"],
        ),
        (
            "a done row without tests fails",
            GOOD_DOC.replace(
                "| CON-3 | termination | coming — settings | — | — |",
                "| CON-3 | termination | done | `crates/app/src/hours.rs` | — |",
            ),
            None,
            1,
            ["CON-3 is done but names no test"],
        ),
        (
            "an unknown status fails",
            GOOD_DOC.replace("coming — settings", "soon"),
            None,
            1,
            ["status must be done"],
        ),
        (
            "a duplicated row fails",
            GOOD_DOC + "| MON-2 | again | coming — dashboard | — | — |\n",
            None,
            1,
            ["MON-2 has a row already"],
        ),
        (
            "with --spec, an ID of the specification without a row fails",
            GOOD_DOC,
            "- MON-1 resources\n- MON-3 tenant summary\n- ARS-1..2 numbers\n",
            1,
            ["MON-3 is in SPEC.md", "ARS-1 is in SPEC.md", "ARS-2 is in SPEC.md"],
        ),
    ]
    failed = 0
    for name, doc_text, spec_text, want_status, want_lines in cases:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            for rel, content in FIXTURE_FILES.items():
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / rel).write_text(content, encoding="utf-8")
            doc = root / "docs" / "requirements.md"
            doc.parent.mkdir(parents=True, exist_ok=True)
            doc.write_text(doc_text, encoding="utf-8")
            spec = None
            if spec_text is not None:
                spec = root / "SPEC.md"
                spec.write_text(spec_text, encoding="utf-8")
            problems, counts = check(root, doc, spec)
            status = 1 if problems else 0
            text = "\n".join(problems)
            ok = status == want_status and all(w in text for w in want_lines)
            if want_status == 0:
                ok = ok and counts == {"done": 2, "partial": 1, "coming": 3, "ids": 6}
            print(f"{'ok' if ok else 'not ok'} - {name}")
            if not ok:
                failed += 1
                print(f"    exit {status}, want {want_status}; counts {counts}")
                for p in problems:
                    print(f"    problem: {p}")
    # The ID scanner on its own.
    got = ids_in_text("CON-1..3, MON-1..MON-3, ARS-1/2/6, TEL-1/TEL-2, SVC-4–5, UI-10, XUI-1, MON-*")
    want = {"CON-1", "CON-2", "CON-3", "MON-1", "MON-2", "MON-3", "ARS-1", "ARS-2", "ARS-6",
            "TEL-1", "TEL-2", "SVC-4", "SVC-5", "UI-10"}
    ok = got == want
    print(f"{'ok' if ok else 'not ok'} - ranges, slash lists and plain IDs are found (and nothing else)")
    if not ok:
        failed += 1
        print(f"    got {sorted(got)}")
    print(f"self-test: {failed} failed")
    return 1 if failed else 0


def main() -> int:
    here = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, default=here, help="repository root (default: this script's)")
    ap.add_argument("--doc", type=Path, help="the requirements document (default: ROOT/docs/requirements.md)")
    ap.add_argument("--spec", type=Path, help="also require a row for every ID of this specification")
    ap.add_argument("--self-test", action="store_true", help="check the checker on temporary fixtures")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    root = args.root.resolve()
    return run(root, args.doc or root / "docs" / "requirements.md", args.spec)


if __name__ == "__main__":
    sys.exit(main())
