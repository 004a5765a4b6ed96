"""The offline audit reads an OSV snapshot and reports the locked versions its advisories affect.

The fixture snapshot (tests/operations/osv_snapshot) holds six small advisories in the OSV format:
Django with two fixed ranges, requests fixed long ago, a withdrawn one for whitenoise, PyJWT with a
last_affected bound, Pillow with a list of versions (in a subdirectory) and an npm package named
django.
"""

import shutil
import zipfile
from pathlib import Path

import pytest
import time_machine
from packaging.version import Version

from avvik.operations.osv_audit import AuditError, Pin, audit, in_range, load_snapshot, main, read_pins

SNAPSHOT = Path(__file__).parent / "osv_snapshot"


def lock(tmp_path, *lines, name="requirements.txt"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path


def found(*pins):
    """The advisory ids reported for the given name==version pins."""
    pins_ = [Pin(*pin.split("=="), source="test") for pin in pins]
    return [(f.pin.name, f.pin.version, f.advisory_id) for f in audit(pins_, load_snapshot(SNAPSHOT))]


def test_a_version_inside_a_fixed_range_is_reported_with_the_fixing_release():
    [finding] = audit([Pin("django", "5.2.19", "test")], load_snapshot(SNAPSHOT))
    assert finding.advisory_id == "TEST-2026-0001"
    assert finding.aliases == ("CVE-2026-90001",)
    assert finding.fixed_in == ("5.2.20",)


def test_the_fixed_release_and_versions_between_ranges_are_not_affected():
    assert found("django==5.2.20") == []
    assert found("django==5.1.5") == []
    assert found("django==4.2.29") == [("django", "4.2.29", "TEST-2026-0001")]
    assert found("requests==2.34.2") == []
    assert found("requests==2.33.9") == [("requests", "2.33.9", "TEST-2026-0002")]


def test_last_affected_includes_its_own_version_and_nothing_after_it():
    assert found("pyjwt==2.15.1") == [("pyjwt", "2.15.1", "TEST-2026-0004")]
    assert found("pyjwt==2.15.2") == []
    assert found("pyjwt==2.9.0") == []


def test_listed_versions_match_whatever_the_spelling_of_the_name():
    assert found("pillow==13.0.0") == [("pillow", "13.0.0", "TEST-2026-0005")]
    assert found("pillow==13.0.1") == []


def test_withdrawn_advisories_and_other_ecosystems_are_skipped():
    snapshot = load_snapshot(SNAPSHOT)
    assert snapshot.advisories == 6
    assert snapshot.withdrawn == 1
    assert found("whitenoise==6.12.0") == []
    # The npm advisory for "django" covers every version; only the PyPI one may match.
    assert [f.advisory_id for f in audit([Pin("django", "5.2.20", "test")], snapshot)] == []


def test_range_events_are_evaluated_in_version_order_whatever_their_order_in_the_file():
    events = [{"fixed": "2.0"}, {"introduced": "3.0"}, {"introduced": "1.0"}, {"fixed": "4.0"}]
    assert [in_range(Version(v), events, "X") for v in ("0.9", "1.0", "1.9", "2.0", "3.5", "4.0")] == [
        False, True, True, False, True, False,
    ]  # fmt: skip


def test_lock_file_lines_with_hashes_and_comments_become_pins(tmp_path):
    path = lock(
        tmp_path,
        "#    make lock",
        "django==5.2.19 \\",
        "    --hash=sha256:aaaa \\",
        "    --hash=sha256:bbbb",
        "    # via -r requirements.in",
        "PyJWT==2.15.1 --hash=sha256:cccc  # via mozilla-django-oidc",
    )
    assert [(p.name, p.version) for p in read_pins(path)] == [("django", "5.2.19"), ("pyjwt", "2.15.1")]


def test_an_unpinned_requirement_stops_the_audit(tmp_path, capsys):
    path = lock(tmp_path, "django>=5.2")
    with pytest.raises(AuditError, match="not pinned"):
        read_pins(path)
    assert main(["--db", str(SNAPSHOT), str(path)]) == 2
    assert "not pinned to one version" in capsys.readouterr().err


def test_the_command_lists_findings_and_fails(tmp_path, capsys):
    path = lock(tmp_path, "django==5.2.19", "requests==2.34.2", "pyjwt==2.15.1", "whitenoise==6.12.0")
    assert main(["--db", str(SNAPSHOT), str(path)]) == 1
    out = capsys.readouterr().out
    assert "Checked 4 pinned packages against 6 advisories (1 withdrawn, newest from 2026-11-25)" in out
    assert "django 5.2.19: TEST-2026-0001 (CVE-2026-90001); fixed in: 5.2.20." in out
    assert "pyjwt 2.15.1: TEST-2026-0004; fixed in: no fixed release." in out
    assert "requests" not in out.split("\n", 1)[1]
    assert "2 known vulnerabilities found." in out


def test_the_command_passes_a_clean_lock_and_reads_a_zip_snapshot_too(tmp_path, capsys):
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in SNAPSHOT.rglob("*.json"):
            zf.write(path, path.name)
    clean = lock(tmp_path, "django==5.2.20", "requests==2.34.2")
    assert main(["--db", str(archive), str(clean)]) == 0
    assert "No known vulnerabilities found." in capsys.readouterr().out
    affected = lock(tmp_path, "django==5.2.19", name="other.txt")
    assert main(["--db", str(archive), str(affected)]) == 1


def test_an_ignored_advisory_is_left_out_by_id_or_alias(tmp_path, capsys):
    path = lock(tmp_path, "django==5.2.19", "pyjwt==2.15.1")
    assert main(["--db", str(SNAPSHOT), "--ignore-vuln", "CVE-2026-90001", str(path)]) == 1
    assert "TEST-2026-0001" not in capsys.readouterr().out
    args = ["--db", str(SNAPSHOT), "--ignore-vuln", "CVE-2026-90001", "--ignore-vuln", "TEST-2026-0004", str(path)]
    assert main(args) == 0


def test_an_empty_missing_or_broken_snapshot_cannot_pass(tmp_path, capsys):
    path = lock(tmp_path, "django==5.2.20")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["--db", str(empty), str(path)]) == 2
    assert "holds no advisories" in capsys.readouterr().err
    assert main(["--db", str(tmp_path / "nowhere"), str(path)]) == 2
    broken = tmp_path / "broken"
    shutil.copytree(SNAPSHOT, broken)
    (broken / "TEST-2026-0007.json").write_text('{"id": "TEST-2026-0007", "affected": [')
    assert main(["--db", str(broken), str(path)]) == 2
    assert "TEST-2026-0007.json: not an OSV JSON document" in capsys.readouterr().err


