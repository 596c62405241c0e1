//! `kafka-consumer-groups --describe`: the offsets view, `--members [--verbose]` and
//! `--state`, with the tool's notices for an empty, rebalancing or unknown group.

use super::super::Console;
use super::*;
use crate::engine::{Group, GroupState, TopicPartition};

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

    pub(super) fn describe_offsets(&self, id: &str, verbose: bool) -> String {
        if let Some(out) = self.describe_modern_offsets(id, verbose) {
            return out;
        }
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
        let line = |cells: [&str; 10]| offsets_line(&widths, verbose, cells);
        out.push_str(&line(OFFSETS_HEADER));
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

    pub(super) fn describe_members(&self, id: &str, verbose: bool) -> String {
        if let Some(out) = self.describe_modern_members(id, verbose) {
            return out;
        }
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

    pub(super) fn describe_state(&self, id: &str, verbose: bool) -> String {
        if let Some(out) = self.describe_modern_state(id, verbose) {
            return out;
        }
        let state = self.timeline.state();
        let group = state.groups.get(id);
        let (mut out, show) = self.member_state_notice(group, id, 1);
        let Some(g) = group.filter(|_| show) else {
            return out;
        };
        let g_w = id.chars().count().max(15);
        let coordinator = coordinator_cell(state, id);
        let c_w = coordinator.chars().count().max(25);
        // While the members join, the protocol is not chosen yet: the tool prints `-` (seen
        // on Kafka 4.4 in a group PreparingRebalance after a stable generation).
        let strategy = if g.state == GroupState::PreparingRebalance {
            "-"
        } else {
            g.protocol.map_or("-", |s| s.name())
        };
        // `--verbose` adds the consumer protocol's epochs, which a classic group lacks.
        let line = |a: &str, b: &str, c: &str, d: &str, e: &str| {
            let epochs = if verbose {
                let (group_epoch, target_epoch) = if a == "GROUP" {
                    ("GROUP-EPOCH", "TARGET-ASSIGNMENT-EPOCH")
                } else {
                    ("-", "-")
                };
                format!("{} {} ", pad(group_epoch, 15), pad(target_epoch, 25))
            } else {
                String::new()
            };
            format!(
                "\n{} {} {} {} {epochs}{e}",
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
            &coordinator,
            strategy,
            g.state.name(),
            &g.members.len().to_string(),
        ));
        out.push('\n');
        out
    }
}

/// `orders:0,1,2;payments:0`, topics sorted; `-` when empty.
pub(in crate::console) fn assignment_string(assignment: &[TopicPartition]) -> String {
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

/// The columns of the offsets view of `--describe` (the verbose view adds LEADER-EPOCH).
pub(super) const OFFSETS_HEADER: [&str; 10] = [
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
];

/// One line of the offsets view: every column but the last padded to its width, the leader
/// epoch (column 3) only in the verbose view; the line starts with its newline.
pub(super) fn offsets_line(widths: &[usize; 9], verbose: bool, cells: [&str; 10]) -> String {
    let mut text = String::new();
    for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
        if i == 3 && !verbose {
            continue;
        }
        text.push(if text.is_empty() { '\n' } else { ' ' });
        text.push_str(&pad(cell, *w));
    }
    text.push(' ');
    text.push_str(cells[9]);
    text
}
