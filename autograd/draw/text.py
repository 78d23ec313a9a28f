"""How a drawing writes text: escaped so that every label shows exactly as written, and measured.

Every text of a drawing goes through one of three escapes: ``escape_record`` inside a value's
record, ``escape_plain`` for any other label (an operation, an edge, a tooltip), ``escape_html``
inside the HTML-like caption. So no character can end a record field, start an HTML-like label or
make the DOT text invalid, and no ``&`` can start a character reference that Graphviz would decode
(``&amp;`` drawn as ``&``, ``&#1;`` making the SVG invalid XML). ``text_width`` guesses how wide a
text will be before Graphviz lays it out.

>>> print(escape_record("{x} | y"))
\\{x\\} \\| y
"""

from __future__ import annotations

from autograd.draw.render import verbatim

__all__ = ["escape_html", "escape_plain", "escape_record", "plural", "text_width", "visible"]

# Graphviz decodes character references in labels and tooltips (then writes the text escaped for
# SVG), so a "&" is written as the reference "&amp;" to come out as itself
_RECORD_SPECIAL = str.maketrans({c: "\\" + c for c in '|{}<>"'} | {"\\": "\\\\", "\n": "\\n", "&": "&amp;"})
_PLAIN_SPECIAL = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "&": "&amp;"})
_HTML_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})


def _is_invisible(character: str) -> bool:
    """A control character other than newline, a lone surrogate, or U+FFFE/U+FFFF.

    DOT cannot hold a NUL, an SVG (XML) cannot hold the other C0 controls, surrogates or U+FFFE/U+FFFF,
    and the rest of the controls draw as nothing: all of them are written out as escapes instead.
    """
    code = ord(character)
    return (
        (code < 0x20 and character != "\n")
        or 0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or code in (0xFFFE, 0xFFFF)
    )


def visible(text: str) -> str:
    r"""``text`` with each invisible character written as its Python escape (``\x00``, ``\t``, ...).

    >>> visible("a\tb") == r"a\tb", visible("plain")
    (True, 'plain')
    """
    if not any(_is_invisible(character) for character in text):
        return text
    return "".join(
        character.encode("unicode_escape", "backslashreplace").decode("ascii")
        if _is_invisible(character)
        else character
        for character in text
    )


def escape_record(text: str) -> str:
    r"""``text`` as it must be written inside a record label, so that it shows as written.

    >>> print(escape_record('a|b {c} <d> "e" \\'))
    a\|b \{c\} \<d\> \"e\" \\
    >>> print(escape_record("nul\x00"), escape_record("R&D"))
    nul\\x00 R&amp;D
    """
    return visible(text).translate(_RECORD_SPECIAL)


def escape_plain(text: str) -> str:
    """``text`` as a label that is not a record (an operation, an edge, a title): shown as written.

    >>> print(escape_plain('say "hi" & go'))
    say \\"hi\\" &amp; go
    """
    return verbatim(visible(text).translate(_PLAIN_SPECIAL))


def escape_html(text: str) -> str:
    """``text`` inside an HTML-like label (the caption and key), shown as written, lines kept.

    >>> escape_html("a < b\\nR&D")
    'a &lt; b<BR/>R&amp;D'
    """
    return "<BR/>".join(visible(line).translate(_HTML_SPECIAL) for line in text.split("\n"))


def plural(count: int, word: str) -> str:
    """``count`` and ``word``, in the plural unless ``count`` is 1.

    >>> plural(1, "node"), plural(3, "node")
    ('1 node', '3 nodes')
    """
    return f"{count} {word}{'' if count == 1 else 's'}"


# Rough widths of Helvetica's characters, in ems: enough to compare texts and to guess how wide a
# drawing will be before Graphviz lays it out (Graphviz then measures the real ones).
_NARROW = frozenset(" .,:;'!|ijlftrI()[]{}-")
_WIDE = frozenset("mwMW@%")


def text_width(text: str, size: float = 11.0) -> float:
    """About how wide ``text`` is in Helvetica at ``size`` points.

    >>> text_width("0.5") < text_width("-0.5") < text_width("-0.25")
    True
    """
    return size * sum(0.3 if c in _NARROW else 0.85 if c in _WIDE or c.isupper() else 0.56 for c in text)
