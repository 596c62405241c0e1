//! The arguments of `kafka-consumer-groups`: its options, the one-action check, the
//! `--reset-offsets` scope and scenario, and `--delete-offsets`' topics, with the usage
//! errors ConsumerGroupCommand prints.

use super::super::args::{self, flag, optional_value, value, OptSpec};
use super::super::clock;
use super::*;
use crate::engine::{ResetScope, ResetSpec};

pub(in crate::console) const GROUPS_OPTIONS: [OptSpec; 28] = [
    value("bootstrap-server"),
    value("command-config"),
    flag("list"),
    flag("describe"),
    flag("delete"),
    flag("reset-offsets"),
    value("group"),
    flag("all-groups"),
    value("topic"),
    flag("all-topics"),
    flag("members"),
    flag("verbose"),
    flag("offsets"),
    optional_value("state"),
    optional_value("type"),
    flag("dry-run"),
    flag("execute"),
    flag("to-earliest"),
    flag("to-latest"),
    flag("to-current"),
    value("to-offset"),
    value("shift-by"),
    value("to-datetime"),
    value("by-duration"),
    value("timeout"),
    flag("delete-offsets"),
    value("validate-regex"),
    flag("help"),
];

pub(super) const ONLY_ONE_MODE: &str =
    "Option [reset-offsets] only accepts one of [execute] and [dry-run]\n";

pub(super) const NO_TOPIC_DELETION: &str =
    "The consumer does not support topic-specific offset deletion from a consumer group.\n";

const RESET_SCENARIOS: [&str; 7] = [
    "to-offset",
    "shift-by",
    "to-datetime",
    "by-duration",
    "to-earliest",
    "to-latest",
    "to-current",
];

/// Parses a `kafka-consumer-groups` line and checks that it has exactly one action.
pub(super) fn groups_args(words: &[String]) -> Result<args::Parsed, String> {
    // ConsumerGroupCommand does not catch joptsimple's exception: the JVM prints it.
    let p = args::parse_tool_line(words, &GROUPS_OPTIONS, args::uncaught)?;
    let actions = [
        "list",
        "describe",
        "delete",
        "reset-offsets",
        "delete-offsets",
        "validate-regex",
    ];
    if p.has("list") && (p.has("group") || p.has("all-groups")) {
        let other = if p.has("group") {
            "group"
        } else {
            "all-groups"
        };
        return Err(format!(
            "Option \"[{other}]\" can't be used with option \"[list]\"\n"
        ));
    }
    if !args::one_action(&p, &actions) {
        return Err("Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets, --validate-regex\n".into());
    }
    if p.has("delete-offsets") && (!p.has("group") || !p.has("topic")) {
        return Err(
            "Option [delete-offsets] takes the following options: [topic], [group]\n".into(),
        );
    }
    Ok(p)
}

/// The scope and scenario of a `--reset-offsets` line, or the text the tool prints.
pub(super) fn reset_parse(p: &args::Parsed) -> Result<(ResetScope, ResetSpec), String> {
    if p.has("dry-run") && p.has("execute") {
        return Err(ONLY_ONE_MODE.into());
    }
    let given: Vec<&str> = RESET_SCENARIOS
        .iter()
        .copied()
        .filter(|s| p.has(s))
        .collect();
    if given.len() > 1 {
        return Err(format!(
            "Option \"[{}]\" can't be used with option \"[{}]\"\n",
            given[0], given[1]
        ));
    }
    let scope = if p.has("all-topics") {
        ResetScope::AllTopics
    } else if p.has("topic") {
        let mut list = Vec::new();
        for arg in p.values("topic") {
            match arg.split_once(':') {
                None => list.push((arg.to_string(), None)),
                Some((topic, parts)) => {
                    let mut numbers = Vec::new();
                    for part in parts.split(',') {
                        match part.parse::<u32>() {
                            Ok(n) => numbers.push(n),
                            Err(_) => {
                                return Err(format!(
                                    "Invalid partition '{part}' specified in topic arg '{arg}''\n"
                                ));
                            }
                        }
                    }
                    list.push((topic.to_string(), Some(numbers)));
                }
            }
        }
        ResetScope::Topics(list)
    } else {
        return Err("One of the reset scopes should be defined: --all-topics, --topic.\n".into());
    };
    let spec = match given.first().copied() {
        None => {
            return Err("Option '[reset-offsets]' requires one of the following scenarios: [[to-offset], [shift-by], [to-datetime], [by-duration], [to-earliest], [to-latest], [to-current], [from-file]]\n".into());
        }
        Some("to-earliest") => ResetSpec::ToEarliest,
        Some("to-latest") => ResetSpec::ToLatest,
        Some("to-current") => ResetSpec::ToCurrent,
        Some(long_option @ ("to-offset" | "shift-by")) => {
            let text = p.value(long_option).unwrap_or_default();
            let Ok(n) = text.parse::<i64>() else {
                return Err(format!(
                    "Cannot parse argument '{text}' of option {long_option}\n"
                ));
            };
            if long_option == "to-offset" {
                ResetSpec::ToOffset(n)
            } else {
                ResetSpec::ShiftBy(n)
            }
        }
        Some("to-datetime") => {
            let text = p.value("to-datetime").unwrap_or_default();
            match clock::parse_datetime(text) {
                Some(ms) => ResetSpec::ToDatetime(ms),
                None if !text.contains('T') => {
                    let exception = "java.text.ParseException: Error parsing timestamp. It does not contain a 'T' according to ISO8601 format";
                    return Err(failed_with(
                        &format!("Executing consumer group command failed due to {exception}"),
                        &format!("java.lang.RuntimeException: {exception}"),
                    ));
                }
                None => {
                    return Err(error(&format!(
                        "Executing consumer group command failed due to java.text.ParseException: Unparseable date: \"{text}\""
                    )));
                }
            }
        }
        Some(_) => {
            let text = p.value("by-duration").unwrap_or_default();
            match clock::parse_iso_duration(text) {
                Some(ms) => ResetSpec::ByDuration(ms),
                None => {
                    return Err(failed_with(
                        "Executing consumer group command failed due to Text cannot be parsed to a Duration",
                        "java.time.format.DateTimeParseException: Text cannot be parsed to a Duration",
                    ));
                }
            }
        }
    };
    Ok((scope, spec))
}

/// Topics as `--topic` names them: each with its partitions, or `None` for all of them.
pub(super) type TopicArgs = Vec<(String, Option<Vec<u32>>)>;

/// The `--topic` arguments of `--delete-offsets`: `t` (every partition, looked up by the
/// tool) or `t:0,1`, in the order given; or the usage error the tool prints.
pub(super) fn delete_offsets_topics(p: &args::Parsed) -> Result<TopicArgs, String> {
    let mut topics = Vec::new();
    for arg in p.values("topic") {
        match arg.split_once(':') {
            None => topics.push((arg.to_string(), None)),
            Some((topic, parts)) if topic.is_empty() || parts.is_empty() => {
                return Err(format!(
                    "Invalid topic arg '{arg}', expected topic name and partitions\n"
                ));
            }
            Some((topic, parts)) => {
                let mut numbers = Vec::new();
                for part in parts.split(',') {
                    let Ok(n) = part.parse::<u32>() else {
                        return Err(format!(
                            "Invalid partition '{part}' specified in topic arg '{arg}''\n"
                        ));
                    };
                    numbers.push(n);
                }
                topics.push((topic.to_string(), Some(numbers)));
            }
        }
    }
    Ok(topics)
}
