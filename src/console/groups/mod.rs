//! `kafka-consumer-groups` (ConsumerGroupCommand and GroupOffsetsResetter of Kafka 4.x):
//! `--list`, `--describe` (offsets, `--members [--verbose]`, `--state`), `--delete` and
//! `--reset-offsets` and `--delete-offsets`, with the tool's column widths, blank lines and
//! messages.
//!
//! `args` reads the line, `describe`, `reset` and `delete` run the actions; this module
//! dispatches and lists.

mod args;
mod delete;
mod describe;
mod modern;
mod reset;

pub(in crate::console) use self::args::GROUPS_OPTIONS;
use self::args::*;
pub(in crate::console) use self::describe::assignment_string;
use super::args as cli_args;
use super::Console;
use crate::engine::{Command, Group};

/// `"%-Ns"`: pads to at least `width` characters.
pub(in crate::console) fn pad(text: &str, width: usize) -> String {
    format!("{text:<width$}")
}

/// The width of a column: its widest cell, and at least `min` (the tools' `%-15s`).
pub(in crate::console) fn column_width<'a>(
    cells: impl IntoIterator<Item = &'a str>,
    min: usize,
) -> usize {
    cells
        .into_iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0)
        .max(min)
}

pub(in crate::console) fn error(message: &str) -> String {
    format!("\nError: {message}\n")
}

/// An error ConsumerGroupCommand prints with the first line of the exception's stack trace.
pub(super) fn failed_with(message: &str, exception_line: &str) -> String {
    format!("{}{exception_line}\n", error(message))
}

/// What Kafka 4's `--describe` prints for a group the coordinator does not know: the
/// admin client's GroupIdNotFoundException, then the first line of its stack trace.
pub(super) fn group_not_found(id: &str) -> String {
    let exception =
        format!("org.apache.kafka.common.errors.GroupIdNotFoundException: Group {id} not found.");
    format!(
        "{}java.util.concurrent.ExecutionException: {exception}\n",
        error(&format!(
            "Executing consumer group command failed due to {exception}"
        ))
    )
}

/// The `COORDINATOR (ID)` cell of `--describe --state`: the broker leading the group's
/// `__consumer_offsets` partition as `host:port  (id)` (`localhost:9092  (1)` on one broker).
/// A group without a running coordinator never gets this far (see
/// [`COORDINATOR_NOT_AVAILABLE`]); its cell would name node 1.
pub(in crate::console) fn coordinator_cell(engine: &crate::engine::Engine, group: &str) -> String {
    // While the coordinator is away the tool waits for the broker that takes over.
    let id = engine.group_coordinator_next(group).unwrap_or(1);
    format!("{}  ({id})", crate::engine::cluster::broker_address(id))
}

/// What `--describe` prints while no running broker holds a replica of the group's offsets
/// partition (the error FindCoordinator answers, COORDINATOR_NOT_AVAILABLE; the wording of
/// the tool's line is the simulator's reading of the admin client, not checked on a broker).
/// While a running replica will take over (the crashed leader not fenced yet), the real
/// tool retries FindCoordinator and prints the group once the new coordinator has it
/// (c3x_coordinator_away, Kafka 4.4): the simulator prints it at once.
pub(super) const COORDINATOR_NOT_AVAILABLE: &str = "\nError: Executing consumer group command failed due to org.apache.kafka.common.errors.CoordinatorNotAvailableException: The coordinator is not available.\njava.util.concurrent.ExecutionException: org.apache.kafka.common.errors.CoordinatorNotAvailableException: The coordinator is not available.\n";

impl Console {
    /// The groups a `kafka-consumer-groups` line names (every group with `--all-groups`).
    fn named_groups(&self, p: &cli_args::Parsed) -> Result<Vec<String>, String> {
        let groups: Vec<String> = if p.has("all-groups") {
            self.timeline.state().groups.keys().cloned().collect()
        } else {
            p.values("group").iter().map(|g| g.to_string()).collect()
        };
        let action = if p.has("describe") {
            "describe"
        } else if p.has("delete") {
            "delete"
        } else {
            "reset-offsets"
        };
        if groups.is_empty() && !p.has("all-groups") {
            return Err(format!(
                "Option [{action}] takes one of these options: [group], [all-groups]\n"
            ));
        }
        Ok(groups)
    }

    /// The commands of a `kafka-consumer-groups` line, without applying them: one
    /// `DeleteGroup` per group for `--delete`, one `ResetOffsets` per group (sorted) for
    /// `--reset-offsets`, none for `--list` and `--describe`. Only `--all-groups` looks at
    /// the cluster.
    pub(super) fn groups_commands(&self, words: &[String]) -> Result<Vec<Command>, String> {
        let p = groups_args(words)?;
        if p.has("list") || p.has("describe") || p.has("validate-regex") {
            return Ok(Vec::new());
        }
        if p.has("delete-offsets") {
            let group = p.value("group").unwrap_or_default().to_string();
            let (partitions, _) = self.delete_offsets_partitions(&delete_offsets_topics(&p)?);
            return Ok(vec![Command::DeleteOffsets { group, partitions }]);
        }
        let mut groups = self.named_groups(&p)?;
        if p.has("delete") {
            if p.has("topic") {
                return Err(NO_TOPIC_DELETION.into());
            }
            return Ok(groups
                .into_iter()
                .map(|group| Command::DeleteGroup { group })
                .collect());
        }
        let (scope, spec) = reset_parse(&p)?;
        crate::sort::sort(&mut groups);
        groups.dedup();
        Ok(groups
            .into_iter()
            .map(|group| Command::ResetOffsets {
                group,
                scope: scope.clone(),
                spec,
                execute: p.has("execute"),
            })
            .collect())
    }

