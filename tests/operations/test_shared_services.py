"""Running on several hosts: settings for Redis (one server or Sentinel) and object storage are read
strictly, and the cache really is one for every process, on a real Redis and through a real Sentinel."""

import json
import os
import subprocess
from pathlib import Path

import pytest
import redis

from tests.processes import RedisServer, django_process, free_port, require, run_check, wait_for

SENTINEL_URL = "redis+sentinel://:s3cret@10.0.0.1:26379,10.0.0.2:26379/mymaster/3"


def settings_in(tmp_path: Path, **env: str) -> dict:
    code = """
import json
from django.conf import settings
from samhandling.celery import app
print(json.dumps({
    "broker": settings.CELERY_BROKER_URL,
    "broker_options": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    "results": getattr(settings, "CELERY_RESULT_BACKEND", None),
    "result_options": getattr(settings, "CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS", None),
    "transport": type(app.connection_for_write().transport).__name__,
    "result_backend": type(app.backend).__name__,
    "caches": settings.CACHES,
    "storages": settings.STORAGES,
}, default=str))
"""
    return json.loads(django_process(tmp_path, code, **env).stdout.strip().splitlines()[-1])


def test_a_sentinel_url_configures_broker_results_and_caches(tmp_path):
    found = settings_in(tmp_path, REDIS_URL=SENTINEL_URL, REDIS_SENTINEL_PASSWORD="sentinels-own")
    assert found["broker"] == "sentinel://:s3cret@10.0.0.1:26379/3;sentinel://:s3cret@10.0.0.2:26379/3"
    assert found["broker_options"]["master_name"] == "mymaster"
    assert found["broker_options"]["sentinel_kwargs"] == {
        "password": "sentinels-own",
        "socket_connect_timeout": 1,
        "socket_timeout": 2,
    }
    assert found["broker_options"]["socket_timeout"] == 2  # the short timeouts stay
    assert found["transport"] == "SentinelTransport"
    assert found["results"] == found["broker"]
    assert found["result_options"]["master_name"] == "mymaster"
    assert found["result_backend"] == "SentinelBackend"
    for alias in ("default", "api"):
        cache = found["caches"][alias]
        assert cache["BACKEND"] == "django_redis.cache.RedisCache"
        assert cache["LOCATION"] == "redis://:s3cret@mymaster/3"
        assert cache["OPTIONS"]["CONNECTION_FACTORY"] == "django_redis.pool.SentinelConnectionFactory"


def test_a_plain_redis_url_configures_django_redis_for_every_cache(tmp_path):
    found = settings_in(tmp_path, REDIS_URL="redis://127.0.0.1:6379/4")
    assert found["broker"] == found["results"] == "redis://127.0.0.1:6379/4"
    assert found["transport"] == "Transport"
    shared = {alias: cache for alias, cache in found["caches"].items() if alias != "template_fragments"}
    assert {cache["BACKEND"] for cache in shared.values()} == {"django_redis.cache.RedisCache"}
    assert found["caches"]["default"]["KEY_PREFIX"] != found["caches"]["api"]["KEY_PREFIX"]
    # The navigation's links hold no data and are read on every page: each process keeps its own.
    assert found["caches"]["template_fragments"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_without_redis_each_process_keeps_its_own_cache_and_files_are_local(tmp_path):
    found = settings_in(tmp_path)
    assert found["broker"] == "filesystem://"
    assert {cache["BACKEND"] for cache in found["caches"].values()} == {"django.core.cache.backends.locmem.LocMemCache"}
    assert found["storages"]["attachments"]["BACKEND"] == "avvik.core.file_storage.MediaFolderStorage"
    assert found["storages"]["attachments"]["OPTIONS"] == {"folder": "attachments"}  # under MEDIA_ROOT when made


def test_s3_bucket_puts_attachments_and_reports_in_the_bucket(tmp_path):
    found = settings_in(
        tmp_path, S3_BUCKET="avvik", S3_ENDPOINT_URL="https://s3.hf.example", S3_ADDRESSING_STYLE="path"
    )
    for alias, folder in (("attachments", "attachments"), ("reports", "reports")):
        storage = found["storages"][alias]
        assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
        assert storage["OPTIONS"]["bucket_name"] == "avvik"
        assert storage["OPTIONS"]["location"] == folder
        assert storage["OPTIONS"]["endpoint_url"] == "https://s3.hf.example"
        assert storage["OPTIONS"]["addressing_style"] == "path"
        assert storage["OPTIONS"]["file_overwrite"] is False


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"REDIS_URL": "redis+sentinel://:s3cret@10.0.0.1:26379"}, "REDIS_URL"),
        ({"REDIS_URL": "redis+sentinel://:s3cret@10.0.0.1:port/mymaster"}, "REDIS_URL"),
        ({"REDIS_URL": "sentinel://:s3cret@10.0.0.1:26379;sentinel://10.0.0.2"}, "REDIS_URL"),
        ({"S3_ENDPOINT_URL": "https://s3.hf.example"}, "S3_BUCKET"),
        ({"S3_BUCKET": "avvik", "SENDFILE_HEADER": "X-Accel-Redirect"}, "SENDFILE_HEADER"),
        ({"SENDFILE_HEADER": "X-Sendfile"}, "SENDFILE_HEADER"),
        ({"SENDFILE_HEADER": "X-Accel-Redirect", "SENDFILE_PREFIX": "protected"}, "SENDFILE_PREFIX"),
        ({"S3_BUCKET": "avvik", "S3_DOWNLOADS": "proxy"}, "S3_DOWNLOADS"),
    ],
)
def test_a_malformed_setting_stops_start_up_naming_it_and_never_showing_the_password(tmp_path, env, named):
    result = run_check(tmp_path, **env)
    assert result.returncode != 0
    assert named in result.stderr
    assert "s3cret" not in result.stderr


