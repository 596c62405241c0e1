//! Sharing a scenario: links, files and the autosave.
//!
//! The simulator's state is `f(seed, commands)`, so a [`Scenario`] (the seed, the whole
//! history of commands and the cursor) is all that is needed to rebuild a [`Timeline`]
//! exactly, including the steps after the cursor, so that stepping back and forward
//! still works after opening a link.
//!
//! Three encodings carry it:
//!
//! - **A JSON file** ([`to_json`] / [`from_json`]): the pretty-printed [`Scenario`], one
//!   command per array element, for export, import and editing by hand.
//! - **A URL fragment** ([`to_url_fragment`] / [`from_url_fragment`]):
//!   `s1.` followed by base64url (no padding) of zlib-compressed JSON
//!   `{"seed":…,"cursor":…,"title":…,"steps":[…]}`. In `steps` a run of `n` consecutive
//!   `Advance { ticks: 1 }` steps (what playback records) is written as the bare number
//!   `n`, and a run of `Advance { ticks: t }` as `[n, t]`, so even the
//!   [full](Encoding::Full) history stays short; the zlib checksum catches links that were
//!   cut short or altered.
//! - **The autosave** ([`to_storage`] / [`from_storage`]): the same text as a full
//!   fragment; [`from_storage`] also accepts the JSON file format.
//!
//! A history can be encoded [in full](Encoding::Full) (every step the user can step to)
//! or [compacted](Encoding::Compact) (each run of `Advance` merged into one step): fewer
//! steps, the same final state and the same state at the cursor. [`to_url_fragment`]
//! uses the compact form only when the full one is longer than [`URL_FRAGMENT_BUDGET`].
//!
//! Decoding never panics. Input that cannot be decoded gives a [`ShareError`] whose
//! message names what is wrong; limits ([`MAX_DECODED_BYTES`], [`MAX_COMMANDS`],
//! [`MAX_TOTAL_TICKS`], [`limits::MAX_HISTORY_BYTES`]) keep hostile input from exhausting
//! memory or time. They are the timeline's own budget ([`crate::engine::limits`]), so
//! whatever the app saves loads back. Commands that
//! the engine rejects when replayed are *not* errors: a history may legitimately hold a
//! command the user typed wrong, and it is rejected again, exactly as it was when
//! recorded ([`rejections`] lists them).

mod base64url;
mod capped;
mod error;
mod file;
mod fragment;
mod storage;
#[cfg(test)]
mod tests;
mod text;

use serde::{Deserialize, Serialize};

pub use self::error::{Origin, ShareError, ShareErrorKind};
pub use self::file::{from_json, to_json};
pub use self::fragment::{from_url_fragment, to_url_fragment, to_url_fragment_with};
pub use self::storage::{from_storage, to_storage};
pub use self::text::{pack_text, unpack_text};

use crate::engine::limits;
use crate::engine::{Command, Event};
use crate::timeline::{file_bytes, ticks_of, Timeline};

/// The version of the scenario format written by this build. Readers accept this version
/// and older ones and refuse newer ones with [`ShareErrorKind::NewerVersion`].
pub const SCENARIO_VERSION: u32 = 1;

/// The most bytes of JSON a decoder reads: the size of a file, or of a link's payload
/// once decompressed (32 MiB).
pub const MAX_DECODED_BYTES: usize = limits::MAX_DECODED_BYTES;

/// The most steps (commands) a scenario may have: what a timeline holds.
pub const MAX_COMMANDS: u64 = limits::MAX_STEPS as u64;

/// The most ticks all the `Advance` commands of a scenario may add up to (ten million
/// ticks of 100 ms: about 11.6 simulated days): what a timeline holds.
pub const MAX_TOTAL_TICKS: u64 = limits::MAX_TOTAL_TICKS;

/// [`to_url_fragment`] switches to the compact encoding when the full one is longer than
/// this many characters. Browsers accept far longer URLs, but chat programs, mail
/// clients and QR codes are happier with a few thousand characters at most.
pub const URL_FRAGMENT_BUDGET: usize = 4_000;

/// A saved scenario: everything needed to rebuild a [`Timeline`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    /// The format version ([`SCENARIO_VERSION`] when written by this build).
    pub version: u32,
    /// The engine's seed.
    pub seed: u64,
    /// The whole history, including the steps after the cursor.
    pub commands: Vec<Command>,
    /// The state shown: the number of commands applied (0 to `commands.len()`).
    pub cursor: usize,
    /// An optional title shown when the scenario is opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// How much of the history an encoding keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Every step, so the reader can step through the history exactly as recorded.
    Full,
    /// Runs of `Advance` merged into one step each (see [`Scenario::compact`]).
    Compact,
}

