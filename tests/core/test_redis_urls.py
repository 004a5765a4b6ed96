"""Redis URLs: one server as it is, or a Sentinel deployment said the way each library wants it."""

import re

import pytest

from avvik.core.redis_urls import RedisUrlError, parse_redis_url

SENTINELS = "redis+sentinel://:s3cret@sentinel-a:26379,sentinel-b:26380/mymaster/2"


def test_a_plain_redis_url_is_passed_on_unchanged():
    address = parse_redis_url("redis://:pw@cache.example:6379/1")
    assert not address.uses_sentinel
    assert address.kombu_url() == "redis://:pw@cache.example:6379/1"
    assert address.kombu_transport_options() == {}
    assert address.django_cache(key_prefix="x", timeout_seconds=2)["LOCATION"] == "redis://:pw@cache.example:6379/1"


def test_a_sentinel_url_names_the_sentinels_the_service_the_database_and_the_password():
    address = parse_redis_url(SENTINELS)
    assert address.sentinels == (("sentinel-a", 26379), ("sentinel-b", 26380))
    assert (address.service, address.db, address.password) == ("mymaster", 2, "s3cret")


def test_celery_gets_one_sentinel_url_per_sentinel_and_the_master_name():
    address = parse_redis_url(SENTINELS)
    assert address.kombu_url() == "sentinel://:s3cret@sentinel-a:26379/2;sentinel://:s3cret@sentinel-b:26380/2"
    # Without sentinel_kwargs redis-py gives the sentinels the servers' socket timeouts itself.
    assert address.kombu_transport_options(socket_timeout=2) == {"master_name": "mymaster"}


def test_sentinels_with_a_password_of_their_own_keep_the_socket_timeouts():
    address = parse_redis_url(SENTINELS, sentinel_password="other")
    assert address.kombu_transport_options(socket_connect_timeout=1, socket_timeout=2) == {
        "master_name": "mymaster",
        "sentinel_kwargs": {"password": "other", "socket_connect_timeout": 1, "socket_timeout": 2},
    }
    cache = address.django_cache(key_prefix="samhandling", timeout_seconds=2)
    assert cache["OPTIONS"]["SENTINEL_KWARGS"] == {
        "password": "other",
        "socket_connect_timeout": 2,
        "socket_timeout": 2,
    }


def test_django_redis_gets_the_service_as_host_and_the_sentinel_connection_factory():
    cache = parse_redis_url(SENTINELS).django_cache(key_prefix="samhandling", timeout_seconds=2)
    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache["LOCATION"] == "redis://:s3cret@mymaster/2"
    assert cache["OPTIONS"]["CONNECTION_FACTORY"] == "django_redis.pool.SentinelConnectionFactory"
    assert cache["OPTIONS"]["SENTINELS"] == [("sentinel-a", 26379), ("sentinel-b", 26380)]


def test_the_port_defaults_to_26379_the_database_to_0_and_ipv6_hosts_are_bracketed():
    address = parse_redis_url("redis+sentinel://[::1],10.0.0.2/mymaster")
    assert address.sentinels == (("::1", 26379), ("10.0.0.2", 26379))
    assert address.db == 0
    assert address.kombu_url().startswith("sentinel://[::1]:26379/0;")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("redis+sentinel://:s3cret@h1:26379,h2:26379", "does not name the Sentinel service"),
        ("redis+sentinel://h1:26379/mymaster/zero", "is not a database number"),
        ("redis+sentinel://h1:263790/mymaster", "is not a port number"),
        ("redis+sentinel://h1,/mymaster", "has no host name"),
        ("redis+sentinel://h1/mymaster/0/extra", "only a database number may follow"),
        ("redis+sentinel://h1/mymaster?ssl=true", "takes no query"),
        ("sentinel://:s3cret@h1:26379;sentinel://h2:26379", "one redis+sentinel:// URL"),
        ("http://h1:6379", "is not a Redis URL"),
    ],
)
def test_a_malformed_url_is_refused_with_a_clear_message_and_without_the_password(url, message):
    with pytest.raises(RedisUrlError, match=re.escape(message)) as refused:
        parse_redis_url(url)
    assert "s3cret" not in str(refused.value)
