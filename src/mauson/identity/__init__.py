"""Organisations (the province's agency tree), users, roles, API tokens and logins."""
