//! The timeline: the history of commands with the state after each, for time travel.
//!
//! State `k` is the engine after the first `k` commands (state 0 is the empty cluster of
//! the seed). The cursor points at the state shown. Stepping back or jumping restores the
//! nearest snapshot at or before the target and replays the commands in between, so a
//! jump costs at most [`SNAPSHOT_EVERY`] replays wherever it lands. Giving a command while
//! the cursor is in the past branches: the abandoned future is dropped.
//!
//! The history keeps within the budget of [`crate::engine::limits`] (steps, total ticks,
//! bytes as a file writes them), so whatever the app saves, the share decoder loads: a
//! command past the budget is refused with one [`Event::Rejected`] and not recorded.

use serde::{Deserialize, Serialize};

use crate::engine::limits;
use crate::engine::{Command, Engine, Event, Rejection, RejectionKind};

/// A snapshot is kept every this many steps.
pub const SNAPSHOT_EVERY: usize = 100;

/// One step of history: a command and what it caused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub command: Command,
    pub events: Vec<Event>,
    /// The simulated tick after the step.
    pub tick: u64,
}

/// What the history has spent of the budget, up to and including one step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Spent {
    /// The ticks the `Advance` commands ask for (rejected or not, as a decoder counts them).
    ticks: u64,
    /// The bytes the commands take in a scenario file ([`file_bytes`]).
    bytes: u64,
}

#[derive(Debug, Clone)]
pub struct Timeline {
    seed: u64,
    steps: Vec<Step>,
    /// `spent[i]`: the budget spent by steps `0..=i`.
    spent: Vec<Spent>,
    /// The events of the last command refused for the budget (not part of the history).
    refused: Vec<Event>,
    /// `snapshots[i]` is state `i * SNAPSHOT_EVERY`.
    snapshots: Vec<Engine>,
    cursor: usize,
    current: Engine,
}

impl Timeline {
    pub fn new(seed: u64) -> Self {
        let engine = Engine::new(seed);
        Self {
            seed,
            steps: Vec::new(),
            spent: Vec::new(),
            refused: Vec::new(),
            snapshots: vec![engine.clone()],
            cursor: 0,
            current: engine,
        }
    }

