//! Share groups in the console (KIP-932): `kafka-share-groups` (ShareGroupCommand of Kafka
//! 4.4.0: `--list [--state]`, `--describe` with offsets, `--members`, `--state` and
//! `--verbose`, `--reset-offsets`, `--delete-offsets`, `--delete`), the console share
//! consumer (`kafka-console-share-consumer --max-messages`), `kafka-configs --entity-type
//! groups` and the simulator's `share-consumer start|stop|crash`. The tables' widths,
//! blank lines and messages are the tool's; the facts come from [`crate::read::share`].

use super::args::{self, flag, value, OptSpec};
use super::lines::{pair, LineBuilder};
use super::{clock, groups, sim, Console};
use crate::engine::consumer::{format_thousandths, parse_thousandths};
use crate::engine::share_group::ack_mode::ACKNOWLEDGEMENT_MODE;
use crate::engine::share_group::config::{group_config_def, GROUP_CONFIGS};
use crate::engine::share_group::{AcknowledgementMode, ShareCommand, ShareResetSpec};
use crate::engine::{Command, Event};
use crate::read::share::{share_member_rows, share_offset_rows};

/// The options of `kafka-share-groups`.
pub(super) const SHARE_GROUPS_OPTIONS: [OptSpec; 22] = [
    value("bootstrap-server"),
    value("command-config"),
    flag("list"),
    flag("describe"),
    flag("delete"),
    flag("reset-offsets"),
    flag("delete-offsets"),
    value("group"),
    flag("all-groups"),
    value("topic"),
    flag("all-topics"),
    flag("members"),
    flag("offsets"),
    flag("state"),
    flag("verbose"),
    flag("dry-run"),
    flag("execute"),
    flag("to-earliest"),
    flag("to-latest"),
    value("to-offset"),
    value("to-datetime"),
    value("timeout"),
];

/// The options of `kafka-console-share-consumer` the simulator reads.
pub(super) const CONSOLE_SHARE_OPTIONS: [OptSpec; 7] = [
    value("bootstrap-server"),
    value("topic"),
    value("group"),
    value("max-messages"),
    value("timeout-ms"),
    value("consumer-property"),
    value("command-property"),
];

/// The client id the console share consumer has (ConsoleShareConsumer's default).
pub const CONSOLE_SHARE_CLIENT: &str = "console-share-consumer";

/// The group the console share consumer joins without `--group`.
const CONSOLE_SHARE_GROUP: &str = "console-share-consumer";

use super::groups::{column_width, pad};

