"""Lambda deployment packages: a function's own package plus the shared library, as Pulumi assets.

Each archive holds `<package>/` and `shared/` at its root, so handlers import absolutely
(`orchestrator.handler`, `shared.resilience`). Paths are relative to the repository (the program's
working directory), which keeps the recorded inputs identical on every machine.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pulumi

from environments.catalog import REPO_ROOT

FUNCTIONS_DIR = REPO_ROOT / "functions"
SHARED_LIBRARY = FUNCTIONS_DIR / "shared"
TOOLS_DIR = FUNCTIONS_DIR / "tools"
_SKIPPED_DIRS = {"__pycache__", "tests"}
_SKIPPED_SUFFIXES = {".pyc", ".pyo"}

# Powertools for AWS Lambda (Python) v3, published by AWS as a layer. Version 27 is release 3.23.0,
# the version pinned in requirements.txt that the tests and the schema generation run with.
POWERTOOLS_LAYER_ACCOUNT = "017000801446"
POWERTOOLS_LAYER_VERSION = 27
LAMBDA_RUNTIME = "python3.13"
LAMBDA_ARCHITECTURE = "x86_64"


def powertools_layer_arn(region: str, partition: str = "aws") -> str:
    runtime = LAMBDA_RUNTIME.replace(".", "")
    return (
        f"arn:{partition}:lambda:{region}:{POWERTOOLS_LAYER_ACCOUNT}:layer:"
        f"AWSLambdaPowertoolsPythonV3-{runtime}-{LAMBDA_ARCHITECTURE}:{POWERTOOLS_LAYER_VERSION}"
    )


def _directory_archive(directory: Path) -> pulumi.AssetArchive:
    assets: dict[str, pulumi.Asset | pulumi.Archive] = {}
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory)
        if path.is_dir() or _SKIPPED_DIRS & set(relative.parts) or path.suffix in _SKIPPED_SUFFIXES:
            continue
        assets[relative.as_posix()] = pulumi.FileAsset(path.relative_to(REPO_ROOT).as_posix())
    return pulumi.AssetArchive(assets)


@functools.cache
def function_archive(package_dir: Path) -> pulumi.AssetArchive:
    """The deployment archive of the function whose Python package is `package_dir`.

    Cached: every agent's orchestrator ships the same package, and listing it once per stage is enough.
    """
    for required in (package_dir / "handler.py", SHARED_LIBRARY / "__init__.py"):
        if not required.is_file():
            raise FileNotFoundError(f"{required.relative_to(REPO_ROOT)} is missing; a function package needs it")
    return pulumi.AssetArchive(
        {package_dir.name: _directory_archive(package_dir), "shared": _directory_archive(SHARED_LIBRARY)}
    )


@contextmanager
def functions_importable() -> Iterator[None]:
    """Function packages are top-level in their archives; import them the same way at deploy time.

    The program imports tool resolvers (to generate their OpenAPI schemas) and the orchestrator's
    request contract (to install it as the API's request model): one source of truth each.
    """
    added = [str(p) for p in (FUNCTIONS_DIR, TOOLS_DIR) if str(p) not in sys.path]
    sys.path[:0] = added
    try:
        yield
    finally:
        for path in added:
            sys.path.remove(path)
