"""练习的检查：中文课程与英文课程共用 ``notebooks/checks.py``（提示和解释两种语言都有）。

The Chinese lessons run in this folder and import ``check`` from here; it is the English lessons' own
``check``, loaded from the folder above, answering in the language the lesson set.
"""
import importlib.util
import pathlib

_spec = importlib.util.spec_from_file_location("autograd_nb_lesson_checks",
                                               pathlib.Path(__file__).resolve().parent.parent / "checks.py")
_checks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_checks)

check = _checks.check
