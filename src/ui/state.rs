//! The app's state and its reducer: the only place state changes (Yew's `Reducible`).
//!
//! The console (which owns the timeline: snapshots, history) is large, so it lives behind
//! `Rc<RefCell<_>>` and is mutated in place; `version` changes on every action so
//! components re-render, and `engine_version` on every action that may change the engine.
//! The views read the engine through [`Shown`], a handle on the console, never a copy.
//! Every action goes through the console, so what a click does and what the same typed
//! command does are one code path.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use crate::console::Console;
use crate::engine::{Command, Engine, Event};
use crate::lessons::Lesson;
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
/// The benchmark plays at 5×.
pub const BENCH_SPEED: usize = 4;

/// What the inspector shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    Partition(crate::engine::TopicPartition),
    Consumer(String),
    Group(String),
    Producer(String),
    Record(crate::engine::TopicPartition, i64),
    /// A broker of a cluster (its node id).
    Broker(crate::engine::replication::BrokerId),
    /// A consume-transform-produce pipeline (its name).
    Pipeline(String),
    /// A share consumer (KIP-932), by client id.
    ShareConsumer(String),
}

/// One line of the console's scrollback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsoleLine {
    /// What was typed (or the command a click stands for), with its prompt.
    Input(String),
    Output(String),
}

/// How many scrollback lines are kept.
const SCROLLBACK_LINES: usize = 2000;

/// A lesson being played: which lesson, which step, and what the learner answered.
#[derive(Clone, PartialEq)]
pub struct LessonSession {
    pub lesson: Rc<Lesson>,
    pub step: usize,
    /// The choice picked for this step's prediction, if any.
    pub answer: Option<usize>,
    pub show_hint: bool,
}

/// The engine at the timeline's cursor, for the views: the console it lives in (shared,
/// not copied) and the engine version it was taken at, which is what props compare.
#[derive(Clone)]
pub struct Shown {
    console: Rc<RefCell<Console>>,
    version: u64,
}

impl Shown {
    pub fn new(console: Rc<RefCell<Console>>, version: u64) -> Self {
        Self { console, version }
    }

    /// The engine, borrowed while a view renders (the reducer changes it only between
    /// renders, in a dispatch).
    pub fn engine(&self) -> Ref<'_, Engine> {
        Ref::map(self.console.borrow(), |c| c.timeline().state())
    }

    /// The whole history, for what saves or shares it.
    pub fn timeline(&self) -> Ref<'_, Timeline> {
        Ref::map(self.console.borrow(), |c| c.timeline())
    }

    pub fn version(&self) -> u64 {
        self.version
    }
}

impl PartialEq for Shown {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version && Rc::ptr_eq(&self.console, &other.console)
    }
}

#[derive(Clone)]
pub struct Sim {
    pub lesson: Option<LessonSession>,
    /// The lesson list (the start page for newcomers).
    pub show_lessons: bool,
    pub console: Rc<RefCell<Console>>,
    pub scrollback: Rc<Vec<ConsoleLine>>,
    /// Lines typed, oldest first, for the up and down keys.
    pub history: Rc<Vec<String>>,
    pub version: u64,
    /// Changes on every action that may change the engine (not on a selection, a theme…).
    pub engine_version: u64,
    pub playing: bool,
    pub speed: usize,
    pub selection: Option<Selection>,
    /// The last rejection, shown until the next successful action.
    pub error: Option<String>,
    /// An informational message (link copied, file opened).
    pub notice: Option<String>,
    pub show_help: bool,
    pub presenter: bool,
    pub dark: Option<bool>,
    /// Slow motion around rebalances (`replay.rs`).
    pub motion: super::replay::Motion,
}

impl PartialEq for Sim {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
    }
}

