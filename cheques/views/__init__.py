"""Thin views, one module per subdomain: orders, payments, credits, cheques (the wallet), bank.

Each view: permission, form, one service call, redirect. Objects come from scoped selectors (404 otherwise)."""

