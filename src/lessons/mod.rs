//! Lessons: guided tours of Kafka's ideas, written as data rather than code.
//!
//! A lesson is a JSON file (see `static/lessons/`): a seed, setup lines for the console,
//! then steps. Each step has a title, short narration, console lines the simulator runs
//! when the step is entered, an optional stretch of simulated time to play afterwards,
//! entities to highlight on the diagram, and optionally a task: a goal the learner reaches
//! in the simulator (checked by [`Goal::check`]) or a question to answer before the next
//! step shows the answer.
//!
//! ```json
//! {
//!   "id": "newspaper", "title": "The newspaper", "summary": "…", "level": "intro",
//!   "seed": 0,
//!   "setup": ["kafka-topics --create --topic news --partitions 1"],
//!   "steps": [{
//!     "title": "Publish once",
//!     "narration": ["The reporter **appends** the story to the log."],
//!     "commands": ["produce news story-1"],
//!     "advance": "5s",
//!     "highlight": ["partition:news-0"],
//!     "task": {"do": {
//!       "prompt": "Start a second reader.",
//!       "goal": {"group_members": {"group": "readers", "equals": 2}},
//!       "show_me": ["consumer start r2 --group readers --topic news"],
//!       "show_me_advance": "5s"
//!     }}
//!   }]
//! }
//! ```
//!
//! Stepping back replays: [`Lesson::console_at`] builds the console of a step from the
//! seed, so the state of a step never depends on what the learner did elsewhere. Pure
//! Rust and serde, no web crate: the lesson player in `ui` and the native tests share it.

pub mod goal;
mod goal_decode;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::console::{clock, shell, Console};
use crate::engine::Event;

pub use self::goal::{parse_partition, Bound, Goal};

/// How far along a learner should be before taking the lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Intro,
    Core,
    Advanced,
}

/// A lesson: a starting scenario and the steps through it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Short and URL-safe: `?lesson=newspaper`.
    pub id: String,
    pub title: String,
    /// One or two sentences for the lesson list.
    pub summary: String,
    pub level: Level,
    pub seed: u64,
    /// Console lines run before the first step.
    #[serde(default)]
    pub setup: Vec<String>,
    pub steps: Vec<Step>,
}

/// One step of a lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub title: String,
    /// Short paragraphs of plain text; `**bold**` is allowed.
    pub narration: Vec<String>,
    /// Console lines run when the step is entered.
    #[serde(default)]
    pub commands: Vec<String>,
    /// Console lines run after the commands that Kafka must refuse (a produce with too few
    /// in-sync replicas): their error is what the step shows. One that succeeds stops the
    /// lesson, as a failing command does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<String>,
    /// Simulated time to play after the commands, as `clock advance` reads it ("5s").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advance: Option<String>,
    /// Diagram entities to highlight: `partition:orders-1`, `consumer:payment-2`,
    /// `group:payment`, `topic:orders`, `producer:checkout`.
    #[serde(default)]
    pub highlight: Vec<String>,
    /// A picture shown beside the diagram during this step, for an idea the simulator
    /// does not model itself (`"illustration": "old-way"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub illustration: Option<Illustration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<Task>,
}

/// The pictures a step may show beside the diagram. Unknown names are refused when the
/// lesson is read, with the names that exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Illustration {
    /// Direct calls (a caller wired to each listener, held up by the slowest, edited for
    /// every new one) beside a log written once that every reader reads at its own pace.
    OldWay,
}

/// Console lines and what each printed, in order.
pub type Transcript = Vec<(String, String)>;

/// Something the learner does or answers in a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Task {
    /// Reach a goal in the simulator (`"task": {"do": {…}}`).
    #[serde(rename = "do")]
    Goal(GoalTask),
    /// Answer a question before the next step shows the answer
    /// (`"task": {"predict": {…}}`).
    Predict(PredictTask),
}

