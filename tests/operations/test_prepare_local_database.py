"""`make run` notices a local database made by the code before its areas and rebuilds it, saying so."""

import os
import sqlite3
import subprocess
import sys

from tests.processes import ROOT


def manage(tmp_path, *args):
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environment["VAR_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=180
    )


def old_database(path):
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE django_migrations (id integer primary key, app text, name text, applied text)")
        connection.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('avvik', '0013_x', '2026-11-01')"
        )
        connection.execute("CREATE TABLE avvik_deviation (id integer primary key)")


def test_a_database_of_the_old_layout_is_rebuilt_and_the_person_is_told(tmp_path):
    database = tmp_path / "samhandling.sqlite3"
    old_database(database)
    result = manage(tmp_path, "prepare_local_database")
    assert result.returncode == 0, result.stderr
    assert "made afresh" in result.stdout
    assert not database.exists()
    migrated = manage(tmp_path, "migrate", "--no-input", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    with sqlite3.connect(database) as connection:
        apps = {row[0] for row in connection.execute("SELECT DISTINCT app FROM django_migrations")}
    assert "cases" in apps and "avvik" not in apps


def test_a_current_database_is_left_alone(tmp_path):
    assert manage(tmp_path, "migrate", "--no-input", "-v", "0").returncode == 0
    database = tmp_path / "samhandling.sqlite3"
    before = database.stat().st_mtime_ns
    result = manage(tmp_path, "prepare_local_database")
    assert result.returncode == 0 and result.stdout == ""
    assert database.stat().st_mtime_ns == before