def test_a_range_that_cannot_be_compared_fails_rather_than_passes(tmp_path, capsys):
    db = tmp_path / "db"
    db.mkdir()
    (db / "TEST-2026-0008.json").write_text(
        '{"id": "TEST-2026-0008", "modified": "2026-11-01T00:00:00Z", "affected": [{"package": '
        '{"ecosystem": "PyPI", "name": "django"}, "ranges": [{"type": "ECOSYSTEM", "events": '
        '[{"introduced": "0"}, {"fixed": "not a version"}]}]}]}'
    )
    assert main(["--db", str(db), str(lock(tmp_path, "django==5.2.20"))]) == 2
    assert "cannot compare version 'not a version'" in capsys.readouterr().err


def test_a_stale_snapshot_fails_when_a_maximum_age_is_asked_for(tmp_path, capsys):
    path = lock(tmp_path, "django==5.2.20")
    with time_machine.travel("2026-12-20 12:00Z"):
        assert main(["--db", str(SNAPSHOT), "--max-age-days", "30", str(path)]) == 0
    with time_machine.travel("2027-01-10 12:00Z"):
        assert main(["--db", str(SNAPSHOT), "--max-age-days", "30", str(path)]) == 2
    assert "the newest advisory is from 2026-11-25, older than 30 days" in capsys.readouterr().err
