"""The digital inclusion score and the conditions its parts count.

The score (0 to 100) is the mean of three parts, each a share from 0 to 1;
a part with nothing to measure is left out, and the score rests on the
others (no part at all: no score). metrics/README.md explains it for
readers of the dashboards.

- Parity: the vulnerable residents' share of the answered appeals divided
  by their share of the registered residents, capped at 1. A region whose
  elderly, disabled, low-income and digitally unpractised residents get
  answers in proportion to their numbers scores 1.
- Language: of the appeals to be answered in Tibetan or Yi, the share
  answered on time with an answer written in that script.
- Assisted reach: of the appeals from vulnerable residents, the share a
  community volunteer filed for them (the assisted channel).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q

from appeals.models import Channel
from commons.registry.models import ELDERLY_AGE, VULNERABILITY_FLAGS
from metrics.periods import years_before

# Unicode blocks of the scripts the minority languages are written in:
# Tibetan (U+0F00 to U+0FFF) and Yi syllables and radicals (U+A000 to
# U+A4CF). One character of the script marks an answer as written in it.
SCRIPTS = {
    "bo": "[\u0f00-\u0fff]",
    "ii": "[\ua000-\ua4cf]",
}


@dataclass(frozen=True)
class Inclusion:
    parity: float | None
    language: float | None
    assisted: float | None
    score: float | None


def vulnerable(on: date, prefix: str = "") -> Q:
    """Residents with any vulnerability flag, or elderly on the given day.

    ``prefix`` reaches the resident through a relation, e.g. "resident__".
    """
    condition = Q(**{f"{prefix}birth_date__lte": years_before(on, ELDERLY_AGE)})
    for flag in VULNERABILITY_FLAGS:
        condition |= Q(**{f"{prefix}{flag}": True})
    return condition


def minority_language() -> Q:
    """Appeals the office was asked to answer in a minority language."""
    return Q(answer_language__in=list(SCRIPTS))


def answered_in_language() -> Q:
    """Answered by the deadline, with the answer written in the asked script.

    The answer's script stands in for the language: the platform does not
    record whether an interpreter explained a Chinese answer by telephone,
    so such an answer counts as not given in the language.
    """
    in_script = Q()
    for language, pattern in SCRIPTS.items():
        in_script |= Q(answer_language=language, reply__regex=pattern)
    on_time = Q(resolved_at__isnull=False, resolved_at__lte=F("resolution_due"))
    return in_script & on_time


def assisted() -> Q:
    return Q(channel=Channel.ASSISTED)


def score(
    *,
    served: int,
    served_vulnerable: int,
    population: int,
    vulnerable_population: int,
    minority_language: int,
    minority_language_answered: int,
    vulnerable_appeals: int,
    vulnerable_assisted: int,
) -> Inclusion:
    """Combine the counts into the three parts and their mean (0 to 100)."""
    parity = None
    if served and vulnerable_population:
        served_share = served_vulnerable / served
        population_share = vulnerable_population / population
        parity = min(1.0, served_share / population_share)
    language = share(minority_language_answered, minority_language)
    reach = share(vulnerable_assisted, vulnerable_appeals)

    parts = [part for part in (parity, language, reach) if part is not None]
    total = 100.0 * sum(parts) / len(parts) if parts else None
    return Inclusion(parity=parity, language=language, assisted=reach, score=total)


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
