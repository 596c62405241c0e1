#!/usr/bin/env python3
"""The export round trip: a session exported with `kafka-sim-cli export` and run with bash on a
fresh real broker must end where the simulator ends.

    export_check.py checks --sim BIN SESSION.txt OUT.txt   writes the check scenario
    export_check.py compare --sim BIN SESSION.txt CHECKS.txt REAL.txt

The check scenario describes the simulator's final state with Kafka's own tools: each topic
(`kafka-topics --describe`, `kafka-configs --describe`), its records (a console consumer from
the beginning printing partition, offset and key; sorted, since partitions interleave), and each
group's committed offsets (`kafka-consumer-groups --describe`). The runner plays it on the broker
the exported script ran on; `compare` plays it on the simulator after the session and compares
the two with the differ's normalisation. Exits 1 on a disagreement."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import diff  # noqa: E402

MARKER = "# ---- the final state ----"


def run_sim(sim_bin, script):
    return subprocess.run([sim_bin], input=script, capture_output=True, text=True, check=True).stdout


def after_marker(transcript):
    return transcript.split(MARKER + "\n", 1)[1] if MARKER in transcript else ""


def session_script(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def checks(sim_bin, session_path, out_path):
    session = session_script(session_path)
    listing = after_marker(run_sim(sim_bin, session + "\n" + MARKER + "\nkafka-topics --list\n# groups\nkafka-consumer-groups --list\n"))
    topics, groups, into = [], [], None
    for line in listing.splitlines():
        if line.startswith("$ kafka-topics"):
            into = topics
        elif line.startswith("# groups"):
            into = None
        elif line.startswith("$ kafka-consumer-groups"):
            into = groups
        elif into is not None and line.strip():
            into.append(line.strip())
    lines = []
    for topic in topics:
        lines.append(f"$ kafka-topics --describe --topic {topic}")
        lines.append(f"$ kafka-configs --describe --entity-type topics --entity-name {topic}")
        lines.append("# compare: sorted")
        lines.append(
            f"$ kafka-console-consumer --topic {topic} --from-beginning --max-messages 100000"
            " --property print.partition=true --property print.offset=true --property print.key=true"
        )
    for group in groups:
        lines.append(f"$ kafka-consumer-groups --describe --group {group}")
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def compare(sim_bin, session_path, checks_path, real_path):
    with open(checks_path, encoding="utf-8") as f:
        checks_text = f.read()
    with open(real_path, encoding="utf-8") as f:
        real_text = f.read()
    script = session_script(session_path) + "\n" + MARKER + "\n" + diff.script_of(checks_text)
    sim_blocks = diff.blocks(after_marker(run_sim(sim_bin, script)))
    real_blocks = diff.blocks(real_text)
    directives = [b["directives"] for b in diff.blocks(checks_text)]
    bootstrap = next((l[len("# bootstrap: "):].strip() for l in real_text.splitlines() if l.startswith("# bootstrap: ")), "")
    name = os.path.basename(session_path)
    if [b["command"] for b in sim_blocks] != [b["command"] for b in real_blocks]:
        print(f"DISAGREES export {name}: the two sides played different checks")
        return 1, 0
    compared = 0
    report = []
    for index, (sim, real) in enumerate(zip(sim_blocks, real_blocks)):
        tool = diff.tool_of(sim["command"])
        sim_lines = diff.normalise(sim["lines"], tool, "", False, False)
        raw_real = diff.drop_internal_config_blocks(tool, diff.drop_log_noise(real["lines"]))
        real_lines = diff.normalise(raw_real, tool, bootstrap, False, True)
        if "compare: sorted" in directives[index]:
            sim_lines, real_lines = sorted(sim_lines), sorted(real_lines)
        compared += max(len(sim_lines), len(real_lines))
        if sim_lines != real_lines:
            report.append(diff.side_by_side(sim["command"], sim_lines, real_lines))
    if report:
        print(f"DISAGREES export {name} ({compared} lines), sim | real after the exported script:")
        print("\n".join(report))
        return 1, compared
    print(f"agrees    export {name} ({compared} lines: the exported script ends where the simulator does)")
    return 0, compared


def main(argv):
    if len(argv) >= 5 and argv[0] == "checks" and argv[1] == "--sim":
        checks(argv[2], argv[3], argv[4])
        return 0
    if len(argv) >= 6 and argv[0] == "compare" and argv[1] == "--sim":
        status, _ = compare(argv[2], argv[3], argv[4], argv[5])
        return status
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
