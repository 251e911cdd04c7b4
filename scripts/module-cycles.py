#!/usr/bin/env python3
"""Finds module-level dependency circles inside a Rust crate.

    python3 scripts/module-cycles.py [crates/app/src] [--graph] [--layers]
    python3 scripts/module-cycles.py --self-test

Each file is a module (`a/b.rs` and `a/b/mod.rs` are `crate::a::b`). A module
depends on another when its non-test code names it: `crate::a::b::Item`,
`super::x`, `self::x`, or a child it declares (`mod x;` then `x::f`). Test
modules (`#[cfg(test)] mod … { … }`) are left out: a test may reach anywhere.

The top-level folders are layers: a folder that uses another which uses
it back is a circle as well. Prints every strongly connected component of more than one module (a
circle: each of its modules reaches every other) and exits 1 when there is
one, 0 when there is none. `--graph` prints each module's dependencies;
`--layers` prints which top-level folders depend on which.

Why a script and not `cargo modules`: that tool builds rust-analyzer (minutes
on two cores) and answers a larger question; this one reads `use` paths,
which is all a circle between files needs, and runs in a second.
"""

import re
import sys
from pathlib import Path


def module_of(root: Path, f: Path) -> tuple:
    rel = f.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)


def strip_tests_and_comments(text: str) -> str:
    # Drop comments (line and doc comments; block comments are rare here).
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    # Drop #[cfg(test)] items: find the attribute, then the braced item after.
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]", text):
        if m.start() < i:
            continue
        out.append(text[i : m.start()])
        j = text.find("{", m.end())
        semi = text.find(";", m.end())
        if j == -1 or (semi != -1 and semi < j):
            i = semi + 1 if semi != -1 else len(text)
            continue
        depth, k = 0, j
        while k < len(text):
            if text[k] == "{":
                depth += 1
            elif text[k] == "}":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        i = k + 1
    out.append(text[i:])
    return "".join(out)


def expand(path_text: str) -> list:
    """`a::{b, c::{d, e}}` -> [[a,b],[a,c,d],[a,c,e]]."""
    path_text = path_text.strip()
    if not path_text:
        return []
    brace = path_text.find("{")
    if brace == -1:
        segs = [s.strip() for s in path_text.split("::") if s.strip()]
        segs = [s.split(" as ")[0].strip() for s in segs]
        return [segs] if segs else []
    prefix = [s for s in path_text[:brace].split("::") if s.strip()]
    inner = path_text[brace + 1 : path_text.rfind("}")]
    items, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            items.append(cur)
            cur = ""
        else:
            cur += ch
    items.append(cur)
    result = []
    for it in items:
        for sub in expand(it):
            result.append([p.strip() for p in prefix] + sub)
    return result


PATH_RE = re.compile(r"\b(crate|super|self)((?:::(?:[A-Za-z_][A-Za-z0-9_]*|\{[^;]*?\}))+)")


def references(text: str) -> list:
    refs = []
    for m in PATH_RE.finditer(text):
        head, rest = m.group(1), m.group(2)
        # Balance braces in `rest` (the lazy match may stop early).
        if rest.count("{") != rest.count("}"):
            start = m.start(2)
            depth, k = 0, start
            while k < len(text):
                if text[k] == "{":
                    depth += 1
                elif text[k] == "}":
                    depth -= 1
                    if depth == 0:
                        k += 1
                        break
                elif text[k] in ";" and depth == 0:
                    break
                k += 1
            rest = text[start:k]
        for segs in expand(rest.lstrip(":")):
            refs.append([head] + segs)
    return refs


