"""Finding the open case a new appeal most likely repeats.

Twenty residents reporting the same broken water main should make one case
with twenty reporters. Text is compared by character pairs, which works for
Chinese, Tibetan and Yi alike without a word splitter.
"""

from datetime import timedelta

from django.utils import timezone

from appeals.models import OPEN_STATUSES, Appeal

WINDOW = timedelta(days=14)
SIMILARITY_THRESHOLD = 0.5
CANDIDATE_LIMIT = 50  # the newest open cases at one place are plenty to compare


def character_pairs(text: str) -> set[str]:
    compact = "".join(text.split()).lower()
    return {compact[index : index + 2] for index in range(len(compact) - 1)}


def similarity(first: str, second: str) -> float:
    """Share of character pairs the two texts have in common (Jaccard)."""
    left, right = character_pairs(first), character_pairs(second)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def likely_duplicate_of(appeal: Appeal) -> Appeal | None:
    candidates = (
        Appeal.objects.filter(
            category_id=appeal.category_id,
            location_id=appeal.location_id,
            status__in=OPEN_STATUSES,
            duplicate_of__isnull=True,
            created_at__gte=timezone.now() - WINDOW,
        )
        .exclude(pk=appeal.pk)
        .order_by("-created_at")[:CANDIDATE_LIMIT]
    )
    best, best_score = None, SIMILARITY_THRESHOLD
    for candidate in candidates:
        score = similarity(appeal.description, candidate.description)
        if score >= best_score:
            best, best_score = candidate, score
    return best
