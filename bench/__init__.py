"""Benchmarks (scripts, not tests): `make bench` prints the tables and writes BENCHMARKS.md."""
