"""Strict parsing of settings from environment variables.

A bad value stops start-up with a message that names the variable, instead of
falling back to a default the operator did not ask for.
"""

import ipaddress
import os
import secrets
from collections.abc import Callable
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from avvik.core.redis_urls import RedisAddress, RedisUrlError, parse_redis_url

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class ConfigError(ImproperlyConfigured):
    """A setting in the environment is missing or malformed."""


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ConfigError(f"{name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"{name}={value!r} is not a boolean; use true or false.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a whole number.") from None
    if number < minimum:
        raise ConfigError(f"{name}={value!r} must be at least {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ConfigError(f"{name}={value!r} must be one of: {', '.join(choices)}.")
    return value


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def env_log_level(name: str, default: str) -> str:
    """A logging level in any case (info, INFO), given back in upper case as logging wants it."""
    value = env_str(name, default) or default
    level = value.strip().upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"{name}={value!r} is not a log level; use one of: {', '.join(LOG_LEVELS)}.")
    return level


def env_networks(name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """A comma-separated list of networks in CIDR form (10.0.0.0/8, 2001:db8::/32); a bare address is one host."""
    networks = []
    for item in env_list(name, []):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError(f"{name}: {item!r} is not a network (e.g. 10.0.0.0/8 or 2001:db8::/32).") from None
    return networks


def env_database(name: str, default: str) -> dict:
    value = env_str(name, default)
    if "://" not in value:
        raise ConfigError(f"{name}={value!r} is not a database URL (e.g. postgres://user@host:5432/name).")
    try:
        config = dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several types for bad URLs
        raise ConfigError(f"{name}={value!r} is not a valid database URL: {exc}") from None
    if not config.get("ENGINE"):
        raise ConfigError(f"{name}={value!r} names an unknown database scheme.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL and IMMEDIATE let the web process, worker and beat share one file without
        # "database is locked" errors.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif not config.get("NAME"):
        raise ConfigError(f"{name}={value!r} does not name a database.")
    return config


def env_redis(name: str, *, sentinel_password: str = "") -> RedisAddress | None:
    """A Redis URL: one server, or a master found through Sentinel (avvik/core/redis_urls.py)."""
    value = env_str(name)
    if value is None:
        return None
    try:
        return parse_redis_url(value.strip(), sentinel_password=sentinel_password)
    except RedisUrlError as error:
        raise ConfigError(f"{name}: {error}") from None


def stored_secret(
    name: str, path: Path, *, production: bool, generate: Callable[[], str] = lambda: secrets.token_urlsafe(50)
) -> str:
    """Return the secret from the environment, or one generated once and kept in a file.

    In production the environment must provide it: a generated file would differ
    between hosts and silently break sessions and encrypted data.
    """
    value = env_str(name)
    if value:
        return value
    if production:
        raise ConfigError(f"{name} must be set when ENVIRONMENT=production.")
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = generate()
    path.write_text(value)
    path.chmod(0o600)
    return value


def generate_fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()
