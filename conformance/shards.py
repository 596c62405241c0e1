#!/usr/bin/env python3
"""Splits scenarios into N shards of about equal waiting time, one line of paths per shard.

    shards.py N scenario.txt...
    shards.py --brokers scenario.txt...
    shards.py --cluster scenario.txt...

A scenario that starts with `# broker: k=v` lines (above its first command) needs a broker
started with those settings: the first form leaves it out, the second prints one line per
distinct set of settings, `k=v k2=v2|path path`, for a broker of its own. A scenario with
`# cluster: 3` above its first command plays on the three-broker cluster (its `broker stop`,
`crash` and `start` stop and start real nodes): the first two forms leave it out, the third
prints those scenarios on one line.

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


def broker_settings(path):
    """The `# broker: k=v` directives above the scenario's first command, in order."""
    settings = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("$ "):
                break
            match = re.match(r"^# broker: (\S+=\S*)\s*$", line)
            if match:
                settings.append(match.group(1))
    return settings


def needs_cluster(path):
    """Whether a `# cluster: 3` directive is above the scenario's first command."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("$ "):
                return False
            if re.match(r"^# cluster: 3\s*$", line):
                return True
    return False


def main(argv):
    if argv[0] == "--cluster":
        print(" ".join(path for path in argv[1:] if needs_cluster(path)))
        return
    argv = [argv[0]] + [path for path in argv[1:] if not needs_cluster(path)]
    if argv[0] == "--brokers":
        groups = {}
        for path in argv[1:]:
            settings = broker_settings(path)
            if settings:
                groups.setdefault(" ".join(settings), []).append(path)
        for settings, paths in sorted(groups.items()):
            print(settings + "|" + " ".join(paths))
        return
    count = int(argv[0])
    shards = [[] for _ in range(count)]
    loads = [0.0] * count
    plain = [path for path in argv[1:] if not broker_settings(path)]
    for path in sorted(plain, key=weight, reverse=True):
        lightest = loads.index(min(loads))
        shards[lightest].append(path)
        loads[lightest] += weight(path)
    for shard in shards:
        print(" ".join(shard))


if __name__ == "__main__":
    main(sys.argv[1:])
