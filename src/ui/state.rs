//! The app's state and its reducer: the only place state changes (Yew's `Reducible`).
//!
//! The timeline is large (snapshots, history), so it lives behind `Rc<RefCell<_>>` and is
//! mutated in place; `version` changes on every action so components re-render.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::engine::{Command, Event};
use crate::timeline::Timeline;

/// Playback speeds, in ticks per real second (one tick is 100 simulated ms, so 10 is real time).
pub const SPEEDS: [(u32, &str); 7] = [
    (2, "0.2×"),
    (5, "0.5×"),
    (10, "1×"),
    (20, "2×"),
    (50, "5×"),
    (100, "10×"),
    (500, "50×"),
];
/// The calm speed the app opens with (index into [`SPEEDS`]).
pub const DEFAULT_SPEED: usize = 2;

/// What the inspector shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    Partition(crate::engine::TopicPartition),
    Consumer(String),
    Group(String),
    Producer(String),
    Record(crate::engine::TopicPartition, i64),
}

#[derive(Clone)]
pub struct Sim {
    pub timeline: Rc<RefCell<Timeline>>,
    pub version: u64,
    pub playing: bool,
    pub speed: usize,
    pub selection: Option<Selection>,
    /// The last rejection, shown until the next successful action.
    pub error: Option<String>,
    pub show_help: bool,
    pub presenter: bool,
    pub dark: Option<bool>,
}

impl PartialEq for Sim {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
    }
}

pub enum Action {
    /// A user action: applied at the cursor (branching if the cursor is in the past).
    Do(Command),
    /// Several commands as one user action (e.g. a scenario).
    DoAll(Vec<Command>),
    /// Playback: `n` ticks of simulated time (or replay forward through history).
    Play(u32),
    TogglePlay,
    SetSpeed(usize),
    Faster,
    Slower,
    /// Closes the help, or else clears the selection.
    Escape,
    StepBack,
    StepForward,
    Jump(usize),
    Reset,
    Select(Option<Selection>),
    ToggleHelp,
    TogglePresenter,
    SetDark(Option<bool>),
    DismissError,
}

impl Sim {
    pub fn new(timeline: Timeline) -> Self {
        Self {
            timeline: Rc::new(RefCell::new(timeline)),
            version: 0,
            playing: true,
            speed: DEFAULT_SPEED,
            selection: None,
            error: None,
            show_help: false,
            presenter: false,
            dark: None,
        }
    }

    pub fn ticks_per_second(&self) -> u32 {
        SPEEDS.get(self.speed).map_or(10, |s| s.0)
    }

    fn apply(&mut self, command: Command) {
        let mut timeline = self.timeline.borrow_mut();
        let events = timeline.apply(command);
        self.error = events.iter().find_map(|e| match e {
            Event::Rejected { reason } => Some(reason.clone()),
            _ => None,
        });
    }
}

impl Reducible for Sim {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.version += 1;
        match action {
            Action::Do(command) => next.apply(command),
            Action::DoAll(commands) => {
                for command in commands {
                    next.apply(command);
                }
            }
            Action::Play(ticks) => {
                let mut timeline = next.timeline.borrow_mut();
                if timeline.cursor() < timeline.len() {
                    timeline.step_forward();
                } else {
                    timeline.apply(Command::Advance {
                        ticks: ticks.max(1),
                    });
                }
            }
            Action::TogglePlay => next.playing = !next.playing,
            Action::SetSpeed(speed) => next.speed = speed.min(SPEEDS.len() - 1),
            Action::Faster => next.speed = (next.speed + 1).min(SPEEDS.len() - 1),
            Action::Slower => next.speed = next.speed.saturating_sub(1),
            Action::Escape => {
                if next.show_help {
                    next.show_help = false;
                } else {
                    next.selection = None;
                }
            }
            Action::StepBack => {
                next.playing = false;
                next.timeline.borrow_mut().step_back();
            }
            Action::StepForward => {
                next.playing = false;
                let mut timeline = next.timeline.borrow_mut();
                if !timeline.step_forward() {
                    timeline.apply(Command::Advance { ticks: 1 });
                }
            }
            Action::Jump(index) => {
                next.playing = false;
                next.timeline.borrow_mut().jump(index);
            }
            Action::Reset => {
                let seed = next.timeline.borrow().seed();
                next.timeline = Rc::new(RefCell::new(Timeline::new(seed)));
                next.selection = None;
                next.error = None;
            }
            Action::Select(selection) => next.selection = selection,
            Action::ToggleHelp => next.show_help = !next.show_help,
            Action::TogglePresenter => next.presenter = !next.presenter,
            Action::SetDark(dark) => next.dark = dark,
            Action::DismissError => next.error = None,
        }
        Rc::new(next)
    }
}
