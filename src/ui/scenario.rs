//! The scene the sandbox opens with: enough moving parts to see Kafka work at once.

use crate::engine::{Command, ProducerStream};

fn start(client: &str, group: &str, config: &[(&str, &str)]) -> Command {
    Command::StartConsumer {
        client_id: client.into(),
        group: Some(group.into()),
        topics: vec!["orders".into()],
        assign: vec![],
        config: config
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

/// Topic `orders` (3 partitions), a producer streaming keyed orders, group `payment` with
/// two consumers and group `analytics` with one slower consumer reading from the start.
pub fn sandbox() -> Vec<Command> {
    vec![
        Command::CreateTopic {
            name: "orders".into(),
            partitions: 3,
            configs: vec![],
        },
        Command::AddProducer {
            name: "checkout".into(),
            null_key: Default::default(),
        },
        Command::SetProducerStream {
            producer: "checkout".into(),
            stream: Some(ProducerStream {
                topic: "orders".into(),
                millirecords_per_second: 2_000,
                key_pool: 8,
                key_prefix: "customer-".into(),
            }),
        },
        start("payment-1", "payment", &[("processing.rate", "5")]),
        start("payment-2", "payment", &[("processing.rate", "5")]),
        start(
            "analytics-1",
            "analytics",
            &[("auto.offset.reset", "earliest"), ("processing.rate", "1")],
        ),
    ]
}
