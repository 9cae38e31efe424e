"""Pulumi ComponentResources of the agent platform, plus the pure helpers they share.

Modules are imported directly (`from components.agent import Agent`): the policy pack imports the
pure helpers (allow-lists, tiers) without paying for pulumi_aws.
"""
