"""Writes of the cheques app: orders, payments, bank imports, online payments and cheques."""
