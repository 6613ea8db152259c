"""Citizen petitions (phản ánh, kiến nghị): intake, triage, SLA workflow, emergency lane, Open311
and public transparency (105/KH-UBND, II.2)."""
