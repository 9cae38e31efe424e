"""What the benchmarks ran on: figures mean little without the machine."""

from __future__ import annotations

import os
import platform
from importlib import metadata


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float:
    try:
        pages, page_size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        return pages * page_size / 2**30
    except (ValueError, OSError):
        return 0.0


def describe() -> dict[str, str]:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return {
        "cpu": f"{_cpu_model()} x {os.cpu_count()}",
        "memory": f"{_memory_gib():.0f} GiB",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "pulumi": metadata.version("pulumi"),
        "pulumi-aws": metadata.version("pulumi-aws"),
        "pulumi-policy": metadata.version("pulumi-policy"),
        "load average at start": f"{load:.2f}",
    }