@pytest.fixture
def sentinel_deployment(tmp_path, request):
    """A real Redis master and a real Sentinel watching it, on free ports of their own; with a
    parameter, the sentinel asks for that password of its own."""
    password = getattr(request, "param", "")
    require("redis-server", "apt-get install redis-server")
    master = RedisServer(tmp_path)
    master.start()
    port = free_port()
    config = tmp_path / "sentinel.conf"
    config.write_text(
        f"port {port}\nbind 127.0.0.1\ndir {tmp_path}\n"
        f"sentinel monitor mymaster 127.0.0.1 {master.port} 1\n"
        "sentinel down-after-milliseconds mymaster 5000\n" + (f"requirepass {password}\n" if password else "")
    )
    sentinel = subprocess.Popen(["redis-server", str(config), "--sentinel"], stdout=subprocess.DEVNULL)
    asker = redis.Redis(port=port, socket_timeout=1, password=password or None)

    def knows_the_master() -> bool:
        try:
            return asker.sentinel_get_master_addr_by_name("mymaster") is not None
        except redis.RedisError:
            return False

    try:
        wait_for(knows_the_master, 15, "the sentinel did not find the master")
        yield master, f"redis+sentinel://127.0.0.1:{port}/mymaster/0"
    finally:
        asker.close()
        sentinel.terminate()
        sentinel.wait(timeout=10)
        master.stop()


THROTTLE = """
from avvik.accounts.throttling import allowed_again
print([allowed_again("reset", ["leiar@example.no"], limit=3, seconds=60) for _ in range({n})])
"""


def test_through_a_real_sentinel_two_processes_share_the_cache_the_throttle_and_the_broker(
    tmp_path, sentinel_deployment
):
    master, url = sentinel_deployment
    first = django_process(
        tmp_path,
        "from django.core.cache import cache, caches\n"
        "cache.set('statistics', {'new': 7}, 60)\n"
        "caches['api'].set('api-count', 3, 60)\n"
        "from samhandling.celery import app\n"
        "app.send_task('avvik.operations.tasks.worker_heartbeat')\n" + THROTTLE.format(n=2),
        REDIS_URL=url,
    )
    assert first.stdout.strip().splitlines()[-1] == "[True, True]"

    second = django_process(
        tmp_path,
        "from django.core.cache import cache, caches\n"
        "from avvik.operations.health import broker_ok\n"
        "print(cache.get('statistics'), caches['api'].get('api-count'), broker_ok())\n" + THROTTLE.format(n=2),
        REDIS_URL=url,
    )
    shared, throttle = second.stdout.strip().splitlines()[-2:]
    assert shared == "{'new': 7} 3 True"
    assert throttle == "[True, False]"  # the third and fourth reset in all: the fourth is refused

    # Everything landed on the master Sentinel named: the task in the broker's queue, the keys in the cache.
    direct = redis.Redis.from_url(master.url)
    assert direct.llen("celery") == 1
    assert any(key.startswith(b"samhandling:") for key in direct.keys("*"))
    direct.close()


@pytest.mark.redis
def test_on_the_configured_redis_the_cache_is_one_for_every_process(tmp_path, settings):
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set: without Redis each process keeps its own cache")
    from django.core.cache import cache

    from avvik.accounts.throttling import allowed_again

    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    cache.set("from-the-test", "hello", 60)
    other = django_process(
        tmp_path,
        "from django.core.cache import cache\n"
        "print(cache.get('from-the-test'))\n"
        "cache.set('from-the-other', 'hei', 60)\n" + THROTTLE.format(n=3),
        REDIS_URL=url,
    )
    seen, throttled = other.stdout.strip().splitlines()[-2:]
    assert seen == "hello"
    assert throttled == "[True, True, True]"
    assert cache.get("from-the-other") == "hei"
    # Three resets in the other process and a fourth here: the limit counts them together.
    assert allowed_again("reset", ["leiar@example.no"], limit=3, seconds=60) is False


@pytest.mark.parametrize("sentinel_deployment", ["sentinels-own"], indirect=True)
def test_sentinels_with_a_password_of_their_own_are_reached_with_redis_sentinel_password(tmp_path, sentinel_deployment):
    _master, url = sentinel_deployment
    code = (
        "from django.core.cache import cache\n"
        "from avvik.operations.health import broker_ok\n"
        "cache.set('asked', 'answered', 60)\n"
        "print(cache.get('asked'), broker_ok())\n"
    )
    with_password = django_process(tmp_path, code, REDIS_URL=url, REDIS_SENTINEL_PASSWORD="sentinels-own")
    assert with_password.stdout.strip().splitlines()[-1] == "answered True"
    without = django_process(
        tmp_path, "from avvik.operations.health import broker_ok\nprint(broker_ok())", REDIS_URL=url
    )
    assert without.stdout.strip().splitlines()[-1] == "False"
