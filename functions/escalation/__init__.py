"""escalation: turns human-escalation SQS messages into SNS notifications, losing none."""
