"""ticket-lookup: read-only action group that returns a support ticket from the `tickets` table.

A template for read-only tools: `api.py` (routes, importable without AWS for schema generation),
`models.py` (what the agent sees), `repository.py` (DynamoDB access), `handler.py` (Lambda entry).
"""
