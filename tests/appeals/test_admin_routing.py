"""The admin: the taxonomy, the routing rules and their dry run, read-only appeals."""

import pytest
from django.urls import reverse

from appeals.models import Appeal, Category, RoutingRule
from commons.accounts.models import Role, User
from commons.regions.models import Department
from tests.personas import COMMUNITY

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
DRY_RUN = "admin:appeals_routingrule_dry_run"


@pytest.fixture
def admin_user(db):
    """A superuser; the custom account model wants a role too."""
    return User.objects.create_superuser(
        username="platform-admin",
        email="admin@example.org",
        password="a-long-test-password-42",
        role=Role.ADMIN,
    )


def dry_run(admin_client, category: str, location: str) -> str:
    response = admin_client.get(
        reverse(DRY_RUN), {"category": category, "location": location}, **ENGLISH
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_dry_run_shows_the_department_and_rule_and_files_nothing(
    admin_client, taxonomy
):
    housing = Department.objects.get(code="housing-510104")
    before = Appeal.objects.count()

    html = dry_run(admin_client, taxonomy["roads"].pk, COMMUNITY)

    assert housing.name_en in html
    assert "housing-510104" in html
    assert "Rule that matched" in html
    assert Appeal.objects.count() == before


def test_the_dry_run_names_the_township_dispatcher_when_no_rule_matches(
    admin_client, taxonomy
):
    unruled = Category.objects.create(
        code="unruled", name="无规则", first_response_hours=24, resolution_hours=72
    )

    html = dry_run(admin_client, unruled.pk, COMMUNITY)

    assert "general-510104017" in html
    assert "township dispatcher" in html
    assert not Appeal.objects.exists()


def test_the_dry_run_follows_the_more_specific_rule(admin_client, taxonomy):
    html = dry_run(admin_client, taxonomy["elderly-care"].pk, COMMUNITY)

    assert "elder-care-org-510104" in html


def test_the_dry_run_refuses_an_unknown_or_too_large_place(admin_client, taxonomy):
    unknown = dry_run(admin_client, taxonomy["roads"].pk, "999999999999")
    county = dry_run(admin_client, taxonomy["roads"].pk, "510104")

    assert "No region has this code." in unknown
    assert "Choose a community, village or grid." in county
    assert "would go to" not in unknown + county


def test_the_rules_list_links_to_the_dry_run(admin_client, taxonomy):
    response = admin_client.get(
        reverse("admin:appeals_routingrule_changelist"), **ENGLISH
    )

    assert response.status_code == 200
    assert reverse(DRY_RUN) in response.content.decode()


def test_a_rule_is_edited_with_raw_ids_for_region_and_department(
    admin_client, taxonomy
):
    rule = RoutingRule.objects.filter(department__isnull=False).first()

    response = admin_client.get(
        reverse("admin:appeals_routingrule_change", args=[rule.pk])
    )

    html = response.content.decode()
    assert 'name="region" ' in html and 'class="vForeignKeyRawIdAdminField"' in html


def test_categories_are_edited_in_every_language(admin_client, taxonomy):
    roads = taxonomy["roads"]

    response = admin_client.get(
        reverse("admin:appeals_category_change", args=[roads.pk])
    )

    html = response.content.decode()
    for field in ("name_zh_hans", "name_bo", "name_ii", "name_en"):
        assert f'name="{field}"' in html


def test_staff_cannot_reach_the_dry_run(client, officer, taxonomy):
    client.force_login(officer)

    response = client.get(
        reverse(DRY_RUN), {"category": taxonomy["roads"].pk, "location": COMMUNITY}
    )

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_appeals_are_listed_and_found_by_tracking_number(
    admin_client, file_for, resident
):
    first = file_for(resident, text="路灯坏了，晚上很黑")
    second = file_for(resident, category="health", text="家庭医生一直联系不上")

    response = admin_client.get(
        reverse("admin:appeals_appeal_changelist"), {"q": first.tracking_number}
    )

    html = response.content.decode()
    assert first.tracking_number in html
    assert second.tracking_number not in html


def test_an_appeal_in_the_admin_is_read_only_and_hides_the_resident(
    admin_client, file_for, resident
):
    appeal = file_for(resident, text="楼下路灯坏了三天")
    change_url = reverse("admin:appeals_appeal_change", args=[appeal.pk])

    page = admin_client.get(change_url, **ENGLISH)
    add = admin_client.get(reverse("admin:appeals_appeal_add"))
    delete = admin_client.get(reverse("admin:appeals_appeal_delete", args=[appeal.pk]))
    posted = admin_client.post(change_url, {"status": "closed"})

    html = page.content.decode()
    assert page.status_code == 200
    assert appeal.tracking_number in html
    assert f">{resident.pk}<" in html
    assert "王秀英" not in html
    assert resident.phone not in html
    assert "楼下路灯坏了三天" not in html
    assert 'type="submit"' not in html.split('id="appeal_form"')[-1]
    assert add.status_code == delete.status_code == posted.status_code == 403
    appeal.refresh_from_db()
    assert appeal.status == "routed"
