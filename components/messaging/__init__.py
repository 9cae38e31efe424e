"""Messaging layer: encrypted SQS queues with their dead-letter queues (SecureQueue), SNS topics (SecureTopic),
and the helpers they share (resource policies, the dead-end queue where failed work waits for a human)."""
