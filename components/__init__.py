"""Pulumi ComponentResources of the agent platform, one per file, in a folder per architecture layer.

A component registers the type token `agent-platform:<module>:<Type>` and lives in `components/<module>/`
(`index`, Pulumi's name for the package root, is Platform in `components/platform.py`), so a URN names its
folder. Pure helpers every layer shares are in `components/base/`; a helper only one component uses sits
beside it. Modules are imported directly (`from components.agents.agent import Agent`): the packages'
`__init__` files re-export nothing, so importing a pure helper (naming, manifests) does not load every
component and pulumi_aws with it.
"""