/// The line that stands for a share command.
pub(super) fn share_line(command: &ShareCommand) -> LineBuilder {
    match command {
        ShareCommand::StartConsumer {
            client_id,
            group,
            topic,
            millirecords_per_second,
            release_per_mille,
            reject_per_mille,
            max_messages: Some(max),
            acknowledgement_mode,
        } if client_id == CONSOLE_SHARE_CLIENT
            && acknowledgement_mode.is_explicit()
            && *release_per_mille == 0
            && *reject_per_mille == 0
            && *millirecords_per_second == CONSOLE_RATE =>
        {
            LineBuilder::kafka_tool("kafka-console-share-consumer")
                .opt("topic", topic)
                .opt("group", group)
                .opt("max-messages", &max.to_string())
        }
        ShareCommand::StartConsumer {
            client_id,
            group,
            topic,
            millirecords_per_second,
            release_per_mille,
            reject_per_mille,
            acknowledgement_mode,
            ..
        } => {
            let mut line = LineBuilder::new(&["share-consumer", "start"])
                .positional(client_id)
                .opt("group", group)
                .opt("topic", topic)
                .opt("rate", &format_thousandths(*millirecords_per_second));
            if acknowledgement_mode.is_explicit() {
                line = line.opt(
                    "config",
                    &format!("{ACKNOWLEDGEMENT_MODE}={}", acknowledgement_mode.name()),
                );
            }
            if *release_per_mille > 0 {
                line = line.opt(
                    "fail-rate",
                    &format_thousandths(u64::from(*release_per_mille)),
                );
            }
            if *reject_per_mille > 0 {
                line = line.opt(
                    "reject-rate",
                    &format_thousandths(u64::from(*reject_per_mille)),
                );
            }
            line
        }
        ShareCommand::StopConsumer { client_id } => {
            LineBuilder::new(&["share-consumer", "stop"]).positional(client_id)
        }
        ShareCommand::CrashConsumer { client_id } => {
            LineBuilder::new(&["share-consumer", "crash"]).positional(client_id)
        }
        ShareCommand::SetConsumer {
            client_id,
            key,
            value,
        } => LineBuilder::new(&["share-consumer", "set"])
            .positional(client_id)
            .positional(&format!("{key}={value}")),
        ShareCommand::ResetOffsets {
            group,
            topics,
            spec,
            execute,
        } => {
            let mut line = LineBuilder::kafka_tool("kafka-share-groups")
                .flag("reset-offsets")
                .opt("group", group);
            if topics.is_empty() {
                line = line.flag("all-topics");
            }
            for t in topics {
                line = line.opt("topic", t);
            }
            line = match spec {
                ShareResetSpec::ToEarliest => line.flag("to-earliest"),
                ShareResetSpec::ToLatest => line.flag("to-latest"),
                ShareResetSpec::ToOffset(o) => line.opt("to-offset", &o.to_string()),
                ShareResetSpec::ToDatetime(ms) => {
                    line.opt("to-datetime", &super::format_datetime(*ms))
                }
            };
            line.flag(if *execute { "execute" } else { "dry-run" })
        }
        ShareCommand::DeleteOffsets { group, topics } => {
            let mut line = LineBuilder::kafka_tool("kafka-share-groups")
                .flag("delete-offsets")
                .opt("group", group);
            for t in topics {
                line = line.opt("topic", t);
            }
            line
        }
        ShareCommand::DeleteGroup { group } => LineBuilder::kafka_tool("kafka-share-groups")
            .flag("delete")
            .opt("group", group),
        ShareCommand::AlterGroupConfig { group, set, delete } => {
            let mut line = LineBuilder::kafka_tool("kafka-configs")
                .flag("alter")
                .opt("entity-type", "groups")
                .opt("entity-name", group);
            if !set.is_empty() {
                let pairs: Vec<String> = set.iter().map(|(k, v)| pair(k, v)).collect();
                line = line.opt("add-config", &pairs.join(","));
            }
            if !delete.is_empty() {
                line = line.opt("delete-config", &delete.join(","));
            }
            line
        }
    }
}

/// The console share consumer takes records as fast as they come.
const CONSOLE_RATE: u64 = 1_000_000_000;

/// Whether a `kafka-configs` line is about groups.
pub(super) fn names_groups(p: &args::Parsed) -> bool {
    p.value("entity-type") == Some("groups")
}

/// The command of `kafka-configs --entity-type groups --alter`.
pub(super) fn group_configs_command(p: &args::Parsed) -> Result<Option<Command>, String> {
    if p.has("describe") {
        return Ok(None);
    }
    let Some(group) = p.value("entity-name") else {
        return Err("An entity name must be specified with --alter of groups\n".into());
    };
    let mut set = Vec::new();
    for entry in p.values("add-config") {
        for item in entry.split(',') {
            match item.split_once('=') {
                Some((k, v)) if !k.trim().is_empty() => {
                    set.push((k.trim().to_string(), v.trim().to_string()))
                }
                _ => return Err("requirement failed: Invalid entity config: all configs to be added must be in the format \"key=val\".\n".to_string()),
            }
        }
    }
    let delete: Vec<String> = p
        .values("delete-config")
        .iter()
        .flat_map(|d| d.split(','))
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty())
        .collect();
    Ok(Some(Command::Share(ShareCommand::AlterGroupConfig {
        group: group.to_string(),
        set,
        delete,
    })))
}

