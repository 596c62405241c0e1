//! `kafka-configs --entity-type brokers` (and `--broker N`, `--broker-defaults`): what
//! Kafka 4.4.0 prints for the simulator's brokers (node 1 alone unless `broker add` makes
//! more). The retention check and rebalance delay of `broker set k=v` are static in Kafka,
//! read only when the broker starts, so `--describe` lists no dynamic config of theirs and
//! `--alter` refuses them as Kafka does.

use super::args;
use super::Console;

/// The broker settings the simulator models; Kafka cannot update any of them dynamically.
const STATIC_BROKER_CONFIGS: [&str; 3] = [
    "log.retention.check.interval.ms",
    "log.initial.task.delay.ms",
    "group.initial.rebalance.delay.ms",
];

/// The cluster-wide dynamic default a Kafka 4 KRaft cluster is formatted with.
const CLUSTER_DEFAULTS: &str = "  min.insync.replicas=1 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:min.insync.replicas=1}\n";

/// Whether a parsed `kafka-configs` line is about brokers.
pub(super) fn names_brokers(p: &args::Parsed) -> bool {
    p.value("topic").is_none()
        && (p.value("entity-type") == Some("brokers")
            || p.has("broker")
            || p.has("broker-defaults"))
}

/// Which brokers a line names: `Some(id)` for one broker, `None` for the cluster's defaults.
fn entities(p: &args::Parsed) -> Vec<Option<String>> {
    let mut out = Vec::new();
    if let Some(name) = p.value("broker").or(p.value("entity-name")) {
        out.push(Some(name.to_string()));
    }
    if p.has("entity-default") || p.has("broker-defaults") {
        out.push(None);
    }
    out
}

impl Console {
    /// `kafka-configs --describe|--alter` of brokers.
    pub(super) fn broker_configs(&mut self, p: &args::Parsed, command_text: &str) -> String {
        let mut named = entities(p);
        if p.has("alter") {
            return self.alter_broker_configs(p, command_text, &named);
        }
        let ids: Vec<String> = crate::read::cluster::brokers(self.timeline.state())
            .iter()
            .map(|b| b.id.to_string())
            .collect();
        if named.is_empty() {
            named = ids.iter().cloned().map(Some).chain([None]).collect();
        }
        let mut out = String::new();
        for entity in named {
            match entity {
                None => {
                    out.push_str("Default configs for brokers in the cluster are:\n");
                    out.push_str(CLUSTER_DEFAULTS);
                }
                Some(id) if ids.contains(&id) => {
                    if p.has("all") {
                        out.push_str("The simulator lists a broker's dynamic configs only; without --all, Kafka does the same.\n");
                    } else {
                        out.push_str(&format!("Dynamic configs for broker {id} are:\n"));
                    }
                }
                Some(id) if id.parse::<i32>().is_ok() => out.push_str(&format!(
                    "The broker '{id}' doesn't exist and doesn't have dynamic config.\n"
                )),
                Some(id) => {
                    return format!(
                        "The entity name for brokers must be a valid integer broker id, but it is: {id}\n"
                    )
                }
            }
        }
        out
    }

    fn alter_broker_configs(
        &mut self,
        p: &args::Parsed,
        command_text: &str,
        named: &[Option<String>],
    ) -> String {
        let Some(entity) = named.first() else {
            return "An entity-name or default entity must be specified with --alter of users, clients, brokers or ips\n".into();
        };
        if let Some(id) = entity {
            if id.parse::<i32>().is_err() {
                return format!(
                    "The entity name for brokers must be a valid integer broker id, but it is: {id}\n"
                );
            }
        }
        let added: Vec<&str> = p
            .values("add-config")
            .iter()
            .flat_map(|entry| entry.split(','))
            .filter_map(|pair| pair.split_once('=').map(|(k, _)| k))
            .collect();
        if added.is_empty() && p.values("delete-config").is_empty() {
            return "At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter\n".into();
        }
        let static_keys: Vec<&str> = added
            .iter()
            .copied()
            .filter(|k| STATIC_BROKER_CONFIGS.contains(k))
            .collect();
        if !static_keys.is_empty() {
            let message = format!(
                "org.apache.kafka.common.errors.InvalidRequestException: Cannot update these configs dynamically: [{}]",
                static_keys.join(", ")
            );
            return format!(
                "Error while executing config command with args '{command_text}'\njava.util.concurrent.ExecutionException: {message}\n"
            );
        }
        if !added.is_empty() {
            return format!(
                "The simulator models no dynamic broker configs: {} would change nothing here. Its broker settings are `broker set k=v`.\n",
                added.join(", ")
            );
        }
        // Deleting a dynamic config that is not set succeeds and changes nothing.
        match entity {
            None => "Completed updating default config for brokers in the cluster.\n".into(),
            Some(id) => format!("Completed updating config for broker {id}.\n"),
        }
    }
}
