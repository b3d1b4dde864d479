"""Article text made safe to show in a terminal, character for character.

Escape sequences, other control characters and bidirectional overrides in an
article would act on the terminal or reorder what is shown; each is replaced by
a visible stand-in, so the text is shown literally and never executed.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]")


def _stand_in(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture": ␛ for ESC
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def visible(text: str) -> str:
    """text with every character that could act on a terminal replaced by a visible stand-in.
    Tabs become spaces; line breaks are kept."""
    return _CONTROL.sub(_stand_in, text.replace("\t", "    "))


def one_line(text: str) -> str:
    """visible(text) folded onto one line."""
    return visible(" ".join(text.split()))


def search_pattern(search: str) -> re.Pattern | None:
    """What to pick out of text for a search: each of its words where a word starts, in any case."""
    words = sorted(set(re.findall(r"\w+", search)), key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\w*", re.IGNORECASE)