/// What ShareGroupCommand prints for a group the coordinator does not know.
fn share_group_not_found(id: &str) -> String {
    let exception =
        format!("org.apache.kafka.common.errors.GroupIdNotFoundException: Group {id} not found.");
    format!(
        "\nError: Executing share group command failed due to {exception}\njava.util.concurrent.ExecutionException: {exception}\n"
    )
}

fn no_active_members(id: &str) -> String {
    format!("\nShare group '{id}' has no active members.\n")
}

/// The action of a `kafka-share-groups` line: exactly one.
fn share_args(words: &[String]) -> Result<args::Parsed, String> {
    let p = args::parse_tool_line(words, &SHARE_GROUPS_OPTIONS, args::uncaught)?;
    let actions = [
        "list",
        "describe",
        "delete",
        "reset-offsets",
        "delete-offsets",
    ];
    if !args::one_action(&p, &actions) {
        return Err("Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets.\n".into());
    }
    if p.has("reset-offsets") && !p.has("execute") && !p.has("dry-run") {
        return Err("Option [reset-offsets] takes the option: [execute] or [dry-run]\n".into());
    }
    if (p.has("describe") || p.has("delete") || p.has("reset-offsets") || p.has("delete-offsets"))
        && !p.has("group")
        && !p.has("all-groups")
    {
        let action = actions
            .iter()
            .find(|a| p.has(a))
            .copied()
            .unwrap_or("describe");
        return Err(format!(
            "Option [{action}] takes one of these options: [all-groups], [group]\n"
        ));
    }
    Ok(p)
}

/// The reset scenario of a line.
fn reset_spec(p: &args::Parsed) -> Result<ShareResetSpec, String> {
    if p.has("to-earliest") {
        Ok(ShareResetSpec::ToEarliest)
    } else if p.has("to-latest") {
        Ok(ShareResetSpec::ToLatest)
    } else if let Some(o) = p.value("to-offset") {
        o.trim()
            .parse::<i64>()
            .map(ShareResetSpec::ToOffset)
            .map_err(|_| format!("Invalid value for --to-offset: {o}\n"))
    } else if let Some(d) = p.value("to-datetime") {
        clock::parse_datetime(d)
            .map(ShareResetSpec::ToDatetime)
            .ok_or_else(|| {
                format!("Error parsing timestamp. It does not match the expected format: {d}\n")
            })
    } else {
        Err("Option '[reset-offsets]' requires one of the following scenarios: [to-offset], [to-datetime], [to-earliest], [to-latest], [to-current]\n".into())
    }
}

impl Console {
    /// The groups a line names.
    fn share_group_names(&self, p: &args::Parsed) -> Vec<String> {
        if p.has("all-groups") {
            self.timeline.state().share.groups.keys().cloned().collect()
        } else {
            p.values("group").iter().map(|g| g.to_string()).collect()
        }
    }

    /// The commands of a `kafka-share-groups` line, without applying them.
    pub(super) fn share_groups_commands(&self, words: &[String]) -> Result<Vec<Command>, String> {
        let p = share_args(words)?;
        let groups = self.share_group_names(&p);
        let topics: Vec<String> = p.values("topic").iter().map(|t| t.to_string()).collect();
        if p.has("delete") {
            return Ok(groups
                .into_iter()
                .map(|group| Command::Share(ShareCommand::DeleteGroup { group }))
                .collect());
        }
        if p.has("reset-offsets") {
            let spec = reset_spec(&p)?;
            if topics.is_empty() && !p.has("all-topics") {
                return Err(
                    "Option [reset-offsets] takes one of these options: [all-topics], [topic]\n"
                        .into(),
                );
            }
            return Ok(groups
                .into_iter()
                .map(|group| {
                    Command::Share(ShareCommand::ResetOffsets {
                        group,
                        topics: topics.clone(),
                        spec,
                        execute: p.has("execute"),
                    })
                })
                .collect());
        }
        if p.has("delete-offsets") {
            if topics.is_empty() {
                return Err(
                    "Option [delete-offsets] takes the following options: [topic], [group]\n"
                        .into(),
                );
            }
            return Ok(groups
                .into_iter()
                .map(|group| {
                    Command::Share(ShareCommand::DeleteOffsets {
                        group,
                        topics: topics.clone(),
                    })
                })
                .collect());
        }
        Ok(Vec::new())
    }

