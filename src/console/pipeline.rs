//! The simulator's `pipeline` command: a consume-transform-produce processor
//! (`crate::engine::txn::pipeline`), added, crashed, started again and stopped, and listed.

use super::args::{self, flag, value, OptSpec};
use super::sim::narrate;
use super::Console;
use crate::engine::consumer::{format_thousandths, parse_thousandths};
use crate::engine::txn::pipeline::{Guarantee, PipelineCommand, PipelineSpec};
use crate::engine::Command;

/// Subcommands of `pipeline`.
pub(super) const PIPELINE_SUBCOMMANDS: [&str; 5] = ["add", "crash", "list", "start", "stop"];

pub(super) const PIPELINE_OPTIONS: [OptSpec; 6] = [
    value("from"),
    value("to"),
    value("group"),
    value("rate"),
    flag("exactly-once"),
    flag("verbose"),
];

const PIPELINE_USAGE: &str = "Usage: pipeline add <name> --from <topic> --to <topic> --group <group> [--exactly-once] [--rate R]\n       pipeline crash|start|stop <name> | pipeline list\n";

/// Parses `pipeline …` (`list` changes nothing: no command).
pub(super) fn pipeline_parse(words: &[String]) -> Result<Vec<Command>, String> {
    let Some((sub, rest)) = words.split_first() else {
        return Err(PIPELINE_USAGE.into());
    };
    if !PIPELINE_SUBCOMMANDS.contains(&sub.as_str()) {
        return Err(match args::closest(sub, &PIPELINE_SUBCOMMANDS) {
            Some(best) => {
                format!("Unknown subcommand: pipeline {sub}. Did you mean pipeline {best}?\n")
            }
            None => format!("Unknown subcommand: pipeline {sub}. Try: help pipeline\n"),
        });
    }
    let p = args::parse(rest, &PIPELINE_OPTIONS).map_err(|e| format!("{e}\n"))?;
    if sub == "list" {
        return Ok(Vec::new());
    }
    let (Some(name), 1) = (p.positional.first().cloned(), p.positional.len()) else {
        return Err(PIPELINE_USAGE.into());
    };
    let command = match sub.as_str() {
        "add" => {
            let (Some(from), Some(to), Some(group)) =
                (p.value("from"), p.value("to"), p.value("group"))
            else {
                return Err(PIPELINE_USAGE.into());
            };
            let rate = match p.value("rate") {
                None => None,
                Some(r) => match parse_thousandths(r) {
                    Some(v) if v > 0 => Some(v),
                    _ => {
                        return Err(format!(
                            "--rate is records per second, more than 0, not {r}\n"
                        ))
                    }
                },
            };
            PipelineCommand::Add(PipelineSpec {
                name,
                from_topic: from.to_string(),
                to_topic: to.to_string(),
                group: group.to_string(),
                guarantee: if p.has("exactly-once") {
                    Guarantee::ExactlyOnce
                } else {
                    Guarantee::AtLeastOnce
                },
                millirecords_per_second: rate,
            })
        }
        "crash" => PipelineCommand::Crash { name },
        "start" => PipelineCommand::Start { name },
        _ => PipelineCommand::Stop { name },
    };
    Ok(vec![Command::Pipeline(command)])
}

/// The console line of a pipeline command.
pub(super) fn pipeline_line(command: &PipelineCommand) -> super::lines::LineBuilder {
    use super::lines::LineBuilder;
    match command {
        PipelineCommand::Add(spec) => {
            let line = LineBuilder::new(&["pipeline", "add"])
                .positional(&spec.name)
                .opt("from", &spec.from_topic)
                .opt("to", &spec.to_topic)
                .opt("group", &spec.group);
            let line = if spec.guarantee == Guarantee::ExactlyOnce {
                line.flag("exactly-once")
            } else {
                line
            };
            let rate = spec.millirecords_per_second.map(format_thousandths);
            line.opt_if("rate", rate.as_deref())
        }
        PipelineCommand::Crash { name } => {
            LineBuilder::new(&["pipeline", "crash"]).positional(name)
        }
        PipelineCommand::Start { name } => {
            LineBuilder::new(&["pipeline", "start"]).positional(name)
        }
        PipelineCommand::Stop { name } => LineBuilder::new(&["pipeline", "stop"]).positional(name),
    }
}

impl Console {
    /// `pipeline …`.
    pub(super) fn pipeline_command(&mut self, words: &[String]) -> String {
        if words.first().map(String::as_str) == Some("list") {
            return self.pipeline_list();
        }
        match pipeline_parse(words) {
            Ok(commands) => commands
                .into_iter()
                .map(|c| narrate(&self.apply(c), true))
                .collect(),
            Err(text) => text,
        }
    }

    fn pipeline_list(&self) -> String {
        let state = self.timeline.state();
        if state.pipelines.is_empty() {
            return "No pipelines.\n".into();
        }
        let rows: Vec<Vec<String>> = state
            .pipelines
            .values()
            .map(|p| {
                vec![
                    p.spec.name.clone(),
                    p.spec.from_topic.clone(),
                    p.spec.to_topic.clone(),
                    p.spec.group.clone(),
                    p.spec.guarantee.as_str().to_string(),
                    p.status.name().to_string(),
                    p.records_processed.to_string(),
                    p.commits.to_string(),
                    p.aborts.to_string(),
                ]
            })
            .collect();
        super::transactions::pretty_table(
            &[
                "NAME",
                "FROM",
                "TO",
                "GROUP",
                "GUARANTEE",
                "STATUS",
                "PROCESSED",
                "COMMITS",
                "ABORTS",
            ],
            &rows,
        )
    }
}
