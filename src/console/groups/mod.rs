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
mod reset;

pub(in crate::console) use self::args::GROUPS_OPTIONS;
use self::args::*;
pub(in crate::console) use self::describe::assignment_string;
use super::args as cli_args;
use super::Console;
use crate::engine::{Command, Group, GroupState};

/// `"%-Ns"`: pads to at least `width` characters.
pub(super) fn pad(text: &str, width: usize) -> String {
    format!("{text:<width$}")
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
        if p.has("list") || p.has("describe") {
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
        if p.has("list") {
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
                out.push_str(&if p.has("members") {
                    self.describe_members(group, verbose)
                } else if p.has("state") {
                    self.describe_state(group)
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
        let mut wanted: Vec<String> = Vec::new();
        if let Some(filter) = state_filter.filter(|f| !f.is_empty()) {
            for name in filter.split(',').map(str::trim) {
                let known = [
                    GroupState::Empty,
                    GroupState::PreparingRebalance,
                    GroupState::CompletingRebalance,
                    GroupState::Stable,
                    GroupState::Dead,
                ];
                match known.iter().find(|s| s.name().eq_ignore_ascii_case(name)) {
                    Some(s) => wanted.push(s.name().to_string()),
                    None => {
                        return format!(
                            "Invalid state list '{filter}'. Valid states are: Assigning, CompletingRebalance, Dead, Empty, PreparingRebalance, Reconciling, Stable, Unknown\n"
                        )
                    }
                }
            }
        }
        let listed: Vec<&Group> = state
            .groups
            .values()
            .filter(|g| wanted.is_empty() || wanted.iter().any(|w| w == g.state.name()))
            .collect();
        let width = listed
            .iter()
            .map(|g| g.id.chars().count().max(15))
            .max()
            .unwrap_or(15)
            + 10;
        let mut out = format!("{} {}\n", pad("GROUP", width), pad("STATE", 20));
        for g in listed {
            out.push_str(&format!(
                "{} {}\n",
                pad(&g.id, width),
                pad(g.state.name(), 20)
            ));
        }
        out
    }
}
