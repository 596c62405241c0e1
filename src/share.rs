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

use std::cell::Cell;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use crate::engine::limits::{self, grouped};
use crate::engine::time::MS_PER_TICK;
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

// ---------------------------------------------------------------------------------------
// Errors.

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

// ---------------------------------------------------------------------------------------
// Reading a list of commands with limits.

thread_local! {
    /// The number (from 1) of the step being read, so that an error inside a command can
    /// say which step it is in. `None` outside the list of commands.
    static STEP_BEING_READ: Cell<Option<u64>> = const { Cell::new(None) };
}

/// The commands of a scenario as read, within [`MAX_COMMANDS`]: past the limit the rest
/// are parsed and counted but not kept. With `RUNS` (the fragment's run-length form), a
/// number `n` in the list stands for `n` steps of `Advance { ticks: 1 }` and a pair
/// `[n, t]` for `n` steps of `Advance { ticks: t }`.
struct Capped<const RUNS: bool> {
    commands: Vec<Command>,
    /// How many steps the input has, kept or not.
    count: u64,
    /// The ticks the steps advance, saturating (runs past [`MAX_COMMANDS`] not included).
    ticks: u64,
}

/// One element of a list of steps.
enum Item {
    /// `n` steps of `Advance { ticks }`.
    Run {
        n: u64,
        ticks: u32,
    },
    Command(Command),
}

struct ItemVisitor<const RUNS: bool>;

impl<'de, const RUNS: bool> Visitor<'de> for ItemVisitor<RUNS> {
    type Value = Item;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if RUNS {
            f.write_str("a command (an object with a `cmd` field) or a run of steps")
        } else {
            f.write_str("a command (an object with a `cmd` field)")
        }
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Item, E> {
        if RUNS {
            Ok(Item::Run { n, ticks: 1 })
        } else {
            Err(E::invalid_type(de::Unexpected::Unsigned(n), &self))
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item, A::Error> {
        if !RUNS {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
        }
        let n = seq
            .next_element::<u64>()?
            .ok_or_else(|| de::Error::invalid_length(0, &"a run `[steps, ticks]`"))?;
        let ticks = seq
            .next_element::<u32>()?
            .ok_or_else(|| de::Error::invalid_length(1, &"a run `[steps, ticks]`"))?;
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(3, &"a run `[steps, ticks]`"));
        }
        Ok(Item::Run { n, ticks })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Item, A::Error> {
        Command::deserialize(de::value::MapAccessDeserializer::new(map)).map(Item::Command)
    }
}

/// Reads one [`Item`]; a seed rather than a `Deserialize` impl so it can carry `RUNS`.
struct ItemSeed<const RUNS: bool>;

impl<'de, const RUNS: bool> de::DeserializeSeed<'de> for ItemSeed<RUNS> {
    type Value = Item;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Item, D::Error> {
        deserializer.deserialize_any(ItemVisitor::<RUNS>)
    }
}

struct CappedVisitor<const RUNS: bool>;

impl<'de, const RUNS: bool> Visitor<'de> for CappedVisitor<RUNS> {
    type Value = Capped<RUNS>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of commands")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Capped<RUNS>, A::Error> {
        let mut capped = Capped {
            commands: Vec::new(),
            count: 0,
            ticks: 0,
        };
        loop {
            STEP_BEING_READ.with(|s| s.set(Some(capped.count.saturating_add(1))));
            let Some(item) = seq.next_element_seed(ItemSeed::<RUNS>)? else {
                break;
            };
            match item {
                Item::Run { n, ticks } => {
                    let count = capped.count.saturating_add(n);
                    let total = capped
                        .ticks
                        .saturating_add(n.saturating_mul(u64::from(ticks)));
                    // Only a run within both limits is expanded (so `n` is small); past
                    // them the steps are counted and the scenario is refused afterwards.
                    if count <= MAX_COMMANDS && total <= MAX_TOTAL_TICKS {
                        let run = Command::Advance { ticks };
                        capped.commands.extend(std::iter::repeat_n(run, n as usize));
                    }
                    capped.count = count;
                    capped.ticks = total;
                }
                Item::Command(command) => {
                    capped.count = capped.count.saturating_add(1);
                    if capped.count <= MAX_COMMANDS {
                        capped.ticks = capped.ticks.saturating_add(ticks_of(&command));
                        capped.commands.push(command);
                    }
                }
            }
        }
        STEP_BEING_READ.with(|s| s.set(None));
        Ok(capped)
    }
}

impl<'de, const RUNS: bool> Deserialize<'de> for Capped<RUNS> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(CappedVisitor::<RUNS>)
    }
}

impl<const RUNS: bool> Capped<RUNS> {
    /// Checks the limits and the cursor and builds the scenario.
    fn into_scenario(
        self,
        origin: Origin,
        seed: u64,
        cursor: Option<usize>,
        title: Option<String>,
    ) -> Result<Scenario, ShareError> {
        let fail = |kind| Err(ShareError::new(origin, kind));
        if self.count > MAX_COMMANDS {
            return fail(ShareErrorKind::TooManyCommands(self.count));
        }
        if self.ticks > MAX_TOTAL_TICKS {
            return fail(ShareErrorKind::TooManyTicks(self.ticks));
        }
        let len = self.commands.len();
        let cursor = cursor.unwrap_or(len);
        if cursor > len {
            return fail(ShareErrorKind::CursorOutOfRange { cursor, len });
        }
        Ok(Scenario {
            version: SCENARIO_VERSION,
            seed,
            commands: self.commands,
            cursor,
            title,
        })
    }
}

