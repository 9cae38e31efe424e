"""The orchestrator Lambda: one per agent. API Gateway (crawl) and Step Functions (walk, run) call the
same function; `handler.lambda_handler` dispatches on the event shape. See README.md for contracts."""
