//! `kafka-consumer-groups` (ConsumerGroupCommand and GroupOffsetsResetter of Kafka 4.x):
//! `--list`, `--describe` (offsets, `--members [--verbose]`, `--state`), `--delete` and
//! `--reset-offsets` and `--delete-offsets`, with the tool's column widths, blank lines and
//! messages.

use super::args::{self, flag, optional_value, value, OptSpec};
use super::clock;
use super::Console;
use crate::engine::{
    Command, Event, Group, GroupState, OffsetDeletion, ResetScope, ResetSpec, TopicPartition,
    GROUP_ID_NOT_FOUND, UNKNOWN_TOPIC_OR_PARTITION,
};

pub(super) const GROUPS_OPTIONS: [OptSpec; 26] = [
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
    flag("help"),
];

const ONLY_ONE_MODE: &str = "Option [reset-offsets] only accepts one of [execute] and [dry-run]\n";

const NO_TOPIC_DELETION: &str =
    "The consumer does not support topic-specific offset deletion from a consumer group.\n";

/// The broker that coordinates every group, as `--describe --state` prints it.
const COORDINATOR: &str = "localhost:9092  (1)";

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
    let p = args::parse(words, &GROUPS_OPTIONS).map_err(|e| {
        let (message, exception) = args::jopt_error(&e);
        format!("Exception in thread \"main\" {exception}: {message}\n")
    })?;
    if let Some(extra) = p.positional.first() {
        return Err(format!("Found non argument parameters: {extra}\n"));
    }
    let actions = [
        "list",
        "describe",
        "delete",
        "reset-offsets",
        "delete-offsets",
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
    if actions.iter().filter(|a| p.has(a)).count() != 1 {
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
type TopicArgs = Vec<(String, Option<Vec<u32>>)>;

/// The `--topic` arguments of `--delete-offsets`: `t` (every partition, looked up by the
/// tool) or `t:0,1`, in the order given; or the usage error the tool prints.
fn delete_offsets_topics(p: &args::Parsed) -> Result<TopicArgs, String> {
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

/// `"%-Ns"`: pads to at least `width` characters.
fn pad(text: &str, width: usize) -> String {
    format!("{text:<width$}")
}

pub(super) fn error(message: &str) -> String {
    format!("\nError: {message}\n")
}

/// An error ConsumerGroupCommand prints with the first line of the exception's stack trace.
fn failed_with(message: &str, exception_line: &str) -> String {
    format!("{}{exception_line}\n", error(message))
}

/// What Kafka 4's `--describe` prints for a group the coordinator does not know: the
/// admin client's GroupIdNotFoundException, then the first line of its stack trace.
fn group_not_found(id: &str) -> String {
    let exception =
        format!("org.apache.kafka.common.errors.GroupIdNotFoundException: Group {id} not found.");
    format!(
        "{}java.util.concurrent.ExecutionException: {exception}\n",
        error(&format!(
            "Executing consumer group command failed due to {exception}"
        ))
    )
}

/// One row of the offsets view.
struct OffsetRow {
    topic: String,
    partition: String,
    current: String,
    log_end: String,
    lag: String,
    consumer_id: String,
    host: String,
    client_id: String,
}

impl Console {
    /// The groups a `kafka-consumer-groups` line names (every group with `--all-groups`).
    fn named_groups(&self, p: &args::Parsed) -> Result<Vec<String>, String> {
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

    /// `shouldPrintMemberState`: the notice for the group's state, and whether the table
    /// follows (not for an unknown group, nor without rows).
    fn member_state_notice(&self, group: Option<&Group>, id: &str, rows: usize) -> (String, bool) {
        let Some(group) = group else {
            return (group_not_found(id), false);
        };
        let notice = match group.state {
            GroupState::Dead => return (group_not_found(id), false),
            GroupState::Empty => format!("\nConsumer group '{id}' has no active members.\n"),
            GroupState::PreparingRebalance | GroupState::CompletingRebalance => {
                format!("\nWarning: Consumer group '{id}' is rebalancing.\n")
            }
            GroupState::Stable => String::new(),
        };
        (notice, group.state != GroupState::Dead && rows > 0)
    }

    /// What `kafka-consumer-groups --describe --group id` prints (the offsets view), for
    /// the page's inspector.
    pub fn describe_group(&self, id: &str) -> String {
        self.describe_offsets(id, false)
    }

    fn describe_offsets(&self, id: &str, verbose: bool) -> String {
        let state = self.timeline.state();
        let group = state.groups.get(id);
        let mut rows: Vec<OffsetRow> = Vec::new();
        if let Some(g) = group {
            let dash = || "-".to_string();
            rows = crate::read::group_lag_rows(state, g)
                .into_iter()
                .map(|row| OffsetRow {
                    topic: row.partition.topic.clone(),
                    partition: row.partition.partition.to_string(),
                    current: row.committed.map_or_else(dash, |o| o.to_string()),
                    log_end: row.log_end.map_or_else(dash, |o| o.to_string()),
                    lag: row.lag.map_or_else(dash, |o| o.to_string()),
                    consumer_id: row.owner.map_or_else(dash, |m| m.member_id.clone()),
                    host: row.owner.map_or_else(dash, |m| m.host.clone()),
                    client_id: row.owner.map_or_else(dash, |m| m.client_id.clone()),
                })
                .collect();
        }
        let (notice, show) = self.member_state_notice(group, id, rows.len());
        let mut out = notice;
        if !show {
            return out;
        }
        let width = |f: &dyn Fn(&OffsetRow) -> usize, floor: usize| {
            rows.iter().map(f).max().unwrap_or(0).max(floor)
        };
        let g_w = id.chars().count().max(15);
        let t_w = width(&|r| r.topic.chars().count(), 15);
        let c_w = width(&|r| r.consumer_id.chars().count(), 15);
        let h_w = width(&|r| r.host.chars().count(), 15);
        // Every column but the last is padded; the verbose view adds the leader epoch
        // (column 3).
        let widths = [g_w, t_w, 10, 15, 15, 15, 15, c_w, h_w];
        let line = |cells: [&str; 10]| {
            let mut text = String::new();
            for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                if i == 3 && !verbose {
                    continue;
                }
                text.push(if text.is_empty() { '\n' } else { ' ' });
                text.push_str(&pad(cell, w));
            }
            text.push(' ');
            text.push_str(cells[9]);
            text
        };
        out.push_str(&line([
            "GROUP",
            "TOPIC",
            "PARTITION",
            "LEADER-EPOCH",
            "CURRENT-OFFSET",
            "LOG-END-OFFSET",
            "LAG",
            "CONSUMER-ID",
            "HOST",
            "CLIENT-ID",
        ]));
        for r in &rows {
            let epoch = if r.current == "-" { "-" } else { "0" };
            out.push_str(&line([
                id,
                &r.topic,
                &r.partition,
                epoch,
                &r.current,
                &r.log_end,
                &r.lag,
                &r.consumer_id,
                &r.host,
                &r.client_id,
            ]));
        }
        out.push('\n');
        out
    }

    fn describe_members(&self, id: &str, verbose: bool) -> String {
        let state = self.timeline.state();
        let group = state.groups.get(id);
        let members = group.map(|g| g.members.as_slice()).unwrap_or_default();
        let (mut out, show) = self.member_state_notice(group, id, members.len());
        if group.is_none_or(|g| g.state == GroupState::Dead) {
            return out;
        }
        let mut g_w = 15;
        let mut c_w = 15;
        let mut i_w = 17;
        let mut h_w = 15;
        let mut cl_w = 15;
        let mut ca_w = 20;
        let ta_w = 20;
        let mut with_instance = false;
        if show {
            for m in members {
                g_w = g_w.max(id.chars().count());
                c_w = c_w.max(m.member_id.chars().count());
                let instance = m.group_instance_id.as_deref().unwrap_or("");
                i_w = i_w.max(instance.chars().count());
                with_instance |= !instance.is_empty();
                h_w = h_w.max(m.host.chars().count());
                cl_w = cl_w.max(m.client_id.chars().count());
                ca_w = ca_w.max(assignment_string(&m.assignment).chars().count());
            }
        }
        let row =
            |group: &str, consumer: &str, instance: &str, host: &str, client: &str, n: &str| {
                if with_instance {
                    format!(
                        "{} {} {} {} {} {} ",
                        pad(group, g_w),
                        pad(consumer, c_w),
                        pad(instance, i_w),
                        pad(host, h_w),
                        pad(client, cl_w),
                        pad(n, 15)
                    )
                } else {
                    format!(
                        "{} {} {} {} {} ",
                        pad(group, g_w),
                        pad(consumer, c_w),
                        pad(host, h_w),
                        pad(client, cl_w),
                        pad(n, 15)
                    )
                }
            };
        let verbose_cells =
            |current_epoch: &str, current: &str, target_epoch: &str, target: &str| {
                format!(
                    "{} {} {} {}",
                    pad(current_epoch, 15),
                    pad(current, ca_w),
                    pad(target_epoch, 15),
                    pad(target, ta_w)
                )
            };
        // Kafka prints the header even when the group has no members or does not exist.
        out.push('\n');
        out.push_str(&row(
            "GROUP",
            "CONSUMER-ID",
            "GROUP-INSTANCE-ID",
            "HOST",
            "CLIENT-ID",
            "#PARTITIONS",
        ));
        if verbose {
            out.push_str(&verbose_cells(
                "CURRENT-EPOCH",
                "CURRENT-ASSIGNMENT",
                "TARGET-EPOCH",
                "TARGET-ASSIGNMENT",
            ));
        }
        out.push('\n');
        if group.is_some() {
            for m in members {
                out.push_str(&row(
                    id,
                    &m.member_id,
                    m.group_instance_id.as_deref().unwrap_or(""),
                    &m.host,
                    &m.client_id,
                    &m.assignment.len().to_string(),
                ));
                if verbose {
                    // Classic-protocol members have no epochs and no target assignment.
                    out.push_str(&verbose_cells(
                        "-",
                        &assignment_string(&m.assignment),
                        "-",
                        "-",
                    ));
                }
                out.push('\n');
            }
        }
        out
    }

    fn describe_state(&self, id: &str) -> String {
        let state = self.timeline.state();
        let group = state.groups.get(id);
        let (mut out, show) = self.member_state_notice(group, id, 1);
        let Some(g) = group.filter(|_| show) else {
            return out;
        };
        let g_w = id.chars().count().max(15);
        let c_w = COORDINATOR.chars().count().max(25);
        let strategy = g.protocol.map_or("-", |s| s.name());
        let line = |a: &str, b: &str, c: &str, d: &str, e: &str| {
            format!(
                "\n{} {} {} {} {e}",
                pad(a, g_w),
                pad(b, c_w),
                pad(c, 20),
                pad(d, 20)
            )
        };
        out.push_str(&line(
            "GROUP",
            "COORDINATOR (ID)",
            "ASSIGNMENT-STRATEGY",
            "STATE",
            "#MEMBERS",
        ));
        out.push_str(&line(
            id,
            COORDINATOR,
            strategy,
            g.state.name(),
            &g.members.len().to_string(),
        ));
        out.push('\n');
        out
    }

    /// The partitions `--delete-offsets` asks the coordinator about (in the order given; the
    /// coordinator sorts them and drops repeats), and the topics named
    /// without partitions that the cluster does not have (the admin client reports those
    /// itself, partition `-`, and leaves them out of the request).
    fn delete_offsets_partitions(
        &self,
        topics: &[(String, Option<Vec<u32>>)],
    ) -> (Vec<TopicPartition>, Vec<String>) {
        let state = self.timeline.state();
        let mut partitions = Vec::new();
        let mut unknown = Vec::new();
        for (topic, parts) in topics {
            match (parts, state.topics.get(topic)) {
                (Some(ps), _) => {
                    partitions.extend(ps.iter().map(|p| TopicPartition::new(topic.clone(), *p)))
                }
                (None, Some(t)) => partitions
                    .extend((0..t.n_partitions()).map(|p| TopicPartition::new(topic.clone(), p))),
                (None, None) => unknown.push(topic.clone()),
            }
        }
        crate::sort::sort(&mut unknown);
        unknown.dedup();
        (partitions, unknown)
    }

    /// `kafka-consumer-groups --delete-offsets --group g --topic t[:0,1]…`: the outcome,
    /// then a table of every partition with its status, as `ConsumerGroupCommand` prints it.
    fn delete_offsets(&mut self, p: &args::Parsed) -> String {
        let topics = match delete_offsets_topics(p) {
            Ok(topics) => topics,
            Err(text) => return text,
        };
        let group = p.value("group").unwrap_or_default().to_string();
        let (partitions, unknown) = self.delete_offsets_partitions(&topics);
        // Rows: (topic, partition or None for "-", the exception or None for a success).
        let mut rows: Vec<(String, Option<u32>, Option<String>)> = unknown
            .into_iter()
            .map(|t| (t, None, Some(UNKNOWN_TOPIC_OR_PARTITION.to_string())))
            .collect();
        let mut out = match self.apply_checked(Command::DeleteOffsets {
            group: group.clone(),
            partitions: partitions.clone(),
        }) {
            Ok(events) => {
                let results = events.iter().find_map(|e| match e {
                    Event::OffsetsDeleted { results, .. } => Some(results.clone()),
                    _ => None,
                });
                let results = results.unwrap_or_default();
                let failed = results.iter().any(|(_, r)| *r != OffsetDeletion::Deleted);
                rows.extend(results.into_iter().map(|(tp, r)| {
                    (
                        tp.topic,
                        Some(tp.partition),
                        r.exception().map(str::to_string),
                    )
                }));
                if failed {
                    error("Encountered some partition-level error, see the follow-up details.")
                } else {
                    format!("Request succeeded for deleting offsets from group {group}.\n")
                }
            }
            Err(rejection) if rejection.reason == GROUP_ID_NOT_FOUND => {
                let exception = format!(
                    "org.apache.kafka.common.errors.GroupIdNotFoundException: {GROUP_ID_NOT_FOUND}"
                );
                rows.extend(
                    partitions
                        .into_iter()
                        .map(|tp| (tp.topic, Some(tp.partition), Some(exception.clone()))),
                );
                error(GROUP_ID_NOT_FOUND)
            }
            Err(rejection) => return error(&rejection.reason),
        };
        // ConsumerGroupCommand sorts by the string topic + partition (-1 for a topic it
        // could not find), so orders10 comes before orders2.
        let key = |(topic, partition, _): &(String, Option<u32>, Option<String>)| {
            format!("{topic}{}", partition.map_or(-1, i64::from))
        };
        crate::sort::sort_by(&mut rows, |a, b| key(a).cmp(&key(b)));
        let width = rows
            .iter()
            .map(|(topic, _, _)| topic.chars().count())
            .max()
            .unwrap_or(0)
            .max(15);
        out.push_str(&format!(
            "\n{} {} {}",
            pad("TOPIC", width),
            pad("PARTITION", 10),
            pad("STATUS", 15)
        ));
        for (topic, partition, exception) in rows {
            let status =
                exception.map_or_else(|| "Successful".to_string(), |e| format!("Error: {e}"));
            out.push_str(&format!(
                "\n{} {} {}",
                pad(&topic, width),
                pad(
                    &partition.map_or_else(|| "-".to_string(), |n| n.to_string()),
                    10
                ),
                pad(&status, 15)
            ));
        }
        out.push('\n');
        out
    }

    fn delete_groups(&mut self, groups: &[String]) -> String {
        let mut succeeded = Vec::new();
        let mut failed = Vec::new();
        for group in groups {
            match self.apply_checked(Command::DeleteGroup {
                group: group.clone(),
            }) {
                Ok(_) => succeeded.push(format!("'{group}'")),
                Err(reason) => failed.push(reason),
            }
        }
        if failed.is_empty() {
            return format!(
                "Deletion of requested consumer groups ({}) was successful.\n",
                succeeded.join(", ")
            );
        }
        let mut out = error("Deletion of some consumer groups failed:");
        for reason in failed {
            out.push_str(&format!("* {reason}\n"));
        }
        if !succeeded.is_empty() {
            out.push_str(&format!(
                "\nThese consumer groups were deleted successfully: {}\n",
                succeeded.join(", ")
            ));
        }
        out
    }

    fn reset_offsets(&mut self, p: &args::Parsed, groups: &[String]) -> String {
        if p.has("dry-run") && p.has("execute") {
            return ONLY_ONE_MODE.into();
        }
        let mut out = String::new();
        if !p.has("dry-run") && !p.has("execute") {
            out.push_str("WARN: No action will be performed as the --execute option is missing. In version 5.0, this command will require either --dry-run or --execute to be specified. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.\n");
        }
        let (scope, spec) = match reset_parse(p) {
            Ok(parsed) => parsed,
            Err(text) => {
                out.push_str(&text);
                return out;
            }
        };
        let now_ms = self.timeline.state().now_ms();
        let mut table: Vec<(String, Vec<(TopicPartition, i64)>)> = Vec::new();
        let mut groups: Vec<String> = groups.to_vec();
        crate::sort::sort(&mut groups);
        groups.dedup();
        for group in &groups {
            match self.reset_one_group(group, &scope, spec, p.has("execute"), now_ms) {
                Ok((warnings, offsets)) => {
                    out.push_str(&warnings);
                    table.push((group.clone(), offsets));
                }
                Err(message) => {
                    out.push_str(&message);
                    if message.contains("Assignments can only be reset") {
                        table.push((group.clone(), Vec::new()));
                    } else {
                        return out;
                    }
                }
            }
        }
        if table.is_empty() {
            out.push('\n');
            return out;
        }
        let g_w = table
            .iter()
            .map(|(g, _)| g.chars().count())
            .max()
            .unwrap_or(0)
            .max(15);
        let t_w = table
            .iter()
            .flat_map(|(_, o)| o.iter().map(|(tp, _)| tp.topic.chars().count()))
            .max()
            .unwrap_or(0)
            .max(15);
        out.push_str(&format!(
            "\n{} {} {} NEW-OFFSET",
            pad("GROUP", g_w),
            pad("TOPIC", t_w),
            pad("PARTITION", 10)
        ));
        for (group, offsets) in &table {
            for (tp, offset) in offsets {
                out.push_str(&format!(
                    "\n{} {} {} {offset}",
                    pad(group, g_w),
                    pad(&tp.topic, t_w),
                    pad(&tp.partition.to_string(), 10)
                ));
            }
        }
        out.push('\n');
        out
    }

    /// Resets one group: the warnings to print and the new offsets, or the error text.
    fn reset_one_group(
        &mut self,
        group: &str,
        scope: &ResetScope,
        spec: ResetSpec,
        execute: bool,
        now_ms: i64,
    ) -> Result<(String, Vec<(TopicPartition, i64)>), String> {
        let state = self.timeline.state();
        let existing = state.groups.get(group);
        if let Some(g) = existing.filter(|g| !g.is_inactive()) {
            return Err(error(&format!(
                "Assignments can only be reset if the group '{group}' is inactive, but the current state is {}.",
                g.state.name()
            )));
        }
        // The partitions to reset, checked as GroupOffsetsResetter does.
        let partitions: Vec<TopicPartition> = match scope {
            ResetScope::AllTopics => existing
                .map(|g| g.committed.keys().cloned().collect())
                .unwrap_or_default(),
            ResetScope::Topics(list) => {
                let mut out = Vec::new();
                for (topic, parts) in list {
                    let Some(t) = state.topics.get(topic) else {
                        return Err(failed_with(
                            "Executing consumer group command failed due to This server does not host this topic-partition.",
                            "org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.",
                        ));
                    };
                    match parts {
                        Some(ps) => {
                            out.extend(ps.iter().map(|p| TopicPartition::new(topic.clone(), *p)))
                        }
                        None => out.extend(
                            (0..t.n_partitions()).map(|p| TopicPartition::new(topic.clone(), p)),
                        ),
                    }
                }
                out
            }
        };
        let missing: Vec<String> = partitions
            .iter()
            .filter(|tp| state.partition_log(tp).is_none())
            .map(ToString::to_string)
            .collect();
        if !missing.is_empty() {
            let message = format!("The partitions \"{}\" do not exist", missing.join(","));
            return Err(failed_with(
                &format!("Executing consumer group command failed due to {message}"),
                &format!(
                    "org.apache.kafka.common.errors.UnknownTopicOrPartitionException: {message}"
                ),
            ));
        }
        let mut warnings = String::new();
        for tp in &partitions {
            let committed = existing.and_then(|g| g.committed.get(tp));
            if matches!(spec, ResetSpec::ShiftBy(_)) && committed.is_none() {
                return Err(format!(
                    "Cannot shift offset for partition {tp} since there is no current committed offset\n"
                ));
            }
            let timestamp = match spec {
                ResetSpec::ToDatetime(ms) => Some(ms),
                ResetSpec::ByDuration(d) => Some(now_ms.saturating_sub(d)),
                _ => None,
            };
            if let (Some(ts), Some(log)) = (timestamp, state.partition_log(tp)) {
                if log.offset_for_timestamp(ts).is_none() {
                    warnings.push_str(&format!(
                        "\nWarn: Partition {} from topic {} is empty. Falling back to latest known offset.\n",
                        tp.partition, tp.topic
                    ));
                }
            }
        }
        let events = self
            .apply_checked(Command::ResetOffsets {
                group: group.to_string(),
                scope: scope.clone(),
                spec,
                execute,
            })
            .map_err(|reason| error(&reason.reason))?;
        let mut offsets: Vec<(TopicPartition, i64)> = events
            .into_iter()
            .find_map(|e| match e {
                crate::engine::Event::OffsetsReset { offsets, .. } => Some(offsets),
                _ => None,
            })
            .unwrap_or_default();
        crate::sort::sort(&mut offsets);
        Ok((warnings, offsets))
    }
}

/// `orders:0,1,2;payments:0`, topics sorted; `-` when empty.
pub(super) fn assignment_string(assignment: &[TopicPartition]) -> String {
    if assignment.is_empty() {
        return "-".into();
    }
    let mut by_topic: std::collections::BTreeMap<&str, Vec<u32>> = Default::default();
    for tp in assignment {
        by_topic.entry(&tp.topic).or_default().push(tp.partition);
    }
    by_topic
        .into_iter()
        .map(|(topic, mut partitions)| {
            crate::sort::sort(&mut partitions);
            let list: Vec<String> = partitions.iter().map(u32::to_string).collect();
            format!("{topic}:{}", list.join(","))
        })
        .collect::<Vec<_>>()
        .join(";")
}
