//! The simulator's one budget: every limit on what a session may hold, in one place.
//!
//! The engine enforces the limits on the cluster (topics, partitions, records, clients,
//! ticks per advance, record size), the timeline those on the history (steps, total
//! ticks, bytes), and the share decoder reads whatever the timeline can hold: a session
//! the app saved always loads back. Each limit is refused once, with one clear message
//! ([`over`]); where Kafka has its own message (a record larger than `max.request.size`),
//! that one is used.

/// Brokers in the cluster. One today; replication will raise it.
pub const MAX_BROKERS: u32 = 1;

/// Topics in the cluster.
pub const MAX_TOPICS: usize = 1_000;

/// Partitions of one topic.
pub const MAX_PARTITIONS_PER_TOPIC: u32 = 256;

/// Partitions of all topics together (what a tick walks over for retention and lag).
pub const MAX_PARTITIONS_TOTAL: u64 = 10_000;

/// Records [`crate::engine::Command::FillTopic`] appends to one partition at once.
pub const MAX_FILL_PER_PARTITION: u64 = 2_000_000;

/// Records one [`crate::engine::Command::FillTopic`] appends to all partitions together.
pub const MAX_FILL_TOTAL: u64 = 4_000_000;

/// Records held in all logs together (from each log's start to its end, so records
/// removed by retention, DeleteRecords or compaction count no longer).
pub const MAX_RECORDS_TOTAL: u64 = 20_000_000;

/// Kafka's default `max.request.size`: the largest record, in bytes, a producer sends.
pub const MAX_RECORD_BYTES: u64 = 1_048_576;

/// Producers on the diagram.
pub const MAX_PRODUCERS: usize = 1_000;

/// The fastest producer stream, in thousandths of a record per simulated second (1,000
/// records per second).
pub const MAX_STREAM_MILLIRECORDS_PER_SECOND: u32 = 1_000_000;

/// The fastest an application processes records (`processing.rate`), in thousandths of a
/// record per simulated second (a million records per second).
pub const MAX_PROCESSING_MILLIRECORDS_PER_SECOND: u64 = 1_000_000_000;

/// Consumers, running or stopped.
pub const MAX_CONSUMERS: usize = 1_000;

/// Consumer groups.
pub const MAX_GROUPS: usize = 1_000;

/// Steps (commands) in a timeline's history, and in a saved scenario.
pub const MAX_STEPS: usize = 200_000;

/// Ticks all the `Advance` commands of a history add up to (ten million ticks of 100 ms:
/// about 11.6 simulated days), and so the most one `Advance` may ask for.
pub const MAX_TOTAL_TICKS: u64 = 10_000_000;

/// Ticks one `Advance` command may ask for: the whole history's budget.
pub const MAX_TICKS_PER_ADVANCE: u64 = MAX_TOTAL_TICKS;

/// Bytes of a history as a scenario file writes its commands (pretty-printed JSON). Half
/// of [`MAX_DECODED_BYTES`], so that the file, the link (base64 of compressed JSON, at
/// most 4/3 of it) and the autosave of a full history all stay within what a decoder reads.
pub const MAX_HISTORY_BYTES: u64 = 16 * 1024 * 1024;

/// Bytes of JSON a decoder reads: a file, or a link's payload once decompressed.
pub const MAX_DECODED_BYTES: usize = 32 * 1024 * 1024;

// The budget agrees with itself; checked when the crate compiles.
const _: () = {
    assert!(MAX_FILL_PER_PARTITION <= MAX_FILL_TOTAL);
    assert!(MAX_FILL_TOTAL <= MAX_RECORDS_TOTAL);
    assert!(MAX_TICKS_PER_ADVANCE <= MAX_TOTAL_TICKS);
    assert!(MAX_TICKS_PER_ADVANCE <= u32::MAX as u64);
    // A link is base64 (4/3) of compressed JSON no longer than the file's bytes.
    assert!(MAX_HISTORY_BYTES * 4 / 3 + 1024 < MAX_DECODED_BYTES as u64);
    assert!(MAX_PARTITIONS_PER_TOPIC as u64 <= MAX_PARTITIONS_TOTAL);
};

/// The rejection for going past a limit: what is limited, and the limit.
pub fn over(what: &str, limit: u64) -> String {
    format!("The simulator allows at most {} {what}.", grouped(limit))
}

/// `1234567` → `1,234,567`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_limit() {
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(12), "12");
        assert_eq!(
            over("partitions per topic", 256),
            "The simulator allows at most 256 partitions per topic."
        );
    }
}
