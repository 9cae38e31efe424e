"""API layer: the REST API users call (Gateway), its sign-in (UserDirectory, walk+) and its WAF (WebFirewall,
run); the request contract comes from the orchestrator itself (request_contract.py)."""
