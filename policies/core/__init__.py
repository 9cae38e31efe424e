"""What every policy family shares: type tokens, unknown-safe properties, policy documents, the stack graph,
the stage being judged, the registry of resource types, policy tags, and the one module that relies on
pulumi_policy's internals (sdk_internals)."""
