"""The platform's Lambda library, shipped at the root of every function archive as `shared/`.

Modules (one concern each): config (env), aws (lazy clients), lazy (singletons), resilience
(circuit breaker, budgeted retry), guard (deterministic input/output checks), session_store
(DynamoDB turns + fallback sink), escalation (reasons and the SQS producer), escalation_message
(the pydantic message contract), metrics
(metric names the alarms use), observability (correlation id), tool_runtime (action-group errors
and metrics). Import the module you need; this package imports nothing on its own, so importing
`shared.metrics` stays free of AWS and Powertools.
"""
