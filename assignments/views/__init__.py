"""Thin views, one module per subdomain: clients, activities, requests, placements, prestaties, matching.

Each view: permission, form, one service call, redirect. Objects come from scoped selectors (404 otherwise)."""