/// A goal for the learner to reach, with a way to show how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalTask {
    pub prompt: String,
    pub goal: Goal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Console lines that reach the goal from the step's state (none when time alone
    /// reaches it).
    #[serde(default)]
    pub show_me: Vec<String>,
    /// Simulated time to play after `show_me`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_me_advance: Option<String>,
}

/// A question answered before the simulator shows the answer in the next step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PredictTask {
    pub question: String,
    pub choices: Vec<String>,
    /// The index of the right choice.
    pub answer: usize,
    pub explanation: String,
    /// A goal that holds once the next step's commands ran, proving the answer; the
    /// tests check it so a prediction cannot be wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<Goal>,
}

/// Why a lesson could not be loaded or played.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LessonError {
    /// The file is not a lesson: bad JSON, a wrong type, an unknown field or variant.
    Parse {
        source: String,
        line: usize,
        column: usize,
        /// Where in the lesson, e.g. `steps[2].task.do.goal`.
        path: String,
        message: String,
    },
    /// The file is a lesson, but an inconsistent one.
    Invalid { source: String, message: String },
    /// A scripted console line failed while playing the lesson.
    Line {
        lesson: String,
        /// `setup`, `step 3 "Joins"` or `step 3 "Joins" show me`.
        place: String,
        line: String,
        output: String,
    },
    /// A step index past the end.
    NoSuchStep { lesson: String, step: usize },
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LessonError::Parse {
                source,
                line,
                column,
                path,
                message,
            } => {
                write!(f, "{source} line {line} column {column}: ")?;
                if !path.is_empty() && path != "." {
                    write!(f, "{path}: ")?;
                }
                write!(f, "{message}")
            }
            LessonError::Invalid { source, message } => write!(f, "{source}: {message}"),
            LessonError::Line {
                lesson,
                place,
                line,
                output,
            } => write!(
                f,
                "lesson {lesson}, {place}: the line `{line}` failed: {}",
                output.trim_end()
            ),
            LessonError::NoSuchStep { lesson, step } => {
                write!(f, "lesson {lesson} has no step {}", step + 1)
            }
        }
    }
}

impl std::error::Error for LessonError {}

/// Reads a lesson file and validates it. `source` names the file in error messages.
pub fn parse_lesson(text: &str, source: &str) -> Result<Lesson, LessonError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let lesson: Lesson = match serde_path_to_error::deserialize(&mut de) {
        Ok(lesson) => lesson,
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            return Err(parse_error(source, &inner, path));
        }
    };
    if let Err(inner) = de.end() {
        return Err(parse_error(source, &inner, String::new()));
    }
    lesson.validate().map_err(|message| LessonError::Invalid {
        source: source.to_string(),
        message,
    })?;
    Ok(lesson)
}

/// serde_json's message without its own " at line L column C" suffix.
fn parse_error(source: &str, err: &serde_json::Error, path: String) -> LessonError {
    let text = err.to_string();
    let message = match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    LessonError::Parse {
        source: source.to_string(),
        line: err.line(),
        column: err.column(),
        path,
        message,
    }
}

/// The diagram entities a highlight may name.
pub const HIGHLIGHT_KINDS: [&str; 5] = ["partition", "consumer", "group", "topic", "producer"];

/// Splits `consumer:payment-2` into its kind and name, if it is well formed.
/// A piece of lesson text: `**bold**` and `` `code` `` are the two marks a lesson may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span<'a> {
    Plain(&'a str),
    Bold(&'a str),
    Code(&'a str),
}

/// Splits narration, prompts, hints and choices into plain, bold and code spans. Inside
/// a code span `**` is literal; an unclosed mark is plain text.
pub fn spans(text: &str) -> Vec<Span<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        let next_code = rest.find('`');
        let next_bold = rest.find("**");
        let (at, mark, len) = match (next_code, next_bold) {
            (Some(c), Some(b)) if b < c => (b, "**", 2),
            (Some(c), _) => (c, "`", 1),
            (None, Some(b)) => (b, "**", 2),
            (None, None) => break,
        };
        let Some(close) = rest[at + len..].find(mark) else {
            break;
        };
        if at > 0 {
            out.push(Span::Plain(&rest[..at]));
        }
        let inner = &rest[at + len..at + len + close];
        out.push(if mark == "`" {
            Span::Code(inner)
        } else {
            Span::Bold(inner)
        });
        rest = &rest[at + len + close + len..];
    }
    if !rest.is_empty() {
        out.push(Span::Plain(rest));
    }
    out
}

