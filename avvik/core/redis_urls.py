"""Where Redis is: one server (redis://, rediss://, unix://) or a master that Redis Sentinel names.

A Sentinel deployment is written as one URL, so that REDIS_URL stays a single setting:

    redis+sentinel://[[user]:password@]host:26379[,host2:26379...]/service[/db]

The password (and user) are the Redis servers'; sentinels that ask for a password of their own get
REDIS_SENTINEL_PASSWORD. Each library wants Sentinel said its own way: `kombu_url` and
`kombu_transport_options` for Celery's broker and result backend, `django_cache` for django-redis,
`client` for our own probes.
"""

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

import redis
from redis.sentinel import Sentinel

SENTINEL_SCHEME = "redis+sentinel://"
PLAIN_SCHEMES = ("redis://", "rediss://", "unix://")
SENTINEL_PORT = 26379
EXAMPLE = "redis://127.0.0.1:6379/0 or redis+sentinel://host:26379,host2:26379/mymaster/0"


class RedisUrlError(ValueError):
    """A Redis URL that cannot be used; the message says what is wrong with it."""


@dataclass(frozen=True)
class RedisAddress:
    """One Redis URL, understood: `url` as given, and for Sentinel its parts."""

    url: str
    sentinels: tuple[tuple[str, int], ...] = ()
    service: str = ""
    db: int = 0
    username: str = ""
    password: str = ""
    sentinel_password: str = ""

    @property
    def uses_sentinel(self) -> bool:
        return bool(self.sentinels)

    def _userinfo(self) -> str:
        if not (self.username or self.password):
            return ""
        return f"{quote(self.username, safe='')}:{quote(self.password, safe='')}@"

    def _sentinel_kwargs(self, connection: dict[str, Any]) -> dict[str, Any] | None:
        """How to talk to the sentinels themselves. None lets redis-py give them the servers' socket
        timeouts; a password of their own must bring the timeouts along, or a dead sentinel hangs."""
        if not self.sentinel_password:
            return None
        timeouts = {name: value for name, value in connection.items() if name.startswith("socket_")}
        return {"password": self.sentinel_password, **timeouts}

    def kombu_url(self) -> str:
        """The broker or result backend URL as kombu and Celery want it: one sentinel:// per sentinel."""
        if not self.uses_sentinel:
            return self.url
        return ";".join(f"sentinel://{self._userinfo()}{_host(host)}:{port}/{self.db}" for host, port in self.sentinels)

    def kombu_transport_options(self, **connection: Any) -> dict[str, Any]:
        """What kombu's Sentinel transport and Celery's Sentinel result backend need besides the URL;
        `connection` holds the socket timeouts the sentinels are to be given as well."""
        if not self.uses_sentinel:
            return {}
        options: dict[str, Any] = {"master_name": self.service}
        if sentinel_kwargs := self._sentinel_kwargs(connection):
            options["sentinel_kwargs"] = sentinel_kwargs
        return options

    def django_cache(self, *, key_prefix: str, timeout_seconds: float) -> dict[str, Any]:
        """A CACHES entry for django-redis; with Sentinel, every command goes to the current master."""
        options: dict[str, Any] = {
            "SOCKET_CONNECT_TIMEOUT": timeout_seconds,
            "SOCKET_TIMEOUT": timeout_seconds,
        }
        location = self.url
        if self.uses_sentinel:
            # django-redis reads the service name from the host part of the location.
            location = f"redis://{self._userinfo()}{self.service}/{self.db}"
            options["CONNECTION_FACTORY"] = "django_redis.pool.SentinelConnectionFactory"
            options["SENTINELS"] = list(self.sentinels)
            options["SENTINEL_KWARGS"] = self._sentinel_kwargs(
                {"socket_connect_timeout": timeout_seconds, "socket_timeout": timeout_seconds}
            )
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": key_prefix,
            "OPTIONS": options,
        }

    def client(self, **connection: Any) -> redis.Redis:
        """A client for the server, or for the master Sentinel names now; `connection` as redis-py takes it."""
        if not self.uses_sentinel:
            return redis.Redis.from_url(self.url, **connection)
        sentinel = Sentinel(  # type: ignore[no-untyped-call]
            list(self.sentinels), sentinel_kwargs=self._sentinel_kwargs(connection), **connection
        )
        credentials = {"username": self.username or None, "password": self.password or None}
        master: redis.Redis = sentinel.master_for(self.service, db=self.db, **credentials)  # type: ignore[no-untyped-call]
        return master


