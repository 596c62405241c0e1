//! Transcript tests: each `tests/console/*.txt` and `tests/conformance/*.txt` (the conformance
//! suite's own scenarios, also played on a real Kafka by `make conformance`) is a console
//! session and its expected
//! output side by side, as raft-rs keeps its `testdata/`. Lines starting with `$ ` are
//! commands, lines starting with `>` are records typed into `kafka-console-producer`
//! (`>` alone is an empty record, as in Kafka; `>^D` is Ctrl-D, which ends the producer),
//! lines starting with `#` are comments; everything else is the
//! expected output. The test replays the script and compares the whole transcript.
//!
//! `UPDATE_TRANSCRIPTS=1 cargo test --test console_transcripts` rewrites the files with
//! what the console prints now: read every change against kafka/CLI.md before committing.

use std::fs;
use std::path::Path;

use kafka_sim::console::Console;

/// The script a transcript replays: its commands, producer records and comments.
fn script_of(transcript: &str) -> String {
    let mut script = String::new();
    for line in transcript.lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            script.push_str(command);
        } else if let Some(record) = line.strip_prefix('>') {
            script.push_str(record);
        } else if line.starts_with('#') {
            script.push_str(line);
        } else {
            continue;
        }
        script.push('\n');
    }
    script
}

/// A line-by-line diff: `-` expected, `+` actual, with a little context.
fn diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let first = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let mut out = String::new();
    for line in &e[first.saturating_sub(3)..first] {
        out.push_str(&format!("  {line}\n"));
    }
    for line in e.iter().skip(first).take(12) {
        out.push_str(&format!("- {line:?}\n"));
    }
    for line in a.iter().skip(first).take(12) {
        out.push_str(&format!("+ {line:?}\n"));
    }
    out
}

/// The `.txt` transcripts in a folder under `tests/`, in name order.
fn transcripts_in(folder: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(folder);
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("tests/{folder} is readable: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn every_transcript_replays_exactly() {
    let update = std::env::var_os("UPDATE_TRANSCRIPTS").is_some();
    let console = transcripts_in("console");
    let conformance = transcripts_in("conformance");
    assert!(
        console.len() >= 30,
        "expected at least 30 console transcripts, found {}",
        console.len()
    );
    assert!(
        conformance.len() >= 10,
        "expected at least 10 conformance scenarios, found {}",
        conformance.len()
    );
    let paths: Vec<_> = console.into_iter().chain(conformance).collect();
    let mut failures = Vec::new();
    for path in &paths {
        let expected = fs::read_to_string(path).expect("readable transcript");
        let actual = Console::default().run_script(&script_of(&expected));
        if actual != expected {
            if update {
                fs::write(path, &actual).expect("writable transcript");
            } else {
                failures.push(format!(
                    "{}:\n{}",
                    path.file_name().unwrap_or_default().to_string_lossy(),
                    diff(&expected, &actual)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "transcripts differ:\n\n{}",
        failures.join("\n")
    );
}
