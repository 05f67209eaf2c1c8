"""papermill support for brpsh: parameters written as brpsh assignments.

`papermill nb.ipynb out.ipynb -k brpsh -p n 100 -p fast true -p name nil -y "K: [1, 2]"` injects

    n = 100
    fast = true
    name = nil
    K = [1, 2]

Python values map to brpsh literals: None → nil, bools → true/false, ints and floats as written (a float that is
infinite or NaN is refused: brpsh numbers are finite), strings as brpsh strings (backslashes, quotes and control
characters escaped), lists → [...], dicts → records {name: value} (keys must be names). papermill's `-p` turns only
True/False/None and numbers into Python values; so that `-p fast true -p name nil` mean what they say in brpsh, the
exact strings "true", "false" and "nil" become brpsh's true, false and nil. Lists and records come from `-y` (YAML)
or `-f` (a parameters file).
"""
import math
import re

from papermill.engines import NBClientEngine
from papermill.translators import Translator, papermill_translators

__all__ = ["BrpshTranslator", "BrpshEngine"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LITERALS = {"true": "true", "false": "false", "nil": "nil"}


class BrpshTranslator(Translator):
    """Python values as brpsh source."""

    @classmethod
    def translate_raw_str(cls, val):
        return str(val)

    @classmethod
    def translate_escaped_str(cls, str_val):
        out = []
        for ch in str_val:
            if ch == "\\":
                out.append("\\\\")
            elif ch == '"':
                out.append('\\"')
            elif ch == "\n":
                out.append("\\n")
            elif ch == "\t":
                out.append("\\t")
            elif ch == "\r":
                out.append("\\r")
            elif ord(ch) < 0x20 or ord(ch) == 0x7F:
                out.append("\\u{%x}" % ord(ch))
            else:
                out.append(ch)
        return '"' + "".join(out) + '"'

    @classmethod
    def translate_str(cls, val):
        if val in _LITERALS:
            return _LITERALS[val]
        return cls.translate_escaped_str(val)

    @classmethod
    def translate_none(cls, val):
        return "nil"

    @classmethod
    def translate_bool(cls, val):
        return "true" if val else "false"

    @classmethod
    def translate_int(cls, val):
        return str(val)

    @classmethod
    def translate_float(cls, val):
        if math.isinf(val) or math.isnan(val):
            raise ValueError(f"brpsh numbers are finite; cannot pass {val!r}")
        return repr(val)

    @classmethod
    def translate_dict(cls, val):
        fields = []
        for k, v in val.items():
            if not isinstance(k, str) or not _NAME.match(k):
                raise ValueError(f"a brpsh record's field names are names; cannot pass the key {k!r}")
            fields.append(f"{k}: {cls.translate(v)}")
        return "{" + ", ".join(fields) + "}"

    @classmethod
    def translate_list(cls, val):
        return "[" + ", ".join(cls.translate(v) for v in val) + "]"

    @classmethod
    def comment(cls, cmt_str):
        return f"# {cmt_str}".strip()

    @classmethod
    def assign(cls, name, str_val):
        if not _NAME.match(name):
            raise ValueError(f"{name!r} is not a brpsh name")
        return f"{name} = {str_val}"


class BrpshEngine(NBClientEngine):
    """papermill's default engine, under the name brpsh (loading it registers the translator)."""


papermill_translators.register("brpsh", BrpshTranslator)
