"""Importing a register file: in place, with history, removed entries kept, nothing half-done."""

from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from avvik.register.choices import ChangeKind
from avvik.register.models import EntryChange, ImportRun, RegisterEntry
from avvik.register.services import register_import
from tests.register.helpers import csv_text

SAMPLE = Path(__file__).resolve().parents[2] / "avvik/register/samples/adresseregister-demo.csv"

FIRST = csv_text(
    "8010001,,organisation,Demo sykehus HF,991000100,dialogue",
    "8010011,8010001,unit,Medisinsk avdeling,,referral;dialogue",
    "8010012,8010001,unit,Kirurgisk avdeling,,referral",
    "8010013,8010001,unit,Akuttmottak,,referral",
).encode()

# Medisinsk avdeling renamed, Kirurgisk avdeling now receives dialogue messages too, Akuttmottak
# gone, a new laboratory.
SECOND = csv_text(
    "8010001,,organisation,Demo sykehus HF,991000100,dialogue",
    "8010011,8010001,unit,Medisinsk klinikk,,referral;dialogue",
    "8010012,8010001,unit,Kirurgisk avdeling,,referral;dialogue",
    "8010014,8010001,unit,Avdeling for laboratoriemedisin,,lab_requisition",
).encode()


def entries(partnership) -> dict[str, RegisterEntry]:
    return {e.her_id: e for e in RegisterEntry.objects.filter(partnership=partnership)}


def test_a_first_import_adds_every_row_and_records_the_run(world, coordinator):
    result = register_import(partnership=world.partnership, data=FIRST, source="ar.csv", by=coordinator)
    stored = entries(world.partnership)
    assert set(stored) == {"8010001", "8010011", "8010012", "8010013"}
    assert stored["8010011"].parent_her_id == "8010001"
    assert stored["8010011"].receives == ["referral", "dialogue"]
    assert stored["8010001"].organisation_number == "991000100"
    run = ImportRun.objects.get()
    assert run == result.run
    assert (run.source, run.by, run.rows, run.new, run.removed) == ("ar.csv", coordinator, 4, 4, 0)
    assert EntryChange.objects.filter(run=run, kind=ChangeKind.NEW).count() == 4


def test_a_dry_run_saves_nothing_but_tells_what_would_change(world, coordinator):
    register_import(partnership=world.partnership, data=FIRST, source="ar.csv", by=coordinator)
    before = list(RegisterEntry.objects.values_list("her_id", "name", "active", "receives"))
    result = register_import(partnership=world.partnership, data=SECOND, source="ny.csv", by=coordinator, dry_run=True)
    assert result.run is None
    assert result.counts[ChangeKind.RENAMED] == 1
    assert result.counts[ChangeKind.REMOVED] == 1
    assert result.counts[ChangeKind.NEW] == 1
    assert result.counts[ChangeKind.CHANGED] == 1
    assert list(RegisterEntry.objects.values_list("her_id", "name", "active", "receives")) == before
    assert ImportRun.objects.count() == 1
    assert EntryChange.objects.count() == 4


def test_a_second_import_updates_in_place_with_history_and_keeps_removed_entries(world, coordinator):
    with time_machine.travel("2026-10-01 08:00 +0000", tick=False):
        register_import(partnership=world.partnership, data=FIRST, source="ar.csv", by=coordinator)
    ids = {her_id: e.pk for her_id, e in entries(world.partnership).items()}
    with time_machine.travel("2026-11-01 08:00 +0000", tick=False):
        result = register_import(partnership=world.partnership, data=SECOND, source="ny.csv", by=None)
    stored = entries(world.partnership)
    # In place: the same rows, not new ones.
    assert stored["8010011"].pk == ids["8010011"]
    assert stored["8010011"].name == "Medisinsk klinikk"
    assert stored["8010011"].first_seen.month == 10
    assert stored["8010011"].last_seen.month == 11
    rename = EntryChange.objects.get(entry=stored["8010011"], kind=ChangeKind.RENAMED)
    assert (rename.name_before, rename.name_after) == ("Medisinsk avdeling", "Medisinsk klinikk")
    assert rename.run == result.run
    assert stored["8010012"].receives == ["referral", "dialogue"]
    assert EntryChange.objects.get(entry=stored["8010012"], kind=ChangeKind.CHANGED).fields == ["receives"]
    # Removed, not deleted.
    gone = stored["8010013"]
    assert gone.active is False
    assert gone.removed_at.month == 11
    assert gone.name == "Akuttmottak"
    assert stored["8010014"].active
    assert stored["8010001"].last_seen.month == 11
    run = result.run
    assert (run.new, run.renamed, run.changed, run.removed, run.unchanged) == (1, 1, 1, 1, 1)