/// Turns a JSON error into a message, naming the step it happened in if any.
fn json_error(origin: Origin, error: serde_json::Error, compressed: bool) -> ShareError {
    let step = STEP_BEING_READ.with(|s| s.take());
    let detail = match step {
        Some(step) => format!("step {} cannot be read: {error}", grouped(step)),
        None => error.to_string(),
    };
    let kind = match error.classify() {
        // A compressed payload passed its checksum, so a syntax error means it was not
        // written by kafka-sim; in a file it means the file is not JSON.
        serde_json::error::Category::Syntax if !compressed => ShareErrorKind::NotJson(detail),
        serde_json::error::Category::Eof if !compressed => {
            ShareErrorKind::Damaged(format!("it ends too soon ({detail})"))
        }
        serde_json::error::Category::Io => ShareErrorKind::Damaged(detail),
        _ => ShareErrorKind::NotAScenario(detail),
    };
    ShareError::new(origin, kind)
}

// ---------------------------------------------------------------------------------------
// The JSON file.

/// What a scenario file is expected to be, for error messages.
const FILE_EXPECTED: &str =
    "a kafka-sim scenario (a JSON object with `version`, `seed` and `commands`)";

/// Only the version, read first so that a newer file is refused as newer rather than as
/// malformed (a newer version may have commands this build does not know). It accepts
/// only an object, where a derived impl would also take an array.
struct VersionProbe {
    version: Option<u32>,
}

impl<'de> Deserialize<'de> for VersionProbe {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ProbeVisitor;

        impl<'de> Visitor<'de> for ProbeVisitor {
            type Value = VersionProbe;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(FILE_EXPECTED)
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<VersionProbe, A::Error> {
                let mut version = None;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == "version" {
                        version = Some(map.next_value::<u32>()?);
                    } else {
                        map.next_value::<de::IgnoredAny>()?;
                    }
                }
                Ok(VersionProbe { version })
            }
        }

        deserializer.deserialize_map(ProbeVisitor)
    }
}

/// The file as read: like [`Scenario`] with the commands read within the limits and the
/// cursor optional (a file written by hand stands at the end).
#[derive(Deserialize)]
#[serde(expecting = "a kafka-sim scenario (a JSON object with `version`, `seed` and `commands`)")]
struct FileIn {
    #[allow(dead_code)]
    version: u32,
    seed: u64,
    commands: Capped<false>,
    #[serde(default)]
    cursor: Option<usize>,
    #[serde(default)]
    title: Option<String>,
}

/// The scenario as a pretty-printed JSON document, for a downloaded file.
pub fn to_json(scenario: &Scenario) -> String {
    // A scenario holds no maps with non-string keys and no custom serializers, so
    // serializing it cannot fail.
    serde_json::to_string_pretty(scenario).expect("a scenario always serializes to JSON")
}

/// Reads a JSON file written by [`to_json`] (or by hand).
pub fn from_json(text: &str) -> Result<Scenario, ShareError> {
    read_json(text, Origin::File)
}

fn read_json(text: &str, origin: Origin) -> Result<Scenario, ShareError> {
    let fail = |kind| Err(ShareError::new(origin, kind));
    if text.trim().is_empty() {
        return fail(ShareErrorKind::Empty);
    }
    if text.len() > MAX_DECODED_BYTES {
        return fail(ShareErrorKind::TooLarge);
    }
    STEP_BEING_READ.with(|s| s.set(None));
    let probe: VersionProbe =
        serde_json::from_str(text).map_err(|e| json_error(origin, e, false))?;
    match probe.version {
        Some(version) if version > SCENARIO_VERSION => {
            return fail(ShareErrorKind::NewerVersion(version))
        }
        Some(0) => {
            return fail(ShareErrorKind::NotAScenario(
                "its `version` is 0, which kafka-sim never wrote".into(),
            ))
        }
        _ => {}
    }
    let file: FileIn = serde_json::from_str(text).map_err(|e| json_error(origin, e, false))?;
    file.commands
        .into_scenario(origin, file.seed, file.cursor, file.title)
}

// ---------------------------------------------------------------------------------------
// The URL fragment.

/// The fragment's JSON before compression, borrowing the scenario.
#[derive(Serialize)]
struct WireOut<'a> {
    seed: u64,
    cursor: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    steps: RunLength<'a>,
}

/// Commands with each run of `n` equal `Advance { ticks }` steps written as `n` when
/// `ticks` is 1 (playback's usual step) and as `[n, ticks]` otherwise.
struct RunLength<'a>(&'a [Command]);

impl Serialize for RunLength<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        fn flush<S: SerializeSeq>(seq: &mut S, run: (u64, u32)) -> Result<(), S::Error> {
            match run {
                (0, _) => Ok(()),
                (n, 1) => seq.serialize_element(&n),
                (n, ticks) => seq.serialize_element(&(n, ticks)),
            }
        }
        let mut seq = serializer.serialize_seq(None)?;
        // The run being gathered: (steps, ticks of each).
        let mut run: (u64, u32) = (0, 0);
        for command in self.0 {
            if let Command::Advance { ticks } = command {
                if run.0 > 0 && run.1 == *ticks {
                    run.0 += 1;
                } else {
                    flush(&mut seq, run)?;
                    run = (1, *ticks);
                }
                continue;
            }
            flush(&mut seq, run)?;
            run = (0, 0);
            seq.serialize_element(command)?;
        }
        flush(&mut seq, run)?;
        seq.end()
    }
}

/// The fragment's JSON as read.
#[derive(Deserialize)]
#[serde(expecting = "a kafka-sim scenario (an object with `seed`, `cursor` and `steps`)")]
struct WireIn {
    seed: u64,
    cursor: usize,
    #[serde(default)]
    title: Option<String>,
    steps: Capped<true>,
}

/// The prefix of a fragment: `s` and the format version, then a dot.
fn prefix() -> String {
    format!("s{SCENARIO_VERSION}.")
}

