#!/usr/bin/env python3
"""The conformance differ: compares, scenario by scenario, what Kafka's own tools print on the
simulator (kafka-sim-cli) and on a real broker (the runner's transcripts).

    diff.py --sim BIN --real DIR scenario.txt...

Only the output of Kafka's tools is compared (kafka-topics, kafka-configs, kafka-console-producer,
kafka-console-consumer, kafka-consumer-groups, kafka-get-offsets, kafka-transactions,
kafka-share-groups, kafka-console-share-consumer); the simulator's narration after
its own commands is not Kafka output, except what a console consumer left running prints
meanwhile (after the clock's line of `clock advance`, its total at `consumer stop`). Both sides are normalised for what legitimately differs
between two runs (ids, hosts, timestamps, the broker's address) and compared line by line.

Directives in a scenario, on the lines just above a command:
    # known-difference: REASON   the command's output differs on purpose; counted apart
Kafka's option table after an argument error is cut off and counted as one known difference;
the option list of "Option [x] takes the following options: ..." is sorted (a Java HashSet's).
    # compare: sorted            compare the output's lines in sorted order (Kafka's order is not fixed)
    # compare: not REASON        the output is not compared (Kafka's output is not determined)
A scenario whose real transcript has a `# skipped:` line could not be played and is not scored.

Prints each scenario's disagreements side by side and ends with
    conformance: N/M scenarios, L lines compared, K known differences
Exits 1 when a scenario disagrees outside its known differences.
"""

import os
import re
import subprocess
import sys

TOOLS = {
    "kafka-topics",
    "kafka-configs",
    "kafka-console-producer",
    "kafka-console-consumer",
    "kafka-consumer-groups",
    "kafka-get-offsets",
    "kafka-transactions",
    "kafka-share-groups",
    "kafka-console-share-consumer",
    "kafka-leader-election",
}

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
USAGE_HEADER = re.compile(r"^Option\s+Description\s*$")
LOG_PREFIX = re.compile(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] ")
NORMALISE = [
    (re.compile(r"TopicId: \S+"), "TopicId: <id>"),
    (re.compile(r"([A-Za-z0-9._-]+?)-" + UUID), r"\1-<uuid>"),
    # A consumer-protocol member id is a UUID the client makes, in base64 (22 characters):
    # recognised by the host that follows it (after the group.instance.id, if any).
    (
        re.compile(r"(?<![\w-])[A-Za-z0-9_-]{22}(?=(?: +\S+)? +/\d+\.\d+\.\d+\.\d+)"),
        "<member-id>",
    ),
    (re.compile(r"/\d+\.\d+\.\d+\.\d+"), "/<host>"),
    (re.compile(r"console-consumer-\d+"), "console-consumer-<n>"),
    (re.compile(r"(CreateTime|LogAppendTime):-?\d+"), r"\1:<ts>"),
    (re.compile(r"\S+:\d+  \((\d+)\) *"), r"<coordinator> (\1) "),
    # A share group member's id (a Uuid, 22 characters of base64) before its host.
    (re.compile(r"(?<= )[A-Za-z0-9_-]{22}(?= +/)"), "<member-id>"),
]


OPTION_SET = re.compile(r"^(Option \[[\w-]+\] takes the following options: )(.*)$")


def sort_option_set(line):
    """Kafka lists the options of a usage error from a Java HashSet, in no fixed order
    (`[topic], [group]` in one run, `[group], [topic]` in the next): sorted on both sides."""
    match = OPTION_SET.match(line)
    if not match:
        return line
    return match.group(1) + ", ".join(sorted(match.group(2).split(", ")))


def tool_of(command):
    """The Kafka tool a command line runs, or None for the simulator's own commands."""
    words = command.split()
    if not words:
        return None
    name = os.path.basename(words[0])
    if name.endswith(".sh"):
        name = name[:-3]
    return name if name in TOOLS else None


def blocks(transcript):
    """The transcript's commands, each with its output lines and the directives above it."""
    result = []
    directives = []
    current = None
    for line in transcript.splitlines():
        if line.startswith("$ "):
            current = {"command": line[2:], "lines": [], "directives": directives, "notes": []}
            directives = []
            result.append(current)
        elif line.startswith("# known-difference:") or line.startswith("# compare:"):
            directives.append(line[2:])
        elif line.startswith("#"):
            if current is not None:
                current["notes"].append(line)
        elif line.startswith(">"):
            continue
        elif current is not None:
            current["lines"].append(line)
    return result


