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
