"""Periods in the reader's language: "4. kvartal 2026" in Norwegian, "Q4 2026" in English."""

from django import template

from avvik.council.periods import quarter_label

register = template.Library()


@register.simple_tag
def quarter(year: int, number: int) -> str:
    """{% quarter volume.year volume.quarter %}"""
    return quarter_label(year, number)