/// The scenario as a URL fragment (without the `#`): full if that fits within
/// [`URL_FRAGMENT_BUDGET`] characters, otherwise the shorter of compact and full.
pub fn to_url_fragment(scenario: &Scenario) -> String {
    let full = to_url_fragment_with(scenario, Encoding::Full);
    if full.len() <= URL_FRAGMENT_BUDGET {
        return full;
    }
    let compact = to_url_fragment_with(scenario, Encoding::Compact);
    if compact.len() < full.len() {
        compact
    } else {
        full
    }
}

/// The scenario as a URL fragment (without the `#`) in the given encoding.
pub fn to_url_fragment_with(scenario: &Scenario, encoding: Encoding) -> String {
    let scenario = scenario.encoded(encoding);
    let wire = WireOut {
        seed: scenario.seed,
        cursor: scenario.cursor,
        title: scenario.title.as_deref(),
        steps: RunLength(&scenario.commands),
    };
    // As in `to_json`, serializing cannot fail.
    let json = serde_json::to_vec(&wire).expect("a scenario always serializes to JSON");
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&json, 9);
    let mut out = prefix();
    base64url_encode(&compressed, &mut out);
    out
}

/// Reads a fragment written by [`to_url_fragment`]. A leading `#`, or a whole URL, is
/// accepted: everything up to the first `#` is ignored.
pub fn from_url_fragment(text: &str) -> Result<Scenario, ShareError> {
    read_fragment(text, Origin::Link)
}

