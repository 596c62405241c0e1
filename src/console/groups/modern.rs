//! `kafka-consumer-groups --describe` for consumer-protocol (KIP-848) groups, as Kafka 4.4.0's
//! ConsumerGroupCommand prints them from `describeConsumerGroups`: the offsets view from each
//! member's current assignment, `--members [--verbose]` with the member epoch, the current and
//! target assignments and the group's target assignment epoch, `--state [--verbose]` with the
//! server assignor, the group epoch and the target assignment epoch.

use super::super::Console;
use super::*;
use crate::engine::consumer_group::ModernGroupState;
use crate::engine::modern::{ModernGroupInfo, ModernMemberView};
use crate::engine::TopicPartition;

/// `shouldPrintMemberState` for a consumer group's state: the notice, and whether the table
/// follows.
fn notice(state: ModernGroupState, id: &str, rows: usize) -> (String, bool) {
    let text = match state {
        ModernGroupState::Empty => format!("\nConsumer group '{id}' has no active members.\n"),
        ModernGroupState::Assigning | ModernGroupState::Reconciling => {
            format!("\nWarning: Consumer group '{id}' is rebalancing.\n")
        }
        ModernGroupState::Stable => String::new(),
    };
    (text, rows > 0)
}

impl Console {
    /// The consumer-protocol side of a group the cluster knows, if it has one.
    fn modern_group(&self, id: &str) -> Option<&ModernGroupInfo> {
        self.timeline.state().groups.get(id)?.modern.as_ref()
    }

