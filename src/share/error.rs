//! Why a scenario could not be decoded: where the text came from and what is wrong with it.

use std::fmt;

use super::{MAX_COMMANDS, MAX_DECODED_BYTES, MAX_TOTAL_TICKS, SCENARIO_VERSION};
use crate::engine::limits::{self, grouped};
use crate::engine::time::MS_PER_TICK;

/// Where the text being decoded came from; it decides how an error message names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A shared link (URL fragment).
    Link,
    /// An imported JSON file.
    File,
    /// The browser's autosave.
    Storage,
    /// A [`Scenario`] value checked by [`Scenario::check`].
    Scenario,
}

impl Origin {
    /// The subject of an error sentence.
    fn subject(self) -> &'static str {
        match self {
            Origin::Link => "This link",
            Origin::File => "This file",
            Origin::Storage => "The autosaved session",
            Origin::Scenario => "This scenario",
        }
    }
}

/// What is wrong with the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareErrorKind {
    /// There is nothing to decode.
    Empty,
    /// The input is not in any kafka-sim format (a link without the `s1.` prefix, JSON of
    /// another shape). The detail says what did not match.
    NotAScenario(String),
    /// A file that is not JSON at all. The detail is the parser's message.
    NotJson(String),
    /// The input is in a kafka-sim format but its bytes are broken: bad base64, a failed
    /// checksum, cut short. The detail says how.
    Damaged(String),
    /// Written by a newer version of the format than this build reads.
    NewerVersion(u32),
    /// More than [`MAX_DECODED_BYTES`] of JSON (once decompressed).
    TooLarge,
    /// More steps than [`MAX_COMMANDS`]; the number of steps it has.
    TooManyCommands(u64),
    /// More ticks than [`MAX_TOTAL_TICKS`]; the total it advances.
    TooManyTicks(u64),
    /// Commands that take more than [`limits::MAX_HISTORY_BYTES`] as a file writes them
    /// (more than a timeline holds); the bytes they take.
    HistoryTooLarge(u64),
    /// The cursor is past the end of the history.
    CursorOutOfRange { cursor: usize, len: usize },
}

/// Why a scenario could not be decoded, with a message meant for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareError {
    pub origin: Origin,
    pub kind: ShareErrorKind,
}

impl ShareError {
    pub fn new(origin: Origin, kind: ShareErrorKind) -> Self {
        Self { origin, kind }
    }
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let this = self.origin.subject();
        match &self.kind {
            ShareErrorKind::Empty => write!(f, "{this} is empty"),
            ShareErrorKind::NotAScenario(detail) => {
                write!(f, "{this} is not a kafka-sim scenario: {detail}")
            }
            ShareErrorKind::NotJson(detail) => write!(f, "{this} is not valid JSON: {detail}"),
            ShareErrorKind::Damaged(detail) => write!(f, "{this} is damaged: {detail}"),
            ShareErrorKind::NewerVersion(version) => write!(
                f,
                "{this} was saved by a newer version ({version}) of kafka-sim; this one \
                 reads version {SCENARIO_VERSION} (reload the page to update)"
            ),
            ShareErrorKind::TooLarge => write!(
                f,
                "{this} is too large: it holds more than {} MiB of data, the limit",
                MAX_DECODED_BYTES / (1024 * 1024)
            ),
            ShareErrorKind::TooManyCommands(count) => write!(
                f,
                "{this} is too long: it has {} steps and the limit is {}",
                grouped(*count),
                grouped(MAX_COMMANDS)
            ),
            ShareErrorKind::TooManyTicks(ticks) => write!(
                f,
                "{this} runs too long: its steps advance the clock {} ticks in all and the \
                 limit is {} (about {:.1} simulated days)",
                grouped(*ticks),
                grouped(MAX_TOTAL_TICKS),
                (MAX_TOTAL_TICKS as f64) * (MS_PER_TICK as f64) / 86_400_000.0
            ),
            ShareErrorKind::HistoryTooLarge(bytes) => write!(
                f,
                "{this} is too large: its commands take {} bytes and the limit is {}",
                grouped(*bytes),
                grouped(limits::MAX_HISTORY_BYTES)
            ),
            ShareErrorKind::CursorOutOfRange { cursor, len } => write!(
                f,
                "{this} is inconsistent: it is positioned after step {cursor} but has only \
                 {len} steps"
            ),
        }
    }
}

impl std::error::Error for ShareError {}
