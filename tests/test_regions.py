import pytest

from commons.regions.loading import load_sichuan
from commons.regions.models import Department, EthnicAutonomy, Level, Region

pytestmark = pytest.mark.django_db


def test_sichuan_has_every_division(sichuan):
    def count(level, **extra):
        return Region.objects.filter(level=level, **extra).count()

    assert count(Level.PROVINCE) == 1
    assert count(Level.PREFECTURE) == 21
    assert count(Level.COUNTY) == 183
    assert count(Level.TOWNSHIP, is_administrative=True) == 3101
    assert count(Level.VILLAGE) == 34412


def test_loading_again_creates_nothing_and_keeps_ids(sichuan):
    chengdu_id = Region.objects.get(code="510100").pk

    report = load_sichuan()

    assert report.created == 0
    assert report.updated == 0
    assert Region.objects.get(code="510100").pk == chengdu_id


def test_loading_repairs_a_changed_name(sichuan):
    Region.objects.filter(code="510104").update(name_zh_hans="错误")

    report = load_sichuan()

    assert report.updated == 1
    assert Region.objects.get(code="510104").name_zh_hans == "锦江区"


def test_a_subtree_is_everything_below_a_county():
    jinjiang = Region.objects.get(code="510104")
    below = Region.objects.within(jinjiang)

    assert below.filter(level=Level.VILLAGE).count() > 0
    assert all(region.code.startswith("510104") for region in below)
    assert Region.objects.get(code="510104017001").ancestor_at(Level.COUNTY) == jinjiang


def test_tibetan_and_yi_areas_are_marked():
    assert Region.objects.get(code="513300").ethnic_autonomy == EthnicAutonomy.TIBETAN
    assert Region.objects.get(code="513400").ethnic_autonomy == EthnicAutonomy.YI
    # Villages inherit the mark, so a Yi community is recognised as such.
    assert Region.objects.get(code="513401001003").speaks_minority_language == "ii"
    assert Region.objects.get(code="513301001001").speaks_minority_language == "bo"


def test_every_division_has_its_economic_zone():
    assert not Region.objects.filter(
        level__gte=Level.PREFECTURE, economic_zone=""
    ).exists()
    assert Region.objects.get(code="513400").economic_zone == "panxi"


def test_grids_are_marked_invented():
    grids = Region.objects.filter(level=Level.GRID)

    assert grids.exists()
    assert all(grid.is_invented for grid in grids)


def test_each_county_has_its_bureaus_and_each_township_a_service_centre():
    bureau = Department.objects.get(code="civil-affairs-510104")

    assert bureau.serves(Region.objects.get(code="510104017001"))
    assert not bureau.serves(Region.objects.get(code="513401001003"))
    service_centres = Department.objects.filter(
        code__startswith="general-", jurisdiction__level=Level.TOWNSHIP
    )
    assert service_centres.count() == 3101
