"""Tools layer: an action-group tool (Tool) is a Lambda granted exactly what its manifest (manifest.py,
functions/tools/<package>/tool.yaml) declares, with an OpenAPI schema generated from its handler."""
