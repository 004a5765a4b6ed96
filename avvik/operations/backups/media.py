"""The uploaded files of a backup set: everything under MEDIA_ROOT as one tar."""

import shutil
import tarfile
from pathlib import Path

from django.conf import settings


def write_media(path: Path) -> tuple[int, int]:
    """Tar everything under MEDIA_ROOT; return how many files and bytes went in."""
    root = Path(settings.MEDIA_ROOT)
    files = size = 0
    with tarfile.open(path, "w") as tar:
        if root.is_dir():
            for child in sorted(root.iterdir()):
                tar.add(child, arcname=child.name)
            for member in tar.getmembers():
                if member.isfile():
                    files, size = files + 1, size + member.size
    return files, size


def restore_media(archive: Path, root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    with tarfile.open(archive) as tar:
        # The "data" filter refuses absolute names, names that climb out and device files.
        tar.extractall(root, filter="data")