pub enum Action {
    /// A line typed into the console.
    RunLine(String),
    /// Ctrl-D in the console: the end of input (closes `kafka-console-producer`).
    EndInput,
    /// Prints completion candidates into the scrollback.
    ShowCompletions(Vec<String>),
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
    ShowLessons(bool),
    /// Opens a lesson at a step (the state is rebuilt by replaying the lesson).
    OpenLesson(Rc<Lesson>, usize),
    LessonStep(usize),
    /// PageDown, `.` or a clicker: the next step; PageUp: the previous one.
    LessonNext,
    LessonPrev,
    /// The space bar: the next lesson step in presenter mode during a lesson (a clicker),
    /// play or pause otherwise.
    Space,
    LessonAnswer(usize),
    LessonShowMe,
    LessonHint,
    ExitLesson,
    /// Opens a session (from a file or a link), replacing the current one.
    Load(Box<Timeline>, String),
    /// Shows a message; an error leaves the session untouched.
    ShowError(String),
    Notice(String),
    /// Rewinds to just before the last rebalance and plays it in slow motion.
    ReplayRebalance,
    /// Slows playback while a group rebalances (or not).
    SetAutoSlow(bool),
}

impl Action {
    /// Whether the action is the user's own move in time or on the cluster, which ends a
    /// slow-motion replay (pausing, selecting or changing the view does not).
    fn ends_replay(&self) -> bool {
        matches!(
            self,
            Action::RunLine(_)
                | Action::Do(_)
                | Action::DoAll(_)
                | Action::StepBack
                | Action::StepForward
                | Action::Jump(_)
                | Action::Reset
                | Action::Load(..)
                | Action::OpenLesson(..)
                | Action::LessonStep(_)
                | Action::LessonNext
                | Action::LessonPrev
                | Action::LessonShowMe
                | Action::ExitLesson
        )
    }
}

impl Action {
    /// Whether the action may change the engine shown: false only for those that change
    /// what the page shows around it (playback settings, selection, dialogs, messages).
    fn may_change_engine(&self) -> bool {
        !matches!(
            self,
            Action::ShowCompletions(_)
                | Action::TogglePlay
                | Action::SetSpeed(_)
                | Action::Faster
                | Action::Slower
                | Action::Escape
                | Action::Select(_)
                | Action::ToggleHelp
                | Action::TogglePresenter
                | Action::SetDark(_)
                | Action::DismissError
                | Action::ShowLessons(_)
                | Action::LessonAnswer(_)
                | Action::LessonHint
                | Action::ExitLesson
                | Action::ShowError(_)
                | Action::Notice(_)
                | Action::SetAutoSlow(_)
        )
    }
}

impl Sim {
    pub fn new(timeline: Timeline) -> Self {
        Self {
            lesson: None,
            show_lessons: false,
            console: Rc::new(RefCell::new(Console::with_timeline(timeline))),
            scrollback: Rc::new(vec![ConsoleLine::Output(
                "Type Kafka's own commands here (kafka-topics, kafka-console-producer, kafka-consumer-groups, …) or `help`. Tab completes; ↑ and ↓ recall.".into(),
            )]),
            history: Rc::new(Vec::new()),
            version: 0,
            engine_version: 0,
            playing: true,
            speed: DEFAULT_SPEED,
            selection: None,
            error: None,
            notice: None,
            show_help: false,
            presenter: false,
            dark: None,
            motion: Default::default(),
        }
    }

    /// The engine at the cursor, for the views.
    pub fn shown(&self) -> Shown {
        Shown::new(self.console.clone(), self.engine_version)
    }

    /// A click: applied through the console, which echoes the equivalent command line
    /// and its output, so students learn the commands by watching.
    fn apply(&mut self, command: Command) {
        let (line, output) = self.console.borrow_mut().apply_command(command);
        self.print(ConsoleLine::Input(format!("$ {line}")));
        if !output.trim().is_empty() {
            self.print(ConsoleLine::Output(
                output.trim_end_matches('\n').to_string(),
            ));
        }
        let console = self.console.borrow();
        self.error = console.timeline().last_step().and_then(|step| {
            step.events.iter().find_map(|e| match e {
                Event::Rejected { reason } => Some(reason.clone()),
                _ => None,
            })
        });
    }

