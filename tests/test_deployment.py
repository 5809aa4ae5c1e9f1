"""The production shape in docker-compose.yml, read as data and run here.

No Docker engine is needed: the compose file is checked as YAML, and the
commands of the web server, the worker and beat run on this machine against
the test run's database and Redis, with the production settings.
"""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import pytest
import yaml
from celery import Celery
from django.conf import settings
from django.db import connection

REPO_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sysconfig.get_path("scripts"))
PUBLIC_HOST = "example.org"
# Gunicorn's three workers each import Django and the scientific stack; on a
# two-core machine that takes several seconds.
START_TIMEOUT_SECONDS = 20.0
# A warm shutdown of an idle server or worker takes about a second.
STOP_TIMEOUT_SECONDS = 10.0
POLL_SECONDS = 0.25

APP_SERVICES = ["migrate", "web", "worker", "beat"]
HEALTHY = "service_healthy"
MIGRATED = "service_completed_successfully"

T = TypeVar("T")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    with (REPO_ROOT / "docker-compose.yml").open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    """What the compose file gives every app container, on this machine.

    The browser tests' Playwright switch for Django's async check stays out:
    no container has it.
    """
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return {
        **inherited,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "REGISTRY_HASH_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": PUBLIC_HOST,
        "BEHIND_PROXY": "true",
        "LOG_FORMAT": "json",
        "VAR_DIR": str(tmp_path / "var"),
    }


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("REDIS_URL is not set: the worker and beat need a real broker")
    return url


def service_command(compose: dict[str, Any], name: str) -> list[str]:
    return [str(part) for part in compose["services"][name]["command"]]


def option_value(command: list[str], option: str) -> str:
    return command[command.index(option) + 1]


def with_option(command: list[str], option: str, value: str) -> list[str]:
    """The command with the value following `option` replaced."""
    position = command.index(option) + 1
    return [*command[:position], value, *command[position + 1 :]]


def named_volumes(service: dict[str, Any]) -> dict[str, str]:
    """Named volume to mount point; bind mounts start with / or a dot."""
    mounts = {}
    for entry in service.get("volumes", []):
        source, target = entry.split(":")[:2]
        if not source.startswith(("/", ".")):
            mounts[source] = target
    return mounts


def interpolated(value: str) -> str:
    """The value with each ${...} of compose replaced by a plain word."""
    return re.sub(r"\$\{[^}]*\}", "secret", value)


def depends_on(service: dict[str, Any]) -> dict[str, str]:
    return {name: rule["condition"] for name, rule in service["depends_on"].items()}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ask for a warm shutdown, then kill whatever is left of the group."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
    # Prefork children and gunicorn workers must not outlive the test.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def running(
    command: list[str], env: dict[str, str], log_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            stop(process)


