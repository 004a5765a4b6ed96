"""Backup and restore through the real commands, on the tests' database engine: SQLite, or PostgreSQL
with DATABASE_URL (then against a scratch database the test creates and drops)."""

import hashlib
import json
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import FileField
from django.db.utils import load_backend

from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Attachment, PatientReference
from avvik.core.crypto import key_fingerprints
from avvik.operations.backups import MANIFEST, MEDIA_FILE
from tests.builders import PNG, file_case
from tests.processes import ROOT

pytestmark = pytest.mark.django_db(transaction=True)

SCRATCH = "backup_scratch"


@pytest.fixture
def media_root(settings, tmp_path, monkeypatch) -> Path:
    """MEDIA_ROOT in a folder of the test's own, and the file fields' storages under it (Django
    makes a callable storage once, when the model is loaded)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField) and getattr(field, "_storage_callable", None):
                monkeypatch.setattr(field, "storage", field._storage_callable())
    return settings.MEDIA_ROOT


@pytest.fixture
def cases(world, reporter, media_root) -> list[Deviation]:
    return [
        file_case(reporter, world.municipality, attachment=True, patient=True, title="Epikrise mangler"),
        file_case(reporter, world.municipality, attachment=True, title="Feil adresse"),
        file_case(reporter, world.municipality, title="Labsvar uteble"),
    ]


@pytest.fixture
def scratch(tmp_path):
    """An empty database beside the tests' own, reachable as the alias SCRATCH."""
    default = connections["default"].settings_dict
    if connection.vendor == "postgresql":
        name = f"{default['NAME']}_scratch_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    else:
        name = str(tmp_path / "scratch.sqlite3")
    # Registered as a connection but not as a setting: Django's test case lets a test use a database
    # that is not in DATABASES, and refuses every one that is but the test did not declare.
    scratch_connection = load_backend(default["ENGINE"]).DatabaseWrapper({**default, "NAME": name}, SCRATCH)
    connections[SCRATCH] = scratch_connection
    yield SCRATCH
    scratch_connection.close()
    del connections[SCRATCH]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def our_rows(alias: str) -> dict[str, list[tuple]]:
    """Every row of every table of our apps, as stored."""
    return {
        model._meta.db_table: list(model._base_manager.using(alias).order_by("pk").values_list())
        for config in apps.get_app_configs()
        if config.name.startswith("avvik.")
        for model in config.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def media_files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_a_restore_into_an_empty_database_has_every_row_and_every_file_byte(cases, media_root, scratch, tmp_path):
    backup = tmp_path / "set"
    call_command("backup", "--to", str(backup))
    rows, files = our_rows("default"), media_files(media_root)
    assert len(files) == 2 and PNG in files.values()

    shutil.rmtree(media_root)
    call_command("restore", "--from", str(backup), "--database", scratch)

    assert our_rows(scratch) == rows
    assert media_files(media_root) == files
    restored = Attachment.objects.using(scratch).filter(deviation__title="Feil adresse").get()
    assert restored.file.read() == PNG
    # Still encrypted: the backup holds what the table holds, not the patient's name.
    patient = PatientReference.objects.using(scratch).get()
    assert patient.name_encrypted and "Ola Nordmann" not in patient.name_encrypted


def test_the_manifest_describes_the_set(cases, media_root, tmp_path):
    backup = tmp_path / "set"
    call_command("backup", "--to", str(backup))
    manifest = json.loads((backup / MANIFEST).read_text())

    assert manifest["format_version"] == 1
    assert manifest["created_at"][-6:] in {"+01:00", "+02:00"}  # Oslo time, with its offset
    assert manifest["database"]["engine"] == connection.vendor
    assert manifest["row_counts"]["cases_deviation"] == 3
    assert manifest["row_counts"]["cases_attachment"] == 2
    assert manifest["migrations"]["cases"] == max(
        name for app, name in MigrationRecorder(connection).applied_migrations() if app == "cases"
    )
    assert manifest["media"]["files"] == 2
    assert manifest["object_storage_bucket"] is None
    assert "FIELD_ENCRYPTION_KEY is not in it" in manifest["encryption"]
    assert set(manifest["files"]) == {manifest["database"]["file"], MEDIA_FILE}
    assert sorted(path.name for path in backup.iterdir()) == sorted([*manifest["files"], MANIFEST])


def test_a_backup_is_not_written_over_an_earlier_set(cases, tmp_path):
    backup = tmp_path / "set"
    call_command("backup", "--to", str(backup))
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("backup", "--to", str(backup))


def test_an_intact_set_verifies(cases, tmp_path, capsys):
    backup = tmp_path / "set"
    call_command("backup", "--to", str(backup))
    call_command("backup", "--verify", str(backup))
    assert "is intact: 2 files match" in capsys.readouterr().out


def test_a_tampered_file_fails_verification_and_is_not_restored(cases, scratch, tmp_path):
    backup = tmp_path / "set"
    call_command("backup", "--to", str(backup))
    tampered = bytearray((backup / MEDIA_FILE).read_bytes())
    tampered[-2048] ^= 1  # one bit, in the last member's bytes or the padding after them
    (backup / MEDIA_FILE).write_bytes(tampered)

    with pytest.raises(CommandError, match=f"do not match their SHA-256 in the manifest: {MEDIA_FILE}"):
        call_command("backup", "--verify", str(backup))
    with pytest.raises(CommandError, match="do not match"):
        call_command("restore", "--from", str(backup), "--database", scratch)
    assert "cases_deviation" not in connections[scratch].introspection.table_names()


def test_a_set_made_by_newer_code_is_refused(cases, scratch, tmp_path):
    backup = tmp_path / "set"
    call_command("backup", "--to", str(backup))
    manifest = json.loads((backup / MANIFEST).read_text())
    manifest["migrations"]["cases"] = "9999_from_a_later_release"
    (backup / MANIFEST).write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match=r"newer code: migration cases\.9999_from_a_later_release"):
        call_command("restore", "--from", str(backup), "--database", scratch)
    assert "cases_deviation" not in connections[scratch].introspection.table_names()