pub fn parse_highlight(text: &str) -> Option<(&str, &str)> {
    let (kind, name) = text.split_once(':')?;
    if !HIGHLIGHT_KINDS.contains(&kind) || name.is_empty() {
        return None;
    }
    if kind == "partition" && parse_partition(name).is_none() {
        return None;
    }
    Some((kind, name))
}

impl Lesson {
    /// Checks what the JSON schema cannot: steps and narration present, the answer of a
    /// question among its choices, highlights well formed, durations readable, goals
    /// sensible, console lines splittable into words.
    pub fn validate(&self) -> Result<(), String> {
        let id_ok = !self.id.is_empty()
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !id_ok {
            return Err(format!(
                "id: \"{}\" should be letters, digits, '-' and '_'",
                self.id
            ));
        }
        if self.title.trim().is_empty() {
            return Err("title: empty".into());
        }
        if self.steps.is_empty() {
            return Err("steps: a lesson needs at least one step".into());
        }
        check_lines("setup", &self.setup)?;
        for (i, step) in self.steps.iter().enumerate() {
            let at = format!("steps[{i}]");
            if step.title.trim().is_empty() {
                return Err(format!("{at}.title: empty"));
            }
            if step.narration.iter().all(|p| p.trim().is_empty()) {
                return Err(format!("{at}.narration: empty"));
            }
            check_lines(&format!("{at}.commands"), &step.commands)?;
            check_lines(&format!("{at}.refused"), &step.refused)?;
            check_duration(&format!("{at}.advance"), step.advance.as_deref())?;
            for (h, text) in step.highlight.iter().enumerate() {
                if parse_highlight(text).is_none() {
                    return Err(format!(
                        "{at}.highlight[{h}]: \"{text}\" should be kind:name with kind one of {} (a partition as topic-N)",
                        HIGHLIGHT_KINDS.join(", ")
                    ));
                }
            }
            match &step.task {
                None => {}
                Some(Task::Goal(task)) => {
                    let at = format!("{at}.task.do");
                    if task.prompt.trim().is_empty() {
                        return Err(format!("{at}.prompt: empty"));
                    }
                    task.goal.validate(&format!("{at}.goal"))?;
                    if task.show_me.is_empty() && task.show_me_advance.is_none() {
                        return Err(format!(
                            "{at}.show_me: give the lines (or the show_me_advance) that reach the goal"
                        ));
                    }
                    check_lines(&format!("{at}.show_me"), &task.show_me)?;
                    check_duration(
                        &format!("{at}.show_me_advance"),
                        task.show_me_advance.as_deref(),
                    )?;
                }
                Some(Task::Predict(task)) => {
                    let at = format!("{at}.task.predict");
                    if task.choices.len() < 2 {
                        return Err(format!("{at}.choices: give at least two choices"));
                    }
                    if task.answer >= task.choices.len() {
                        return Err(format!(
                            "{at}.answer: {} is out of range: there are {} choices, numbered from 0",
                            task.answer,
                            task.choices.len()
                        ));
                    }
                    if i + 1 == self.steps.len() {
                        return Err(format!(
                            "{at}: a question needs a next step that reveals the answer"
                        ));
                    }
                    if let Some(goal) = &task.check {
                        goal.validate(&format!("{at}.check"))?;
                    }
                }
            }
        }
        Ok(())
    }

    /// A fresh console with the state of step `step`: the seed, the setup, then steps
    /// `0..=step` (their commands, then their time). The same step always gives the same
    /// state, so stepping back is a replay.
    pub fn console_at(&self, step: usize) -> Result<Console, LessonError> {
        self.console_and_output_at(step).map(|(console, _)| console)
    }

