#!/usr/bin/env python3
"""Splits scenarios into N shards of about equal waiting time, one line of paths per shard.

    shards.py N scenario.txt...

A scenario's weight is the wall time it is expected to wait on a real broker: its clock
advances, plus a few seconds for each console consumer and consumer start (joining a group
waits out the initial rebalance delay)."""

import re
import sys


def weight(path):
    seconds = 1.0
    with open(path, encoding="utf-8") as f:
        for line in f:
            match = re.match(r"^\$ clock advance (\d+(?:\.\d+)?)(ms|s|m|h)?\b", line)
            if match:
                value = float(match.group(1))
                unit = match.group(2)
                seconds += {"ms": value / 1000, "s": value, "m": value * 60, "h": value * 3600}.get(unit, value / 10)
            elif line.startswith("$ kafka-console-consumer"):
                seconds += 5
            elif "--topic nope" in line and line.startswith("$ kafka-console-producer"):
                seconds += 60
    return seconds


def main(argv):
    count = int(argv[0])
    shards = [[] for _ in range(count)]
    loads = [0.0] * count
    for path in sorted(argv[1:], key=weight, reverse=True):
        lightest = loads.index(min(loads))
        shards[lightest].append(path)
        loads[lightest] += weight(path)
    for shard in shards:
        print(" ".join(shard))


if __name__ == "__main__":
    main(sys.argv[1:])
