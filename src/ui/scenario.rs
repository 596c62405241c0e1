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

/// The benchmark scene (`?bench=N`): topic `bench` with three partitions of `n` records
/// each, two producers streaming, and four groups of three consumers, one replaying from
/// the start.
pub fn bench(records_per_partition: u64) -> Vec<Command> {
    let mut commands = vec![
        Command::CreateTopic {
            name: "bench".into(),
            partitions: 3,
            configs: vec![],
        },
        Command::FillTopic {
            topic: "bench".into(),
            records_per_partition,
        },
    ];
    for producer in ["producer-1", "producer-2"] {
        commands.push(Command::AddProducer {
            name: producer.into(),
            null_key: Default::default(),
        });
        commands.push(Command::SetProducerStream {
            producer: producer.into(),
            stream: Some(ProducerStream {
                topic: "bench".into(),
                millirecords_per_second: 20_000,
                key_pool: 50,
                key_prefix: "key-".into(),
            }),
        });
    }
    for group in ["g1", "g2", "g3", "g4"] {
        for i in 1..=3 {
            let reset = if group == "g1" { "earliest" } else { "latest" };
            commands.push(Command::StartConsumer {
                client_id: format!("{group}-{i}"),
                group: Some(group.into()),
                topics: vec!["bench".into()],
                assign: vec![],
                config: vec![
                    ("auto.offset.reset".into(), reset.into()),
                    ("processing.rate".into(), "50".into()),
                ],
            });
        }
    }
    commands
}

/// The scale scene (`?scene=scale`): three topics of 24 partitions holding 40 records each,
/// a producer streaming into each, and ten groups of five consumers (groups take the topics
/// in turn; every fourth group also reads a second topic). It shows whether the picture
/// stays legible when a class sees a cluster of realistic size.
pub fn scale() -> Vec<Command> {
    let topics = ["orders", "payments", "shipments"];
    let mut commands = Vec::new();
    for topic in topics {
        commands.push(Command::CreateTopic {
            name: topic.into(),
            partitions: 24,
            configs: vec![],
        });
        commands.push(Command::FillTopic {
            topic: topic.into(),
            records_per_partition: 40,
        });
        let producer = format!("{topic}-app");
        commands.push(Command::AddProducer {
            name: producer.clone(),
            null_key: Default::default(),
        });
        commands.push(Command::SetProducerStream {
            producer,
            stream: Some(ProducerStream {
                topic: topic.into(),
                millirecords_per_second: 6_000,
                key_pool: 48,
                key_prefix: "key-".into(),
            }),
        });
    }
    for group in 0..10 {
        let mut subscribed = vec![topics[group % 3].to_string()];
        if group % 4 == 3 {
            subscribed.push(topics[(group + 1) % 3].to_string());
        }
        for member in 1..=5 {
            let reset = if group % 2 == 0 { "earliest" } else { "latest" };
            commands.push(Command::StartConsumer {
                client_id: format!("g{group}-{member}"),
                group: Some(format!("group-{group}")),
                topics: subscribed.clone(),
                assign: vec![],
                config: vec![
                    ("auto.offset.reset".into(), reset.into()),
                    ("processing.rate".into(), "4".into()),
                ],
            });
        }
    }
    commands
}
