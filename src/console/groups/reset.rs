//! `kafka-consumer-groups --reset-offsets`: the engine decides (`Engine::check_reset`
//! and the `ResetOffsets` command); this formats its answer as GroupOffsetsResetter prints it.

use super::super::args;
use super::super::Console;
use super::*;
use crate::engine::{Command, ResetRefusal, ResetScope, ResetSpec, TopicPartition};

impl Console {
    pub(super) fn reset_offsets(&mut self, p: &args::Parsed, groups: &[String]) -> String {
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
                Err(failure) => {
                    out.push_str(&failure.text);
                    if failure.goes_on {
                        // An active group: the tool goes on, its table lists none of it.
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

    /// Resets one group: the warnings to print and the new offsets, or the error text and
    /// whether the tool goes on with the next group.
    fn reset_one_group(
        &mut self,
        group: &str,
        scope: &ResetScope,
        spec: ResetSpec,
        execute: bool,
        now_ms: i64,
    ) -> Result<(String, Vec<(TopicPartition, i64)>), ResetFailure> {
        let state = self.timeline.state();
        let partitions = state.check_reset(group, scope, spec).map_err(|refusal| {
            let goes_on = matches!(refusal, ResetRefusal::GroupActive { .. });
            ResetFailure {
                text: refusal_text(&refusal),
                goes_on,
            }
        })?;
        let mut warnings = String::new();
        for tp in &partitions {
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
            .map_err(|reason| ResetFailure {
                text: error(&reason.reason),
                goes_on: false,
            })?;
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

/// A group the tool could not reset: what it prints, and whether it goes on with the next
/// group (it does after an active group, whose partitions its table then leaves out).
struct ResetFailure {
    text: String,
    goes_on: bool,
}

/// A refused reset as the tool prints it.
fn refusal_text(refusal: &ResetRefusal) -> String {
    let message = refusal.to_string();
    match refusal {
        ResetRefusal::GroupActive { .. } => error(&message),
        ResetRefusal::UnknownTopic | ResetRefusal::MissingPartitions(_) => failed_with(
            &format!("Executing consumer group command failed due to {message}"),
            &format!("org.apache.kafka.common.errors.UnknownTopicOrPartitionException: {message}"),
        ),
        ResetRefusal::NothingToShift(_) => format!("{message}\n"),
    }
}
