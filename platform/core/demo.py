"""Demo data: invented staff, volunteers and residents on the real region tree.

Every person here is invented; their ID numbers are valid in form only.
"""

import logging
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from commons.accounts.models import Role, User
from commons.regions.models import Department, Region
from commons.registry.identity import make_id_number
from commons.registry.models import AccessGrant, Purpose, RecordField
from commons.registry.services import NewResident, register_resident

logger = logging.getLogger(__name__)

DEMO_PASSWORD = "Sichuan-demo-2026"  # noqa: S105 - printed for the demo only

JINJIANG_COMMUNITY = "510104017001"  # Shuijingfang, Chengdu
XICHANG_COMMUNITY = "513401001003"  # Datongmen, Xichang, Liangshan (Yi)
KANGDING_COMMUNITY = "513301001001"  # Xiangyang, Kangding, Ganzi (Tibetan)


@dataclass
class Credential:
    role: str
    sign_in: str
    secret: str
    where: str


STAFF = [
    ("admin", Role.ADMIN, None, None),
    ("analyst", Role.ANALYST, None, "510000"),
    ("jinjiang-civil", Role.STAFF, "civil-affairs-510104", None),
    ("jinjiang-health", Role.STAFF, "health-510104", None),
    ("jinjiang-supervisor", Role.SUPERVISOR, "civil-affairs-510104", None),
    ("xichang-civil", Role.STAFF, "civil-affairs-513401", None),
    ("kangding-civil", Role.STAFF, "civil-affairs-513301", None),
    ("volunteer-xichang", Role.INTERMEDIARY, None, XICHANG_COMMUNITY),
    ("volunteer-kangding", Role.INTERMEDIARY, None, KANGDING_COMMUNITY),
]

RESIDENTS = [
    # name, phone, community, birth date, language, ethnicity, flags
    (
        "王秀英",
        "13800000001",
        JINJIANG_COMMUNITY,
        date(1942, 3, 8),
        "zh-hans",
        "汉族",
        {"lives_alone": True, "low_digital_literacy": True},
    ),
    (
        "李明",
        "13800000002",
        JINJIANG_COMMUNITY,
        date(1988, 11, 21),
        "zh-hans",
        "汉族",
        {},
    ),
    (
        "阿苏拉则",
        "13800000003",
        XICHANG_COMMUNITY,
        date(1956, 6, 2),
        "ii",
        "彝族",
        {"low_income": True, "low_digital_literacy": True},
    ),
    (
        "扎西卓玛",
        "13800000004",
        KANGDING_COMMUNITY,
        date(1979, 1, 15),
        "bo",
        "藏族",
        {"has_disability": True},
    ),
    ("John Smith", "13800000005", JINJIANG_COMMUNITY, date(1990, 7, 4), "en", "", {}),
]

GRANTS = [
    (
        "civil-affairs",
        Purpose.SERVICE,
        False,
        [
            "full_name",
            "phone",
            "home_community",
            "preferred_language",
            "vulnerability",
            "accessibility_needs",
        ],
    ),
    (
        "civil-affairs",
        Purpose.CORRECTION,
        True,
        ["phone", "home_community", "household"],
    ),
    (
        "civil-affairs",
        Purpose.ELIGIBILITY,
        False,
        ["full_name", "id_number_last4", "birth_date", "household", "vulnerability"],
    ),
    (
        "health",
        Purpose.SERVICE,
        False,
        [
            "full_name",
            "birth_date",
            "gender",
            "preferred_language",
            "vulnerability",
            "accessibility_needs",
        ],
    ),
]


def seed_people() -> list[Credential]:
    with transaction.atomic():
        credentials = [seed_account(*row) for row in STAFF]
        seed_grants()
        credentials += [
            seed_resident(serial, *row) for serial, row in enumerate(RESIDENTS)
        ]
    return credentials


def seed_account(
    username: str, role: str, department_code: str | None, region_code: str | None
) -> Credential:
    department = (
        Department.objects.get(code=department_code) if department_code else None
    )
    region = Region.objects.get(code=region_code) if region_code else None
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": role,
            "department": department,
            "region": region,
            "is_staff": role == Role.ADMIN,
            "is_superuser": role == Role.ADMIN,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    where = str(department or region or "")
    return Credential(str(Role(role).label), username, DEMO_PASSWORD, where)


def seed_grants() -> None:
    for prefix, purpose, may_change, fields in GRANTS:
        for department in Department.objects.filter(code__startswith=f"{prefix}-"):
            AccessGrant.objects.get_or_create(
                department=department,
                purpose=purpose,
                may_change=may_change,
                defaults={
                    "fields": sorted(set(fields) & set(RecordField.values)),
                    "legal_basis": "Demo grant (invented)",
                },
            )


def seed_resident(
    serial: int,
    name: str,
    phone: str,
    community_code: str,
    birth: date,
    language: str,
    ethnicity: str,
    flags: dict[str, bool],
) -> Credential:
    community = Region.objects.get(code=community_code)
    register_resident(
        NewResident(
            full_name=name,
            id_number=make_id_number(community_code, birth, serial * 2 + 1),
            home_community=community,
            phone=phone,
            birth_date=birth,
            preferred_language=language,
            ethnicity=ethnicity,
            **flags,
        ),
        actor=None,
    )
    return Credential(
        str(Role.RESIDENT.label),
        phone,
        "code in the log and the SMS outbox",
        community.name,
    )
