"""Deploy many stacks at once with the Pulumi Automation API (`python -m deploy`), and the pipeline's
promotion rule (`python -m deploy.promotion`)."""