def self_test() -> int:
    """The checker finds what it is for: a circle between two files, one
    between folders, none in a tree that only points down, and ignores test
    modules and comments."""
    import subprocess
    import tempfile

    def run(tree: dict) -> int:
        with tempfile.TemporaryDirectory() as d:
            for path, text in tree.items():
                f = Path(d) / path
                f.parent.mkdir(parents=True, exist_ok=True)
                f.write_text(text)
            return subprocess.run([sys.executable, __file__, d], capture_output=True).returncode

    lib = "mod a;\nmod b;\n"
    cases = [
        ("two files using each other", 1,
         {"lib.rs": lib, "a.rs": "use crate::b::X;", "b.rs": "use crate::a::Y;"}),
        ("a brace group closes the circle", 1,
         {"lib.rs": lib, "a.rs": "use crate::{b, c};", "b.rs": "fn f() { crate::a::g() }"}),
        ("folders using each other through different files", 1,
         {"lib.rs": "mod p;\nmod q;", "p/mod.rs": "mod x;\nmod y;", "p/x.rs": "use crate::q::z;",
          "p/y.rs": "", "q/mod.rs": "mod z;\nmod w;", "q/z.rs": "", "q/w.rs": "use crate::p::y;"}),
        ("only pointing down", 0,
         {"lib.rs": lib, "a.rs": "use crate::b::X;", "b.rs": "pub struct X;"}),
        ("tests and comments do not count", 0,
         {"lib.rs": lib, "a.rs": "use crate::b::X;",
          "b.rs": "// crate::a::Y\n#[cfg(test)]\nmod tests {\n use crate::a::Y;\n}\n"}),
    ]
    bad = 0
    for name, want, tree in cases:
        got = run(tree)
        ok = got == want
        bad += not ok
        print(f"{'ok' if ok else 'NOT OK'} - {name} (exit {got}, want {want})")
    return 1 if bad else 0


def main() -> int:
    if "--self-test" in sys.argv:
        return self_test()
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = Path(args[0] if args else "crates/app/src")
    files = sorted(root.rglob("*.rs"))
    mods = {module_of(root, f): f for f in files}
    deps = {m: set() for m in mods}

    def resolve(path: list):
        # Longest prefix that is a module; `Item`s beyond it stay in it.
        for n in range(len(path), 0, -1):
            if tuple(path[:n]) in mods:
                return tuple(path[:n])
        return None

    for m, f in mods.items():
        text = strip_tests_and_comments(f.read_text())
        children = set(re.findall(r"^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+([a-z_0-9]+)\s*;", text, re.M))
        is_dir_mod = f.name in ("mod.rs", "lib.rs", "main.rs")
        here = list(m) if is_dir_mod else list(m[:-1])  # `self`'s folder
        for ref in references(text):
            head, segs = ref[0], ref[1:]
            if head == "crate":
                target = resolve(segs)
            elif head == "super":
                base = list(m)[:-1]
                while segs and segs[0] == "super":
                    base = base[:-1]
                    segs = segs[1:]
                target = resolve(base + segs)
            else:  # self
                target = resolve(list(m) + segs)
            if target is not None and target != m and target != ():
                deps[m].add(target)
        for child in children:
            if re.search(r"\b" + child + r"::", text):
                target = resolve(list(m) + [child]) if is_dir_mod else resolve(here + [m[-1], child])
                if target is not None and target != m:
                    deps[m].add(target)

    name = lambda m: "::".join(m) or "crate"

    if "--graph" in sys.argv:
        for m in sorted(deps):
            print(f"{name(m)} -> {', '.join(sorted(name(d) for d in deps[m]))}")

    # Top-level folders (and root files) as layers: a circle between two
    # folders is a circle too, even when no two files form one.
    layer = lambda m: m[0] if m else "crate"
    edges = {}
    for m, ds in deps.items():
        for d in ds:
            if layer(m) != layer(d):
                edges.setdefault(layer(m), set()).add(layer(d))
    if "--layers" in sys.argv:
        for l in sorted(edges):
            print(f"{l}/ uses {', '.join(sorted(edges[l]))}")

    # Tarjan's strongly connected components.
    index, low, stack, on, sccs = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10000)

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in deps[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            sccs.append(comp)

    for v in deps:
        if v not in index:
            strong(v)
    circles = [c for c in sccs if len(c) > 1]
    # The same over the folder graph.
    file_deps = deps
    deps = {l: set() for l in set(map(layer, file_deps)) | set(edges)}
    for l, ds in edges.items():
        deps[l] |= ds
    index.clear(); low.clear(); stack.clear(); on.clear()
    sccs = []
    for v in deps:
        if v not in index:
            strong(v)
    folder_circles = [c for c in sccs if len(c) > 1]
    for c in folder_circles:
        print(f"circle between folders: {', '.join(sorted(c))}")
    deps = file_deps
    for c in circles:
        print(f"circle of {len(c)} modules:")
        for m in sorted(c):
            inside = sorted(name(d) for d in deps[m] if d in c)
            print(f"  {name(m)} -> {', '.join(inside)}")
    print(f"{len(mods)} modules, {sum(len(d) for d in deps.values())} dependencies, "
          f"{len(circles)} circle(s) between files, {len(folder_circles)} between folders")
    return 1 if circles or folder_circles else 0


if __name__ == "__main__":
    sys.exit(main())
