//! Simulated time: a logical clock in ticks, and its mapping to Kafka's milliseconds.
//!
//! One tick is [`MS_PER_TICK`] milliseconds. The clock starts at [`EPOCH_MS`]
//! (2024-01-01T00:00:00Z) so timestamps look like real ones. Configs given in
//! milliseconds (`session.timeout.ms`, `retention.ms`, …) are compared with simulated
//! milliseconds; nothing reads the wall clock.

/// Milliseconds of simulated time per tick.
pub const MS_PER_TICK: i64 = 100;

/// Simulated milliseconds at tick 0: 2024-01-01T00:00:00.000Z.
pub const EPOCH_MS: i64 = 1_704_067_200_000;

/// The simulated time in milliseconds at a tick.
pub fn tick_to_ms(tick: u64) -> i64 {
    EPOCH_MS.saturating_add((tick as i64).saturating_mul(MS_PER_TICK))
}

/// The number of whole ticks that cover `ms` milliseconds (rounded up, at least 0).
pub fn ms_to_ticks(ms: i64) -> u64 {
    if ms <= 0 {
        0
    } else {
        ((ms + MS_PER_TICK - 1) / MS_PER_TICK) as u64
    }
}
