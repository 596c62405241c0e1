//! Reading a list of commands within the limits, and naming the step a JSON error is in.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::error::{Origin, ShareError, ShareErrorKind};
use super::{Scenario, MAX_COMMANDS, MAX_TOTAL_TICKS, SCENARIO_VERSION};
use crate::engine::limits::grouped;
use crate::engine::Command;
use crate::timeline::ticks_of;

thread_local! {
    /// The number (from 1) of the step being read, so that an error inside a command can
    /// say which step it is in. `None` outside the list of commands.
    pub(super) static STEP_BEING_READ: Cell<Option<u64>> = const { Cell::new(None) };
}

/// The commands of a scenario as read, within [`MAX_COMMANDS`]: past the limit the rest
/// are parsed and counted but not kept. With `RUNS` (the fragment's run-length form), a
/// number `n` in the list stands for `n` steps of `Advance { ticks: 1 }` and a pair
/// `[n, t]` for `n` steps of `Advance { ticks: t }`.
pub(super) struct Capped<const RUNS: bool> {
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
    pub(super) fn into_scenario(
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
pub(super) fn json_error(origin: Origin, error: serde_json::Error, compressed: bool) -> ShareError {
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