    /// `kafka-share-groups`.
    pub(super) fn kafka_share_groups(&mut self, words: &[String]) -> String {
        let p = match share_args(words) {
            Ok(p) => p,
            Err(text) => return text,
        };
        if p.has("list") {
            return self.list_share_groups(p.has("state"));
        }
        if p.has("describe") {
            return self
                .share_group_names(&p)
                .iter()
                .map(|g| self.describe_share_group(g, &p))
                .collect();
        }
        let commands = match self.share_groups_commands(words) {
            Ok(c) => c,
            Err(text) => return text,
        };
        if p.has("delete") {
            return self.delete_share_groups(commands);
        }
        let mut out = String::new();
        for command in commands {
            match self.apply_checked(command) {
                Ok(events) => out.push_str(&share_result(&events)),
                Err(rejection) => {
                    if p.has("delete-offsets") {
                        out.push_str(&groups::error(&rejection.reason));
                    } else {
                        out.push_str(&format!("\nError: {}\n", rejection.reason));
                    }
                }
            }
        }
        out
    }

    fn list_share_groups(&self, with_state: bool) -> String {
        let state = self.timeline.state();
        let groups = &state.share.groups;
        if !with_state {
            return groups.keys().map(|g| format!("{g}\n")).collect();
        }
        let width = column_width(groups.keys().map(|g| g.as_str()), 15);
        let mut out = format!("{} STATE\n", pad("GROUP", width));
        for (id, g) in groups {
            out.push_str(&format!("{} {}\n", pad(id, width), g.state().name()));
        }
        out
    }

