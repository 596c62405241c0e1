//! What a user asks of share groups: share consumers and the admin operations of
//! `kafka-share-groups` and `kafka-configs --entity-type groups`.

use serde::{Deserialize, Serialize};

/// A share-group command (inside [`crate::engine::Command::Share`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "share_cmd", rename_all = "snake_case")]
pub enum ShareCommand {
    /// Starts a `KafkaShareConsumer` subscribed to `topic` in share group `group`.
    StartConsumer {
        client_id: String,
        group: String,
        topic: String,
        /// Records per second the application processes, in thousandths.
        #[serde(default = "default_rate")]
        millirecords_per_second: u64,
        /// Of every thousand records, how many the application RELEASEs (a failure).
        #[serde(default)]
        release_per_mille: u32,
        /// Of every thousand records, how many it REJECTs (unprocessable).
        #[serde(default)]
        reject_per_mille: u32,
        /// A console share consumer's `--max-messages`.
        #[serde(default)]
        max_messages: Option<u64>,
        /// `share.acknowledgement.mode`: RELEASE and REJECT need `explicit`.
        #[serde(default)]
        acknowledgement_mode: super::AcknowledgementMode,
    },
    /// `close()`: acknowledges what it finished, releases the rest, leaves the group.
    StopConsumer { client_id: String },
    /// Kills the process: its records stay acquired until their locks expire, and the
    /// coordinator removes it after `share.session.timeout.ms`.
    CrashConsumer { client_id: String },
    /// `share-consumer set NAME key=value`: changes a share consumer's application while it
    /// runs (`rate` records/s, `fail-rate` and `reject-rate` fractions, as at its start).
    SetConsumer {
        client_id: String,
        key: String,
        value: String,
    },
    /// `kafka-share-groups --reset-offsets`; `execute: false` is a dry run. `topics` empty
    /// means `--all-topics`.
    ResetOffsets {
        group: String,
        topics: Vec<String>,
        spec: ShareResetSpec,
        execute: bool,
    },
    /// `kafka-share-groups --delete-offsets --topic t…`.
    DeleteOffsets { group: String, topics: Vec<String> },
    /// `kafka-share-groups --delete`.
    DeleteGroup { group: String },
    /// `kafka-configs --entity-type groups --alter`.
    AlterGroupConfig {
        group: String,
        #[serde(default)]
        set: Vec<(String, String)>,
        #[serde(default)]
        delete: Vec<String>,
    },
}

fn default_rate() -> u64 {
    10_000
}

/// `--reset-offsets` scenarios of `kafka-share-groups`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareResetSpec {
    ToEarliest,
    ToLatest,
    ToOffset(i64),
    /// `--to-datetime`, as simulated milliseconds.
    ToDatetime(i64),
}