fn read_fragment(text: &str, origin: Origin) -> Result<Scenario, ShareError> {
    let fail = |kind| Err(ShareError::new(origin, kind));
    // Positions in messages count characters of the text as given, from 1.
    let (skipped, rest) = match text.find('#') {
        Some(i) => (text[..=i].chars().count(), &text[i + 1..]),
        None => (0, text),
    };
    let leading = rest.len() - rest.trim_start().len();
    let skipped = skipped + rest[..leading].chars().count();
    let fragment = rest.trim();
    if fragment.is_empty() {
        return fail(ShareErrorKind::Empty);
    }
    let Some((version, payload)) = fragment
        .strip_prefix('s')
        .and_then(|rest| rest.split_once('.'))
        .filter(|(digits, _)| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
    else {
        return fail(ShareErrorKind::NotAScenario(format!(
            "it does not start with `{}`",
            prefix()
        )));
    };
    match version.parse::<u32>() {
        Ok(v) if v == SCENARIO_VERSION => {}
        Ok(0) => {
            return fail(ShareErrorKind::NotAScenario(
                "it starts with `s0.`, which kafka-sim never wrote".into(),
            ))
        }
        Ok(v) => return fail(ShareErrorKind::NewerVersion(v)),
        Err(_) => return fail(ShareErrorKind::NewerVersion(u32::MAX)),
    }
    // The compressed payload cannot usefully be longer than the decompressed limit.
    if payload.len() > MAX_DECODED_BYTES {
        return fail(ShareErrorKind::TooLarge);
    }
    let payload_start = skipped + 1 + version.len() + 1;
    let compressed = base64url_decode(payload, payload_start)
        .map_err(|detail| ShareError::new(origin, ShareErrorKind::Damaged(detail)))?;
    let json = inflate(&compressed).map_err(|kind| ShareError::new(origin, kind))?;
    // Read as text, like files, so the download holds one copy of the JSON reader for
    // scenarios, not two. Bytes that are not UTF-8 passed the checksum, so kafka-sim did
    // not write them.
    let json = String::from_utf8(json).map_err(|_| {
        ShareError::new(
            origin,
            ShareErrorKind::NotAScenario("its JSON is not UTF-8 text".into()),
        )
    })?;
    STEP_BEING_READ.with(|s| s.set(None));
    let wire: WireIn = serde_json::from_str(&json).map_err(|e| json_error(origin, e, true))?;
    wire.steps
        .into_scenario(origin, wire.seed, Some(wire.cursor), wire.title)
}

/// Decompresses a zlib stream within [`MAX_DECODED_BYTES`].
fn inflate(compressed: &[u8]) -> Result<Vec<u8>, ShareErrorKind> {
    use miniz_oxide::inflate::TINFLStatus;
    if compressed.is_empty() {
        return Err(ShareErrorKind::Damaged(
            "it has no data after the prefix".into(),
        ));
    }
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(compressed, MAX_DECODED_BYTES).map_err(
        |e| match e.status {
            TINFLStatus::HasMoreOutput => ShareErrorKind::TooLarge,
            TINFLStatus::NeedsMoreInput | TINFLStatus::FailedCannotMakeProgress => {
                ShareErrorKind::Damaged(
                    "it is cut short (copy the whole link, up to its last character)".into(),
                )
            }
            TINFLStatus::Adler32Mismatch => ShareErrorKind::Damaged(
                "its checksum does not match (some characters were changed)".into(),
            ),
            _ => ShareErrorKind::Damaged("its compressed data is not valid".into()),
        },
    )
}

// ---------------------------------------------------------------------------------------
// Texts in links (a teacher's lesson file).

/// Packs a text for a URL fragment: `prefix` + base64url(zlib(text)).
pub fn pack_text(prefix: &str, text: &str) -> String {
    let mut out = prefix.to_string();
    base64url_encode(
        &miniz_oxide::deflate::compress_to_vec_zlib(text.as_bytes(), 9),
        &mut out,
    );
    out
}

/// Unpacks what [`pack_text`] made; the error says what is wrong with the link.
pub fn unpack_text(prefix: &str, fragment: &str) -> Result<String, String> {
    let fragment = fragment.trim().trim_start_matches('#');
    let body = fragment
        .strip_prefix(prefix)
        .ok_or_else(|| format!("This link does not start with {prefix}"))?;
    let bytes = base64url_decode(body, prefix.len())
        .map_err(|e| ShareError::new(Origin::Link, ShareErrorKind::Damaged(e)).to_string())?;
    let text = inflate(&bytes).map_err(|kind| ShareError::new(Origin::Link, kind).to_string())?;
    String::from_utf8(text).map_err(|_| "This link is damaged: its text is not UTF-8".to_string())
}

// ---------------------------------------------------------------------------------------
// The autosave.

/// The text the autosave keeps: always the full fragment, so no step is lost.
pub fn to_storage(scenario: &Scenario) -> String {
    to_url_fragment_with(scenario, Encoding::Full)
}

/// Reads an autosave: a fragment as written by [`to_storage`], or a JSON document.
pub fn from_storage(text: &str) -> Result<Scenario, ShareError> {
    if text.trim_start().starts_with('{') {
        read_json(text, Origin::Storage)
    } else {
        read_fragment(text, Origin::Storage)
    }
}

// ---------------------------------------------------------------------------------------
// Base64url without padding (RFC 4648 §5).

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Appends the base64url text of `bytes`, without padding, to `out`.
fn base64url_encode(bytes: &[u8], out: &mut String) {
    out.reserve(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        // One input byte gives two characters, two give three, three give four.
        for i in 0..=chunk.len() {
            out.push(char::from(BASE64URL[(n >> (18 - 6 * i)) as usize & 63]));
        }
    }
}

/// The value of a base64url character.
fn base64url_value(c: char) -> Option<u32> {
    match c {
        'A'..='Z' => Some(c as u32 - 'A' as u32),
        'a'..='z' => Some(c as u32 - 'a' as u32 + 26),
        '0'..='9' => Some(c as u32 - '0' as u32 + 52),
        '-' => Some(62),
        '_' => Some(63),
        _ => None,
    }
}

/// Decodes base64url text; trailing `=` padding is tolerated. On error, returns a
/// message naming the first bad character by its position in the whole input, where
/// `text` starts after `offset` characters.
fn base64url_decode(text: &str, offset: usize) -> Result<Vec<u8>, String> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut len = 0;
    for (i, c) in text.chars().enumerate() {
        let Some(value) = base64url_value(c) else {
            let shown = if c.is_control() || c.is_whitespace() {
                format!("{c:?}")
            } else {
                format!("`{c}`")
            };
            return Err(format!(
                "it is not valid base64 (character {} is {shown})",
                offset + i + 1
            ));
        };
        acc = (acc << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
        len += 1;
    }
    if len % 4 == 1 {
        return Err("it is cut short (its base64 text has an impossible length)".into());
    }
    Ok(out)
}

#[cfg(test)]
mod packed_text_tests {
    use super::*;

    #[test]
    fn texts_round_trip_and_damage_is_reported() {
        let text = "{\"id\": \"my-lesson\", \"title\": \"Ünïcode\"}";
        let packed = pack_text("l1.", text);
        assert!(packed.starts_with("l1."));
        assert_eq!(unpack_text("l1.", &format!("#{packed}")).unwrap(), text);
        assert!(unpack_text("l1.", "l1.!!!")
            .unwrap_err()
            .contains("damaged"));
        assert!(unpack_text("l1.", &packed[..packed.len() - 3]).is_err());
        assert!(unpack_text("l1.", "s1.abc")
            .unwrap_err()
            .contains("does not start"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ProducerStream;

    fn produce(key: &str) -> Command {
        Command::Produce {
            producer: None,
            topic: "orders".into(),
            partition: None,
            key: Some(key.into()),
            value: Some(format!("order {key}")),
            headers: vec![],
        }
    }

    fn start(client: &str) -> Command {
        Command::StartConsumer {
            client_id: client.into(),
            group: Some("payments".into()),
            topics: vec!["orders".into()],
            assign: vec![],
            config: vec![],
        }
    }

    /// A history like playback records: a setup, then `n` steps that are mostly
    /// `Advance { ticks: 1 }` with a produce every 50 steps, a consumer started every
    /// 2,000 steps, and one mistyped command.
    fn history(n: usize) -> Vec<Command> {
        let mut commands = vec![
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
            start("payments-0"),
            // Rejected when recorded and when replayed: the topic does not exist.
            Command::DeleteTopic {
                name: "ordres".into(),
            },
        ];
        for i in 1..=n {
            commands.push(if i % 2_000 == 0 {
                start(&format!("payments-{}", i / 2_000))
            } else if i % 50 == 0 {
                produce(&format!("k{i}"))
            } else {
                Command::Advance { ticks: 1 }
            });
        }
        commands
    }

    fn timeline(n: usize, cursor: usize) -> Timeline {
        let mut t = Timeline::from_commands(42, history(n));
        t.jump(cursor);
        t
    }

    fn assert_same(a: &Timeline, b: &Timeline) {
        assert_eq!(a.seed(), b.seed());
        assert_eq!(a.len(), b.len());
        assert_eq!(a.cursor(), b.cursor());
        assert_eq!(a.state(), b.state());
        assert_eq!(a.steps(), b.steps());
    }

    fn scenario(n: usize, cursor: usize) -> (Timeline, Scenario) {
        let t = timeline(n, cursor);
        let s = Scenario::from_timeline(&t, Some("Rebalance demo".into()));
        (t, s)
    }

    fn error(result: Result<Scenario, ShareError>) -> ShareError {
        result.expect_err("decoding should fail")
    }

    #[test]
    fn json_round_trip_gives_an_equal_timeline() {
        let (t, s) = scenario(600, 333);
        let back = from_json(&to_json(&s)).unwrap();
        assert_eq!(back, s);
        assert_same(&back.to_timeline().unwrap(), &t);
    }

    #[test]
    fn fragment_round_trip_gives_an_equal_timeline() {
        let (t, s) = scenario(600, 333);
        let fragment = to_url_fragment_with(&s, Encoding::Full);
        assert!(fragment.starts_with("s1."));
        assert!(fragment[3..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        let back = from_url_fragment(&fragment).unwrap();
        assert_eq!(back, s);
        assert_same(&back.to_timeline().unwrap(), &t);
        // A leading `#` or the whole URL is accepted too.
        assert_eq!(from_url_fragment(&format!("#{fragment}")).unwrap(), s);
        let url = format!("https://example.org/kafka-sim/#{fragment}\n");
        assert_eq!(from_url_fragment(&url).unwrap(), s);
    }

    #[test]
    fn storage_round_trip_gives_an_equal_timeline() {
        let (t, s) = scenario(600, 600);
        let back = from_storage(&to_storage(&s)).unwrap();
        assert_same(&back.to_timeline().unwrap(), &t);
        // The autosave also reads the JSON file format.
        let back = from_storage(&to_json(&s)).unwrap();
        assert_same(&back.to_timeline().unwrap(), &t);
    }

    #[test]
    fn the_whole_history_survives_so_stepping_back_still_works() {
        let (t, s) = scenario(300, 120);
        let mut back = from_url_fragment(&to_url_fragment(&s))
            .unwrap()
            .to_timeline()
            .unwrap();
        assert_eq!(back.len(), t.len());
        assert!(back.step_back());
        let mut original = t.clone();
        original.step_back();
        assert_eq!(back.state(), original.state());
        back.jump(back.len());
        original.jump(original.len());
        assert_eq!(back.state(), original.state());
    }

    #[test]
    fn an_empty_history_round_trips() {
        let s = Scenario::from_timeline(&Timeline::new(3), None);
        for back in [
            from_json(&to_json(&s)).unwrap(),
            from_url_fragment(&to_url_fragment(&s)).unwrap(),
            from_storage(&to_storage(&s)).unwrap(),
        ] {
            assert_eq!(back, s);
            assert_eq!(
                back.to_timeline().unwrap().state(),
                Timeline::new(3).state()
            );
        }
    }

    #[test]
    fn compact_keeps_the_final_state_and_the_state_at_the_cursor() {
        for cursor in [0, 1, 5, 6, 7, 321, 1_999, 2_005, 2_406] {
            let (t, s) = scenario(2_401, cursor);
            let compact = s.compact();
            assert!(compact.commands.len() < s.commands.len() / 10);
            assert_eq!(compact.total_ticks(), s.total_ticks());
            // The same final state…
            let full_end = Timeline::from_commands(s.seed, s.commands.clone());
            let compact_end = Timeline::from_commands(compact.seed, compact.commands.clone());
            assert_eq!(full_end.state(), compact_end.state(), "cursor {cursor}");
            // …and the same state at the cursor.
            let opened = compact.to_timeline().unwrap();
            assert_eq!(opened.state(), t.state(), "cursor {cursor}");
            // Through a link too.
            let link = to_url_fragment_with(&s, Encoding::Compact);
            assert_eq!(from_url_fragment(&link).unwrap(), compact);
        }
    }

    #[test]
    fn compact_splits_runs_that_would_overflow_a_tick_count() {
        let s = Scenario {
            version: SCENARIO_VERSION,
            seed: 1,
            commands: vec![
                Command::Advance { ticks: u32::MAX },
                Command::Advance { ticks: 2 },
                Command::Advance { ticks: 3 },
            ],
            cursor: 3,
            title: None,
        };
        assert_eq!(
            s.compact().commands,
            vec![
                Command::Advance { ticks: u32::MAX },
                Command::Advance { ticks: 5 }
            ]
        );
    }

    /// Measures the fragment of a 10,000-step history (`cargo test --lib share -- --nocapture`).
    #[test]
    fn fragments_of_a_long_history_stay_short() {
        let (t, s) = scenario(10_000, 10_005);
        let full = to_url_fragment_with(&s, Encoding::Full);
        let compact = to_url_fragment_with(&s, Encoding::Compact);
        let json = serde_json::to_string(&s).unwrap();
        let mut deflated_plain_json = String::new();
        base64url_encode(
            &miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), 9),
            &mut deflated_plain_json,
        );
        println!(
            "10,005 steps: plain JSON {} bytes, its zlib+base64url {} chars",
            json.len(),
            deflated_plain_json.len()
        );
        println!(
            "10,005 steps ({} produces, 5 consumer starts): plain JSON {} bytes, \
             full fragment {} chars, compact fragment {} chars ({} steps)",
            s.commands
                .iter()
                .filter(|c| matches!(c, Command::Produce { .. }))
                .count(),
            json.len(),
            full.len(),
            compact.len(),
            s.compact().commands.len()
        );
        assert!(full.len() <= URL_FRAGMENT_BUDGET, "full: {}", full.len());
        // Runs are already short in the full form, so compacting gains little here.
        assert!(compact.len() < full.len() + 100);
        assert_eq!(to_url_fragment(&s), full);
        assert_same(
            &from_url_fragment(&full).unwrap().to_timeline().unwrap(),
            &t,
        );

        // Pure playback: 10,000 one-tick steps after the setup.
        let mut commands = history(0);
        commands.extend(std::iter::repeat_n(Command::Advance { ticks: 1 }, 10_000));
        let playback = Scenario::from_timeline(&Timeline::from_commands(42, commands), None);
        let full = to_url_fragment_with(&playback, Encoding::Full);
        let compact = to_url_fragment_with(&playback, Encoding::Compact);
        println!(
            "10,005 steps of pure playback: full fragment {} chars, compact {} chars",
            full.len(),
            compact.len()
        );
        assert!(full.len() < 400, "full: {}", full.len());
    }

    #[test]
    fn a_history_too_long_for_a_link_is_compacted() {
        // Playback at changing speeds: advances of 1 to 5 ticks in an irregular order,
        // which neither run lengths nor compression can shorten much.
        let mut commands = history(0);
        let mut x: u32 = 12_345;
        for i in 0..20_000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            commands.push(Command::Advance {
                ticks: 1 + (x >> 16) % 5,
            });
            if i % 1_000 == 0 {
                commands.push(produce(&format!("k{i}")));
            }
        }
        commands.push(Command::Advance { ticks: 0 });
        commands.push(Command::Advance { ticks: 0 });
        let s = Scenario {
            version: SCENARIO_VERSION,
            seed: 9,
            cursor: commands.len(),
            commands,
            title: None,
        };
        let full = to_url_fragment_with(&s, Encoding::Full);
        let auto = to_url_fragment(&s);
        println!(
            "20,027 steps of irregular advances: full {} chars, compact {} chars",
            full.len(),
            auto.len()
        );
        assert!(full.len() > URL_FRAGMENT_BUDGET);
        assert!(auto.len() < URL_FRAGMENT_BUDGET);
        assert_eq!(from_url_fragment(&auto).unwrap(), s.compact());
        // The full form still round-trips every step.
        assert_eq!(from_url_fragment(&full).unwrap(), s);
    }

    #[test]
    fn rejected_commands_replay_as_rejections_not_errors() {
        let (t, s) = scenario(10, 15);
        let opened = from_json(&to_json(&s)).unwrap().to_timeline().unwrap();
        assert_same(&opened, &t);
        let rejected = rejections(&opened);
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].0, 5);
    }

    // Corrupted input.

    #[test]
    fn a_truncated_link_is_damaged() {
        let (_, s) = scenario(600, 600);
        let fragment = to_url_fragment(&s);
        for cut in [
            fragment.len() - 1,
            fragment.len() - 3,
            fragment.len() / 2,
            5,
            4,
        ] {
            let e = error(from_url_fragment(&fragment[..cut]));
            assert!(
                matches!(e.kind, ShareErrorKind::Damaged(_)),
                "cut at {cut}: {e}"
            );
            assert!(e.to_string().starts_with("This link is damaged: "), "{e}");
        }
        let e = error(from_url_fragment("s1."));
        assert_eq!(
            e.to_string(),
            "This link is damaged: it has no data after the prefix"
        );
    }

    #[test]
    fn a_changed_character_fails_the_checksum_or_the_format() {
        let (_, s) = scenario(600, 600);
        let fragment = to_url_fragment(&s);
        let bytes = fragment.as_bytes();
        for i in 3..fragment.len() {
            let mut changed = bytes.to_vec();
            changed[i] = if changed[i] == b'A' { b'B' } else { b'A' };
            let changed = String::from_utf8(changed).unwrap();
            // The last character carries a few unused bits; changing only those is harmless.
            let e = match from_url_fragment(&changed) {
                Ok(back) if back == s => continue,
                result => error(result),
            };
            assert!(
                matches!(
                    e.kind,
                    ShareErrorKind::Damaged(_) | ShareErrorKind::NotAScenario(_)
                ),
                "{i}: {e}"
            );
        }
    }

    #[test]
    fn flipped_bits_in_the_compressed_data_are_caught() {
        let (_, s) = scenario(200, 200);
        let fragment = to_url_fragment(&s);
        let compressed = base64url_decode(&fragment[3..], 3).unwrap();
        for bit in 0..compressed.len() * 8 {
            let mut flipped = compressed.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            let mut link = prefix();
            base64url_encode(&flipped, &mut link);
            // The last byte of deflate data may end in padding bits, which are ignored.
            let e = match from_url_fragment(&link) {
                Ok(back) if back == s => continue,
                result => error(result),
            };
            assert!(
                matches!(
                    e.kind,
                    ShareErrorKind::Damaged(_) | ShareErrorKind::NotAScenario(_)
                ),
                "bit {bit}: {e}"
            );
        }
    }

    #[test]
    fn a_wrong_base64_character_is_named_by_position() {
        let (_, s) = scenario(20, 20);
        let mut fragment = to_url_fragment(&s);
        fragment.replace_range(16..17, "!");
        assert_eq!(
            error(from_url_fragment(&fragment)).to_string(),
            "This link is damaged: it is not valid base64 (character 17 is `!`)"
        );
        // Positions count from the start of what was pasted, `#` included.
        assert_eq!(
            error(from_url_fragment(&format!("#{fragment}"))).to_string(),
            "This link is damaged: it is not valid base64 (character 18 is `!`)"
        );
        // Standard base64's `+` and `/` are not base64url.
        assert!(error(from_url_fragment("s1.ab+d"))
            .to_string()
            .ends_with("(character 6 is `+`)"));
        assert!(error(from_url_fragment("s1.ab d"))
            .to_string()
            .ends_with("(character 6 is ' ')"));
        assert_eq!(
            error(from_url_fragment("s1.abcde")).to_string(),
            "This link is damaged: it is cut short (its base64 text has an impossible length)"
        );
    }

    #[test]
    fn valid_base64_of_garbage_is_damaged() {
        let mut link = prefix();
        base64url_encode(b"this is not compressed at all", &mut link);
        let e = error(from_url_fragment(&link));
        assert!(matches!(e.kind, ShareErrorKind::Damaged(_)), "{e}");
    }

    #[test]
    fn compressed_bytes_that_are_not_utf8_are_not_a_scenario() {
        let mut link = prefix();
        let json = b"{\"seed\":1,\"cursor\":0,\"title\":\"\xff\",\"steps\":[]}";
        base64url_encode(
            &miniz_oxide::deflate::compress_to_vec_zlib(json, 6),
            &mut link,
        );
        let e = error(from_url_fragment(&link));
        assert_eq!(
            e.to_string(),
            "This link is not a kafka-sim scenario: its JSON is not UTF-8 text"
        );
    }

    #[test]
    fn compressed_json_of_the_wrong_shape_is_not_a_scenario() {
        let link = |json: &str| {
            let mut link = prefix();
            base64url_encode(
                &miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), 6),
                &mut link,
            );
            link
        };
        let e = error(from_url_fragment(&link(r#"{"seed":1,"cursor":0}"#)));
        assert_eq!(
            e.to_string(),
            "This link is not a kafka-sim scenario: missing field `steps` at line 1 column 21"
        );
        let e = error(from_url_fragment(&link(
            r#"{"seed":1,"cursor":0,"steps":[3,{"cmd":"advance","ticks":2},{"cmd":"fly"}]}"#,
        )));
        assert!(
            e.to_string()
                .starts_with("This link is not a kafka-sim scenario: step 5 cannot be read: unknown variant `fly`"),
            "{e}"
        );
        let e = error(from_url_fragment(&link("[1,2,3]")));
        assert!(matches!(e.kind, ShareErrorKind::NotAScenario(_)), "{e}");
        let e = error(from_url_fragment(&link(
            r#"{"seed":1,"cursor":4,"steps":[3]}"#,
        )));
        assert_eq!(
            e.to_string(),
            "This link is inconsistent: it is positioned after step 4 but has only 3 steps"
        );
    }

    #[test]
    fn a_link_without_the_prefix_is_not_a_scenario() {
        for text in ["hello", "s.abc", "sx.abc", "S1.abc", "s1abc", "#/topics"] {
            let e = error(from_url_fragment(text));
            assert_eq!(
                e.to_string(),
                "This link is not a kafka-sim scenario: it does not start with `s1.`",
                "{text}"
            );
        }
        for text in ["", "#", "   ", "https://example.org/#"] {
            assert_eq!(error(from_url_fragment(text)).kind, ShareErrorKind::Empty);
        }
    }

    #[test]
    fn newer_versions_are_refused_as_newer() {
        let e = error(from_url_fragment("s3.eJyrVgAAAP__"));
        assert_eq!(e.kind, ShareErrorKind::NewerVersion(3));
        assert!(e
            .to_string()
            .starts_with("This link was saved by a newer version (3) of kafka-sim"));
        let e = error(from_url_fragment("s99999999999999.x"));
        assert_eq!(e.kind, ShareErrorKind::NewerVersion(u32::MAX));

        // A newer file is refused as newer even if it has commands this build lacks.
        let file = r#"{ "version": 3, "seed": 1, "commands": [{ "cmd": "teleport" }] }"#;
        let e = error(from_json(file));
        assert_eq!(e.kind, ShareErrorKind::NewerVersion(3));
        assert!(e
            .to_string()
            .starts_with("This file was saved by a newer version (3) of kafka-sim"));
        let e = error(from_storage(file));
        assert!(e
            .to_string()
            .starts_with("The autosaved session was saved by a newer version (3)"));

        let mut s = Scenario::from_timeline(&Timeline::new(1), None);
        s.version = 3;
        assert_eq!(
            s.to_timeline().unwrap_err().kind,
            ShareErrorKind::NewerVersion(3)
        );
    }

    #[test]
    fn json_of_the_wrong_shape_names_what_is_wrong() {
        let e = error(from_json("{\n  \"version\": 1,\n  \"commands\": []\n}"));
        assert_eq!(
            e.to_string(),
            "This file is not a kafka-sim scenario: missing field `seed` at line 4 column 1"
        );
        let e = error(from_json("{\n  \"version\": 1,\n  \"seed\": \"x\"\n}"));
        assert!(
            e.to_string().starts_with(
                "This file is not a kafka-sim scenario: invalid type: string \"x\", expected u64"
            ),
            "{e}"
        );
        let e = error(from_json("[1, 2]"));
        assert!(
            e.to_string().starts_with(
                "This file is not a kafka-sim scenario: invalid type: sequence, expected a \
                 kafka-sim scenario"
            ),
            "{e}"
        );
        let e = error(from_json(
            r#"{"version":1,"seed":1,"commands":[{"cmd":"advance","ticks":1},{"cmd":"advance"}]}"#,
        ));
        assert!(
            e.to_string().starts_with(
                "This file is not a kafka-sim scenario: step 2 cannot be read: missing field `ticks`"
            ),
            "{e}"
        );
        // Run lengths belong to links only.
        let e = error(from_json(r#"{"version":1,"seed":1,"commands":[5]}"#));
        assert!(
            e.to_string()
                .contains("step 1 cannot be read: invalid type: integer `5`, expected a command"),
            "{e}"
        );
        let e = error(from_json(r#"{"version":0,"seed":1,"commands":[]}"#));
        assert!(matches!(e.kind, ShareErrorKind::NotAScenario(_)), "{e}");
    }

    #[test]
    fn a_file_that_is_not_json_or_is_cut_short_says_so() {
        let e = error(from_json("version = 1"));
        assert_eq!(
            e.to_string(),
            "This file is not valid JSON: expected value at line 1 column 1"
        );
        let (_, s) = scenario(30, 30);
        let json = to_json(&s);
        let e = error(from_json(&json[..json.len() / 2]));
        assert!(
            e.to_string()
                .starts_with("This file is damaged: it ends too soon"),
            "{e}"
        );
        assert_eq!(error(from_json(" \n")).to_string(), "This file is empty");
    }

    #[test]
    fn a_file_without_a_cursor_stands_at_the_end() {
        let s = from_json(r#"{"version":1,"seed":5,"commands":[{"cmd":"advance","ticks":4}]}"#)
            .unwrap();
        assert_eq!(s.cursor, 1);
        assert_eq!(s.to_timeline().unwrap().state().tick, 4);
    }

    #[test]
    fn absurd_counts_hit_the_limits() {
        let link = |json: &str| {
            let mut link = prefix();
            base64url_encode(
                &miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), 6),
                &mut link,
            );
            link
        };
        // A run of 2^64 - 1 steps is refused without being expanded.
        let e = error(from_url_fragment(&link(&format!(
            r#"{{"seed":1,"cursor":0,"steps":[{}]}}"#,
            u64::MAX
        ))));
        assert_eq!(
            e.to_string(),
            "This link is too long: it has 18,446,744,073,709,551,615 steps and the limit \
             is 200,000"
        );
        // Two runs that add up to one more than the limit.
        let e = error(from_url_fragment(&link(
            r#"{"seed":1,"cursor":0,"steps":[199999,{"cmd":"advance","ticks":0},1]}"#,
        )));
        assert_eq!(e.kind, ShareErrorKind::TooManyCommands(200_001));
        // Exactly the limit is fine.
        let s = from_url_fragment(&link(
            r#"{"seed":1,"cursor":0,"steps":[199999,{"cmd":"advance","ticks":0}]}"#,
        ))
        .unwrap();
        assert_eq!(s.commands.len(), 200_000);
        // Too many ticks.
        let e = error(from_url_fragment(&link(
            r#"{"seed":1,"cursor":0,"steps":[{"cmd":"advance","ticks":4294967295},{"cmd":"advance","ticks":4294967295},{"cmd":"advance","ticks":4294967295}]}"#,
        )));
        assert_eq!(
            e.kind,
            ShareErrorKind::TooManyTicks(3 * u64::from(u32::MAX))
        );
        assert!(
            e.to_string()
                .ends_with("the limit is 10,000,000 (about 11.6 simulated days)"),
            "{e}"
        );
        let e = error(from_json(
            r#"{"version":1,"seed":1,"commands":[{"cmd":"advance","ticks":10000001}]}"#,
        ));
        assert_eq!(e.kind, ShareErrorKind::TooManyTicks(10_000_001));
        // A compression bomb: 40 MiB of spaces decompress past the limit.
        let bomb = vec![b' '; MAX_DECODED_BYTES + 8 * 1024 * 1024];
        let mut link = prefix();
        base64url_encode(
            &miniz_oxide::deflate::compress_to_vec_zlib(&bomb, 6),
            &mut link,
        );
        assert!(link.len() < 200_000);
        let e = error(from_url_fragment(&link));
        assert_eq!(e.kind, ShareErrorKind::TooLarge);
        assert_eq!(
            e.to_string(),
            "This link is too large: it holds more than 32 MiB of data, the limit"
        );
        // A scenario built in code is checked too.
        let mut s = Scenario::from_timeline(&Timeline::new(1), None);
        s.cursor = 2;
        assert!(matches!(
            s.to_timeline().unwrap_err().kind,
            ShareErrorKind::CursorOutOfRange { cursor: 2, len: 0 }
        ));
    }

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0usize..70 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let mut text = String::new();
            base64url_encode(&bytes, &mut text);
            assert_eq!(text.len(), (len * 4).div_ceil(3));
            assert_eq!(base64url_decode(&text, 0).unwrap(), bytes);
        }
        let mut text = String::new();
        base64url_encode(b"\xfb\xff\xfe", &mut text);
        assert_eq!(text, "-__-");
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(12_345_678), "12,345,678");
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod fuzz {
        use super::*;
        use proptest::prelude::*;

        fn decode_everything(text: &str) {
            // Whatever decodes must replay within the limits.
            for s in [from_json(text), from_url_fragment(text), from_storage(text)]
                .into_iter()
                .flatten()
            {
                assert!(s.check().is_ok());
            }
        }

        fn link_of(bytes: &[u8]) -> String {
            let mut link = prefix();
            base64url_encode(bytes, &mut link);
            link
        }

        proptest! {
            #[test]
            fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
                decode_everything(&String::from_utf8_lossy(&bytes));
                decode_everything(&link_of(&bytes));
                let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&bytes, 6);
                decode_everything(&link_of(&compressed));
            }

            #[test]
            fn random_strings_never_panic(text in "\\PC{0,200}") {
                decode_everything(&text);
                decode_everything(&format!("s1.{text}"));
                decode_everything(&format!("{{\"version\":1,{text}"));
            }

            #[test]
            fn random_base64url_never_panics(text in "[A-Za-z0-9_=-]{0,300}") {
                decode_everything(&format!("s1.{text}"));
            }

            #[test]
            fn random_json_fragments_never_panic(
                text in r#"(\{|\}|\[|\]|,|:|"cmd"|"advance"|"produce"|"ticks"|"seed"|"cursor"|"steps"|"version"|"commands"|[0-9]{1,20}|-1|null|"x")*"#
            ) {
                decode_everything(&text);
                let compressed = miniz_oxide::deflate::compress_to_vec_zlib(text.as_bytes(), 6);
                decode_everything(&link_of(&compressed));
            }

            #[test]
            fn mutated_links_never_panic(index in 0usize..10_000, byte in any::<u8>()) {
                let s = Scenario::from_timeline(&Timeline::from_commands(3, history(60)), None);
                let mut link = to_url_fragment(&s).into_bytes();
                let i = index % link.len();
                link[i] = byte;
                decode_everything(&String::from_utf8_lossy(&link));
            }
        }
    }
}
