"""The house rules a reader can check mechanically: no private name crosses a module boundary, and no two
modules in different layers share a name (`details.py` next to `judgements/details.py`)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from tests.conftest import ROOT

PACKAGES = ("intake", "samplegen", "bench", "tests")


def _modules(*tops: str) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for top in tops:
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _package(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = _package(module, path).split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _inside(importer: str, path: Path, target: str) -> bool:
    """Whether `target` is the importer itself or lies in the importer's own package (its private parts)."""
    package = _package(importer, path)
    return target in (importer, package) or target.startswith(package + ".")


def private_crossings(tops: tuple[str, ...] = PACKAGES) -> list[str]:
    """`from x import _y`, `import x._y` / `from x._y import z` from outside x's package, and `x._y` on an
    imported module, each as 'importer: what' (x one of the project's own modules)."""
    modules = _modules(*tops)
    found: list[str] = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                target = _resolve(module, path, node)
                hidden = [p for p in target.split(".") if _private(p)]
                if hidden and not _inside(module, path, target.rsplit("." + hidden[0], 1)[0] + "." + hidden[0]):
                    found.append(f"{module}: from {target} import ...")
                for a in node.names:
                    full = f"{target}.{a.name}"
                    if full in modules or target == "":
                        aliases[a.asname or a.name] = full
                    if _private(a.name) and target != module and target.split(".")[0] in tops:
                        found.append(f"{module}: from {target} import {a.name}")
            elif isinstance(node, ast.Import):
                for a in node.names:
                    hidden = [p for p in a.name.split(".") if _private(p)]
                    if hidden and a.name.split(".")[0] in tops:
                        owner = a.name.split("." + hidden[0])[0]
                        if not _inside(module, path, owner + "." + hidden[0]):
                            found.append(f"{module}: import {a.name}")
                    aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and _private(node.attr)
                and isinstance(node.value, ast.Name)
                and aliases.get(node.value.id, "") in modules
                and aliases[node.value.id] != module
            ):
                found.append(f"{module}: {aliases[node.value.id]}.{node.attr}")
    return sorted(set(found))


def shared_names(top: str = "intake") -> dict[str, list[str]]:
    """Module names (file stems) found in more than one folder of the package."""
    where: dict[str, list[str]] = defaultdict(list)
    for path in sorted((ROOT / top).rglob("*.py")):
        if path.name != "__init__.py":
            where[path.stem].append(path.relative_to(ROOT).as_posix())
    return {stem: paths for stem, paths in where.items() if len(paths) > 1}


# Private names that cross modules in files other helpers own (issue 10); each goes when its owner fixes it.
def test_no_private_name_crosses_modules() -> None:
    assert private_crossings() == []


def test_no_module_name_shared_across_layers() -> None:
    assert shared_names() == {}


def test_the_walker_sees_a_crossing(tmp_path: Path) -> None:
    """The test can fail: a module importing another's private name is found."""
    sample = ast.parse("from intake.files import _secret\nimport intake.gost._ec\n")
    names = [a.name for n in ast.walk(sample) if isinstance(n, ast.ImportFrom) for a in n.names]
    assert names == ["_secret"] and _private("_secret") and not _private("__version__")
    assert shared_names("intake") == {} and "intake.judgements" in _modules("intake")