def _host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _split_host(item: str, url: str) -> tuple[str, int]:
    if item.startswith("["):  # an IPv6 address: [::1]:26379
        host, bracket, rest = item[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            raise RedisUrlError(f"{url!r}: {item!r} is not a host[:port].")
        port_text = rest[1:]
    else:
        host, _colon, port_text = item.partition(":")
    if not host:
        raise RedisUrlError(f"{url!r}: a sentinel has no host name.")
    if not port_text:
        return host, SENTINEL_PORT
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise RedisUrlError(f"{url!r}: {port_text!r} is not a port number.")
    return host, int(port_text)


def _without_password(url: str) -> str:
    return re.sub(r"(//[^/@]*?:)[^/@]*@", r"\1***@", url)


def parse_redis_url(url: str, *, sentinel_password: str = "") -> RedisAddress:
    """Understand a Redis URL, or say clearly why it cannot be used (RedisUrlError, without the password)."""
    if url.startswith(PLAIN_SCHEMES):
        return RedisAddress(url=url)
    try:
        return _parse_sentinel_url(url, sentinel_password)
    except RedisUrlError as error:
        raise RedisUrlError(str(error).replace(repr(url), repr(_without_password(url)))) from None


def _parse_sentinel_url(url: str, sentinel_password: str) -> RedisAddress:
    if not url.startswith(SENTINEL_SCHEME):
        hint = " (kombu's sentinel://…;sentinel://… form is written here as one redis+sentinel:// URL)"
        raise RedisUrlError(
            f"{url!r} is not a Redis URL; use e.g. {EXAMPLE}{hint if url.startswith('sentinel://') else ''}."
        )
    rest = url.removeprefix(SENTINEL_SCHEME)
    if "?" in rest or "#" in rest:
        raise RedisUrlError(f"{url!r}: a Sentinel URL takes no query or fragment.")
    location, slash, path = rest.partition("/")
    userinfo, at, hosts = location.rpartition("@")
    if not at:
        hosts, userinfo = location, ""
    username, _colon, password = userinfo.partition(":")
    sentinels = tuple(_split_host(item.strip(), url) for item in hosts.split(","))
    parts = path.split("/") if slash else []
    if not parts or not parts[0]:
        raise RedisUrlError(f"{url!r} does not name the Sentinel service (e.g. …:26379/mymaster/0).")
    if len(parts) > 2:
        raise RedisUrlError(f"{url!r}: after the service name only a database number may follow.")
    db_text = parts[1] if len(parts) == 2 else "0"
    if not db_text.isdigit():
        raise RedisUrlError(f"{url!r}: {db_text!r} is not a database number.")
    return RedisAddress(
        url=url,
        sentinels=sentinels,
        service=unquote(parts[0]),
        db=int(db_text),
        username=unquote(username),
        password=unquote(password),
        sentinel_password=sentinel_password,
    )


def configured_client(**connection: Any) -> redis.Redis:
    """A client for the Redis of settings.REDIS_URL (which must be set), through Sentinel when it names one."""
    from django.conf import settings

    if not settings.REDIS_URL:
        raise ValueError("REDIS_URL is not set.")
    address = parse_redis_url(settings.REDIS_URL, sentinel_password=settings.REDIS_SENTINEL_PASSWORD)
    return address.client(**connection)
