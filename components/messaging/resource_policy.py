"""Resource policies of queues and topics: TLS only, and only named AWS services of this account may send."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from components.base.iam import deny_insecure_transport


@dataclass(frozen=True)
class ServicePublisher:
    """An AWS service allowed to send to a queue/topic, pinned to our account and a source ARN pattern."""

    service: str
    source_arn_like: str


def resource_policy(
    arn: str, account_id: str, publishers: Sequence[ServicePublisher], *, denied: str, granted: str
) -> str:
    """TLS only; named AWS services of this account may `granted`, each from its own source ARNs."""
    statements = [deny_insecure_transport(denied, arn)]
    for publisher in publishers:
        statements.append(
            {
                "Sid": f"Allow{publisher.service.split('.')[0].capitalize()}{granted.split(':')[1]}",
                "Effect": "Allow",
                "Principal": {"Service": publisher.service},
                "Action": granted,
                "Resource": arn,
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": account_id},
                    "ArnLike": {"aws:SourceArn": publisher.source_arn_like},
                },
            }
        )
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def queue_policy(arn: str, account_id: str, publishers: Sequence[ServicePublisher]) -> str:
    return resource_policy(arn, account_id, publishers, denied="sqs:*", granted="sqs:SendMessage")
