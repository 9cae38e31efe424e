"""Observability layer: the stage's alarms, dashboard, X-Ray group and budget (Observability), and the
account-wide singletons one stage per account owns (AccountSingletons)."""
