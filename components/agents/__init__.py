"""Agents layer: a Bedrock agent (Agent) with its role, action groups, knowledge, collaborators and alias."""
