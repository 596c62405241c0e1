//! What a producer's waiting records look like to a class (`engine::cluster::retry`): how
//! many wait, the most attempts any has had, the time left until the first one's
//! `delivery.timeout.ms` expires, and why they wait. Computed here once; the diagram and the
//! inspector only format it.

use crate::engine::Engine;

/// A producer's records waiting to be retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub count: usize,
    /// The most produce requests any of them has been refused.
    pub attempts: u32,
    /// Until the oldest one's delivery timeout expires.
    pub time_left_ms: i64,
    /// The first one's reason (Kafka's error code).
    pub reason: &'static str,
}

impl Waiting {
    /// `2 waiting · 117 s left`, the diagram's line.
    pub fn short_text(&self) -> String {
        format!(
            "{} waiting · {} s left",
            self.count,
            (self.time_left_ms + 999) / 1_000
        )
    }

    /// The sentence for a tooltip or the inspector.
    pub fn long_text(&self) -> String {
        format!(
            "{} record(s) waiting to be retried ({}), {} attempt(s) so far; delivery.timeout.ms expires the first in {} ms",
            self.count, self.reason, self.attempts, self.time_left_ms
        )
    }
}

/// The waiting records of `producer`, or `None` when none waits.
pub fn waiting(engine: &Engine, producer: &str) -> Option<Waiting> {
    let p = engine.producers.get(producer)?;
    let first = p.waiting.first()?;
    let timeout = p.txn.configs.delivery_timeout().unwrap_or(120_000);
    let now = engine.now_ms();
    Some(Waiting {
        count: p.waiting.len(),
        attempts: p.waiting.iter().map(|w| w.attempts).max().unwrap_or(0),
        time_left_ms: p
            .waiting
            .iter()
            .map(|w| w.time_left_ms(now, timeout))
            .min()
            .unwrap_or(0),
        reason: first.reason.label(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Console;

    #[test]
    fn a_producer_blocked_by_min_isr_shows_its_waiting_records_then_none() {
        let mut console = Console::new(5);
        console.run_script(
            "broker add\nbroker add\n\
kafka-topics --create --topic t --replica-assignment 1:2:3 --config min.insync.replicas=2\n\
broker stop 3\nbroker stop 2\nproduce t a b --producer p\nclock advance 2s\n",
        );
        let w = waiting(console.timeline().state(), "p").expect("waiting");
        assert_eq!(w.count, 2);
        assert_eq!(w.reason, "NOT_ENOUGH_REPLICAS");
        assert!(w.attempts >= 5, "{w:?}");
        assert_eq!(w.time_left_ms, 118_000);
        assert_eq!(w.short_text(), "2 waiting · 118 s left");
        console.run_script("broker start 2\nclock advance 3s\n");
        assert_eq!(waiting(console.timeline().state(), "p"), None);
    }
}

/// How long a waiting record is drawn landing on its lane, in ticks of simulated time (the
/// step shown keeps it however long it lasts).
pub const LANDING_TICKS: u64 = 20;

/// A waiting record that reached its partition recently (`WaitingRecordLanded`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Landing {
    pub producer: String,
    pub partition: crate::engine::TopicPartition,
    pub offset: i64,
    /// Its value (else its key) as the log holds it now, for the flight's label.
    pub name: String,
    pub attempts: u32,
    /// The step that landed it (a drawing's key: it flies once).
    pub step: usize,
}

/// The waiting records of the steps up to `cursor` that landed within `ticks` of its state,
/// and those of the step shown however long it took, oldest first.
pub fn landings(
    steps: &[crate::timeline::Step],
    cursor: usize,
    ticks: u64,
    engine: &Engine,
) -> Vec<Landing> {
    let mut found = Vec::new();
    for (i, step) in super::cluster::recent_steps(steps, cursor, ticks) {
        for event in step.events.iter().rev() {
            let crate::engine::Event::WaitingRecordLanded {
                producer,
                partition,
                offset,
                attempts,
                ..
            } = event
            else {
                continue;
            };
            let record = engine
                .partition_log(partition)
                .and_then(|log| log.record_at(*offset).cloned());
            let name = record
                .and_then(|r| r.value.or(r.key))
                .map_or_else(|| format!("offset {offset}"), |v| v.to_string());
            found.push(Landing {
                producer: producer.clone(),
                partition: partition.clone(),
                offset: *offset,
                name,
                attempts: *attempts,
                step: i,
            });
        }
    }
    found.reverse();
    found
}
