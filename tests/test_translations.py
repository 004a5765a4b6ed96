"""Every interface string has a bokmål and a nynorsk translation, and none is a guess."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_no_message_is_untranslated_or_fuzzy(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"{language}: untranslated {untranslated}"
    assert not fuzzy, f"{language}: fuzzy {fuzzy}"


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_placeholders_survive_translation(language):
    import re

    pattern = re.compile(r"%\(\w+\)s|\{\w+\}")
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            continue
        assert sorted(pattern.findall(entry.msgid)) == sorted(pattern.findall(entry.msgstr)), entry.msgid


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_compiled_catalogue_is_newer_than_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    compiled = polib.mofile(str(folder / "django.mo"))
    source = polib.pofile(str(folder / "django.po"))
    assert {e.msgid: e.msgstr for e in compiled} == {
        e.msgid: e.msgstr for e in source.translated_entries() if not e.msgid_plural
    } | {e.msgid: e.msgstr for e in compiled if e.msgid_plural}