def test_a_database_with_data_is_refused_without_yes_and_replaced_with_it(cases, media_root, tmp_path):
    backup = tmp_path / "set"
    call_command("backup", "--to", str(backup))
    rows, files = our_rows("default"), media_files(media_root)
    Deviation.objects.filter(title="Feil adresse").update(title="Endret etter backup")
    Attachment.objects.filter(deviation__title="Epikrise mangler").get().file.delete()

    with pytest.raises(CommandError, match=r"already holds data \(\d+ rows in \d+ tables\); give --yes"):
        call_command("restore", "--from", str(backup))
    assert Deviation.objects.filter(title="Endret etter backup").exists()

    call_command("restore", "--from", str(backup), "--yes")
    assert our_rows("default") == rows
    assert media_files(media_root) == files
    assert Deviation.objects.filter(title="Feil adresse").exists()


def test_the_manifest_names_the_keys_by_fingerprint_and_never_holds_them(cases, settings, tmp_path):
    backup = tmp_path / "set"
    call_command("backup", "--to", str(backup))
    text = (backup / MANIFEST).read_text()
    assert json.loads(text)["encryption_keys"] == key_fingerprints()
    for key in settings.FIELD_ENCRYPTION_KEYS:
        assert key not in text
        assert key.rstrip("=") not in text


def test_a_restore_without_the_backups_key_is_refused_before_anything_is_replaced(
    cases, media_root, settings, scratch, tmp_path
):
    backup = tmp_path / "set"
    call_command("backup", "--to", str(backup))
    made_with, old_keys = key_fingerprints()[0], list(settings.FIELD_ENCRYPTION_KEYS)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(
        CommandError, match=rf"does not hold the key\(s\) the backup was made with \(fingerprints {made_with}\)"
    ):
        call_command("restore", "--from", str(backup), "--database", scratch)
    assert "cases_deviation" not in connections[scratch].introspection.table_names()
    # The old key after a new current one is enough: rotated keys are kept in that order.
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old_keys]
    shutil.rmtree(media_root)
    call_command("restore", "--from", str(backup), "--database", scratch)
    assert Deviation.objects.using(scratch).count() == 3


def test_a_restore_is_refused_in_production_without_its_flag(cases, media_root, settings, scratch, tmp_path):
    backup = tmp_path / "set"
    call_command("backup", "--to", str(backup))
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match=r"ENVIRONMENT=production.*--allow-production"):
        call_command("restore", "--from", str(backup), "--database", scratch)
    shutil.rmtree(media_root)
    call_command("restore", "--from", str(backup), "--database", scratch, "--allow-production")
    assert Deviation.objects.using(scratch).count() == 3


def test_a_refusal_is_one_line_and_a_non_zero_exit_code(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "backup", "--verify", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"CommandError: {tmp_path} holds no manifest.json: it is not a backup set, or one that was never finished."
    ]


def test_a_database_file_that_cannot_be_loaded_leaves_the_database_as_it_was(cases, media_root, tmp_path):
    backup = tmp_path / "set"
    call_command("backup", "--to", str(backup))
    manifest = json.loads((backup / MANIFEST).read_text())
    database_file = backup / manifest["database"]["file"]
    # Damaged before the manifest was written (so its checksum agrees): half the file.
    database_file.write_bytes(database_file.read_bytes()[: database_file.stat().st_size // 2])
    manifest["files"][database_file.name] = hashlib.sha256(database_file.read_bytes()).hexdigest()
    (backup / MANIFEST).write_text(json.dumps(manifest))
    rows = our_rows("default")

    with pytest.raises(CommandError, match="failed"):
        call_command("restore", "--from", str(backup), "--yes")
    assert our_rows("default") == rows
    assert len(media_files(media_root)) == 2


def test_the_database_is_stored_in_the_engines_own_format(cases, tmp_path):
    backup = tmp_path / "set"
    call_command("backup", "--to", str(backup))
    database_file = backup / json.loads((backup / MANIFEST).read_text())["database"]["file"]
    if connection.vendor == "sqlite":
        assert database_file.read_bytes().startswith(b"SQLite format 3\x00")
    else:
        assert database_file.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format


@pytest.mark.postgres
def test_on_postgresql_the_dump_lists_every_table_of_the_manifest(cases, tmp_path):
    backup = tmp_path / "set"
    call_command("backup", "--to", str(backup))
    manifest = json.loads((backup / MANIFEST).read_text())
    listing = subprocess.run(
        ["pg_restore", "--list", str(backup / manifest["database"]["file"])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for table in manifest["row_counts"]:
        assert f"TABLE DATA public {table} " in listing


def test_a_backup_is_not_written_inside_the_folder_it_backs_up(cases, media_root):
    with pytest.raises(CommandError, match="inside MEDIA_ROOT"):
        call_command("backup", "--to", str(media_root / "backup"))
    assert not (media_root / "backup").exists()
