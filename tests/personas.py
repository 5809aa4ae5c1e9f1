"""The people the tests act as. Every refusal test uses the outsider."""

from datetime import date

import pytest

from commons.accounts.models import Role, User
from commons.regions.models import Department, Region
from commons.registry.identity import make_id_number
from commons.registry.models import AccessGrant, Purpose, Resident
from commons.registry.services import NewResident, register_resident

PASSWORD = "a-long-test-password-42"
COMMUNITY = "510104017001"  # Shuijingfang community, Jinjiang district, Chengdu
OTHER_COMMUNITY = "513401001003"  # Datongmen community, Xichang, Liangshan
RESIDENT_PHONE = "13900000001"


def make_user(username: str, role: str, **extra) -> User:
    user = User.objects.create_user(username=username, role=role, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def community(sichuan) -> Region:
    return Region.objects.get(code=COMMUNITY)


@pytest.fixture
def civil_affairs(sichuan) -> Department:
    return Department.objects.get(code="civil-affairs-510104")


@pytest.fixture
def service_grant(civil_affairs) -> AccessGrant:
    return AccessGrant.objects.create(
        department=civil_affairs,
        purpose=Purpose.SERVICE,
        fields=["full_name", "phone", "home_community", "vulnerability"],
        legal_basis="test grant",
    )


@pytest.fixture
def officer(civil_affairs) -> User:
    return make_user("officer", Role.STAFF, department=civil_affairs)


@pytest.fixture
def supervisor(civil_affairs) -> User:
    return make_user("supervisor", Role.SUPERVISOR, department=civil_affairs)


@pytest.fixture
def outsider(sichuan) -> User:
    """Staff of Xichang's civil affairs bureau: another county entirely."""
    department = Department.objects.get(code="civil-affairs-513401")
    AccessGrant.objects.create(
        department=department,
        purpose=Purpose.SERVICE,
        fields=["full_name", "phone", "home_community", "vulnerability"],
        legal_basis="test grant",
    )
    return make_user("outsider", Role.STAFF, department=department)


@pytest.fixture
def analyst(sichuan) -> User:
    return make_user("analyst", Role.ANALYST, region=Region.objects.get(code="510000"))


@pytest.fixture
def intermediary(community) -> User:
    return make_user("volunteer", Role.INTERMEDIARY, region=community)


@pytest.fixture
def resident_account(db) -> User:
    user = User.objects.create(
        username=f"resident-{RESIDENT_PHONE}", role=Role.RESIDENT, phone=RESIDENT_PHONE
    )
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def resident(community, resident_account) -> Resident:
    record, _created = register_resident(
        NewResident(
            full_name="王秀英",
            id_number=make_id_number(COMMUNITY, date(1942, 3, 8), 1),
            home_community=community,
            phone=RESIDENT_PHONE,
            lives_alone=True,
            account=resident_account,
        ),
        actor=None,
    )
    return record
