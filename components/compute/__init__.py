"""Compute layer: a Lambda function the platform way (LambdaFunction), which every function-backed component uses."""