KEEPS_READING = re.compile(r"^Started \S+( in group \S+)? \(it keeps reading; stop it with: consumer stop \S+\)$")
CLOCK_LINE = re.compile(r"^The clock is at tick \d+ \(.*\)\.$")
PROCESSED = re.compile(r"^Processed a total of \d+ messages$")


def drop_narration(lines):
    """Simulator side: the line that says a console consumer keeps running is narration."""
    return [line for line in lines if not KEEPS_READING.match(line)]


def background_lines(block):
    """Simulator side: what a console consumer left running printed during one of the
    simulator's own commands. The simulator prints it after the command's own output: after
    the clock's line for `clock advance`; when `consumer stop` stops it, its total."""
    command = block["command"].split()
    lines = block["lines"]
    if command[:2] == ["clock", "advance"]:
        last = max((i for i, line in enumerate(lines) if CLOCK_LINE.match(line)), default=None)
        return lines[last + 1:] if last is not None else []
    if command[:2] == ["consumer", "stop"]:
        return [line for line in lines if PROCESSED.match(line)]
    return []


def script_of(transcript):
    """The console script of a transcript (as tests/console_transcripts.rs reads it)."""
    script = []
    for line in transcript.splitlines():
        if line.startswith("$ "):
            script.append(line[2:])
        elif line.startswith(">"):
            script.append(line[1:])
        elif line.startswith("#"):
            script.append(line)
    return "\n".join(script) + "\n"


def drop_log_noise(lines):
    """Real side: log events below ERROR are timing (retries, reconnects), not a tool's answer;
    ERROR events are kept without their timestamp."""
    out = []
    skipping = False
    for line in lines:
        if LOG_PREFIX.match(line):
            body = LOG_PREFIX.sub("", line)
            skipping = not body.startswith("ERROR ")
            if not skipping:
                out.append(body)
            continue
        # A stack trace's lines continue a dropped event; a tab-indented describe line
        # (`\tTopic: …`) after one is the tool's answer.
        if skipping and (line.startswith((" ", "\tat ", "\t... ", "Caused by:")) or re.match(r"^[a-z]+(\.[a-zA-Z0-9$_]+)+(: |$)", line)):
            continue
        skipping = False
        out.append(line)
    return out


def normalise(lines, tool, real_bootstrap, command_had_bootstrap, real_side):
    out = []
    for line in lines:
        if line.startswith("\tat ") or re.match(r"^\t\.\.\. \d+ more", line) or line.startswith("Caused by: "):
            continue
        if real_side and real_bootstrap:
            if not command_had_bootstrap:
                line = line.replace("--bootstrap-server " + real_bootstrap + " ", "")
                line = line.replace(" --bootstrap-server " + real_bootstrap, "")
            line = line.replace(real_bootstrap, "localhost:9092")
        if real_side and internal_topic_line(tool, line):
            continue
        for pattern, replacement in NORMALISE:
            line = pattern.sub(replacement, line)
        line = sort_option_set(line)
        out.append(line.rstrip("\n"))
    return out


def internal_topic_line(tool, line):
    """A line about an internal topic (__consumer_offsets): made on the shared broker by an
    earlier scenario's group, it is not part of this scenario."""
    if tool == "kafka-topics":
        return bool(re.match(r"^__\w+$", line) or re.match(r"^\t?Topic: __\w+\t", line))
    if tool == "kafka-get-offsets":
        return bool(re.match(r"^__\w+:\d+:", line))
    return False


def drop_internal_config_blocks(tool, lines):
    """kafka-configs --describe of every topic: the internal topics' sections."""
    if tool != "kafka-configs":
        return lines
    out = []
    inside = False
    for line in lines:
        if line.startswith("Dynamic configs for topic ") or line.startswith("All configs for topic "):
            inside = line.split(" ")[4].startswith("__")
        elif not line.startswith("  "):
            inside = False
        if not inside:
            out.append(line)
    return out


def side_by_side(command, sim, real, width=78):
    rows = ["  $ " + command]
    for i in range(max(len(sim), len(real))):
        left = sim[i] if i < len(sim) else ""
        right = real[i] if i < len(real) else ""
        mark = " " if left == right else "!"
        left_shown = left.replace("\t", "\\t")
        right_shown = right.replace("\t", "\\t")
        rows.append(f"  {mark} {left_shown[:width]:<{width}} | {right_shown}")
    return "\n".join(rows)


