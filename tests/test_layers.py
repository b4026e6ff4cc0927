"""The layers of fonds, kept by a test: every import under fonds/ (at the top of a module and
inside functions, `import x` and `from x import y`, relative ones resolved) runs downwards only.

A unit is a package under fonds/ (fonds/reviews/) or a shared module (fonds/money.py); the app
factory fonds/__init__.py is the unit "fonds". A unit may import itself and every unit on a lower
level. Units on one level must not import each other, except the shared modules at the bottom.
Two more rules: no module imports another package's view module, and a package's view modules
are imported only by that package's __init__ (which registers them)."""

from __future__ import annotations

import ast
from pathlib import Path

# The allowed order, lowest first.
LAYERS: list[tuple[str, ...]] = [
    # Shared pieces every domain may use; they may use each other.
    (
        "extensions",
        "columns",
        "money",
        "formatting",
        "ids",
        "fields",
        "i18n",
        "requests",
        "sessions",
        "permissions",
        "roles",
        "queue",
        "refusals",
        "runner",
        "workflow",
        "mail",
    ),
    ("auth",),
    ("organisations",),
    ("rounds",),
    ("applications",),
    ("screening", "assignments", "reviews"),
    ("decisions",),
    ("ranking",),
    ("letters",),
    # Pages that gather many domains, and the demo data.
    ("pages", "people", "demo"),
    # The app factory, fonds/__init__.py: it registers every package.
    ("fonds",),
]
SHARED = LAYERS[0]

# Every import that runs against the order, once: (importer, imported, why). Modules by their
# dotted names; the imported name may be a module or a package.
EXCEPTIONS: list[tuple[str, str, str]] = [
    (
        "fonds.auth.models",
        "fonds.organisations.models",
        "User.memberships: the organisations a person belongs to (a type name only)",
    ),
    (
        "fonds.auth.operations",
        "fonds.organisations.models",
        "registering creates the applicant's organisation; an accepted invitation a membership",
    ),
    (
        "fonds.rounds.operations",
        "fonds.reviews.models",
        "the rubric is locked once a review of the round is submitted",
    ),
    (
        "fonds.rounds.operations",
        "fonds.applications.models",
        "the rubric lock finds the round's reviews through its applications",
    ),
    (
        "fonds.rounds.work",
        "fonds.applications.models",
        "the administrators' rounds page counts the work waiting per round",
    ),
    (
        "fonds.rounds.work",
        "fonds.assignments.operations",
        "... including the applications that still need reviewers",
    ),
    ("fonds.rounds.work", "fonds.letters.batch", "... and the decided ones without a letter"),
    ("fonds.rounds.work", "fonds.letters.models", "... (the letter kind per status)"),
    (
        "fonds.assignments.operations",
        "fonds.reviews.models",
        "an assignment is a Review row: assigning makes one, unassigning deletes it",
    ),
    (
        "fonds.assignments.views",
        "fonds.reviews.models",
        "the assignment pages list a round's Review rows",
    ),
    (
        "fonds.applications.workflow",
        "fonds.reviews.queries",
        "the workflow table's guards: a declared conflict, all reviews in",
    ),
    (
        "fonds.applications.workflow",
        "fonds.decisions.queries",
        "the workflow table's guards: the proposed decision a second administrator confirms",
    ),
    (
        "fonds.applications.views",
        "fonds.letters.queries",
        "the applicant's status page lists the application's letters",
    ),
    (
        "fonds.applications.views",
        "fonds.decisions.queries",
        "the applicant's status page shows the amount awarded",
    ),
    (
        "fonds.applications.attachment_views",
        "fonds.reviews.operations",
        "a reviewer may read the attachments of an application assigned to them",
    ),
    (
        "fonds.decisions.views",
        "fonds.ranking.queries",
        "the decision page shows the application's scores and flags as the ranking has them",
    ),
]

