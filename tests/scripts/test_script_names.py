"""Every name a script uses is defined: scripts that only run by hand or in make bench
(not in make test) must not break unnoticed, as bench.py once did when a refactoring
removed functions its main() still called.

A small static check with the ast module (Debian's python3 has no pyflakes): a name
read inside a function must be a builtin, a module-level name, or bound in that
function or one around it (parameters, assignments, loops, with, except, imports,
comprehensions, nested definitions).
"""
import ast
import builtins
import os

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPTS = sorted(f for f in os.listdir(os.path.join(ROOT, "scripts")) if f.endswith(".py"))


def bound_names(node):
    """Names a function, class or module binds directly (not inside nested functions)."""
    names = set()
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        args = node.args
        for arg in args.posonlyargs + args.args + args.kwonlyargs:
            names.add(arg.arg)
        for arg in (args.vararg, args.kwarg):
            if arg:
                names.add(arg.arg)
    todo = list(ast.iter_child_nodes(node))
    while todo:
        child = todo.pop()
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(child.name)
            continue
        if isinstance(child, ast.Lambda):
            continue
        if isinstance(child, ast.Name) and isinstance(child.ctx, (ast.Store, ast.Del)):
            names.add(child.id)
        elif isinstance(child, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in child.names)
        elif isinstance(child, ast.ExceptHandler) and child.name:
            names.add(child.name)
        elif isinstance(child, (ast.Global, ast.Nonlocal)):
            names.update(child.names)
        todo.extend(ast.iter_child_nodes(child))
    return names


def undefined_names(tree):
    problems = []

    def visit(node, scopes):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ListComp,
                             ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            scopes = scopes + [bound_names(node)]
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load):
                if not any(child.id in scope for scope in scopes):
                    problems.append("line %d: %s" % (child.lineno, child.id))
            visit(child, scopes)

    module_attributes = {"__file__", "__name__", "__doc__"}
    visit(tree, [set(dir(builtins)) | module_attributes, bound_names(tree)])
    return problems


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_name_a_script_uses_is_defined(script):
    path = os.path.join(ROOT, "scripts", script)
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    assert undefined_names(tree) == [], script


def test_the_check_finds_a_missing_function():
    tree = ast.parse("def main():\n    rows = run_disk_request(1)\n    return rows\n")
    assert undefined_names(tree) == ["line 2: run_disk_request"]
