"""The blind index: equal numbers give equal keyed hashes, under every configured key."""

from cryptography.fernet import Fernet

from avvik.core import crypto


def test_the_index_is_stable_and_tells_numbers_apart(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    assert crypto.blind_index("01010012356") == crypto.blind_index("01010012356")
    assert crypto.blind_index("01010012356") != crypto.blind_index("01010012357")
    assert crypto.blind_index("") == "" and crypto.blind_indexes("") == []


def test_the_index_depends_on_the_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    first = crypto.blind_index("01010012356")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    assert crypto.blind_index("01010012356") != first


def test_a_search_asks_under_every_key_the_current_first(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    written_before = crypto.blind_index("01010012356")
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    indexes = crypto.blind_indexes("01010012356")
    assert indexes[1] == written_before and indexes[0] == crypto.blind_index("01010012356") != written_before


def test_the_digits_are_the_same_however_the_number_is_written():
    for written in ("010100 12356", "010100-12356", "０１０１００１２３５６", "٠١٠١٠٠١٢٣٥٦", "01.01.00 123\u202f56"):
        assert crypto.digits_only(written) == "01010012356"
