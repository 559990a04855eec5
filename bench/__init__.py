"""Benchmarks that print figures; never part of the test suite's pass or fail."""