    fn describe_share_group(&self, id: &str, p: &args::Parsed) -> String {
        let state = self.timeline.state();
        let Some(group) = state.share.groups.get(id) else {
            return share_group_not_found(id);
        };
        let verbose = p.has("verbose");
        let group_w = id.chars().count().max(15);
        if p.has("members") {
            let rows = share_member_rows(state, id);
            if rows.is_empty() {
                return no_active_members(id);
            }
            let id_w = column_width(rows.iter().map(|r| r.member_id.as_str()), 15);
            let host_w = column_width(rows.iter().map(|r| r.host.as_str()), 15);
            let client_w = column_width(rows.iter().map(|r| r.client_id.as_str()), 15);
            let line = |cells: [&str; 7]| {
                let mut s = format!(
                    "\n{} {} {} {} {} ",
                    pad(cells[0], group_w),
                    pad(cells[1], id_w),
                    pad(cells[2], host_w),
                    pad(cells[3], client_w),
                    pad(cells[4], 12)
                );
                if verbose {
                    s.push_str(&format!("{} ", pad(cells[5], 13)));
                }
                s.push_str(cells[6]);
                s
            };
            let mut out = line([
                "GROUP",
                "CONSUMER-ID",
                "HOST",
                "CLIENT-ID",
                "#PARTITIONS",
                "MEMBER-EPOCH",
                "ASSIGNMENT",
            ]);
            for r in &rows {
                out.push_str(&line([
                    id,
                    &r.member_id,
                    &r.host,
                    &r.client_id,
                    &r.partitions.to_string(),
                    &r.member_epoch.to_string(),
                    &r.assignment,
                ]));
            }
            out.push('\n');
            return out;
        }
        if p.has("state") {
            let mut out = String::new();
            if group.members.is_empty() {
                out.push_str(&no_active_members(id));
            }
            let coordinator = super::groups::coordinator_cell(self.timeline.state(), id);
            let c_w = coordinator.chars().count().max(25);
            let members = group.members.len().to_string();
            if verbose {
                let row = |a: &str, b: &str, c: &str, d: &str, e: &str, f: &str| {
                    format!(
                        "\n{} {} {} {} {} {f}",
                        pad(a, group_w),
                        pad(b, c_w),
                        pad(c, 15),
                        pad(d, 12),
                        pad(e, 17)
                    )
                };
                out.push_str(&row(
                    "GROUP",
                    "COORDINATOR (ID)",
                    "STATE",
                    "GROUP-EPOCH",
                    "ASSIGNMENT-EPOCH",
                    "#MEMBERS",
                ));
                out.push_str(&row(
                    id,
                    &coordinator,
                    group.state().name(),
                    &group.group_epoch.to_string(),
                    &group.assignment_epoch.to_string(),
                    &members,
                ));
            } else {
                let row = |a: &str, b: &str, c: &str, d: &str| {
                    format!("\n{} {} {} {d}", pad(a, group_w), pad(b, c_w), pad(c, 15))
                };
                out.push_str(&row("GROUP", "COORDINATOR (ID)", "STATE", "#MEMBERS"));
                out.push_str(&row(id, &coordinator, group.state().name(), &members));
            }
            out.push('\n');
            return out;
        }
        let rows = share_offset_rows(state, id);
        if rows.is_empty() {
            return format!("\nShare group '{id}' has no offset information.\n");
        }
        let topic_w = column_width(rows.iter().map(|r| r.partition.topic.as_str()), 15);
        let dash = || "-".to_string();
        let line = |cells: [&str; 6]| {
            let mut s = format!(
                "\n{} {} {} ",
                pad(cells[0], group_w),
                pad(cells[1], topic_w),
                pad(cells[2], 10)
            );
            if verbose {
                s.push_str(&format!("{} ", pad(cells[3], 13)));
            }
            s.push_str(&format!("{} {}", pad(cells[4], 13), cells[5]));
            s
        };
        let mut out = line([
            "GROUP",
            "TOPIC",
            "PARTITION",
            "LEADER-EPOCH",
            "START-OFFSET",
            "LAG",
        ]);
        for r in &rows {
            out.push_str(&line([
                id,
                &r.partition.topic,
                &r.partition.partition.to_string(),
                &r.start_offset.map_or_else(dash, |_| "0".to_string()),
                &r.start_offset.map_or_else(dash, |o| o.to_string()),
                &r.lag.map_or_else(dash, |l| l.to_string()),
            ]));
        }
        out.push('\n');
        out
    }

    fn delete_share_groups(&mut self, commands: Vec<Command>) -> String {
        let mut deleted = Vec::new();
        let mut failed = Vec::new();
        for command in commands {
            let Command::Share(ShareCommand::DeleteGroup { group }) = &command else {
                continue;
            };
            let group = group.clone();
            let known = self
                .timeline
                .state()
                .share
                .groups
                .get(&group)
                .map(|g| g.members.is_empty());
            match known {
                None => failed.push(format!(
                    "* Group '{group}' could not be deleted due to: org.apache.kafka.common.errors.GroupIdNotFoundException: Group '{group}' is not a share group."
                )),
                Some(false) => failed.push(format!(
                    "* Group '{group}' could not be deleted due to: org.apache.kafka.common.errors.GroupNotEmptyException: Share group '{group}' is not EMPTY."
                )),
                Some(true) => {
                    if self.apply_checked(command).is_ok() {
                        deleted.push(format!("'{group}'"));
                    }
                }
            }
        }
        if failed.is_empty() {
            return format!(
                "Deletion of requested share groups ({}) was successful.\n",
                deleted.join(", ")
            );
        }
        let mut out = "\nError: Deletion of some share groups failed:\n".to_string();
        for f in failed {
            out.push_str(&f);
            out.push('\n');
        }
        if !deleted.is_empty() {
            out.push_str(&format!(
                "\nThese share groups were deleted successfully: {}\n",
                deleted.join(", ")
            ));
        }
        out
    }

