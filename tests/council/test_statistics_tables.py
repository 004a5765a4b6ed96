"""The statistics page's matrix table, made by a tag: each reporting organisation's row, its counts
as the reader may see them, every text escaped."""

from django.template import Context, Template
from django.utils import translation

from avvik.council.disclosure import Count, MatrixRow
from avvik.council.suppression import Hidden


def rows_of(cells) -> str:
    template = Template("{% load statistics_tables %}{% matrix_rows cells %}")
    with translation.override("en"):
        return template.render(Context({"cells": cells}))


def test_each_organisation_is_a_row_with_its_counts_in_order():
    cells = [
        MatrixRow("Sykehuset", [Count.of(12), Count.of(0), Count.of(7)]),
        MatrixRow("Kommunen", [Count.of(5), Count.of(31), Count.of(0)]),
    ]
    assert rows_of(cells) == (
        '<tr><th scope="row">Sykehuset</th><td>12</td><td>0</td><td>7</td></tr>'
        '<tr><th scope="row">Kommunen</th><td>5</td><td>31</td><td>0</td></tr>'
    )


def test_small_and_withheld_counts_read_as_the_reader_sees_them():
    cells = [MatrixRow("Sykehuset", [Count.of(3), Count.hiding(40, Hidden.COMPLEMENT), Count.of(9)])]
    markup = rows_of(cells)
    assert "<td>&lt;5</td>" in markup
    assert "<td>hidden</td>" in markup
    assert "40" not in markup  # a withheld count is not carried at all
    assert "<td>9</td>" in markup


def test_an_organisations_name_is_escaped():
    markup = rows_of([MatrixRow('<b>"Ond" & co</b>', [Count.of(6)])])
    assert '<th scope="row">&lt;b&gt;&quot;Ond&quot; &amp; co&lt;/b&gt;</th>' in markup
    assert "<b>" not in markup