    /// Like [`Self::console_at`], with what step `step`'s own lines printed: each line
    /// (the step's commands, then its `clock advance`) and its output, for the page's
    /// console to show what the narration talks about.
    pub fn console_and_output_at(&self, step: usize) -> Result<(Console, Transcript), LessonError> {
        if step >= self.steps.len() {
            return Err(LessonError::NoSuchStep {
                lesson: self.id.clone(),
                step,
            });
        }
        let mut console = Console::new(self.seed);
        self.run_lines(&mut console, "setup", &self.setup, None)?;
        let mut printed = Vec::new();
        for index in 0..=step {
            printed = self.enter_step_printing(index, &mut console)?;
        }
        Ok((console, printed))
    }

    /// Runs step `index`'s commands and time on a console standing at the step before.
    pub fn enter_step(&self, index: usize, console: &mut Console) -> Result<(), LessonError> {
        self.enter_step_printing(index, console).map(|_| ())
    }

    fn enter_step_printing(
        &self,
        index: usize,
        console: &mut Console,
    ) -> Result<Transcript, LessonError> {
        let step = self.steps.get(index).ok_or(LessonError::NoSuchStep {
            lesson: self.id.clone(),
            step: index,
        })?;
        let place = format!("step {} \"{}\"", index + 1, step.title);
        let mut printed = self.run_lines(console, &place, &step.commands, None)?;
        for line in &step.refused {
            let failure = |output: String| LessonError::Line {
                lesson: self.id.clone(),
                place: place.clone(),
                line: line.clone(),
                output,
            };
            // The line must read as a command: only Kafka may refuse it.
            console.parse_command(line).map_err(failure)?;
            match run_checked(console, line) {
                Err(output) => printed.push((line.clone(), output)),
                Ok(output) => {
                    return Err(failure(format!(
                        "this line should have been refused, but it succeeded:\n{output}"
                    )))
                }
            }
        }
        printed.extend(self.run_lines(console, &place, &[], step.advance.as_deref())?);
        Ok(printed)
    }

    /// Runs the "show me" of step `step`'s goal task on `console`.
    pub fn show_me(&self, step: usize, console: &mut Console) -> Result<(), LessonError> {
        self.show_me_printing(step, console).map(|_| ())
    }

    /// Like [`Self::show_me`], with each line it ran and what the line printed.
    pub fn show_me_printing(
        &self,
        step: usize,
        console: &mut Console,
    ) -> Result<Transcript, LessonError> {
        let s = self.steps.get(step).ok_or(LessonError::NoSuchStep {
            lesson: self.id.clone(),
            step,
        })?;
        let Some(Task::Goal(task)) = &s.task else {
            return Ok(Vec::new());
        };
        let place = format!("step {} \"{}\" show me", step + 1, s.title);
        self.run_lines(
            console,
            &place,
            &task.show_me,
            task.show_me_advance.as_deref(),
        )
    }

    fn run_lines(
        &self,
        console: &mut Console,
        place: &str,
        lines: &[String],
        advance: Option<&str>,
    ) -> Result<Transcript, LessonError> {
        let advance_line = advance.map(|d| format!("clock advance {d}"));
        let mut printed = Vec::new();
        for line in lines.iter().chain(advance_line.iter()) {
            let output = run_checked(console, line).map_err(|output| LessonError::Line {
                lesson: self.id.clone(),
                place: place.to_string(),
                line: line.clone(),
                output,
            })?;
            printed.push((line.clone(), output));
        }
        Ok(printed)
    }
}

