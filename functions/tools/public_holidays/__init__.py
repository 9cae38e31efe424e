"""public-holidays: read-only tool that lists Korea's public holidays of a month from an external HTTPS API.

A template for tools that call an external API with a secret: the key comes from AgentCore Identity
(`shared.credentials.ApiKeyProvider`, declared as `credentials` in tool.yaml), is cached in memory per
container and never reaches the environment or a log.
"""