    pub(super) fn kafka_consumer_groups(&mut self, words: &[String]) -> String {
        let p = match groups_args(words) {
            Ok(p) => p,
            Err(text) => return text,
        };
        if let Some(regex) = p.value("validate-regex") {
            // ConsumerGroupCommand.validateRegex compiles it locally, with RE2/J.
            return crate::engine::topic_pattern::validate_regex_text(regex);
        }
        if p.has("list") {
            if p.has("type") {
                return self.list_groups_with_type(
                    p.has("state"),
                    p.value("state"),
                    Some(p.value("type").unwrap_or_default()),
                );
            }
            return self.list_groups(p.has("state"), p.value("state"));
        }
        if p.has("delete-offsets") {
            return self.delete_offsets(&p);
        }
        let groups = match self.named_groups(&p) {
            Ok(groups) => groups,
            Err(text) => return text,
        };
        if p.has("describe") {
            let sub_actions = ["members", "offsets", "state"];
            if sub_actions.iter().filter(|a| p.has(a)).count() > 1 {
                return "Option [describe] takes at most one of these options: [members], [offsets], [state]\n".into();
            }
            if p.value("state").is_some() {
                return "Option [describe] does not take a value for [state]\n".into();
            }
            let mut sorted = groups;
            crate::sort::sort(&mut sorted);
            sorted.dedup();
            let verbose = p.has("verbose");
            let mut out = String::new();
            for group in &sorted {
                let engine = self.timeline.state();
                if engine.groups.contains_key(group)
                    && engine.group_coordinator(group).is_none()
                    && engine.group_coordinator_next(group).is_none()
                {
                    // FindCoordinator finds no running leader of the group's offsets partition.
                    out.push_str(COORDINATOR_NOT_AVAILABLE);
                    return out;
                }
                out.push_str(&if p.has("members") {
                    self.describe_members(group, verbose)
                } else if p.has("state") {
                    self.describe_state(group, verbose)
                } else {
                    self.describe_offsets(group, verbose)
                });
            }
            return out;
        }
        if p.has("delete") {
            if p.has("topic") {
                return NO_TOPIC_DELETION.into();
            }
            return self.delete_groups(&groups);
        }
        self.reset_offsets(&p, &groups)
    }

    fn list_groups(&self, with_state: bool, state_filter: Option<&str>) -> String {
        let state = self.timeline.state();
        if !with_state {
            return super::lines(state.groups.keys().cloned());
        }
        self.list_groups_with_type(true, state_filter, None)
    }

    /// `--list` with `--type` and/or `--state` (`printGroupInfo`): the TYPE column
    /// (`Classic`, `Consumer`) when `type_filter` is given (empty: every type) and the STATE
    /// column, each `%-20s`, optionally filtered.
    fn list_groups_with_type(
        &self,
        with_state: bool,
        state_filter: Option<&str>,
        type_filter: Option<&str>,
    ) -> String {
        let state = self.timeline.state();
        let mut wanted: Vec<String> = Vec::new();
        if let Some(filter) = state_filter.filter(|f| !f.is_empty()) {
            for name in filter.split(',').map(str::trim) {
                let known = [
                    "Empty",
                    "PreparingRebalance",
                    "CompletingRebalance",
                    "Stable",
                    "Dead",
                    "Assigning",
                    "Reconciling",
                ];
                match known.iter().find(|s| s.eq_ignore_ascii_case(name)) {
                    Some(s) => wanted.push(s.to_string()),
                    None => {
                        return format!(
                            "Invalid state list '{filter}'. Valid states are: Assigning, CompletingRebalance, Dead, Empty, PreparingRebalance, Reconciling, Stable, Unknown\n"
                        )
                    }
                }
            }
        }
        let mut types: Vec<&str> = Vec::new();
        if let Some(filter) = type_filter.filter(|f| !f.is_empty()) {
            for name in filter.to_ascii_lowercase().split(',').map(str::trim) {
                match name {
                    "classic" => types.push("Classic"),
                    "consumer" => types.push("Consumer"),
                    _ => {
                        return format!(
                            "Invalid types list '{filter}'. Valid types are: Classic, Consumer\n"
                        )
                    }
                }
            }
        }
        let listed: Vec<(&Group, &str, &str)> = state
            .groups
            .values()
            .map(|g| (g, group_type(g), g.state_name()))
            .filter(|(_, _, s)| wanted.is_empty() || wanted.iter().any(|w| w == s))
            .filter(|(_, t, _)| types.is_empty() || types.contains(t))
            .collect();
        let width = listed
            .iter()
            .map(|(g, _, _)| g.id.chars().count().max(15))
            .max()
            .unwrap_or(15)
            + 10;
        let line = |id: &str, kind: &str, st: &str| {
            let mut text = pad(id, width);
            if type_filter.is_some() {
                text.push(' ');
                text.push_str(&pad(kind, 20));
            }
            if with_state {
                text.push(' ');
                text.push_str(&pad(st, 20));
            }
            text.push('\n');
            text
        };
        let mut out = line("GROUP", "TYPE", "STATE");
        for (g, kind, st) in listed {
            out.push_str(&line(&g.id, kind, st));
        }
        out
    }
}

/// The group's type as `--list --type` prints it.
fn group_type(g: &Group) -> &'static str {
    if g.modern.is_some() {
        "Consumer"
    } else {
        "Classic"
    }
}
