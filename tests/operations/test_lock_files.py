"""The lock files pin every package with hashes, follow the hand-edited lists, and the image uses them."""

import re

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from avvik.operations.osv_audit import read_pins
from tests.processes import ROOT


def locked(name):
    """{package: (version, hashes)} of a lock file, read block by block."""
    entries = {}
    for block in re.split(r"\n(?=\S)", (ROOT / name).read_text()):
        if block.startswith("#") or not block.strip():
            continue
        requirement = block.split("\\", 1)[0].split("#", 1)[0].strip()
        name_, version = requirement.split("==")
        entries[canonicalize_name(name_)] = (version, re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
    return entries


def top_level(name):
    """{package: version} of a hand-edited list, without its -r/-c lines."""
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            requirement = Requirement(line)
            pins[canonicalize_name(requirement.name)] = next(iter(requirement.specifier)).version
    return pins


def test_every_locked_package_is_pinned_with_at_least_one_hash():
    for name in ("requirements.txt", "requirements-dev.txt"):
        entries = locked(name)
        assert len(entries) == len(read_pins(ROOT / name))
        unhashed = [package for package, (_, hashes) in entries.items() if not hashes]
        assert unhashed == [], f"{name}: no hash for {unhashed}"


def test_the_lock_files_follow_the_hand_edited_lists():
    runtime, dev = locked("requirements.txt"), locked("requirements-dev.txt")
    for package, version in top_level("requirements.in").items():
        assert runtime[package][0] == version, f"{package}: run make lock"
    for package, version in top_level("requirements-dev.in").items():
        assert dev[package][0] == version, f"{package}: run make lock"
    # The development lock holds the runtime lock, at the same versions and hashes.
    assert {package: dev.get(package) for package in runtime} == runtime


def test_honcho_and_the_test_tools_stay_out_of_the_image():
    runtime, dev = locked("requirements.txt"), locked("requirements-dev.txt")
    for tool in ("honcho", "pytest", "pip-tools", "cyclonedx-bom", "pip-audit"):
        assert tool not in runtime
        assert tool in dev


def test_the_image_installs_the_runtime_lock_with_hashes_on_a_base_image_pinned_by_tag():
    dockerfile = (ROOT / "Dockerfile").read_text()
    # A full version tag; a digest only as `make pin-base-image` writes it from the registry's answer.
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?$", dockerfile, re.M)
    assert "docker buildx imagetools inspect" in (ROOT / "Makefile").read_text()
    assert re.findall(r"^FROM (\S+)", dockerfile, re.M) == ["${PYTHON_IMAGE}", "${PYTHON_IMAGE}"]
    assert "pip install --no-cache-dir --require-hashes -r /tmp/requirements.txt" in dockerfile
    assert "requirements-dev" not in dockerfile
    makefile = (ROOT / "Makefile").read_text()
    installs = re.findall(r"pip install .*-r (\S+)", makefile)
    assert installs == ["requirements.txt", "requirements-dev.txt"]
    assert all("--require-hashes" in line for line in re.findall(r".*pip install .*-r .*", makefile))
    # make run starts honcho, which only the development lock installs.
    assert re.search(r"^run: install-dev\b", makefile, re.M)
