"""The language of the words the package shows: legends and titles of pictures, the explorers'
buttons, captions and explanations.

    import autograd_nb as torch
    torch.set_language("zh")      # 简体中文
    torch.set_language("en")      # English, the default
    torch.get_language()          # "en" or "zh"

Pictures and explorers also take ``language="zh"`` for themselves alone. A picture's words are
fixed when it is made, and an explorer keeps the language it was opened in.

What stays English in every language: whatever PyTorch itself prints (error messages, warnings,
reprs, node names such as ``MulBackward0``), since that is what you will read when you use PyTorch.

Each module that shows words keeps them in one ``Messages`` table, with the same keys in every
language (``viz/labels.py``, the models in ``widgets/``), so a picture or an explorer changes
language without a single ``if`` in its drawing code.

Chinese needs a font with Chinese glyphs. The pictures are SVG, and their font list names common
ones (``CJK_FONTS``), from which the browser takes every character the first fonts lack. matplotlib
does the same once the language is "zh": ``set_language`` adds the first of these fonts it can find
to the end of ``font.family``.
"""
import contextlib
import functools
import os
import warnings

__all__ = ["LANGUAGES", "Messages", "get_language", "set_language", "using_language", "with_language"]

LANGUAGES = ("en", "zh")

# Fonts with Chinese glyphs: Noto CJK and WenQuanYi (Linux), PingFang and Hiragino (macOS), Microsoft
# YaHei and SimHei (Windows); monospaced ones first, as the pictures' text is monospaced.
CJK_MONO_FONTS = ("Noto Sans Mono CJK SC", "WenQuanYi Micro Hei Mono")
CJK_SANS_FONTS = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Sans SC", "PingFang SC",
                  "Hiragino Sans GB", "Microsoft YaHei", "SimHei")
CJK_FONTS = CJK_MONO_FONTS + CJK_SANS_FONTS
# How their files are named, to find one installed after matplotlib made its font cache.
_CJK_FILES = ("notosanscjk", "notosansmonocjk", "wqy-microhei", "sourcehansans", "pingfang", "hiragino",
              "msyh", "simhei")

_current = "en"
_font_family_before = None  # matplotlib's font.family before "zh" added a CJK font to it


def get_language():
    """The language of the words pictures and explorers show: "en" or "zh"."""
    return _current


def set_language(language):
    """Show the words of pictures and explorers in ``language``: "en" (English) or "zh" (简体中文).

    PyTorch's own messages stay English. With "zh", matplotlib gets a CJK font to fall back on.
    """
    global _current
    _current = _checked(language)
    _matplotlib_fonts(_current == "zh")


@contextlib.contextmanager
def using_language(language):
    """``with using_language("zh"):`` the words inside are Chinese; ``None`` keeps the language."""
    global _current
    before = _current
    _current = before if language is None else _checked(language)
    try:
        yield _current
    finally:
        _current = before


def with_language(function):
    """Give ``function`` a ``language=`` argument: it runs in that language (None: the current one)."""
    @functools.wraps(function)
    def wrapper(*args, language=None, **kwargs):
        with using_language(language):
            return function(*args, **kwargs)

    return wrapper


def _checked(language):
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    return language


class Messages:
    """Words in every language, read in the current one: ``WORDS["title"]``.

    ``en`` and ``zh`` are dicts with the same keys; a value is a string (often with ``{fields}``
    for ``.format``), a dict of strings, or a function of a number (for plurals).
    """

    def __init__(self, en, zh):
        different = sorted(set(en) ^ set(zh))
        if different:
            raise ValueError(f"the languages must have the same keys; not in both: {different}")
        self.tables = {"en": en, "zh": zh}

    def __getitem__(self, key):
        return self.tables[_current][key]

    def __contains__(self, key):
        return key in self.tables["en"]


# -- fonts ------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def cjk_font(monospace=False):
    """The name of a font with Chinese glyphs that matplotlib can use (a monospaced one if there is
    one and ``monospace``), or None if it finds none."""
    from matplotlib import font_manager

    order = CJK_FONTS if monospace else CJK_SANS_FONTS + CJK_MONO_FONTS

    def first():
        known = {font.name for font in font_manager.fontManager.ttflist}
        return next((name for name in order if name in known), None)

    if first() is None:  # installed after matplotlib cached its list of fonts: add the files
        for path in sorted(font_manager.findSystemFonts()):
            if any(hint in os.path.basename(path).lower() for hint in _CJK_FILES):
                with contextlib.suppress(Exception):  # a file matplotlib cannot read
                    font_manager.fontManager.addfont(path)
    return first()


def matplotlib_family(family):
    """``[family]`` plus a CJK font to fall back on, for matplotlib's ``family=`` argument."""
    cjk = cjk_font(monospace=family == "monospace")
    return [family] if cjk is None else [family, cjk]


def _matplotlib_fonts(on):
    """Add a CJK font to the end of matplotlib's ``font.family`` (``on``), or put it back as it was."""
    global _font_family_before
    if not on:
        if _font_family_before is not None:
            import matplotlib

            matplotlib.rcParams["font.family"] = _font_family_before
            _font_family_before = None
        return
    import matplotlib

    family = list(matplotlib.rcParams["font.family"])
    cjk = cjk_font()
    if cjk is None:
        warnings.warn("no font with Chinese glyphs found: Chinese text in matplotlib figures will show "
                      "as boxes (on Debian or Ubuntu: apt install fonts-noto-cjk)", stacklevel=3)
        return
    if cjk not in family:
        _font_family_before = family
        matplotlib.rcParams["font.family"] = family + [cjk]
