"""How the back office answers with a million appeals in PostgreSQL.

Fills a scratch database with generated appeals (a tenth of them in one
department, the worst case for its inbox), then times the inbox and a case
page through Django's test client and prints each page's query count and
the plan PostgreSQL chose for the inbox. Nothing leaves 127.0.0.1.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/platform_scale \\
        .venv/bin/python benchmarks/inbox_at_scale.py --appeals 1000000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/platform_scale"
BUSY_DEPARTMENT = "housing-510104"
TYPICAL_DEPARTMENT = "civil-affairs-513401"
REPEATS = 15

FILL_SQL = """
INSERT INTO appeals_appeal (
    tracking_number, idempotency_key, resident_id, filed_by_id, channel,
    category_id, description, location_id, notify_by, status, priority,
    answer_language, department_id, escalation_level, reopen_count,
    first_response_due, resolution_due, created_at, routed_at, reply, version
)
SELECT
    'B' || lpad(i::text, 9, '0'),
    'bench-' || i,
    %(resident)s,
    %(filer)s,
    'web',
    (%(categories)s::bigint[])[1 + i %% cardinality(%(categories)s::bigint[])],
    'generated appeal ' || i,
    (%(villages)s::bigint[])[1 + i %% cardinality(%(villages)s::bigint[])],
    'app',
    (ARRAY['routed', 'accepted', 'awaiting_info', 'resolved', 'closed',
           'closed', 'closed', 'closed', 'declined', 'linked'])[1 + i %% 10],
    1 + i %% 3,
    '',
    CASE WHEN i %% 10 = 0 THEN %(busy)s
         ELSE (%(departments)s::bigint[])[
             1 + i %% cardinality(%(departments)s::bigint[])] END,
    0,
    0,
    now() - (i %% 500) * interval '1 hour' + interval '48 hours',
    now() - (i %% 500) * interval '1 hour' + interval '240 hours',
    now() - (i %% 500) * interval '1 hour',
    now() - (i %% 500) * interval '1 hour',
    '',
    1
FROM generate_series(%(start)s, %(stop)s) AS i
"""


def setup_django(url: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commons.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()


def prepare(count: int) -> None:
    from datetime import date

    from django.core.management import call_command
    from django.db import connection

    from appeals.models import Appeal, Category
    from appeals.seeds import seed_categories
    from commons.regions.models import Department, Level, Region
    from commons.registry.identity import make_id_number
    from commons.registry.services import NewResident, register_resident

    call_command("migrate", verbosity=0)
    call_command("load_sichuan", verbosity=0)
    seed_categories()
    have = Appeal.objects.count()
    if have >= count:
        print(f"Database already holds {have:,} appeals.")
        return

    village = Region.objects.get(code="510104017001")
    resident, _created = register_resident(
        NewResident(
            full_name="Bench",
            id_number=make_id_number("510104", date(1970, 1, 1), 7),
            home_community=village,
        ),
        actor=None,
    )
    filer = bench_officer()
    params = {
        "resident": resident.pk,
        "filer": filer.pk,
        "categories": list(Category.objects.values_list("pk", flat=True)),
        "villages": list(
            Region.objects.filter(level=Level.VILLAGE).values_list("pk", flat=True)
        ),
        "departments": list(Department.objects.values_list("pk", flat=True)),
        "busy": Department.objects.get(code=BUSY_DEPARTMENT).pk,
    }
    started = time.perf_counter()
    batch = 200_000
    with connection.cursor() as cursor:
        for start in range(have + 1, count + 1, batch):
            stop = min(start + batch - 1, count)
            cursor.execute(FILL_SQL, {**params, "start": start, "stop": stop})
            print(f"  inserted up to {stop:,}", flush=True)
        cursor.execute("ANALYZE appeals_appeal")
    print(f"Filled {count - have:,} appeals in {time.perf_counter() - started:.1f} s")


def bench_officer(code: str = BUSY_DEPARTMENT):
    from commons.accounts.models import Role, User
    from commons.regions.models import Department

    department = Department.objects.get(code=code)
    officer, _created = User.objects.get_or_create(
        username=f"bench-{code}",
        defaults={"role": Role.STAFF, "department": department},
    )
    return officer


def timed(client, path: str) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return statistics.median(times), p95, len(queries)


def inbox_plan() -> str:
    from django.db import connection
    from django.utils import timezone

    from appeals import selectors
    from commons.regions.models import Department

    department = Department.objects.get(code=BUSY_DEPARTMENT)
    query = selectors.inbox(department, selectors.InboxFilter(), timezone.now())[:25]
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", params)
        return "\n".join(f"    {row[0]}" for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--appeals", type=int, default=1_000_000)
    arguments = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL.")
    setup_django(url)
    create_database(url)
    prepare(arguments.appeals)

    from django.test import Client

    from appeals.models import Appeal

    busy_client, typical_client = Client(), Client()
    busy_client.force_login(bench_officer())
    typical_client.force_login(bench_officer(TYPICAL_DEPARTMENT))
    busy = Appeal.objects.filter(department__code=BUSY_DEPARTMENT).count()
    typical = Appeal.objects.filter(department__code=TYPICAL_DEPARTMENT).count()
    case = Appeal.objects.filter(department__code=BUSY_DEPARTMENT).first()
    print(
        f"\n{Appeal.objects.count():,} appeals; {busy:,} in {BUSY_DEPARTMENT}, "
        f"{typical:,} in {TYPICAL_DEPARTMENT}"
    )
    print(f"{'page':<40}{'median ms':>10}{'p95 ms':>9}{'queries':>9}")
    for label, client, path in [
        (f"inbox of {TYPICAL_DEPARTMENT}", typical_client, "/appeals/office/"),
        (f"inbox of {BUSY_DEPARTMENT}", busy_client, "/appeals/office/"),
        ("  overdue only", busy_client, "/appeals/office/?overdue=on"),
        ("  page 40", busy_client, "/appeals/office/?page=40"),
        ("case page", busy_client, f"/appeals/office/case/{case.tracking_number}/"),
    ]:
        median, p95, queries = timed(client, path)
        print(f"{label:<40}{median:>10.1f}{p95:>9.1f}{queries:>9}")
    print("\nPlan of the inbox's list query:")
    print(inbox_plan())


def create_database(url: str) -> None:
    """Create the scratch database if missing, through the server's own one."""
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    assert parts.hostname in ("127.0.0.1", "localhost", "::1")


if __name__ == "__main__":
    main()