def wait_for(
    probe: Callable[[], T | None], process: subprocess.Popen[bytes], log_path: Path
) -> T:
    """Poll until `probe` returns something, failing if the process ends."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode}:\n{log_tail(log_path)}")
        result = probe()
        if result:
            return result
        time.sleep(POLL_SECONDS)
    pytest.fail(f"not ready in {START_TIMEOUT_SECONDS}s:\n{log_tail(log_path)}")


def read_log(log_path: Path) -> str:
    return log_path.read_text(encoding="utf-8", errors="replace")


def log_tail(log_path: Path) -> str:
    return read_log(log_path)[-4000:]


def get_healthz(port: int) -> tuple[int, bytes] | None:
    """GET /healthz/ as the TLS proxy would send it; None while refused."""
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    headers = {"Host": PUBLIC_HOST, "X-Forwarded-Proto": "https"}
    try:
        client.request("GET", "/healthz/", headers=headers)
        response = client.getresponse()
        return response.status, response.read()
    except ConnectionRefusedError:
        return None
    finally:
        client.close()


def web_database_url(tmp_path: Path, env: dict[str, str]) -> str:
    """A URL that reaches the database this test run uses."""
    name = settings.DATABASES["default"]["NAME"]
    if connection.vendor == "postgresql":
        # PostgreSQL only comes from DATABASE_URL; keep its host, credentials
        # and options and point it at the test database.
        configured = urlsplit(os.environ["DATABASE_URL"])
        return configured._replace(path="/" + quote(str(name), safe="")).geturl()

    # An in-memory SQLite test database is out of reach of another process.
    sqlite_url = f"sqlite:///{tmp_path / 'web.sqlite3'}"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=REPO_ROOT,
        env={**env, "DATABASE_URL": sqlite_url},
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sqlite_url


def test_compose_runs_the_six_services_of_the_production_shape(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]

    assert set(services) == {"postgres", "redis", *APP_SERVICES}
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_app_service_gives_its_command_as_a_list(
    compose: dict[str, Any], name: str
) -> None:
    command = compose["services"][name]["command"]

    assert isinstance(command, list)
    assert all(isinstance(part, str) for part in command)


def test_postgres_redis_and_web_have_healthchecks_that_probe_them(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    tests = {
        name: services[name]["healthcheck"]["test"]
        for name in ["postgres", "redis", "web"]
    }

    assert tests["postgres"][:2] == ["CMD", "pg_isready"]
    assert tests["redis"] == ["CMD", "redis-cli", "ping"]
    assert tests["web"][:3] == ["CMD", "python", "-c"]
    assert '"/healthz/"' in tests["web"][3]


def test_services_wait_for_healthy_stores_and_a_finished_migration(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    stores = {"postgres": HEALTHY, "redis": HEALTHY}

    assert depends_on(services["migrate"]) == stores
    assert depends_on(services["web"]) == {"migrate": MIGRATED, **stores}
    assert depends_on(services["worker"]) == {"migrate": MIGRATED, **stores}
    assert depends_on(services["beat"]) == {"migrate": MIGRATED, "redis": HEALTHY}


def test_state_lives_in_declared_named_volumes(compose: dict[str, Any]) -> None:
    services = compose["services"]
    mounts = {name: named_volumes(service) for name, service in services.items()}
    used = {volume for service_mounts in mounts.values() for volume in service_mounts}
    schedule = option_value(service_command(compose, "beat"), "--schedule")

    assert used == set(compose["volumes"])
    assert mounts["postgres"] == {"postgres-data": "/var/lib/postgresql/data"}
    assert mounts["redis"] == {"redis-data": "/data"}
    # collectstatic writes where the web server reads.
    assert mounts["migrate"]["static"] == mounts["web"]["static"]
    assert mounts["web"]["media"] == mounts["worker"]["media"]
    assert Path(schedule).parent == Path(mounts["beat"]["beat-schedule"])


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_share_the_production_environment(
    compose: dict[str, Any], name: str
) -> None:
    environment = compose["services"][name]["environment"]

    assert environment["DEBUG"] == "false"
    assert urlsplit(interpolated(environment["DATABASE_URL"])).hostname == "postgres"
    assert urlsplit(interpolated(environment["REDIS_URL"])).hostname == "redis"
    for key in ["SECRET_KEY", "REGISTRY_HASH_KEY", "ALLOWED_HOSTS"]:
        # Compose refuses to start without these rather than use a default.
        assert environment[key].startswith(f"${{{key}:?")


def test_web_is_published_on_loopback_only_as_it_trusts_the_proxy_header(
    compose: dict[str, Any],
) -> None:
    web = compose["services"]["web"]

    assert web["environment"]["BEHIND_PROXY"] == "true"
    assert web["ports"] == ["127.0.0.1:8000:8000"]


def test_migrate_migrates_loads_the_regions_and_collects_static(
    compose: dict[str, Any],
) -> None:
    script = " ".join(service_command(compose, "migrate"))

    assert "python manage.py migrate --noinput" in script
    assert "python manage.py load_sichuan" in script
    assert "python manage.py seed_taxonomy" in script
    assert "python manage.py collectstatic --noinput" in script


def test_long_running_services_restart_and_migrate_runs_once(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    restarts = {name: services[name]["restart"] for name in APP_SERVICES}

    assert restarts == {
        "migrate": "no",
        "web": "unless-stopped",
        "worker": "unless-stopped",
        "beat": "unless-stopped",
    }


def test_image_runs_as_an_unprivileged_user() -> None:
    lines = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    instructions = [line.split(maxsplit=1) for line in lines if line[:1].isupper()]

    assert instructions[0] == ["FROM", "python:3.11-slim"]
    assert [words for words in instructions if words[0] == "USER"][-1][1] != "root"


@pytest.mark.django_db(transaction=True)
def test_web_command_answers_healthz_and_passes_its_own_healthcheck(
    compose: dict[str, Any], production_env: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    command = with_option(
        service_command(compose, "web"), "--bind", f"127.0.0.1:{port}"
    )
    database_url = web_database_url(tmp_path, production_env)
    env = {**production_env, "DATABASE_URL": database_url}
    healthcheck = [
        part.replace("8000", str(port))
        for part in compose["services"]["web"]["healthcheck"]["test"][1:]
    ]
    log_path = tmp_path / "web.log"

    with running(command, env, log_path) as process:
        status, body = wait_for(lambda: get_healthz(port), process, log_path)
        probe = subprocess.run(
            healthcheck, env=env, capture_output=True, text=True, timeout=15
        )

    assert status == 200, log_tail(log_path)
    assert json.loads(body)["status"] == "ok"
    assert probe.returncode == 0, probe.stderr


@pytest.mark.services
def test_worker_command_answers_a_celery_ping(
    compose: dict[str, Any],
    production_env: dict[str, str],
    redis_url: str,
    tmp_path: Path,
) -> None:
    # A node name of its own, so the answer comes from this worker, and a queue
    # nothing is sent to, so tasks other tests left in the broker stay there.
    node = f"deployment-test-{os.getpid()}@{socket.gethostname()}"
    command = [*service_command(compose, "worker"), "-n", node, "-Q", "deployment-test"]
    log_path = tmp_path / "worker.log"

    # A client of its own on the worker's broker: other tests may have
    # pointed the shared app at another one.
    client = Celery("deployment-test", broker=redis_url)
    with running(command, production_env, log_path) as process:
        replies = wait_for(
            lambda: client.control.ping(destination=[node], timeout=1.0),
            process,
            log_path,
        )

    assert replies == [{node: {"ok": "pong"}}]


@pytest.mark.services
def test_beat_command_starts_with_its_schedule_file(
    compose: dict[str, Any],
    production_env: dict[str, str],
    redis_url: str,
    tmp_path: Path,
) -> None:
    schedule = tmp_path / "celerybeat-schedule"
    command = with_option(service_command(compose, "beat"), "--schedule", str(schedule))
    log_path = tmp_path / "beat.log"

    with running(command, production_env, log_path) as process:
        started = wait_for(
            lambda: "beat: Starting" in read_log(log_path), process, log_path
        )

    assert started


def test_deploy_check_passes_under_production_settings(
    production_env: dict[str, str],
) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=production_env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