/// Runs one console line and returns its output, or the output as an error if the line
/// failed. A line fails when the console cannot read it as commands (a usage or option
/// error, an unknown command), when the engine rejects a command it gave, or when it
/// prints an error as Kafka's tools do (a line starting with `Error` or `ERROR`).
/// `kafka-console-consumer` must read a fixed number of records (`--max-messages`) and
/// say so; `kafka-console-producer`, `step` and
/// `reset` are refused, since they would make the lesson's state depend on more than its
/// lines.
pub fn run_checked(console: &mut Console, line: &str) -> Result<String, String> {
    let program = shell::split_words(line.trim())
        .ok()
        .and_then(|words| words.into_iter().next())
        .unwrap_or_default();
    let tool = program
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(&program)
        .trim_end_matches(".sh");
    match tool {
        "kafka-console-producer" => {
            return Err("kafka-console-producer reads records interactively; use `produce <topic> <value>... --key K` in a lesson".into())
        }
        "step" | "reset" | "seed" => {
            return Err(format!("`{tool}` would leave the lesson's timeline; lessons replay from the seed instead"))
        }
        "kafka-console-consumer" => {}
        _ => {
            console.parse_command(line)?;
        }
    }
    let before = console.timeline().len();
    let output = console.run_line(line);
    let rejected = console.timeline().steps()[before.min(console.timeline().len())..]
        .iter()
        .flat_map(|s| s.events.iter())
        .any(|e| matches!(e, Event::Rejected { .. }));
    let printed_error = output.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with("Error") || l.starts_with("ERROR") || l.starts_with("Usage")
    });
    // The console consumer of a lesson reads a fixed number of records and says so.
    let consumer_failed = tool == "kafka-console-consumer"
        && !output
            .lines()
            .any(|l| l.starts_with("Processed a total of"));
    if rejected || printed_error || consumer_failed {
        Err(output)
    } else {
        Ok(output)
    }
}

/// Lines must split into words as a shell would.
fn check_lines(path: &str, lines: &[String]) -> Result<(), String> {
    for (i, line) in lines.iter().enumerate() {
        if let Err(e) = shell::split_words(line) {
            return Err(format!("{path}[{i}]: `{line}`: {e}"));
        }
    }
    Ok(())
}

/// A duration must read as `clock advance` reads it.
fn check_duration(path: &str, text: Option<&str>) -> Result<(), String> {
    match text {
        Some(d) if clock::parse_ticks(d).is_none() => Err(format!(
            "{path}: \"{d}\" is not a duration such as 30 (ticks), 500ms, 5s, 2m or 1h"
        )),
        _ => Ok(()),
    }
}

/// The lesson files shipped with the app, by file name, embedded so they load offline.
pub fn builtin() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "01-newspaper.json",
            include_str!("../../static/lessons/01-newspaper.json"),
        ),
        (
            "02-order-events.json",
            include_str!("../../static/lessons/02-order-events.json"),
        ),
        (
            "03-rebalancing.json",
            include_str!("../../static/lessons/03-rebalancing.json"),
        ),
        (
            "04-offsets-retention-replay.json",
            include_str!("../../static/lessons/04-offsets-retention-replay.json"),
        ),
        (
            "05-delivery-semantics.json",
            include_str!("../../static/lessons/05-delivery-semantics.json"),
        ),
        (
            "06-ordering-and-keys.json",
            include_str!("../../static/lessons/06-ordering-and-keys.json"),
        ),
        (
            "07-durability.json",
            include_str!("../../static/lessons/07-durability.json"),
        ),
        (
            "08-new-rebalance-protocol.json",
            include_str!("../../static/lessons/08-new-rebalance-protocol.json"),
        ),
        (
            "09-queues-for-kafka.json",
            include_str!("../../static/lessons/09-queues-for-kafka.json"),
        ),
        (
            "10-exactly-once.json",
            include_str!("../../static/lessons/10-exactly-once.json"),
        ),
    ]
}

