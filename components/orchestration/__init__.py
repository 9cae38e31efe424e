"""Orchestration layer: an entry agent's orchestrator Lambda (Orchestrator), its grounded-agent workflow
(Workflow, walk+; the state machine document in workflow_definition.py), the human-escalation queue
(Escalation, walk+) and asynchronous work through EventBridge (AsyncWork, run)."""
