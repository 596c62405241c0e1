//! The console producer's retries, as Kafka 4.4.0's `ConsoleProducer` configures them: its
//! `--message-send-max-retries` (default 3) and `--retry-backoff-ms` (default 100) become
//! `retries` and `retry.backoff.ms` unless a `--producer-property` sets them; a record the
//! leader cannot take waits silently (the tool prints nothing until a send fails); a
//! failure prints `ErrorLoggingCallback`'s ERROR; end of input closes the producer, which
//! (`KafkaProducer.close()`) waits until every waiting record has landed or failed, so the
//! simulated clock runs on until then.

use super::clients::CONSOLE_PRODUCER;
use super::Console;
use crate::engine::txn::config::ProducerConfigs;
use crate::engine::{limits, Command, Event};

/// The producer properties the simulator's console producer passes on.
const PASSED_ON: [&str; 6] = [
    "retries",
    "retry.backoff.ms",
    "retry.backoff.max.ms",
    "delivery.timeout.ms",
    "request.timeout.ms",
    "linger.ms",
];

/// The configs a console producer run gives its producer: the tool's own defaults for
/// `retries` and `retry.backoff.ms`, its options, then the `--producer-property` settings
/// it knows; or the `ConfigException` the client would throw.
pub(super) fn console_producer_configs(
    max_retries: Option<&str>,
    retry_backoff_ms: Option<&str>,
    properties: &[&str],
) -> Result<Vec<(String, String)>, String> {
    let mut configs: Vec<(String, String)> = Vec::new();
    let mut put = |k: &str, v: &str| {
        configs.retain(|(key, _)| key != k);
        configs.push((k.to_string(), v.to_string()));
    };
    let user_sets = |key: &str| {
        properties
            .iter()
            .any(|p| p.split_once('=').is_some_and(|(k, _)| k.trim() == key))
    };
    // CommandLineUtils.maybeMergeOptions: the option (or its default) unless a property
    // sets the key and the option is not given.
    if max_retries.is_some() || !user_sets("retries") {
        put("retries", max_retries.unwrap_or("3"));
    }
    if retry_backoff_ms.is_some() || !user_sets("retry.backoff.ms") {
        put("retry.backoff.ms", retry_backoff_ms.unwrap_or("100"));
    }
    for prop in properties {
        if let Some((k, v)) = prop.split_once('=') {
            let k = k.trim();
            let option_wins = (k == "retries" && max_retries.is_some())
                || (k == "retry.backoff.ms" && retry_backoff_ms.is_some());
            if PASSED_ON.contains(&k) && !option_wins {
                put(k, v);
            }
        }
    }
    // Lower bounds first, so `delivery.timeout.ms` is checked against the request timeout
    // and linger this run sets (the client checks them together).
    let rank = |k: &str| match k {
        "linger.ms" | "request.timeout.ms" => 0,
        "delivery.timeout.ms" => 1,
        _ => 2,
    };
    configs.sort_by_key(|(k, _)| rank(k));
    let mut check = ProducerConfigs::default();
    for (k, v) in &configs {
        check
            .set(k, v)
            .map_err(|why| format!("org.apache.kafka.common.config.ConfigException: {why}\n"))?;
    }
    Ok(configs)
}

impl Console {
    /// Gives the console producer its configs before its first record of this run (making
    /// it, as its first record would): only what differs from what it has.
    pub(super) fn give_console_producer_configs(&mut self, configs: &[(String, String)]) {
        if configs.is_empty() {
            return;
        }
        if !self
            .timeline
            .state()
            .producers
            .contains_key(CONSOLE_PRODUCER)
        {
            let _ = self.apply_checked(Command::AddProducer {
                name: CONSOLE_PRODUCER.into(),
                null_key: crate::engine::partitioner::NullKeyStrategy::Sticky,
            });
        }
        for (key, value) in configs {
            let Some(current) = self.timeline.state().producers.get(CONSOLE_PRODUCER) else {
                return;
            };
            let mut next = current.txn.configs.clone();
            if next.set(key, value).is_err() || next == current.txn.configs {
                continue;
            }
            let _ = self.apply_checked(Command::SetProducerConfig {
                producer: CONSOLE_PRODUCER.into(),
                key: key.clone(),
                value: value.clone(),
            });
        }
    }

    /// The ERROR lines `ErrorLoggingCallback` prints for the console producer's records
    /// that failed among `events`, for the console's background output.
    pub(super) fn collect_producer_failures(&mut self, events: &[Event]) {
        for event in events {
            if let Event::RecordFailed {
                producer,
                partition,
                key_bytes,
                value_bytes,
                error,
            } = event
            {
                if producer != CONSOLE_PRODUCER {
                    continue;
                }
                let key_text = key_bytes.map_or("null".to_string(), |k| format!("{k} bytes"));
                self.background.push(format!(
                    "ERROR Error when sending message to topic {} with key: {key_text}, value: {value_bytes} bytes with error: (org.apache.kafka.clients.producer.internals.ErrorLoggingCallback)\n{error}",
                    partition.topic
                ));
            }
        }
    }

    /// `KafkaProducer.close()` at the end of input: the clock runs until the console
    /// producer has no record waiting (each lands or fails within its delivery timeout).
    pub(super) fn close_console_producer(&mut self) {
        let waiting = |console: &Console| {
            console
                .timeline
                .state()
                .producers
                .get(CONSOLE_PRODUCER)
                .is_some_and(|p| !p.waiting.is_empty())
        };
        let mut ticks = 0_u64;
        while waiting(self) && ticks < limits::MAX_TICKS_PER_ADVANCE {
            self.apply(Command::Advance { ticks: 1 });
            ticks += 1;
        }
    }
}
