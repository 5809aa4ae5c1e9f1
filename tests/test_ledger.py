from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from commons.ledger.models import LedgerEntry
from commons.ledger.services import verify
from commons.registry.models import Purpose
from commons.registry.services import read_record

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


@contextmanager
def triggers_disabled():
    """Play the attacker with database access: bypass the append-only trigger."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = origin")


@pytest.fixture
def three_reads(resident, officer, service_grant):
    for _ in range(3):
        read_record(resident, reader=officer, purpose=Purpose.SERVICE, fields=["phone"])
    return list(LedgerEntry.objects.order_by("position"))


def test_an_untouched_chain_verifies(three_reads):
    verdict = verify()

    assert verdict.intact
    assert verdict.entries_checked == 4  # the registration and three reads


def test_an_edited_entry_is_named(three_reads):
    with triggers_disabled():
        LedgerEntry.objects.filter(position=3).update(purpose=Purpose.EMERGENCY)

    verdict = verify()

    assert verdict.first_bad_position == 3
    assert "altered" in verdict.reason


def test_a_removed_entry_is_named(three_reads):
    with triggers_disabled():
        LedgerEntry.objects.filter(position=2).delete()

    assert verify().first_bad_position == 2


def test_a_removed_last_entry_is_noticed(three_reads):
    with triggers_disabled():
        LedgerEntry.objects.filter(position=4).delete()

    assert verify().first_bad_position == 4


def test_the_command_names_the_altered_entry(three_reads, capsys):
    with triggers_disabled():
        LedgerEntry.objects.filter(position=2).update(fields=["birth_date"])

    with pytest.raises(CommandError, match="entry 2"):
        call_command("verify_ledger")


def test_the_command_reports_an_intact_chain(three_reads, capsys):
    call_command("verify_ledger")

    assert "4 entries" in capsys.readouterr().out


@on_postgresql
@pytest.mark.parametrize("statement", ["UPDATE {} SET purpose = 'x'", "DELETE FROM {}"])
def test_postgresql_refuses_to_rewrite_the_ledger(three_reads, statement):
    table = LedgerEntry._meta.db_table

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement.format(table))

    assert LedgerEntry.objects.count() == 4