    /// The offsets view of a consumer group; `None` for a classic (or unknown) group.
    pub(super) fn describe_modern_offsets(&self, id: &str, verbose: bool) -> Option<String> {
        let info = self.modern_group(id)?;
        let state = self.timeline.state();
        let group = state.groups.get(id)?;
        let mut members: Vec<ModernMemberView> = info
            .member_views(&state.topics)
            .into_iter()
            .filter(|m| !m.assignment.is_empty())
            .collect();
        crate::sort::sort_by_key(&mut members, |m| std::cmp::Reverse(m.assignment.len()));
        let dash = || "-".to_string();
        // (topic, partition, current, log end, lag, consumer, host, client, leader epoch)
        let mut rows: Vec<[String; 9]> = Vec::new();
        let mut owned: Vec<&TopicPartition> = Vec::new();
        let row = |tp: &TopicPartition, who: Option<&ModernMemberView>| {
            let committed = group.committed.get(tp).map(|c| c.offset);
            let log_end = state.partition_log(tp).map(|l| l.high_watermark());
            [
                tp.topic.clone(),
                tp.partition.to_string(),
                committed.map_or_else(dash, |o| o.to_string()),
                log_end.map_or_else(dash, |o| o.to_string()),
                committed
                    .zip(log_end)
                    .map_or_else(dash, |(c, e)| (e - c).to_string()),
                who.map_or_else(dash, |m| m.member_id.clone()),
                who.map_or_else(dash, |m| m.host.clone()),
                who.map_or_else(dash, |m| m.client_id.clone()),
                if committed.is_some() {
                    "0".into()
                } else {
                    dash()
                },
            ]
        };
        for m in &members {
            for tp in &m.assignment {
                rows.push(row(tp, Some(m)));
                owned.push(tp);
            }
        }
        for tp in group.committed.keys().filter(|tp| !owned.contains(tp)) {
            rows.push(row(tp, None));
        }
        let (mut out, show) = notice(info.state(), id, rows.len());
        if !show {
            return Some(out);
        }
        let width = |i: usize| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
                .max(15)
        };
        let widths = [
            id.chars().count().max(15),
            width(0),
            10,
            15,
            15,
            15,
            15,
            width(5),
            width(6),
        ];
        let line = |cells: [&str; 10]| super::describe::offsets_line(&widths, verbose, cells);
        out.push_str(&line(super::describe::OFFSETS_HEADER));
        for r in &rows {
            out.push_str(&line([
                id, &r[0], &r[1], &r[8], &r[2], &r[3], &r[4], &r[5], &r[6], &r[7],
            ]));
        }
        out.push('\n');
        Some(out)
    }

    /// `--members [--verbose]` of a consumer group; `None` for a classic (or unknown) group.
    pub(super) fn describe_modern_members(&self, id: &str, verbose: bool) -> Option<String> {
        let info = self.modern_group(id)?;
        let state = self.timeline.state();
        let members = info.member_views(&state.topics);
        let (mut out, show) = notice(info.state(), id, members.len());
        let target_epoch = info.core.target_epoch.to_string();
        let (mut g_w, mut c_w, mut i_w, mut h_w, mut cl_w, mut ca_w, mut ta_w) =
            (15, 15, 17, 15, 15, 20, 20);
        let mut with_instance = false;
        if show {
            for m in &members {
                g_w = g_w.max(id.chars().count());
                c_w = c_w.max(m.member_id.chars().count());
                let instance = m.instance_id.as_deref().unwrap_or("");
                i_w = i_w.max(instance.chars().count());
                with_instance |= !instance.is_empty();
                h_w = h_w.max(m.host.chars().count());
                cl_w = cl_w.max(m.client_id.chars().count());
                ca_w = ca_w.max(assignment_string(&m.assignment).chars().count());
                ta_w = ta_w.max(assignment_string(&m.target).chars().count());
            }
        }
        let row = |cells: [&str; 6]| {
            let mut text = format!("{} {} ", pad(cells[0], g_w), pad(cells[1], c_w));
            if with_instance {
                text.push_str(&pad(cells[2], i_w));
                text.push(' ');
            }
            text.push_str(&format!(
                "{} {} {} ",
                pad(cells[3], h_w),
                pad(cells[4], cl_w),
                pad(cells[5], 15)
            ));
            text
        };
        let verbose_cells = |cells: [&str; 4]| {
            format!(
                "{} {} {} {}",
                pad(cells[0], 15),
                pad(cells[1], ca_w),
                pad(cells[2], 15),
                pad(cells[3], ta_w)
            )
        };
        // UPGRADED (true for a consumer-protocol member, false for a classic one) only when
        // the group has members of both protocols (`ConsumerGroupCommand.printMembers`).
        let mixed = members.iter().any(|m| m.classic) && members.iter().any(|m| !m.classic);
        out.push('\n');
        out.push_str(&row([
            "GROUP",
            "CONSUMER-ID",
            "GROUP-INSTANCE-ID",
            "HOST",
            "CLIENT-ID",
            "#PARTITIONS",
        ]));
        if verbose {
            out.push_str(&verbose_cells([
                "CURRENT-EPOCH",
                "CURRENT-ASSIGNMENT",
                "TARGET-EPOCH",
                "TARGET-ASSIGNMENT",
            ]));
            if mixed {
                out.push_str(" UPGRADED");
            }
        }
        out.push('\n');
        for m in &members {
            out.push_str(&row([
                id,
                &m.member_id,
                m.instance_id.as_deref().unwrap_or(""),
                &m.host,
                &m.client_id,
                &m.assignment.len().to_string(),
            ]));
            if verbose {
                out.push_str(&verbose_cells([
                    &m.member_epoch.to_string(),
                    &assignment_string(&m.assignment),
                    &target_epoch,
                    &assignment_string(&m.target),
                ]));
                if mixed {
                    out.push_str(if m.classic { " false" } else { " true" });
                }
            }
            out.push('\n');
        }
        Some(out)
    }

    /// `--state [--verbose]` of a consumer group; `None` for a classic (or unknown) group.
    pub(super) fn describe_modern_state(&self, id: &str, verbose: bool) -> Option<String> {
        let info = self.modern_group(id)?;
        let (mut out, _) = notice(info.state(), id, 1);
        let g_w = id.chars().count().max(15);
        let coordinator = coordinator_cell(self.timeline.state(), id);
        let c_w = coordinator.chars().count().max(25);
        let line = |cells: [&str; 7]| {
            if verbose {
                format!(
                    "\n{} {} {} {} {} {} {}",
                    pad(cells[0], g_w),
                    pad(cells[1], c_w),
                    pad(cells[2], 20),
                    pad(cells[3], 20),
                    pad(cells[4], 15),
                    pad(cells[5], 25),
                    cells[6]
                )
            } else {
                format!(
                    "\n{} {} {} {} {}",
                    pad(cells[0], g_w),
                    pad(cells[1], c_w),
                    pad(cells[2], 20),
                    pad(cells[3], 20),
                    cells[6]
                )
            }
        };
        out.push_str(&line([
            "GROUP",
            "COORDINATOR (ID)",
            "ASSIGNMENT-STRATEGY",
            "STATE",
            "GROUP-EPOCH",
            "TARGET-ASSIGNMENT-EPOCH",
            "#MEMBERS",
        ]));
        out.push_str(&line([
            id,
            &coordinator,
            info.core.assignor.name(),
            info.state().name(),
            &info.core.group_epoch.to_string(),
            &info.core.target_epoch.to_string(),
            &info.core.members.len().to_string(),
        ]));
        out.push('\n');
        Some(out)
    }
}
