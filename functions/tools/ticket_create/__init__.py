"""ticket-create: mutating action group that opens a support ticket in the `tickets` table.

A template for mutating tools: the operation requires user confirmation (x-requireConfirmation) and
is idempotent (the ticket id derives from the Bedrock session id and the normalized title, written
with a conditional put), so a retried or repeated call never opens a second ticket.
"""
