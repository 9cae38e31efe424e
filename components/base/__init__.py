"""Pure helpers every layer shares: physical names, the IAM document builder, service roles, log groups,
Lambda packaging and model ARNs. Nothing here is a ComponentResource; import the modules directly."""
