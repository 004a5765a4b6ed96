"""Settings come from the environment and a bad value stops start-up, naming the variable."""

import pytest

from samhandling import config
from samhandling.config import generate_fernet_key
from tests.processes import run_check


def test_debug_perhaps_stops_start_up_naming_the_variable(tmp_path):
    result = run_check(tmp_path, DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr
    assert "perhaps" in result.stderr


def test_malformed_database_url_stops_start_up_naming_the_variable(tmp_path):
    result = run_check(tmp_path, DATABASE_URL="postgres//missing-colon")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_unknown_database_scheme_stops_start_up(tmp_path):
    result = run_check(tmp_path, DATABASE_URL="oracle-ish://db/x")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_production_without_secret_key_stops_start_up(tmp_path):
    result = run_check(
        tmp_path, ENVIRONMENT="production", DATABASE_URL="sqlite:///x.db", REDIS_URL="redis://127.0.0.1:6379/0"
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_without_redis_stops_start_up(tmp_path):
    result = run_check(
        tmp_path,
        ENVIRONMENT="production",
        SECRET_KEY="x" * 50,
        FIELD_ENCRYPTION_KEY=generate_fernet_key(),
        DATABASE_URL="sqlite:///x.db",
    )
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


def test_production_without_field_encryption_key_stops_start_up(tmp_path):
    result = run_check(
        tmp_path,
        ENVIRONMENT="production",
        SECRET_KEY="x" * 50,
        DATABASE_URL="sqlite:///x.db",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY" in result.stderr


@pytest.mark.parametrize("value", ["info", "INFO", "Warning", "debug"])
def test_log_level_is_accepted_in_any_case(tmp_path, value):
    result = run_check(tmp_path, LOG_LEVEL=value)
    assert result.returncode == 0, result.stderr


def test_unknown_log_level_stops_start_up_with_one_line_naming_the_variable(tmp_path):
    result = run_check(tmp_path, LOG_LEVEL="loud")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "LOG_LEVEL" in lines[0] and "loud" in lines[0]
    assert "DEBUG, INFO, WARNING, ERROR, CRITICAL" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("value", "level"), [("info", "INFO"), (" error ", "ERROR"), ("", "WARNING")])
def test_log_level_is_given_back_in_upper_case(monkeypatch, value, level):
    monkeypatch.setenv("X_LOG_LEVEL", value)
    assert config.env_log_level("X_LOG_LEVEL", "WARNING") == level


@pytest.mark.parametrize("value", ["loud", "10", "INFO,DEBUG", "warn"])
def test_anything_else_is_not_a_log_level(monkeypatch, value):
    monkeypatch.setenv("X_LOG_LEVEL", value)
    with pytest.raises(config.ConfigError, match=r"X_LOG_LEVEL.*DEBUG, INFO, WARNING, ERROR, CRITICAL"):
        config.env_log_level("X_LOG_LEVEL", "INFO")


def test_good_configuration_starts(tmp_path):
    result = run_check(tmp_path, DEBUG="false")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("value", ["1", "true", "True", "yes", "on"])
def test_true_spellings(monkeypatch, value):
    monkeypatch.setenv("X_FLAG", value)
    assert config.env_bool("X_FLAG", False) is True


@pytest.mark.parametrize("value", ["0", "false", "NO", "off"])
def test_false_spellings(monkeypatch, value):
    monkeypatch.setenv("X_FLAG", value)
    assert config.env_bool("X_FLAG", True) is False


def test_bad_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(config.ConfigError, match="EMAIL_PORT"):
        config.env_int("EMAIL_PORT", 25)


def test_redis_url_must_be_a_redis_url(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "http://127.0.0.1:6379")
    with pytest.raises(config.ConfigError, match="REDIS_URL"):
        config.env_redis("REDIS_URL")


def test_secret_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SOME_SECRET", raising=False)
    path = tmp_path / "secret"
    first = config.stored_secret("SOME_SECRET", path, production=False)
    assert config.stored_secret("SOME_SECRET", path, production=False) == first
    assert path.stat().st_mode & 0o077 == 0


def test_a_total_below_the_largest_file_is_refused_at_start(tmp_path):
    result = run_check(tmp_path, ATTACHMENT_MAX_MB="20", ATTACHMENTS_MAX_TOTAL_MB="10")
    assert result.returncode != 0
    assert "ATTACHMENTS_MAX_TOTAL_MB must be at least ATTACHMENT_MAX_MB" in result.stderr
    assert "Traceback" not in result.stderr
