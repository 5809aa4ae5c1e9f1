"""Filing appeals through the web form under load, with the real worker routing them.

Run from the repository root, with PostgreSQL and Redis on this machine:

    .venv/bin/python benchmarks/filing_load.py [--seconds 20] [--clients 4]

DATABASE_URL and REDIS_URL come from the environment and default to a
database and a Redis database of the benchmark's own
(postgres://postgres@127.0.0.1:5432/platform_bench, redis://127.0.0.1:6379/14);
the database is created, migrated and seeded when missing. Only 127.0.0.1 is
ever contacted.

The benchmark starts the production web command, ``gunicorn
commons.wsgi:application`` with two workers on a free loopback port, and a
Celery worker. Settings are production's (DEBUG off) with one more URL: a bare
view that inserts one row through the same middleware, the ceiling the form
is compared with. A signed-in resident's session is created directly. For
``--seconds`` the client threads post the filing form back to back; then,
once every filed appeal is routed, they post to the bare view for as long.
Filing latency is measured by the clients; filing-to-routed latency is
``routed_at - created_at`` of the appeals the run filed, both stamped by the
servers on this machine's clock.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/platform_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
LOOPBACK = {"127.0.0.1", "localhost"}
SETTINGS_MODULE = "benchmarks.bench_settings"

MAX_SECONDS = 300
MAX_CLIENTS = 32
# No client sends more than this, however fast the server answers.
MAX_REQUESTS_PER_CLIENT = 100_000
REQUEST_TIMEOUT = 30
# Starting Django in two gunicorn workers and a Celery worker on two cores.
START_SECONDS = 60
# The worker may trail the clients; it gets this long to route the backlog.
ROUTING_SECONDS = 120
POLL_SECONDS = 0.5

RESIDENT_PHONE = "13900009999"
CATEGORIES = ["roads", "water-power", "sanitation", "health", "other"]
PHRASES = [
    "路灯不亮",
    "井盖丢了",
    "楼道堆满杂物",
    "下水道堵塞",
    "自来水发黄",
    "晚上经常停电",
    "垃圾三天没人收",
    "路面塌了一个坑",
    "小区门口积水",
    "电梯经常坏",
    "噪音吵得睡不着",
    "家庭医生联系不上",
    "疫苗预约不到",
    "公交站牌被撞倒",
    "护栏松动",
    "树枝压着电线",
]
# The client's own CSRF value, sent as the cookie and as the form field.
CSRF_VALUE = "benchmarkcsrfsecret0123456789abc"


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    tracking_numbers: list[str] = field(default_factory=list)
    failures: int = 0
    first_failure: str = ""


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=4)
    arguments = parser.parse_args()
    if not 1 <= arguments.seconds <= MAX_SECONDS:
        parser.error(f"--seconds must be between 1 and {MAX_SECONDS}")
    if not 1 <= arguments.clients <= MAX_CLIENTS:
        parser.error(f"--clients must be between 1 and {MAX_CLIENTS}")
    return arguments


def loopback_only(url: str) -> str:
    host = urlsplit(url).hostname or ""
    if host not in LOOPBACK:
        raise SystemExit(f"Refusing {url}: the benchmark only talks to 127.0.0.1.")
    return url


def server_environment() -> dict[str, str]:
    """Production settings, reachable over plain HTTP on the loopback."""
    return {
        **os.environ,
        "DATABASE_URL": loopback_only(
            os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
        ),
        "REDIS_URL": loopback_only(os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)),
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "text",
        "PYTHONPATH": str(REPO_ROOT),
    }


def create_database(database_url: str) -> None:
    """Create the benchmark's database when it does not exist yet."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            )
            print(f"Created database {name}.")


