"""Reliability tests: kills, hostile input, full disks, corrupt files and concurrent use."""
