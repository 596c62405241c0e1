//! The consumer client: what a consumer does on a command (`commands.rs`: start, stop,
//! crash, restart, remove, configs, pause, seek, commit) and what each running consumer
//! does every tick (`tick.rs`: heartbeat, leave on poll timeout, process fetched records
//! at its own speed, poll, fetch, and the answers of the group coordinator). This file
//! keeps what both use.

mod commands;
mod tick;

use std::collections::VecDeque;

use super::consumer::{ClassicMembership, Consumer};
use super::event::Event;
use super::{Engine, Rejection, RejectionKind, TopicPartition};

impl Engine {
    fn running_consumer(&self, client_id: &str) -> Result<&Consumer, Rejection> {
        match self.consumers.get(client_id) {
            None => Err(Rejection::new(
                RejectionKind::Invalid,
                format!("Consumer {client_id} does not exist."),
            )),
            Some(c) if !c.is_running() => Err(Rejection::new(
                RejectionKind::Invalid,
                format!("Consumer {client_id} is not running."),
            )),
            Some(c) => Ok(c),
        }
    }

    /// Drops records fetched but not processed, with an event per partition.
    pub(in crate::engine) fn drop_in_flight(
        &mut self,
        client_id: &str,
        only: Option<&[TopicPartition]>,
    ) -> Vec<Event> {
        let Some(c) = self.consumers.get_mut(client_id) else {
            return Vec::new();
        };
        let mut events = Vec::new();
        let mut kept = VecDeque::new();
        for range in c.in_flight.drain(..) {
            if only.is_some_and(|o| !o.contains(&range.partition)) {
                kept.push_back(range);
                continue;
            }
            if let (Some(first), Some(last)) = (range.offsets.front(), range.offsets.back()) {
                events.push(Event::RecordsDropped {
                    client_id: client_id.to_string(),
                    partition: range.partition.clone(),
                    from_offset: *first,
                    to_offset: last + 1,
                });
            }
        }
        c.in_flight = kept;
        events
    }

    /// The current positions of the owned partitions, to commit.
    pub(in crate::engine) fn positions_to_commit(c: &Consumer) -> Vec<(TopicPartition, i64)> {
        c.assignment
            .iter()
            .filter_map(|tp| c.positions.get(tp).map(|o| (tp.clone(), *o)))
            .collect()
    }
}

/// Forgets membership, positions and fetched records (after close, loss or expiry); a
/// subscriber rejoins at its next poll.
fn reset_client_state(c: &mut Consumer) {
    c.membership = ClassicMembership::Unjoined;
    c.assignment = if c.is_subscriber() {
        Vec::new()
    } else {
        c.manual.clone()
    };
    c.positions.clear();
    c.in_flight.clear();
}
