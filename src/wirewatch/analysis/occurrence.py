"""One trigger match in a sentence and what its sides are read against: the input of each
voice's reader (``analysis.pairs``, ``analysis.blame``)."""

from __future__ import annotations

from dataclasses import dataclass

from wirewatch.analysis.sides import Sentence, after
from wirewatch.analysis.triggers import Trigger
from wirewatch.models import Mention, Side

__all__ = ["Occurrence", "Sides"]

#: The actors and the targets a voice reads.
Sides = tuple[list[Side], list[Side]]


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One trigger match in a sentence, and what its sides are read against."""

    sentence: Sentence
    trigger: Trigger
    start: int
    end: int
    home: Side
    #: the voice of the sentence: who says what a speech trigger without a subject says
    speaker: Side
    #: the subject of the sentence before, for a sentence that opens with a pronoun
    subject_fallback: Mention | None
    #: the side the story last denounced or threatened: what "it", "they", "the group" of a
    #: threat that names nobody refer to
    adversary: Side | None = None
    #: the foreign side of the story's last visit, meeting or anniversary marked
    guest: Side | None = None
    #: the home person the story's title names ("Kim Jong Il's Work Published in Syria"): whom
    #: "his work", "his photo" and "the anniversary of his …" refer to
    about: Side | None = None
    #: the sides (``side_key``) home has denounced in the story so far
    home_targets: frozenset[str | None] = frozenset()
    #: every side the sentence that last denounced or threatened did so to (for ``menaced``)
    adversaries: tuple[Side, ...] = ()

    @property
    def text(self) -> str:
        return self.sentence.text

    def following(self) -> list[Mention]:
        """The mentions after the match."""
        return after(self.sentence, self.end, len(self.text))
