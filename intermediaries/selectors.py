"""Read-only queries for the volunteer's pages and the resident's."""

from dataclasses import dataclass

from django.db.models import Max, Prefetch, QuerySet

from appeals.models import Status
from commons.registry.models import Resident
from intermediaries.models import AssistedAppeal, Consent, Intermediary
from intermediaries.services import visible_appeals

# The home page is a day's work list, not an archive.
HOME_LIST_SIZE = 30

NEEDS_INFORMATION = [Status.AWAITING_INFO]
ANSWERED = [Status.RESOLVED]
WAITING_FOR_REPLY = [Status.SUBMITTED, Status.ROUTED, Status.ACCEPTED, Status.LINKED]


@dataclass
class WorkList:
    needs_information: list[AssistedAppeal]
    answered: list[AssistedAppeal]
    waiting: list[AssistedAppeal]
    residents: list[Resident]


def appeals_in(profile: Intermediary, statuses: list[str]) -> list[AssistedAppeal]:
    links = (
        visible_appeals(profile)
        .filter(appeal__status__in=statuses)
        .select_related("appeal__category", "appeal__resident", "appeal__department")
        .order_by("-appeal__created_at", "-pk")
    )
    return list(links[:HOME_LIST_SIZE])


def helped_residents(profile: Intermediary) -> list[Resident]:
    """Residents whose consent this volunteer holds, most recent first."""
    residents = (
        Resident.objects.filter(
            volunteer_consents__intermediary=profile,
            volunteer_consents__withdrawn_at__isnull=True,
        )
        .annotate(last_consent=Max("volunteer_consents__consented_at"))
        .select_related("home_community")
        .order_by("-last_consent", "pk")
    )
    return list(residents[:HOME_LIST_SIZE])


def work_list(profile: Intermediary) -> WorkList:
    return WorkList(
        needs_information=appeals_in(profile, NEEDS_INFORMATION),
        answered=appeals_in(profile, ANSWERED),
        waiting=appeals_in(profile, WAITING_FOR_REPLY),
        residents=helped_residents(profile),
    )


def appeals_for_resident(
    profile: Intermediary, resident: Resident
) -> QuerySet[AssistedAppeal]:
    return (
        visible_appeals(profile)
        .filter(appeal__resident=resident)
        .select_related("appeal__category")
        .order_by("-appeal__created_at")
    )


@dataclass
class Authorisation:
    """One volunteer's standing with one resident, as the resident reads it."""

    intermediary: Intermediary
    consents: list[Consent]

    @property
    def standing(self) -> bool:
        return any(not consent.is_withdrawn for consent in self.consents)


def authorisations_of(resident: Resident) -> list[Authorisation]:
    consents = (
        Consent.objects.filter(resident=resident)
        .select_related("intermediary__user")
        .prefetch_related(
            Prefetch(
                "appeals",
                queryset=AssistedAppeal.objects.select_related(
                    "appeal__category"
                ).order_by("created_at"),
            )
        )
        .order_by("intermediary_id", "-consented_at")
    )
    grouped: dict[int, Authorisation] = {}
    for consent in consents:
        entry = grouped.setdefault(
            consent.intermediary_id, Authorisation(consent.intermediary, [])
        )
        entry.consents.append(consent)
    return list(grouped.values())