def prepare_data() -> str:
    """Schema, regions, offices, taxonomy and one resident; the session key."""
    from django.core.management import call_command
    from django.test import Client

    from appeals.models import Appeal, Status
    from appeals.seeds import seed_demo
    from commons.accounts.models import Role, User
    from commons.regions.models import Region
    from commons.registry.identity import make_id_number
    from commons.registry.services import NewResident, register_resident

    call_command("migrate", verbosity=0)
    if not Region.objects.exists():
        print("Loading the region tree (once)...")
        call_command("load_sichuan", verbosity=0)
    seed_demo()
    account, _created = User.objects.get_or_create(
        username=f"resident-{RESIDENT_PHONE}",
        defaults={"role": Role.RESIDENT, "phone": RESIDENT_PHONE},
    )
    community = Region.objects.get(code="510104017001")
    register_resident(
        NewResident(
            full_name="压力测试",
            id_number=make_id_number(community.code, date(1980, 1, 1), 7),
            home_community=community,
            phone=RESIDENT_PHONE,
            account=account,
        ),
        actor=None,
    )
    # Earlier runs' appeals would be duplicate candidates for this run's.
    Appeal.objects.filter(resident__account=account).exclude(
        status=Status.CLOSED
    ).update(status=Status.CLOSED)

    client = Client()
    client.force_login(account, backend="commons.accounts.backends.PhoneCodeBackend")
    return client.cookies["sessionid"].value


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen:
    with log_path.open("wb") as log:
        return subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def wait_for(check, processes: list[subprocess.Popen], what: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            raise SystemExit(f"A server exited while waiting for {what}.")
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(POLL_SECONDS)
    raise SystemExit(f"Gave up waiting for {what} after {START_SECONDS} s.")


def healthz_answers(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz/")
        return connection.getresponse().status == 200
    finally:
        connection.close()


def worker_answers(node: str) -> bool:
    from commons.celery import app

    return bool(app.control.ping(destination=[node], timeout=1.0))


def filing_body() -> str:
    return urlencode(
        {
            "csrfmiddlewaretoken": CSRF_VALUE,
            "category": random.choice(CATEGORIES),
            "description": "，".join(random.sample(PHRASES, 3)),
            "location": "",
            "notify_by": "sms",
            "idempotency_key": uuid.uuid4().hex,
        }
    )


def bare_body() -> str:
    return urlencode({"csrfmiddlewaretoken": CSRF_VALUE})


def post_until(
    port: int, path: str, body, session: str, deadline: float, expected: int
) -> Outcome:
    """One client: post back to back until the deadline or the request limit."""
    outcome = Outcome()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"sessionid={session}; csrftoken={CSRF_VALUE}",
    }
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    for _request in range(MAX_REQUESTS_PER_CLIENT):
        if time.monotonic() >= deadline:
            break
        began = time.perf_counter()
        try:
            connection.request("POST", path, body=body(), headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            record_failure(outcome, repr(error))
            continue
        elapsed = time.perf_counter() - began
        if response.status != expected:
            record_failure(outcome, f"HTTP {response.status} from {path}")
            continue
        outcome.latencies.append(elapsed)
        location = response.getheader("Location") or ""
        if location:
            outcome.tracking_numbers.append(location.rstrip("/").rsplit("/", 1)[-1])
    connection.close()
    return outcome


def record_failure(outcome: Outcome, message: str) -> None:
    outcome.failures += 1
    outcome.first_failure = outcome.first_failure or message


def run_clients(
    clients: int,
    seconds: float,
    port: int,
    path: str,
    body,
    session: str,
    expected: int,
) -> tuple[Outcome, float]:
    """All clients at once; the outcomes merged, and the wall time taken."""
    results: list[Outcome] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        outcome = post_until(port, path, body, session, deadline, expected)
        with lock:
            results.append(outcome)

    began = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + REQUEST_TIMEOUT + 5)
    wall = time.monotonic() - began

    merged = Outcome()
    for outcome in results:
        merged.latencies += outcome.latencies
        merged.tracking_numbers += outcome.tracking_numbers
        merged.failures += outcome.failures
        merged.first_failure = merged.first_failure or outcome.first_failure
    return merged, wall


def wait_until_routed(tracking_numbers: list[str]) -> None:
    from appeals.models import Appeal, Status

    deadline = time.monotonic() + ROUTING_SECONDS
    while time.monotonic() < deadline:
        waiting = Appeal.objects.filter(
            tracking_number__in=tracking_numbers, status=Status.SUBMITTED
        ).count()
        if waiting == 0:
            return
        time.sleep(POLL_SECONDS)
    print(f"Some appeals were still unrouted after {ROUTING_SECONDS} s.")


@dataclass
class Routing:
    delays: list[float]
    statuses: dict[str, int]
    # Appeals the worker routed per second, from the first filing to the last
    # routing: the rate it sustained while the clients were filing.
    per_second: float


def routing_of(tracking_numbers: list[str]) -> Routing:
    from appeals.models import Appeal

    rows = Appeal.objects.filter(tracking_number__in=tracking_numbers).values_list(
        "status", "created_at", "routed_at"
    )
    delays, statuses, first, last = [], {}, None, None
    for status, created_at, routed_at in rows:
        statuses[status] = statuses.get(status, 0) + 1
        first = created_at if first is None else min(first, created_at)
        if routed_at is not None:
            delays.append((routed_at - created_at).total_seconds())
            last = routed_at if last is None else max(last, routed_at)
    span = (last - first).total_seconds() if first and last else 0.0
    return Routing(delays, statuses, len(delays) / span if span else 0.0)


def milliseconds(values: list[float], share: float) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    position = min(len(ordered) - 1, round(share * (len(ordered) - 1)))
    return f"{ordered[position] * 1000:.0f}"


def row(name: str, outcome: Outcome, wall: float) -> str:
    done = len(outcome.latencies)
    return (
        f"{name:<34}{done:>9}{done / wall:>10.1f}"
        f"{milliseconds(outcome.latencies, 0.5):>11}"
        f"{milliseconds(outcome.latencies, 0.95):>9}{outcome.failures:>8}"
    )


def report(
    arguments: argparse.Namespace,
    filing: tuple[Outcome, float],
    bare: tuple[Outcome, float],
    routing: Routing,
) -> None:
    print()
    print(
        f"Filing load: {arguments.seconds:g} s per phase, {arguments.clients} "
        "clients, gunicorn 2 sync workers, Celery worker (prefork, 2), "
        "PostgreSQL and Redis on 127.0.0.1"
    )
    print(
        f"{'':<34}{'requests':>9}{'per s':>10}{'median ms':>11}"
        f"{'p95 ms':>9}{'failed':>8}"
    )
    print(row("filing (POST /appeals/new/)", *filing))
    print(row("ceiling (POST /bare-insert/)", *bare))
    print(
        f"{'filed to routed (worker)':<34}{len(routing.delays):>9}"
        f"{routing.per_second:>10.1f}{milliseconds(routing.delays, 0.5):>11}"
        f"{milliseconds(routing.delays, 0.95):>9}"
    )
    statuses = sorted(routing.statuses.items())
    outcomes = ", ".join(f"{name} {count}" for name, count in statuses)
    print(f"Appeals by status after the run: {outcomes}")
    for name, (outcome, _wall) in (("filing", filing), ("ceiling", bare)):
        if outcome.first_failure:
            print(f"First {name} failure: {outcome.first_failure}")


def main() -> None:
    arguments = parse_arguments()
    env = server_environment()
    os.environ.update(env)
    sys.path.insert(0, str(REPO_ROOT))
    create_database(env["DATABASE_URL"])

    import django
    import redis

    django.setup()
    from benchmarks.bench_urls import BARE_BACKEND
    from commons.accounts.models import SmsMessage

    session = prepare_data()
    SmsMessage.objects.filter(backend=BARE_BACKEND).delete()
    redis.Redis.from_url(env["REDIS_URL"]).flushdb()

    port = free_port()
    node = f"filing-bench-{os.getpid()}@{socket.gethostname()}"
    web_command = [
        str(BIN / "gunicorn"),
        "commons.wsgi:application",
        *("--bind", f"127.0.0.1:{port}", "--workers", "2"),
    ]
    worker_command = [
        *(str(BIN / "celery"), "-A", "commons.celery", "worker"),
        *("--loglevel=WARNING", "--concurrency=2", "-n", node),
        *("--without-mingle", "--without-gossip"),
    ]
    logs = Path(tempfile.mkdtemp(prefix="filing-bench-"))
    print(f"Server logs in {logs}")
    web = start(web_command, env, logs / "filing_bench_gunicorn.log")
    worker = start(worker_command, env, logs / "filing_bench_worker.log")
    try:
        wait_for(lambda: healthz_answers(port), [web, worker], "gunicorn")
        wait_for(lambda: worker_answers(node), [web, worker], "the Celery worker")
        filing = run_clients(
            arguments.clients,
            arguments.seconds,
            port,
            "/appeals/new/",
            filing_body,
            session,
            expected=302,
        )
        wait_until_routed(filing[0].tracking_numbers)
        bare = run_clients(
            arguments.clients,
            arguments.seconds,
            port,
            "/bare-insert/",
            bare_body,
            session,
            expected=204,
        )
    finally:
        stop(web)
        stop(worker)

    routing = routing_of(filing[0].tracking_numbers)
    SmsMessage.objects.filter(backend=BARE_BACKEND).delete()
    report(arguments, filing, bare, routing)


if __name__ == "__main__":
    main()