impl Scenario {
    /// The scenario of a timeline: its seed, its whole history and its cursor.
    pub fn from_timeline(timeline: &Timeline, title: Option<String>) -> Self {
        Self {
            version: SCENARIO_VERSION,
            seed: timeline.seed(),
            commands: timeline.steps().iter().map(|s| s.command.clone()).collect(),
            cursor: timeline.cursor(),
            title,
        }
    }

    /// Replays the scenario into a timeline standing at its cursor.
    ///
    /// Fails only on a scenario that breaks the format's rules (a newer version, a
    /// cursor past the end, more than the limits allow); commands the engine rejects
    /// are replayed as the rejections they were.
    pub fn to_timeline(&self) -> Result<Timeline, ShareError> {
        self.check()?;
        let mut timeline = Timeline::from_commands(self.seed, self.commands.iter().cloned());
        timeline.jump(self.cursor);
        Ok(timeline)
    }

    /// Checks the rules [`Scenario::to_timeline`] relies on: a known version, the
    /// limits, and a cursor within the history.
    pub fn check(&self) -> Result<(), ShareError> {
        let fail = |kind| Err(ShareError::new(Origin::Scenario, kind));
        if self.version > SCENARIO_VERSION {
            return fail(ShareErrorKind::NewerVersion(self.version));
        }
        if self.version == 0 {
            return fail(ShareErrorKind::NotAScenario(
                "its version is 0, which kafka-sim never wrote".into(),
            ));
        }
        let count = self.commands.len() as u64;
        if count > MAX_COMMANDS {
            return fail(ShareErrorKind::TooManyCommands(count));
        }
        let ticks = self.total_ticks();
        if ticks > MAX_TOTAL_TICKS {
            return fail(ShareErrorKind::TooManyTicks(ticks));
        }
        let bytes: u64 = self.commands.iter().map(file_bytes).sum();
        if bytes > limits::MAX_HISTORY_BYTES {
            return fail(ShareErrorKind::HistoryTooLarge(bytes));
        }
        if self.cursor > self.commands.len() {
            return fail(ShareErrorKind::CursorOutOfRange {
                cursor: self.cursor,
                len: self.commands.len(),
            });
        }
        Ok(())
    }

    /// The ticks all the `Advance` commands add up to.
    pub fn total_ticks(&self) -> u64 {
        self.commands.iter().map(ticks_of).sum()
    }

    /// The same scenario with every run of consecutive `Advance` commands merged into one.
    ///
    /// Advancing `a` ticks then `b` ticks is exactly advancing `a + b` ticks (the engine
    /// advances one tick at a time either way), so the final state is the same. A run is
    /// split at the cursor, so the state at the cursor is the same too; what is lost are
    /// the intermediate states inside each run, which the reader can no longer step to.
    pub fn compact(&self) -> Scenario {
        let mut commands: Vec<Command> = Vec::with_capacity(self.commands.len());
        let mut cursor = None;
        // Steps before this index are on the other side of the cursor: never merge into them.
        let mut floor = 0;
        for (index, command) in self.commands.iter().enumerate() {
            if index == self.cursor {
                cursor = Some(commands.len());
                floor = commands.len();
            }
            if let Command::Advance { ticks } = command {
                if commands.len() > floor {
                    if let Some(Command::Advance { ticks: total }) = commands.last_mut() {
                        if let Some(sum) = total.checked_add(*ticks) {
                            *total = sum;
                            continue;
                        }
                    }
                }
            }
            commands.push(command.clone());
        }
        let len = commands.len();
        Scenario {
            version: self.version,
            seed: self.seed,
            commands,
            cursor: cursor.unwrap_or(len),
            title: self.title.clone(),
        }
    }

    /// This scenario in the given encoding.
    fn encoded(&self, encoding: Encoding) -> std::borrow::Cow<'_, Scenario> {
        match encoding {
            Encoding::Full => std::borrow::Cow::Borrowed(self),
            Encoding::Compact => std::borrow::Cow::Owned(self.compact()),
        }
    }
}

/// The steps of a timeline that the engine rejected, as `(step number from 1, reason)`.
///
/// Opening a scenario replays it faithfully, rejections included; the UI can use this
/// to say so ("step 12 was rejected: …") instead of treating the scenario as broken.
pub fn rejections(timeline: &Timeline) -> Vec<(usize, &str)> {
    timeline
        .steps()
        .iter()
        .enumerate()
        .flat_map(|(index, step)| {
            step.events.iter().filter_map(move |event| match event {
                Event::Rejected { reason } => Some((index + 1, reason.as_str())),
                _ => None,
            })
        })
        .collect()
}
