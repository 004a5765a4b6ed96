"""Bulk import of people from a CSV or XLSX file: parsing, the dry run, and the task that invites."""
