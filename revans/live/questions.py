"""Recognising questions, and gentle hints about the kinds METHOD.md discourages.

Only ground rule 1 is enforced (a statement that answers no question is refused); every hint
is advice shown to the asker alone, never a refusal.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

INTERROGATIVES = {
    "what", "how", "why", "who", "whom", "whose", "where", "when", "which",
    "is", "are", "am", "was", "were", "do", "does", "did", "can", "could", "would", "will",
    "should", "shall", "may", "might", "must", "have", "has", "had", "isn't", "aren't",
    "don't", "doesn't", "didn't", "can't", "couldn't", "wouldn't", "won't", "shouldn't",
    "haven't", "hasn't",
}  # fmt: skip
# Open invitations phrased as requests are questions in Action Learning.
INVITATIONS = (
    "tell me",
    "tell us",
    "say more",
    "describe",
    "explain",
    "talk me through",
    "talk us through",
    "walk me through",
    "walk us through",
    "help me understand",
    "help us understand",
    "i wonder",
)
CLOSED_OPENERS = {
    "is", "are", "am", "was", "were", "do", "does", "did", "can", "could", "will", "would",
    "has", "have", "had", "should", "shall", "isn't", "aren't", "don't", "doesn't", "didn't",
}  # fmt: skip
LEADING = re.compile(
    r"\b(have you (thought about|considered|tried)|why don'?t you|why not\b|wouldn'?t it be|"
    r"shouldn'?t you|couldn'?t you( just)?|isn'?t it better|what if you just)",
    re.IGNORECASE,
)
JUDGING_WHY = re.compile(r"^\s*why (are|were|did|didn'?t|haven'?t|hasn'?t|is|isn'?t) ", re.I)
STACK_JOINER = re.compile(
    r"\b(and|or)\s+(what|how|why|who|where|when|which|do|does|did|is|are|can|could|would)\b",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"[.!?]+(\s+|$)")
# Beyond this, a "question" is mostly story told before it.
SHORT_QUESTION_CHARS = 200
PREAMBLE_SENTENCES = 2


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower().replace("\u2019", "'"))


def is_question(text: str) -> bool:
    """A question ends with '?' or, when short, opens as a question or an open invitation."""
    cleaned = (text or "").strip()
    if not cleaned:
        return False
    if cleaned.rstrip(" \"')\u201d").endswith("?"):
        return True
    if len(cleaned) > SHORT_QUESTION_CHARS or len(SENTENCE_END.findall(cleaned)) > 1:
        return False
    lowered = " ".join(_words(cleaned))
    words = lowered.split()
    if words and words[0] in INTERROGATIVES:
        return True
    return any(lowered.startswith(opener) for opener in INVITATIONS)


def hints_for(text: str) -> list[dict]:
    """Advice for the asker, as {"code", "message"}; empty for a good, open question."""
    cleaned = (text or "").strip()
    hints: list[dict] = []
    if LEADING.search(cleaned):
        hints.append(
            {
                "code": "leading",
                "message": _(
                    "This may be advice dressed as a question. Could you ask what they think "
                    "instead, so the idea stays theirs?"
                ),
            }
        )
    if JUDGING_WHY.search(cleaned):
        hints.append(
            {
                "code": "judging_why",
                "message": _(
                    "A \u201cwhy\u201d like this can sound like judgement. \u201cWhat led "
                    "to\u2026?\u201d invites reflection rather than defence."
                ),
            }
        )
    words = _words(cleaned)
    question_marks = cleaned.count("?")
    if question_marks > 1 or (question_marks == 1 and STACK_JOINER.search(cleaned)):
        hints.append(
            {
                "code": "stacked",
                "message": _("This asks several things at once. Try asking one of them first."),
            }
        )
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", cleaned) if s]
    if len(sentences) > PREAMBLE_SENTENCES or len(cleaned) > SHORT_QUESTION_CHARS:
        hints.append(
            {
                "code": "long_preamble",
                "message": _(
                    "There is a lot before the question. A short question in their own words "
                    "leaves more room for their thinking."
                ),
            }
        )
    last = sentences[-1] if sentences else cleaned
    last_words = _words(last)
    if (
        last_words
        and last_words[0] in CLOSED_OPENERS
        and not any(h["code"] == "leading" for h in hints)
        and words
    ):
        hints.append(
            {
                "code": "closed",
                "message": _(
                    "This can be answered yes or no. An open question (what, how) may help "
                    "them think further."
                ),
            }
        )
    return hints