FONDS = Path(__file__).resolve().parent.parent / "fonds"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(FONDS.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[str, int]]:
    """(imported module or name, line) for every import in the file, wherever it stands."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from fonds.reviews import views` imports a module, `from x import y` maybe a name:
            # keep both, the rules below look at the longest known module.
            found.extend((f"{module}.{alias.name}", node.lineno) for alias in node.names)
    return found


MODULES = {module_name(path): path for path in sorted(FONDS.rglob("*.py"))}


def resolve(imported: str) -> str | None:
    """The fonds module an import names (`fonds.reviews.models.Review` -> fonds.reviews.models),
    or None for a library."""
    if imported != "fonds" and not imported.startswith("fonds."):
        return None
    while imported not in MODULES:
        imported = imported.rpartition(".")[0]
    return imported


def unit_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "fonds"


LEVEL = {unit: level for level, units in enumerate(LAYERS) for unit in units}


def is_view_module(module: str) -> bool:
    name = module.rpartition(".")[2]
    return name == "views" or name.endswith("_views")


def package_of(module: str) -> str:
    return module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]


def against_the_order(importer: str, imported: str) -> str | None:
    """Why this import is not allowed, or None."""
    source, target = unit_of(importer), unit_of(imported)
    if is_view_module(imported) and importer != package_of(imported):
        if package_of(importer) != package_of(imported):
            return "imports another package's view module"
        return "imports a view module (only the package's __init__ registers them)"
    if source == target:
        return None
    if LEVEL[target] < LEVEL[source]:
        return None
    if LEVEL[target] == LEVEL[source] and source in SHARED:
        return None
    if LEVEL[target] == LEVEL[source]:
        return f"{source} and {target} are on one level"
    return f"{source} is below {target}"


def violations() -> tuple[list[str], set[tuple[str, str]]]:
    """Every import against the rules (file:line), and the exceptions that were used."""
    allowed = {(importer, imported) for importer, imported, _ in EXCEPTIONS}
    used, found = set(), {}
    for importer, path in MODULES.items():
        for name, line in imports_of(path):
            imported = resolve(name)
            if imported is None or imported == importer:
                continue
            why = against_the_order(importer, imported)
            if why is None:
                continue
            if (importer, imported) in allowed:
                used.add((importer, imported))
                continue
            where = path.relative_to(FONDS.parent)
            found.setdefault(f"{where}:{line}: {importer} imports {imported}: {why}")
    return list(found), used


def test_every_unit_has_a_level():
    assert {unit_of(module) for module in MODULES} - set(LEVEL) == set()


def test_imports_follow_the_layers():
    found, _ = violations()
    assert not found, "Imports against the layers (see LAYERS at the top):\n" + "\n".join(found)


def test_every_exception_is_still_needed():
    _, used = violations()
    stale = [
        f"{importer} -> {imported}"
        for importer, imported, _ in EXCEPTIONS
        if (importer, imported) not in used
    ]
    assert not stale, "Exceptions no longer needed (remove them):\n" + "\n".join(stale)


def test_exceptions_are_listed_once_with_a_reason():
    pairs = [(importer, imported) for importer, imported, _ in EXCEPTIONS]
    assert len(pairs) == len(set(pairs))
    assert all(reason.strip() for *_, reason in EXCEPTIONS)


def test_the_rules_catch_what_they_should():
    # An upward import, an import between two units on one level, another package's views, a
    # package's own view module from elsewhere than its __init__; and what stays allowed.
    assert against_the_order("fonds.auth.operations", "fonds.letters.queries") == (
        "auth is below letters"
    )
    assert against_the_order("fonds.reviews.operations", "fonds.screening.operations") == (
        "reviews and screening are on one level"
    )
    assert against_the_order("fonds.decisions.operations", "fonds.reviews.views") == (
        "imports another package's view module"
    )
    assert against_the_order("fonds.rounds.operations", "fonds.rounds.rubric_views") == (
        "imports a view module (only the package's __init__ registers them)"
    )
    assert against_the_order("fonds.rounds", "fonds.rounds.rubric_views") is None
    assert against_the_order("fonds.letters.queries", "fonds.auth.models") is None
    assert against_the_order("fonds.money", "fonds.formatting") is None
