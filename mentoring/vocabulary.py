"""The words mentoring forms offer: career interests and meeting topics.

Both lists are suggestions, not a closed set: every form also takes free text, and the
pairing optimiser matches words through `mentoring.pairing.topic_key`, so "QI" and
"quality improvement" still meet.
"""

from collections.abc import Iterable

#: Career goals and interests residents and mentors choose from (DOMAIN.md, Mentoring).
INTERESTS = (
    "primary care",
    "hospital medicine",
    "cardiology fellowship",
    "GI fellowship",
    "pulmonary/critical care fellowship",
    "medical education",
    "quality improvement",
    "research",
    "global health",
    "leadership",
    "geriatrics",
    "palliative care",
)

#: What a mentoring meeting may be about.
MEETING_TOPICS = (
    "career planning",
    "fellowship applications",
    "job search",
    "research or scholarly project",
    "quality improvement project",
    "clinical skills",
    "evaluations and feedback",
    "board preparation",
    "teaching",
    "leadership",
    "well-being",
    "work-life balance",
)

MAX_FREE_TEXT_TERMS = 10
MAX_TERM_LENGTH = 60


def split_free_text(text: str) -> list[str]:
    """Return the comma- or semicolon-separated terms of `text`, trimmed, without blanks."""
    parts = text.replace(";", ",").split(",")
    return [" ".join(part.split()) for part in parts if part.strip()]


def merge_terms(chosen: Iterable[str], free_text: Iterable[str]) -> list[str]:
    """Return chosen vocabulary terms then free-text terms, each once (case-insensitive)."""
    seen: set[str] = set()
    terms = []
    for term in [*chosen, *free_text]:
        key = term.strip().lower()
        if key and key not in seen:
            seen.add(key)
            terms.append(term.strip())
    return terms


def split_known(terms: Iterable[str], vocabulary: Iterable[str]) -> tuple[list[str], list[str]]:
    """Return (terms found in `vocabulary`, in its spelling; the other terms), for a form."""
    known = {word.lower(): word for word in vocabulary}
    chosen, other = [], []
    for term in terms:
        if term.lower() in known:
            chosen.append(known[term.lower()])
        else:
            other.append(term)
    return chosen, other