    /// A timeline that replays `commands` from the seed and stands at the end.
    pub fn from_commands(seed: u64, commands: impl IntoIterator<Item = Command>) -> Self {
        let mut timeline = Self::new(seed);
        for command in commands {
            timeline.apply(command);
        }
        timeline
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The state at the cursor.
    pub fn state(&self) -> &Engine {
        &self.current
    }

    /// The index of the state shown: 0 before any command, `len()` after the last.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The number of commands in the history.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The step that led to the state at the cursor, if any.
    pub fn last_step(&self) -> Option<&Step> {
        self.cursor.checked_sub(1).and_then(|i| self.steps.get(i))
    }

    /// The commands of the history up to the cursor (what a shared link encodes).
    pub fn commands(&self) -> Vec<Command> {
        self.steps[..self.cursor]
            .iter()
            .map(|s| s.command.clone())
            .collect()
    }

    /// Applies a command at the cursor, as [`Self::try_apply`] does, and returns the
    /// events; a refusal is returned as its one [`Event::Rejected`].
    pub fn apply(&mut self, command: Command) -> &[Event] {
        if self.try_apply(command).is_ok() || self.refused.is_empty() {
            // Applied, or rejected by the engine and recorded as a step.
            return self.last_step().map_or(&[], |s| s.events.as_slice());
        }
        &self.refused
    }

    /// Applies a command at the cursor. If the cursor is in the past, the future is
    /// dropped first (a branch). Returns the events, or the engine's [`Rejection`]; a
    /// command the engine rejects is still recorded, as a step whose events are one
    /// [`Event::Rejected`] (a history holds what the user typed, mistakes included). A
    /// command past the history's budget is refused without being recorded, the future
    /// kept.
    pub fn try_apply(&mut self, command: Command) -> Result<&[Event], Rejection> {
        self.refused.clear();
        let spent = match self.budget_after(&command) {
            Ok(spent) => spent,
            Err(reason) => {
                self.refused = vec![Event::Rejected {
                    reason: reason.clone(),
                }];
                return Err(Rejection::new(RejectionKind::OverLimit, reason));
            }
        };
        if self.cursor < self.steps.len() {
            self.steps.truncate(self.cursor);
            self.spent.truncate(self.cursor);
            self.snapshots.truncate(self.cursor / SNAPSHOT_EVERY + 1);
        }
        self.spent.push(spent);
        let outcome = self.current.apply(&command);
        let events = match &outcome {
            Ok(events) => events.clone(),
            Err(rejection) => vec![Event::Rejected {
                reason: rejection.reason.clone(),
            }],
        };
        self.steps.push(Step {
            command,
            events,
            tick: self.current.tick,
        });
        self.cursor += 1;
        if self.cursor % SNAPSHOT_EVERY == 0 && self.snapshots.len() == self.cursor / SNAPSHOT_EVERY
        {
            self.snapshots.push(self.current.clone());
        }
        outcome?;
        Ok(&self.steps[self.cursor - 1].events)
    }

    /// The budget spent once `command` is recorded at the cursor, or why it does not fit.
    fn budget_after(&self, command: &Command) -> Result<Spent, String> {
        let before = self
            .cursor
            .checked_sub(1)
            .and_then(|i| self.spent.get(i))
            .copied()
            .unwrap_or_default();
        if self.cursor >= limits::MAX_STEPS {
            return Err(limits::over(
                "steps in one history (step back to branch, or reset)",
                limits::MAX_STEPS as u64,
            ));
        }
        let ticks = before.ticks.saturating_add(ticks_of(command));
        if ticks > limits::MAX_TOTAL_TICKS {
            return Err(limits::over(
                "ticks of simulated time in one history (about 11.6 days)",
                limits::MAX_TOTAL_TICKS,
            ));
        }
        let bytes = before.bytes.saturating_add(file_bytes(command));
        if bytes > limits::MAX_HISTORY_BYTES {
            return Err(limits::over(
                "bytes of commands in one history",
                limits::MAX_HISTORY_BYTES,
            ));
        }
        Ok(Spent { ticks, bytes })
    }

    /// Moves the cursor to state `index` (clamped to the history). Returns whether it moved.
    pub fn jump(&mut self, index: usize) -> bool {
        let target = index.min(self.steps.len());
        if target == self.cursor {
            return false;
        }
        if target == self.cursor + 1 {
            // Replaying one command is cheaper than restoring a snapshot.
            let command = self.steps[self.cursor].command.clone();
            // Replaying gives the outcome it gave when recorded, kept in the step.
            let _ = self.current.apply(&command);
        } else {
            let base = (target / SNAPSHOT_EVERY).min(self.snapshots.len() - 1);
            let from = if self.cursor <= target && self.cursor >= base * SNAPSHOT_EVERY {
                self.cursor
            } else {
                self.current = self.snapshots[base].clone();
                base * SNAPSHOT_EVERY
            };
            for step in &self.steps[from..target] {
                let _ = self.current.apply(&step.command);
            }
        }
        self.cursor = target;
        true
    }

    pub fn step_back(&mut self) -> bool {
        self.cursor > 0 && self.jump(self.cursor - 1)
    }

    pub fn step_forward(&mut self) -> bool {
        self.jump(self.cursor + 1)
    }

    /// The index of the first state whose tick is at least `tick` (for a time scrubber).
    pub fn index_at_tick(&self, tick: u64) -> usize {
        if tick == 0 {
            return 0;
        }
        (self.steps.partition_point(|s| s.tick < tick) + 1).min(self.steps.len())
    }
}

/// The ticks a command advances the clock by.
pub fn ticks_of(command: &Command) -> u64 {
    match command {
        Command::Advance { ticks } => u64::from(*ticks),
        _ => 0,
    }
}

/// The bytes a command takes in a scenario file: pretty-printed JSON, each line indented
/// four more spaces inside the list of commands, and a comma and newline after it. The
/// file is the longest of the saved forms (see [`limits::MAX_HISTORY_BYTES`]).
pub fn file_bytes(command: &Command) -> u64 {
    // The file's own writer (`serde_json::to_vec_pretty`, as `share::to_json` uses), so
    // the app carries one pretty JSON writer of commands rather than two (about 3 KB of
    // the gzipped download). Writing a command cannot fail: it has no maps with
    // non-string keys.
    let json = serde_json::to_vec_pretty(command).unwrap_or_default();
    let lines = json.iter().filter(|&&b| b == b'\n').count() as u64;
    json.len() as u64 + 4 * (lines + 1) + 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn produce(key: &str) -> Command {
        Command::Produce {
            producer: None,
            topic: "orders".into(),
            partition: None,
            key: Some(key.into()),
            value: Some("v".into()),
            headers: vec![],
        }
    }

    fn scene(n: usize) -> Timeline {
        let mut t = Timeline::new(7);
        t.apply(Command::CreateTopic {
            name: "orders".into(),
            partitions: 3,
            configs: vec![],
        });
        t.apply(Command::StartConsumer {
            client_id: "c1".into(),
            group: Some("g".into()),
            topics: vec!["orders".into()],
            assign: vec![],
            config: vec![],
        });
        for i in 0..n {
            if i % 3 == 0 {
                t.apply(produce(&format!("k{i}")));
            } else {
                t.apply(Command::Advance { ticks: 1 });
            }
        }
        t
    }

    #[test]
    fn stepping_back_and_forward_restores_identical_states() {
        let mut t = scene(250);
        let end = t.state().clone();
        let mut states = vec![end.clone()];
        for _ in 0..120 {
            assert!(t.step_back());
            states.push(t.state().clone());
        }
        for expected in states.iter().rev().skip(1) {
            assert!(t.step_forward());
            assert_eq!(t.state(), expected);
        }
        assert_eq!(t.state(), &end);
        assert!(!t.step_forward());
    }

    #[test]
    fn a_jump_equals_a_fresh_replay() {
        let mut t = scene(330);
        for target in [0, 1, 99, 100, 101, 250, 17, 332] {
            t.jump(target);
            let fresh =
                Timeline::from_commands(7, t.steps()[..target].iter().map(|s| s.command.clone()));
            assert_eq!(t.state(), fresh.state(), "state {target}");
        }
    }

    #[test]
    fn acting_in_the_past_branches() {
        let mut t = scene(150);
        t.jump(50);
        t.apply(produce("branch"));
        assert_eq!(t.len(), 51);
        assert_eq!(t.cursor(), 51);
        let fresh = Timeline::from_commands(7, t.commands());
        assert_eq!(t.state(), fresh.state());
        assert!(!t.step_forward(), "the old future is gone");
        t.jump(0);
        assert_eq!(t.state(), &Engine::new(7));
    }
}
