"""The package's import structure: any module may be imported first, and the core stands on its own.

``autograd_nb/__init__.py`` imports the public names; the order of its lines must not matter. Each test
starts a fresh interpreter in which the package is a bare namespace (its ``__init__`` skipped), imports one
module first, then the rest, and uses the result.
"""
import pathlib
import subprocess
import sys

import pytest

import autograd_nb

PACKAGE = pathlib.Path(autograd_nb.__file__).parent
MODULES = sorted(
    ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
    for p in PACKAGE.rglob("*.py")
)
CORE = ["autograd_nb.tensor", "autograd_nb.function", "autograd_nb.engine", "autograd_nb.grad_mode"]

_FIRST = """
import importlib, sys, types
package = types.ModuleType("autograd_nb")
package.__path__ = [{path!r}]
sys.modules["autograd_nb"] = package          # the package's __init__ does not run
importlib.import_module({first!r})
for name in {rest!r}:
    importlib.import_module(name)
from autograd_nb.tensor import Tensor
x = Tensor(__import__("numpy").ones(3, dtype="float32"), requires_grad=True)
(x * x).sum().backward()
assert x.grad.tolist() == [2.0, 2.0, 2.0]
print(sorted(m for m in sys.modules if m.startswith("autograd_nb")))
"""


def _run(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


# (viz and widgets sit on top of everything else and import nothing back: left out to keep this quick)
@pytest.mark.parametrize("first", [m for m in MODULES if m != "autograd_nb" and m.split(".")[1] not in ("viz", "widgets")])
def test_any_module_can_be_imported_first(first):
    rest = [m for m in MODULES if m not in ("autograd_nb", first) and m.split(".")[1] not in ("viz", "widgets")]
    result = _run(_FIRST.format(path=str(PACKAGE), first=first, rest=rest))
    assert result.returncode == 0, result.stderr


def test_the_core_does_not_import_the_public_packages_built_on_it():
    """Importing the core (tensor, function, engine, grad_mode) loads none of autograd, nn, optim, viz or
    widgets."""
    code = _FIRST.format(path=str(PACKAGE), first="autograd_nb.tensor", rest=CORE)
    result = _run(code)
    assert result.returncode == 0, result.stderr
    loaded = eval(result.stdout.strip().splitlines()[-1])
    public = [m for m in loaded if m.split(".")[1:2] in (["autograd"], ["nn"], ["optim"], ["viz"], ["widgets"])]
    assert public == [], public
    assert "autograd_nb.ops" in loaded and "autograd_nb.forward_mode" in loaded


def test_the_order_of_the_package_imports_does_not_matter():
    """``__init__.py`` with its import statements in reverse order still gives a working package."""
    import ast

    source = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    imports = [node for node in ast.parse(source).body if isinstance(node, ast.ImportFrom) and node.level == 1]
    assert len(imports) >= 5
    statements = [ast.unparse(ast.ImportFrom(module=("autograd_nb." + node.module) if node.module else "autograd_nb",
                                             names=node.names, level=0)) for node in reversed(imports)]
    code = (f"import sys, types\npackage = types.ModuleType('autograd_nb')\n"
            f"package.__path__ = [{str(PACKAGE)!r}]\nsys.modules['autograd_nb'] = package\n"
            + "\n".join(statements)
            + "\nx = tensor([1.0, 2.0], requires_grad=True)\n(x * x).sum().backward()\nprint(x.grad.tolist())\n")
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[2.0, 4.0]"


def test_no_hand_made_type_caches_or_private_state_writes_in_the_core():
    for name in ("tensor", "function", "engine", "grad_mode", "quiet", "forward_mode"):
        source = (PACKAGE / f"{name}.py").read_text(encoding="utf-8")
        assert "_tensor_type" not in source and "sys.getrefcount" not in source, name
        assert "._state." not in source, name