    /// `kafka-console-share-consumer --topic t [--group g] --max-messages N`: joins the
    /// share group, prints the values it acquired (up to N), acknowledges them and closes.
    pub(super) fn kafka_console_share_consumer(&mut self, words: &[String]) -> String {
        let command = match console_share_command(words) {
            Ok(c) => c,
            Err(text) => return text,
        };
        // Kafka 4.4.0 warns about --consumer-property before anything else.
        let deprecated = words
            .iter()
            .any(|w| w == "--consumer-property" || w.starts_with("--consumer-property="));
        let events = match self.apply_checked(command) {
            Ok(events) => events,
            Err(rejection) => return format!("Error: {}\n", rejection.reason),
        };
        let state = self.timeline.state();
        let mut out = String::new();
        if deprecated {
            out.push_str("Option --consumer-property is deprecated and will be removed in a future version. Use --command-property instead.\n");
        }
        let mut printed = 0u64;
        let mut acked = std::collections::BTreeSet::new();
        for event in &events {
            if let Some(crate::engine::share_group::ShareEvent::RecordsAcknowledged {
                partition,
                acks,
                ..
            }) = event.share()
            {
                for (offset, ack) in acks {
                    if *ack != crate::engine::share_partition::AckType::Release {
                        acked.insert((partition.clone(), *offset));
                    }
                }
            }
        }
        for event in &events {
            if let Some(crate::engine::share_group::ShareEvent::RecordsAcquired {
                partition,
                records,
                ..
            }) = event.share()
            {
                for (offset, _) in records {
                    if !acked.contains(&(partition.clone(), *offset)) {
                        continue;
                    }
                    let value = state
                        .partition_log(partition)
                        .and_then(|log| log.read(*offset, 1).ok())
                        .and_then(|records| {
                            records
                                .first()
                                .map(|r| r.value.clone().unwrap_or_else(|| "null".into()))
                        })
                        .unwrap_or_default();
                    out.push_str(&value);
                    out.push('\n');
                    printed += 1;
                }
            }
        }
        out.push_str(&format!("Processed a total of {printed} messages\n"));
        out
    }

    /// `share-consumer start|stop|crash`.
    pub(super) fn share_consumer_command(&mut self, words: &[String]) -> String {
        match share_consumer_parse(words) {
            Ok(command) => match self.apply_checked(command) {
                Ok(events) => sim::narrate(&events, false),
                Err(rejection) => format!("Error: {}\n", rejection.reason),
            },
            Err(text) => text,
        }
    }

    /// `kafka-configs --entity-type groups`.
    pub(super) fn group_configs(&mut self, p: &args::Parsed) -> String {
        let Some(group) = p.value("entity-name").map(str::to_string) else {
            return "An entity name must be specified with --describe of groups\n".into();
        };
        if p.has("describe") {
            let state = self.timeline.state();
            let overrides = state.share.configs.get(&group);
            if p.has("all") {
                let mut out = format!("All configs for group {group} are:\n");
                for def in GROUP_CONFIGS {
                    let default_synonym = format!("DEFAULT_CONFIG:{}={}", def.synonym, def.default);
                    match overrides.and_then(|o| o.get(def.name)) {
                        Some(v) => out.push_str(&format!(
                            "  {}={v} sensitive=false synonyms={{DYNAMIC_GROUP_CONFIG:{}={v}, {default_synonym}}}\n",
                            def.name, def.name
                        )),
                        None => out.push_str(&format!(
                            "  {}={} sensitive=false synonyms={{{default_synonym}}}\n",
                            def.name, def.default
                        )),
                    }
                }
                return out;
            }
            let mut out = format!("Dynamic configs for group {group} are:\n");
            for (k, v) in overrides.into_iter().flatten() {
                let default = group_config_def(k).map_or(String::new(), |d| {
                    format!(", DEFAULT_CONFIG:{}={}", d.synonym, d.default)
                });
                out.push_str(&format!(
                    "  {k}={v} sensitive=false synonyms={{DYNAMIC_GROUP_CONFIG:{k}={v}{default}}}\n"
                ));
            }
            return out;
        }
        let command = match group_configs_command(p) {
            Ok(Some(c)) => c,
            Ok(None) => return String::new(),
            Err(text) => return text,
        };
        match self.apply_checked(command) {
            Ok(_) => format!("Completed updating config for group {group}.\n"),
            Err(rejection) => format!(
                "Error while executing config command with args '{}'\norg.apache.kafka.common.errors.InvalidConfigurationException: {}\n",
                p.opts.iter().map(|(k, v)| match v { Some(v) => format!("--{k} {v}"), None => format!("--{k}") }).collect::<Vec<_>>().join(" "),
                rejection.reason
            ),
        }
    }
}