/// The builtin lessons that parse (all of them, as the tests check), in order.
pub fn builtin_lessons() -> Vec<Lesson> {
    builtin()
        .into_iter()
        .filter_map(|(name, text)| parse_lesson(text, name).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narration_marks_bold_and_code() {
        assert_eq!(
            spans("commits every 5 s (`auto.commit.interval.ms`), **or** not"),
            [
                Span::Plain("commits every 5 s ("),
                Span::Code("auto.commit.interval.ms"),
                Span::Plain("), "),
                Span::Bold("or"),
                Span::Plain(" not"),
            ]
        );
        assert_eq!(spans("`a**b`"), [Span::Code("a**b")]);
        assert_eq!(spans("an ` unclosed"), [Span::Plain("an ` unclosed")]);
        assert_eq!(spans(""), []);
        assert_eq!(spans("**x**`y`"), [Span::Bold("x"), Span::Code("y")]);
    }

    const MINIMAL: &str = r#"{
  "id": "t", "title": "T", "summary": "S", "level": "intro", "seed": 1,
  "setup": ["kafka-topics --create --topic news --partitions 1"],
  "steps": [
    {"title": "One", "narration": ["Hello."], "commands": ["produce news a"],
     "task": {"do": {"prompt": "Add a reader.",
       "goal": {"group_members": {"group": "r", "equals": 1}},
       "show_me": ["consumer start r1 --group r --topic news"], "show_me_advance": "5s"}}}
  ]
}"#;

    #[test]
    fn a_minimal_lesson_plays() {
        let lesson = parse_lesson(MINIMAL, "t.json").unwrap();
        let mut console = lesson.console_at(0).unwrap();
        let Some(Task::Goal(task)) = &lesson.steps[0].task else {
            panic!("a goal task");
        };
        assert!(!task.goal.check(console.timeline().state()));
        lesson.show_me(0, &mut console).unwrap();
        assert!(task.goal.check(console.timeline().state()));
        assert!(matches!(
            lesson.console_at(1),
            Err(LessonError::NoSuchStep { .. })
        ));
    }

    #[test]
    fn failing_lines_are_caught() {
        let mut console = Console::new(1);
        assert!(run_checked(&mut console, "kafka-topics --create --topic a").is_ok());
        assert!(run_checked(&mut console, "kafka-topics --create --topic a").is_err());
        assert!(run_checked(
            &mut console,
            "kafka-topics --create --topic b --partitons 2"
        )
        .is_err());
        assert!(run_checked(&mut console, "consumer stop nobody").is_err());
        assert!(run_checked(&mut console, "consumer set nobody").is_err());
        assert!(run_checked(&mut console, "nonsense").is_err());
        assert!(run_checked(&mut console, "step back").is_err());
        assert!(run_checked(&mut console, "kafka-console-producer --topic a").is_err());
        assert!(run_checked(&mut console, "produce a x").is_ok());
        assert!(run_checked(
            &mut console,
            "kafka-console-consumer --topic a --from-beginning --max-messages 1"
        )
        .is_ok());
        assert!(run_checked(&mut console, "kafka-console-consumer --topic a --offset 3").is_err());
    }

    #[test]
    fn an_illustration_is_read_and_an_unknown_one_is_named() {
        let with = MINIMAL.replace(
            r#""title": "One","#,
            r#""title": "One", "illustration": "old-way","#,
        );
        let lesson = parse_lesson(&with, "t.json").unwrap();
        assert_eq!(lesson.steps[0].illustration, Some(Illustration::OldWay));
        assert_eq!(
            parse_lesson(MINIMAL, "t.json").unwrap().steps[0].illustration,
            None
        );

        let wrong = MINIMAL.replace(
            r#""title": "One","#,
            r#""title": "One", "illustration": "cartoon","#,
        );
        let message = parse_lesson(&wrong, "t.json").unwrap_err().to_string();
        assert!(message.contains("steps[0].illustration"), "{message}");
        assert!(message.contains("old-way"), "{message}");
    }

    #[test]
    fn highlights_are_checked() {
        assert_eq!(
            parse_highlight("partition:orders-1"),
            Some(("partition", "orders-1"))
        );
        assert_eq!(
            parse_highlight("consumer:payment-2"),
            Some(("consumer", "payment-2"))
        );
        assert_eq!(parse_highlight("partition:orders"), None);
        assert_eq!(parse_highlight("broker:1"), None);
        assert_eq!(parse_highlight("topic:"), None);
    }
}