def test_a_removed_entry_that_comes_back_is_active_again(world):
    register_import(partnership=world.partnership, data=FIRST, source="1.csv", by=None)
    register_import(partnership=world.partnership, data=SECOND, source="2.csv", by=None)
    register_import(partnership=world.partnership, data=FIRST, source="3.csv", by=None)
    back = RegisterEntry.objects.get(partnership=world.partnership, her_id="8010013")
    assert back.active and back.removed_at is None
    assert list(back.changes.values_list("kind", flat=True)) == [
        ChangeKind.RESTORED,
        ChangeKind.REMOVED,
        ChangeKind.NEW,
    ]


def test_a_file_with_one_error_imports_nothing(world):
    register_import(partnership=world.partnership, data=FIRST, source="1.csv", by=None)
    broken = SECOND + b"8010099,,organisation,,,\n"
    result = register_import(partnership=world.partnership, data=broken, source="2.csv", by=None)
    assert result.run is None
    assert [problem.line for problem in result.errors] == [6]
    assert entries(world.partnership)["8010011"].name == "Medisinsk avdeling"
    assert entries(world.partnership)["8010013"].active
    assert ImportRun.objects.count() == 1


def test_warnings_alone_do_not_stop_the_import(world):
    data = csv_text("8010001,,organisation,=Demo sykehus HF,,dialogue;telegram").encode()
    result = register_import(partnership=world.partnership, data=data, source="1.csv", by=None)
    assert result.run is not None
    assert result.run.warnings == 2
    assert entries(world.partnership)["8010001"].name == "=Demo sykehus HF"


def test_the_copy_of_one_partnership_is_not_touched_by_another_partnerships_import(world):
    register_import(partnership=world.partnership, data=FIRST, source="1.csv", by=None)
    register_import(partnership=world.other_partnership, data=SECOND, source="2.csv", by=None)
    assert entries(world.partnership)["8010013"].active
    assert entries(world.partnership)["8010011"].name == "Medisinsk avdeling"
    assert set(entries(world.other_partnership)) == {"8010001", "8010011", "8010012", "8010014"}


# Batches of a thousand or so: a row-by-row import would take over 10,000.
QUERIES_FOR_TEN_THOUSAND = 200


def test_ten_thousand_rows_import_in_bulk(world, django_assert_max_num_queries):
    """10,000 rows are written in batches, not row by row: the query count stays far below the rows.
    (How fast is the benchmark's business, not a unit test's.)"""
    rows = ["9100000,,organisation,Stor HF,,dialogue"]
    rows += [f"{9100001 + n},9100000,unit,Enhet {n},,referral;dialogue" for n in range(9999)]
    data = csv_text(*rows).encode()
    with django_assert_max_num_queries(QUERIES_FOR_TEN_THOUSAND):
        result = register_import(partnership=world.partnership, data=data, source="stor.csv", by=None)
    assert result.run.new == 10_000
    assert RegisterEntry.objects.filter(partnership=world.partnership).count() == 10_000
    renamed = data.replace(b"Enhet 1", b"Avdeling 1")
    with django_assert_max_num_queries(QUERIES_FOR_TEN_THOUSAND):
        again = register_import(partnership=world.partnership, data=renamed, source="stor2.csv", by=None)
    assert again.run.renamed == 1111  # "Enhet 1", "Enhet 10".."19", "Enhet 100".."199", "Enhet 1000".."1999"


def test_the_command_imports_the_demo_sample(world, capsys):
    call_command("load_address_register", str(SAMPLE), "--partnership", world.partnership.slug)
    assert RegisterEntry.objects.filter(partnership=world.partnership).count() == 14
    assert "new: 14" in capsys.readouterr().out
    run = ImportRun.objects.get()
    assert (run.source, run.by) == ("adresseregister-demo.csv", None)


def test_the_command_dry_run_stores_nothing(world, capsys):
    call_command("load_address_register", str(SAMPLE), "--partnership", world.partnership.slug, "--dry-run")
    assert RegisterEntry.objects.count() == 0
    assert ImportRun.objects.count() == 0
    assert "Would import 14 rows" in capsys.readouterr().out


def test_the_command_fails_on_a_file_with_errors_and_names_the_line(world, tmp_path, capsys):
    path = tmp_path / "feil.csv"
    path.write_bytes(FIRST + b"80100XX,,organisation,Feil,,\n")
    with pytest.raises(CommandError):
        call_command("load_address_register", str(path), "--partnership", world.partnership.slug)
    assert "line 6" in capsys.readouterr().err
    assert RegisterEntry.objects.count() == 0


def test_the_demo_sample_matches_the_demo_partnership():
    from avvik.demo.tenancy import PARTNERSHIPS
    from avvik.register.parsing import parse

    parsed = parse(SAMPLE.read_bytes())
    assert parsed.problems == []
    by_her_id = {row.her_id: row for row in parsed.rows}
    demo = next(p for p in PARTNERSHIPS if p["slug"] == "demo")
    expected = {}
    for organisation in demo["organisations"]:
        expected[organisation["her_id"]] = (organisation["name"], "", organisation["organisation_number"])
        for name, her_id in organisation["units"]:
            expected[her_id] = (name, organisation["her_id"], "")
    assert {h: (r.name, r.parent_her_id, r.organisation_number) for h, r in by_her_id.items()} == expected
