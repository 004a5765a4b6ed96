"""Encryption at rest for patient references (Fernet: AES-128-CBC with HMAC-SHA256), and a blind
index to find a patient's references without decrypting them."""

import base64
import hashlib
import hmac
import unicodedata
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEY is not a valid Fernet key: {exc}") from None


def encrypt(text: str) -> str:
    if not text:
        return ""
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured("A patient reference cannot be decrypted with FIELD_ENCRYPTION_KEY.") from None


@cache
def _index_keys(keys: tuple[str, ...]) -> tuple[bytes, ...]:
    # A key of its own for each Fernet key, derived so that the index never reveals or reuses the
    # encryption key itself.
    return tuple(
        HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"samhandling patient index").derive(
            base64.urlsafe_b64decode(key.encode())
        )
        for key in keys
    )


def blind_indexes(text: str) -> list[str]:
    """Keyed hashes of `text`, one under each configured key, the current key's first.

    A blind index: equal texts give equal hashes, so a stored hash can be found again from the
    text, but the hash tells nothing about the text to someone without the key. Rows written
    before a key rotation keep the hash of the key they were written with; a search asks for all.
    """
    if not text:
        return []
    return [
        hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
        for key in _index_keys(tuple(settings.FIELD_ENCRYPTION_KEYS))
    ]


def blind_index(text: str) -> str:
    """The keyed hash of `text` to store (under the current key), or "" for no text."""
    indexes = blind_indexes(text)
    return indexes[0] if indexes else ""


def digits_only(text: str) -> str:
    """The decimal digits of `text`, of any script, as ASCII: an identity number is indexed by its
    digits alone, so it is found however it was written."""
    return "".join(str(unicodedata.decimal(ch)) for ch in unicodedata.normalize("NFKC", text) if ch.isdecimal())


def key_fingerprints() -> list[str]:
    """A short fingerprint of each configured key, the current key's first: derived one way, so it
    tells which key a backup needs without revealing anything of the key."""
    return [
        HKDF(algorithm=hashes.SHA256(), length=8, salt=None, info=b"samhandling key fingerprint")
        .derive(base64.urlsafe_b64decode(key.encode()))
        .hex()
        for key in settings.FIELD_ENCRYPTION_KEYS
    ]
