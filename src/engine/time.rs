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
    EPOCH_MS.saturating_add(
        i64::try_from(tick)
            .unwrap_or(i64::MAX)
            .saturating_mul(MS_PER_TICK),
    )
}

/// The number of whole ticks that cover `ms` milliseconds (rounded up, at least 0).
pub fn ms_to_ticks(ms: i64) -> u64 {
    if ms <= 0 {
        0
    } else {
        (ms / MS_PER_TICK + i64::from(ms % MS_PER_TICK != 0)) as u64
    }
}

/// The simulated time `seconds` after tick 0, in milliseconds, saturating at the ends of
/// the range (what the inspector's "seek to time" and "reset to time" forms send).
pub fn ms_at_seconds(seconds: f64) -> i64 {
    // A float-to-integer `as` saturates and maps NaN to 0.
    EPOCH_MS.saturating_add((seconds * 1000.0) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_saturate_instead_of_overflowing() {
        assert_eq!(ms_to_ticks(i64::MAX), (i64::MAX / MS_PER_TICK + 1) as u64);
        assert_eq!(ms_to_ticks(101), 2);
        assert_eq!(ms_to_ticks(100), 1);
        assert_eq!(tick_to_ms(u64::MAX), i64::MAX);
        assert_eq!(ms_at_seconds(5.0), EPOCH_MS + 5_000);
        assert_eq!(ms_at_seconds(f64::MAX), i64::MAX);
        assert_eq!(ms_at_seconds(f64::NAN), EPOCH_MS);
    }
}