/// What `--reset-offsets` and `--delete-offsets` print from their events.
fn share_result(events: &[Event]) -> String {
    use crate::engine::share_group::ShareEvent;
    let mut out = String::new();
    for event in events {
        match event.share() {
            Some(ShareEvent::OffsetsReset { group, offsets, .. }) => {
                let group_w = group.chars().count().max(15);
                let topic_w = column_width(offsets.iter().map(|(tp, _)| tp.topic.as_str()), 15);
                let row = |a: &str, b: &str, c: &str, d: &str| {
                    format!(
                        "\n{} {} {} {d}",
                        pad(a, group_w),
                        pad(b, topic_w),
                        pad(c, 10)
                    )
                };
                out.push_str(&row("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"));
                for (tp, o) in offsets {
                    out.push_str(&row(
                        group,
                        &tp.topic,
                        &tp.partition.to_string(),
                        &o.to_string(),
                    ));
                }
                out.push('\n');
            }
            Some(ShareEvent::OffsetsDeleted { topics, .. }) => {
                let mut sorted = topics.clone();
                crate::sort::sort(&mut sorted);
                let topic_w = column_width(sorted.iter().map(|(t, _)| t.as_str()), 15);
                out.push_str(&format!("\n{} STATUS", pad("TOPIC", topic_w)));
                for (t, ok) in sorted {
                    let status = if ok {
                        "Successful".to_string()
                    } else {
                        "Error: This server does not host this topic-partition.".to_string()
                    };
                    out.push_str(&format!("\n{} {status}", pad(&t, topic_w)));
                }
                out.push('\n');
            }
            _ => {}
        }
    }
    out
}

/// The command of a `kafka-console-share-consumer` line.
pub(super) fn console_share_command(words: &[String]) -> Result<Command, String> {
    let p = args::parse(words, &CONSOLE_SHARE_OPTIONS)
        .map_err(|e| format!("{}\n", args::jopt_error(&e).0))?;
    let Some(topic) = p.value("topic") else {
        return Err("Missing required argument \"[topic]\"\n".into());
    };
    let Some(max) = p.value("max-messages") else {
        return Err("The simulator's kafka-console-share-consumer needs --max-messages N (a share consumer that keeps running: share-consumer start).\n".into());
    };
    let max = max
        .trim()
        .parse::<u64>()
        .map_err(|_| format!("Invalid value for --max-messages: {max}\n"))?;
    if p.has("consumer-property") && p.has("command-property") {
        return Err(
            "Options --consumer-property and --command-property cannot be specified together.\n"
                .into(),
        );
    }
    // ConsoleShareConsumer puts share.acknowledgement.mode=explicit over whatever the
    // properties say (it acknowledges each record it prints), so the mode given has no
    // effect, not even a value the consumer would refuse.
    Ok(Command::Share(ShareCommand::StartConsumer {
        client_id: CONSOLE_SHARE_CLIENT.to_string(),
        group: p.value("group").unwrap_or(CONSOLE_SHARE_GROUP).to_string(),
        topic: topic.to_string(),
        millirecords_per_second: CONSOLE_RATE,
        release_per_mille: 0,
        reject_per_mille: 0,
        max_messages: Some(max),
        acknowledgement_mode: AcknowledgementMode::Explicit,
    }))
}

pub(super) const SHARE_CONSUMER_OPTIONS: [OptSpec; 6] = [
    value("group"),
    value("topic"),
    value("rate"),
    value("fail-rate"),
    value("reject-rate"),
    value("config"),
];