def compare_scenario(path, sim_bin, real_dir):
    """Returns (status, lines compared, known differences, report lines)."""
    name = os.path.basename(path)
    with open(path, encoding="utf-8") as f:
        scenario = f.read()
    real_path = os.path.join(real_dir, name)
    if not os.path.exists(real_path):
        return "missing", 0, 0, [f"{name}: no real transcript (the runner did not play it)"]
    with open(real_path, encoding="utf-8") as f:
        real_text = f.read()
    bootstrap = ""
    for line in real_text.splitlines():
        if line.startswith("# bootstrap: "):
            bootstrap = line[len("# bootstrap: "):].strip()
    skipped = [line[len("# skipped: "):] for line in real_text.splitlines() if line.startswith("# skipped: ")]
    if skipped:
        return "skipped", 0, 0, [f"{name}: skipped: {skipped[0]}"]
    sim_text = subprocess.run(
        [sim_bin], input=script_of(scenario), capture_output=True, text=True, check=True
    ).stdout
    sim_blocks = blocks(sim_text)
    real_blocks = blocks(real_text)
    directives = [b["directives"] for b in blocks(scenario)]
    report = []
    if [b["command"] for b in sim_blocks] != [b["command"] for b in real_blocks]:
        return "failed", 0, 0, [f"{name}: the two sides played different commands"]
    compared = 0
    known = 0
    failed = False
    for index, (sim, real) in enumerate(zip(sim_blocks, real_blocks)):
        tool = tool_of(sim["command"])
        block_directives = directives[index] if index < len(directives) else []
        if any(d.startswith("compare: not") for d in block_directives):
            continue
        had_bootstrap = "--bootstrap-server" in sim["command"]
        if tool is None:
            # The simulator's own command: only what a console consumer left running printed
            # meanwhile is Kafka output.
            sim_lines = normalise(background_lines(sim), None, "", had_bootstrap, False)
        else:
            sim_lines = normalise(drop_narration(sim["lines"]), tool, "", had_bootstrap, False)
        if any(note.startswith("# not played") for note in real["notes"]):
            continue
        raw_real = drop_internal_config_blocks(tool, drop_log_noise(real["lines"]))
        if tool is None and not sim_lines and not raw_real:
            continue
        real_lines = normalise(raw_real, tool, bootstrap, had_bootstrap, True)
        if not real_lines and raw_real and tool == "kafka-topics" and sim_lines == [""]:
            # Only internal topics: Kafka prints the empty list as a blank line.
            real_lines = [""]
        usage = next((i for i, l in enumerate(real_lines) if USAGE_HEADER.match(l)), None)
        if usage is not None:
            # Kafka prints its option table after an argument error; the simulator does not.
            real_lines = real_lines[:usage]
            known += 1
        if any(d == "compare: sorted" for d in block_directives):
            sim_lines = sorted(sim_lines)
            real_lines = sorted(real_lines)
        compared += max(len(sim_lines), len(real_lines))
        if sim_lines != real_lines:
            reason = next((d for d in block_directives if d.startswith("known-difference:")), None)
            if reason:
                known += 1
                report.append(f"  (known difference) {reason[len('known-difference:'):].strip()}")
                report.append(side_by_side(sim["command"], sim_lines, real_lines))
            else:
                failed = True
                report.append(side_by_side(sim["command"], sim_lines, real_lines))
    return ("failed" if failed else "agreed"), compared, known, report


def main(argv):
    sim_bin = None
    real_dir = None
    paths = []
    i = 0
    while i < len(argv):
        if argv[i] == "--sim":
            sim_bin = argv[i + 1]
            i += 2
        elif argv[i] == "--real":
            real_dir = argv[i + 1]
            i += 2
        else:
            paths.append(argv[i])
            i += 1
    if not sim_bin or not real_dir or not paths:
        print(__doc__, file=sys.stderr)
        return 2
    agreed = 0
    scored = 0
    lines = 0
    known_total = 0
    skipped = []
    for path in paths:
        status, compared, known, report = compare_scenario(path, sim_bin, real_dir)
        name = os.path.basename(path)
        lines += compared
        known_total += known
        if status == "skipped" or status == "missing":
            skipped.append(report[0])
            continue
        scored += 1
        if status == "agreed":
            agreed += 1
            suffix = f", {known} known difference(s)" if known else ""
            print(f"agrees    {name} ({compared} lines{suffix})")
            for row in report:
                print(row)
        else:
            print(f"DISAGREES {name} ({compared} lines), sim | real:")
            for row in report:
                print(row)
    for line in skipped:
        print(f"not scored: {line}")
    print(f"conformance: {agreed}/{scored} scenarios, {lines} lines compared, {known_total} known differences")
    return 0 if agreed == scored else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