    fn print(&mut self, line: ConsoleLine) {
        let scrollback = Rc::make_mut(&mut self.scrollback);
        scrollback.push(line);
        if scrollback.len() > SCROLLBACK_LINES {
            let excess = scrollback.len() - SCROLLBACK_LINES;
            scrollback.drain(..excess);
        }
    }

    /// Rebuilds the state of a lesson's step by replaying it from the lesson's seed, so
    /// going back restores exactly what the step showed; the console shows the step's own
    /// lines and what they printed.
    pub fn enter_lesson(&mut self, lesson: Rc<Lesson>, step: usize) {
        match lesson.console_and_output_at(step) {
            Ok((console, printed)) => {
                *self.console.borrow_mut() = console;
                self.playing = false;
                self.selection = None;
                self.error = None;
                let title = lesson
                    .steps
                    .get(step)
                    .map(|s| s.title.clone())
                    .unwrap_or_default();
                self.print(ConsoleLine::Output(format!(
                    "# {} — step {} of {}: {title}",
                    lesson.title,
                    step + 1,
                    lesson.steps.len()
                )));
                self.print_transcript(printed);
                self.lesson = Some(LessonSession {
                    lesson,
                    step,
                    answer: None,
                    show_hint: false,
                });
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Lines a lesson ran and what they printed, as if typed.
    fn print_transcript(&mut self, printed: crate::lessons::Transcript) {
        for (line, output) in printed {
            self.print(ConsoleLine::Input(format!("$ {line}")));
            if !output.trim().is_empty() {
                self.print(ConsoleLine::Output(
                    output.trim_end_matches('\n').to_string(),
                ));
            }
        }
    }

    /// Records printed by long-running console consumers go to the scrollback.
    fn collect_background(&mut self) {
        let lines = self.console.borrow_mut().drain_output();
        for line in lines {
            self.print(ConsoleLine::Output(line));
        }
    }

    fn run_line(&mut self, line: String) {
        if line.trim() == "clear" {
            self.scrollback = Rc::new(Vec::new());
            return;
        }
        let prompt = self.console.borrow().prompt();
        let output = self.console.borrow_mut().run_line(&line);
        self.print(ConsoleLine::Input(format!("{prompt}{line}")));
        if !output.is_empty() {
            self.print(ConsoleLine::Output(
                output.trim_end_matches('\n').to_string(),
            ));
        }
        if !line.trim().is_empty() && prompt != ">" {
            let history = Rc::make_mut(&mut self.history);
            if history.last() != Some(&line) {
                history.push(line);
            }
        }
        self.error = None;
    }
}

impl Sim {
    /// Ctrl-D: closes an open `kafka-console-producer`; the scrollback shows `>^D`, the
    /// notation of the console's scripts.
    fn end_input(&mut self) {
        if !self.console.borrow().is_reading_records() {
            return;
        }
        let output = self.console.borrow_mut().end_input();
        self.print(ConsoleLine::Input(format!(
            ">{}",
            crate::console::END_OF_INPUT
        )));
        if !output.is_empty() {
            self.print(ConsoleLine::Output(
                output.trim_end_matches('\n').to_string(),
            ));
        }
    }
}

impl Reducible for Sim {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.version += 1;
        if action.ends_replay() {
            next.cancel_replay();
        }
        if action.may_change_engine() {
            next.engine_version += 1;
        }
        match action {
            Action::RunLine(line) => next.run_line(line),
            Action::EndInput => next.end_input(),
            Action::ShowCompletions(candidates) => {
                next.print(ConsoleLine::Output(candidates.join("  ")))
            }
            Action::Do(command) => next.apply(command),
            Action::DoAll(commands) => {
                for command in commands {
                    next.apply(command);
                }
            }
            Action::Play(ticks) => {
                let in_past = {
                    let console = next.console.borrow();
                    console.timeline().cursor() < console.timeline().len()
                };
                if in_past {
                    super::replay::play_history(next.console.borrow_mut().timeline_mut(), ticks);
                } else {
                    next.console.borrow_mut().apply(Command::Advance {
                        ticks: ticks.max(1),
                    });
                    next.collect_background();
                }
                next.after_play();
            }
            Action::TogglePlay => next.playing = !next.playing,
            Action::SetSpeed(speed) => next.speed = speed.min(SPEEDS.len() - 1),
            Action::Faster => next.speed = (next.speed + 1).min(SPEEDS.len() - 1),
            Action::Slower => next.speed = next.speed.saturating_sub(1),
            Action::Escape => {
                if next.show_help {
                    next.show_help = false;
                } else if next.show_lessons {
                    next.show_lessons = false;
                } else {
                    next.selection = None;
                }
            }
            Action::StepBack => {
                next.playing = false;
                next.console.borrow_mut().timeline_mut().step_back();
            }
            Action::StepForward => {
                next.playing = false;
                let moved = next.console.borrow_mut().timeline_mut().step_forward();
                if !moved {
                    next.console
                        .borrow_mut()
                        .apply(Command::Advance { ticks: 1 });
                    next.collect_background();
                }
            }
            Action::Jump(index) => {
                next.playing = false;
                next.console.borrow_mut().timeline_mut().jump(index);
            }
            Action::Reset => {
                let seed = next.console.borrow().timeline().seed();
                // Replaced in place: timers that hold the console keep working.
                *next.console.borrow_mut() = Console::new(seed);
                next.selection = None;
                next.error = None;
            }
            Action::Select(selection) => next.selection = selection,
            Action::ToggleHelp => next.show_help = !next.show_help,
            Action::TogglePresenter => next.presenter = !next.presenter,
            Action::SetDark(dark) => next.dark = dark,
            Action::DismissError => {
                next.error = None;
                next.notice = None;
            }
            Action::Load(timeline, notice) => {
                *next.console.borrow_mut() = Console::with_timeline(*timeline);
                next.playing = false;
                next.selection = None;
                next.error = None;
                next.notice = Some(notice);
            }
            Action::ShowError(message) => next.error = Some(message),
            Action::ShowLessons(show) => next.show_lessons = show,
            Action::OpenLesson(lesson, step) => {
                next.show_lessons = false;
                next.enter_lesson(lesson, step);
            }
            Action::LessonStep(step) => {
                if let Some(session) = next.lesson.clone() {
                    if step < session.lesson.steps.len() {
                        next.enter_lesson(session.lesson, step);
                    }
                }
            }
            Action::Space if !(next.presenter && next.lesson.is_some()) => {
                next.playing = !next.playing
            }
            Action::LessonNext | Action::LessonPrev | Action::Space => {
                if let Some(session) = next.lesson.clone() {
                    let target = if matches!(action, Action::LessonPrev) {
                        session.step.wrapping_sub(1)
                    } else {
                        session.step + 1
                    };
                    if target < session.lesson.steps.len() {
                        next.enter_lesson(session.lesson, target);
                    }
                }
            }
            Action::LessonAnswer(choice) => {
                if let Some(session) = next.lesson.as_mut() {
                    session.answer.get_or_insert(choice);
                }
            }
            Action::LessonHint => {
                if let Some(session) = next.lesson.as_mut() {
                    session.show_hint = !session.show_hint;
                }
            }
            Action::LessonShowMe => {
                if let Some(session) = next.lesson.clone() {
                    let result = session
                        .lesson
                        .show_me_printing(session.step, &mut next.console.borrow_mut());
                    match result {
                        Ok(printed) => next.print_transcript(printed),
                        Err(e) => next.error = Some(e.to_string()),
                    }
                }
            }
            Action::ExitLesson => next.lesson = None,
            Action::Notice(message) => next.notice = Some(message),
            Action::ReplayRebalance => next.start_replay(),
            Action::SetAutoSlow(on) => next.motion.auto_slow_choice = Some(on),
        }
        Rc::new(next)
    }
}