const SHARE_CONSUMER_USAGE: &str = "Usage: share-consumer start <name> --group <g> --topic <t> [--rate R] [--config share.acknowledgement.mode=implicit|explicit] [--fail-rate F] [--reject-rate F] | share-consumer set <name> rate=R|fail-rate=F|reject-rate=F | share-consumer stop|crash <name>\n";

/// The `--config key=value` settings of `share-consumer start`: only
/// `share.acknowledgement.mode`, checked as the consumer's constructor checks it.
fn share_consumer_configs(configs: &[&str]) -> Result<AcknowledgementMode, String> {
    let mut mode = AcknowledgementMode::default();
    for kv in configs {
        let Some((key, value)) = kv.split_once('=') else {
            return Err(format!("--config takes key=value, not {kv}\n"));
        };
        if key.trim() != ACKNOWLEDGEMENT_MODE {
            return Err(format!(
                "The simulator's share consumer takes --config {ACKNOWLEDGEMENT_MODE}=implicit|explicit only, not {}\n",
                key.trim()
            ));
        }
        mode = AcknowledgementMode::parse(value)
            .map_err(|e| format!("Error: org.apache.kafka.common.config.ConfigException: {e}\n"))?;
    }
    Ok(mode)
}

/// A fraction between 0 and 1 in thousandths.
fn per_mille(text: &str, name: &str) -> Result<u32, String> {
    match parse_thousandths(text) {
        Some(v) if v <= 1_000 => Ok(v as u32),
        _ => Err(format!(
            "--{name} is a fraction between 0 and 1, not {text}\n"
        )),
    }
}

/// The command of a `share-consumer` line.
pub(super) fn share_consumer_parse(words: &[String]) -> Result<Command, String> {
    let Some((sub, rest)) = words.split_first() else {
        return Err(SHARE_CONSUMER_USAGE.into());
    };
    let p = args::parse(rest, &SHARE_CONSUMER_OPTIONS).map_err(|e| format!("{e}\n"))?;
    let Some(name) = p.positional.first().cloned() else {
        return Err(SHARE_CONSUMER_USAGE.into());
    };
    match sub.as_str() {
        "start" => {
            let (Some(group), Some(topic)) = (p.value("group"), p.value("topic")) else {
                return Err(SHARE_CONSUMER_USAGE.into());
            };
            let rate = match p.value("rate") {
                Some(r) => match parse_thousandths(r) {
                    Some(v) if v > 0 => v,
                    _ => {
                        return Err(format!(
                            "--rate is records per second, more than 0, not {r}\n"
                        ))
                    }
                },
                None => 20_000,
            };
            let release = p
                .value("fail-rate")
                .map_or(Ok(0), |v| per_mille(v, "fail-rate"))?;
            let reject = p
                .value("reject-rate")
                .map_or(Ok(0), |v| per_mille(v, "reject-rate"))?;
            let acknowledgement_mode = share_consumer_configs(&p.values("config"))?;
            Ok(Command::Share(ShareCommand::StartConsumer {
                client_id: name,
                group: group.to_string(),
                topic: topic.to_string(),
                millirecords_per_second: rate,
                release_per_mille: release,
                reject_per_mille: reject,
                max_messages: None,
                acknowledgement_mode,
            }))
        }
        "set" => {
            let [_, pair] = p.positional.as_slice() else {
                return Err(SHARE_CONSUMER_USAGE.into());
            };
            let Some((key, value)) = pair.split_once('=') else {
                return Err(format!("share-consumer set takes key=value, not {pair}\n"));
            };
            Ok(Command::Share(ShareCommand::SetConsumer {
                client_id: name,
                key: key.trim().to_string(),
                value: value.trim().to_string(),
            }))
        }
        "stop" => Ok(Command::Share(ShareCommand::StopConsumer {
            client_id: name,
        })),
        "crash" => Ok(Command::Share(ShareCommand::CrashConsumer {
            client_id: name,
        })),
        _ => Err(SHARE_CONSUMER_USAGE.into()),
    }
}
