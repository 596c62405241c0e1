//! The produce path in a cluster: whether the partition's leader takes a record now
//! (`acks`, `min.insync.replicas`, a leader to send to), and the producers' `acks`.
//!
//! A producer's `acks` lives in its configs (`Producer::txn`, where it also decides whether
//! idempotence is on); `producer acks` and the console producer's `--request-required-acks`
//! set it there. A setting made before the producer exists (the console producer is created
//! by its first record) waits in the cluster's `producer_acks` and is given to it then.

use super::Broker;
use crate::engine::event::Event;
use crate::engine::rejection::{Rejection, RejectionKind};
use crate::engine::replication::Acks;
use crate::engine::{Engine, Outcome};

impl Engine {
    /// Why the leader of `topic`-`partition` would not take a record from `producer` now, or
    /// `None` when it would (always `None` without a cluster). With no running leader the
    /// producer retries until `delivery.timeout.ms` and gives up; `acks=all` below
    /// `min.insync.replicas` is `NOT_ENOUGH_REPLICAS`, retried until the same timeout.
    pub(crate) fn cluster_refuses_produce(
        &self,
        topic: &str,
        partition: u32,
        producer: &str,
    ) -> Option<Rejection> {
        let cluster = self.cluster.as_ref()?;
        let rp = cluster.partitions.get(topic)?.get(partition as usize)?;
        let acks = self.producer_acks(producer);
        let leader_runs = rp
            .replication
            .leader
            .is_some_and(|l| cluster.brokers.get(&l).is_some_and(Broker::is_running));
        if !leader_runs {
            return Some(Rejection::new(
                RejectionKind::LeaderNotAvailable,
                format!(
                    "Expiring 1 record(s) for {topic}-{partition}:120000 ms has passed since batch creation"
                ),
            ));
        }
        let config = super::replication_config_for(&cluster.config, self.topics.get(topic));
        if acks == Acks::All && rp.replication.is_under_min_isr(&config) {
            return Some(Rejection::new(
                RejectionKind::NotEnoughReplicas,
                "Messages are rejected since there are fewer in-sync replicas than required.",
            ));
        }
        None
    }

    /// The `acks` a producer sends with: its config once it exists, else what was set for
    /// it before, else Kafka's default (`all`).
    pub(crate) fn producer_acks(&self, producer: &str) -> Acks {
        match self.producers.get(producer) {
            Some(p) => match p.txn.configs.acks {
                0 => Acks::None,
                1 => Acks::Leader,
                _ => Acks::All,
            },
            None => self
                .cluster
                .as_ref()
                .map_or(Acks::All, |c| c.acks_of(producer)),
        }
    }

    /// Gives a producer just created the `acks` set for it before it existed.
    pub(crate) fn give_pending_acks(&mut self, producer: &str) {
        let Some(acks) = self
            .cluster
            .as_ref()
            .and_then(|c| c.producer_acks.get(producer).copied())
        else {
            return;
        };
        if let Some(p) = self.producers.get_mut(producer) {
            // A new producer has no other config, so Kafka's checks cannot refuse this.
            let _ = p.txn.configs.set("acks", acks_config(acks));
        }
    }

    /// `acks` for a producer's sends (`--producer-property acks=…`).
    pub(crate) fn set_producer_acks(&mut self, producer: &str, acks: Acks) -> Outcome {
        if producer.trim().is_empty() {
            return Err(Rejection::new(
                RejectionKind::Invalid,
                "A producer needs a name.",
            ));
        }
        if let Some(p) = self.producers.get_mut(producer) {
            // The producer's configs decide idempotence too: Kafka's client refuses acks
            // other than all with enable.idempotence=true, and turns idempotence off
            // silently otherwise.
            let mut configs = p.txn.configs.clone();
            configs
                .set("acks", acks_config(acks))
                .map_err(|why| Rejection::new(RejectionKind::Invalid, why))?;
            p.txn.configs = configs;
        }
        let cluster = self.cluster_mut();
        if acks == Acks::All {
            cluster.producer_acks.remove(producer);
        } else {
            cluster.producer_acks.insert(producer.to_string(), acks);
        }
        Ok(vec![Event::ProducerAcksSet {
            producer: producer.to_string(),
            acks,
        }])
    }
}

/// An `acks` value as the producer config `acks` takes it.
fn acks_config(acks: Acks) -> &'static str {
    match acks {
        Acks::None => "0",
        Acks::Leader => "1",
        Acks::All => "all",
    }
}
