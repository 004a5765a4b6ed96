"""The deadline sweep: reminders, escalation and weekly summaries."""
