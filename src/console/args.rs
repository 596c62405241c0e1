//! Option parsing in the style of joptsimple, which Kafka's tools use: `--name value` or
//! `--name=value`, flags without values, repeated options, and unique prefixes of option
//! names accepted as abbreviations. Unknown options get the closest valid name.

/// Whether an option takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    Flag,
    Value,
    /// A value only if the next word does not look like an option (`--state [Stable]`).
    OptionalValue,
}

/// One option a tool accepts.
#[derive(Debug, Clone, Copy)]
pub struct OptSpec {
    pub name: &'static str,
    pub arity: Arity,
}

pub const fn flag(name: &'static str) -> OptSpec {
    OptSpec {
        name,
        arity: Arity::Flag,
    }
}

pub const fn value(name: &'static str) -> OptSpec {
    OptSpec {
        name,
        arity: Arity::Value,
    }
}

pub const fn optional_value(name: &'static str) -> OptSpec {
    OptSpec {
        name,
        arity: Arity::OptionalValue,
    }
}

/// The options and positional words of one command, in the order given.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub opts: Vec<(&'static str, Option<String>)>,
    pub positional: Vec<String>,
}

impl Parsed {
    pub fn has(&self, name: &str) -> bool {
        self.opts.iter().any(|(n, _)| *n == name)
    }

    /// The last value given for an option.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.opts
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Every value given for a repeatable option, in order.
    pub fn values(&self, name: &str) -> Vec<&str> {
        self.opts
            .iter()
            .filter(|(n, _)| *n == name)
            .filter_map(|(_, v)| v.as_deref())
            .collect()
    }
}

/// Parses `words` (the words after the tool's name) against `specs`. A lone `--` ends
/// the options, as in joptsimple: every word after it is positional, even one that
/// starts with `--`.
pub fn parse(words: &[String], specs: &[OptSpec]) -> Result<Parsed, String> {
    let mut parsed = Parsed::default();
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        i += 1;
        if word == "--" {
            parsed.positional.extend(words[i..].iter().cloned());
            break;
        }
        let Some(body) = word.strip_prefix("--").filter(|b| !b.is_empty()) else {
            parsed.positional.push(word.clone());
            continue;
        };
        let (name, inline_value) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        let spec = resolve(name, specs)?;
        let value = match spec.arity {
            Arity::Flag => {
                if inline_value.is_some() {
                    return Err(format!("Option {} does not take an argument", spec.name));
                }
                None
            }
            Arity::Value => match inline_value {
                Some(v) => Some(v),
                None => match words.get(i) {
                    Some(next) if !next.starts_with("--") => {
                        i += 1;
                        Some(next.clone())
                    }
                    _ => return Err(format!("Option {} requires an argument", spec.name)),
                },
            },
            Arity::OptionalValue => match inline_value {
                Some(v) => Some(v),
                None => match words.get(i) {
                    Some(next) if !next.starts_with('-') => {
                        i += 1;
                        Some(next.clone())
                    }
                    _ => None,
                },
            },
        };
        parsed.opts.push((spec.name, value));
    }
    Ok(parsed)
}

/// An exact option name, else a unique prefix of one (joptsimple's abbreviations).
fn resolve(name: &str, specs: &[OptSpec]) -> Result<OptSpec, String> {
    if let Some(spec) = specs.iter().find(|s| s.name == name) {
        return Ok(*spec);
    }
    let mut prefixed = specs.iter().filter(|s| s.name.starts_with(name));
    if let (Some(only), None) = (prefixed.next(), prefixed.next()) {
        return Ok(*only);
    }
    let names: Vec<&str> = specs.iter().map(|s| s.name).collect();
    Err(match closest(name, &names) {
        Some(best) => format!("Unrecognized option: --{name}. Did you mean --{best}?"),
        None => format!("Unrecognized option: --{name}"),
    })
}

/// Parses an admin tool's line and refuses words that are no option's value, as Kafka's
/// command classes do; `shown` formats joptsimple's message and exception class the way that
/// tool prints them.
pub fn parse_tool_line(
    words: &[String],
    specs: &[OptSpec],
    shown: fn(&str, &str) -> String,
) -> Result<Parsed, String> {
    let p = parse(words, specs).map_err(|e| {
        let (message, exception) = jopt_error(&e);
        shown(&message, exception)
    })?;
    if let Some(extra) = p.positional.first() {
        return Err(format!("Found non argument parameters: {extra}\n"));
    }
    Ok(p)
}

/// A joptsimple exception the tool does not catch: the JVM prints it.
pub fn uncaught(message: &str, exception: &str) -> String {
    format!("Exception in thread \"main\" {exception}: {message}\n")
}

/// Whether exactly one of a tool's actions is on the line.
pub fn one_action(p: &Parsed, actions: &[&str]) -> bool {
    actions.iter().filter(|a| p.has(a)).count() == 1
}

/// A `parse` error as Kafka's tools show it: joptsimple's message (without the simulator's
/// "Did you mean" hint) and the exception class joptsimple throws.
pub fn jopt_error(error: &str) -> (String, &'static str) {
    if let Some(rest) = error.strip_prefix("Unrecognized option: --") {
        let name = rest.split(". Did you mean").next().unwrap_or(rest);
        return (
            format!("{name} is not a recognized option"),
            "joptsimple.UnrecognizedOptionException",
        );
    }
    if error.ends_with("requires an argument") {
        return (
            error.to_string(),
            "joptsimple.OptionMissingRequiredArgumentException",
        );
    }
    (error.to_string(), "joptsimple.OptionException")
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: [OptSpec; 4] = [
        flag("create"),
        value("topic"),
        value("partitions"),
        optional_value("state"),
    ];

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn values_flags_and_abbreviations() {
        let p = parse(&words("--create --topic=a --partition 3 --state"), &SPECS).unwrap();
        assert!(p.has("create"));
        assert_eq!(p.value("topic"), Some("a"));
        assert_eq!(p.value("partitions"), Some("3"));
        assert!(p.has("state"));
        assert_eq!(p.value("state"), None);
    }

    #[test]
    fn a_double_dash_ends_the_options() {
        let p = parse(&words("--topic a -- --create b"), &SPECS).unwrap();
        assert_eq!(p.value("topic"), Some("a"));
        assert!(!p.has("create"));
        assert_eq!(p.positional, ["--create", "b"]);
    }

    #[test]
    fn errors_name_the_closest_option() {
        assert_eq!(
            parse(&words("--partitons 3"), &SPECS).unwrap_err(),
            "Unrecognized option: --partitons. Did you mean --partitions?"
        );
        assert_eq!(
            parse(&words("--topic"), &SPECS).unwrap_err(),
            "Option topic requires an argument"
        );
        assert_eq!(
            parse(&words("--xyzzy"), &SPECS).unwrap_err(),
            "Unrecognized option: --xyzzy"
        );
    }

    #[test]
    fn kafka_tools_word_errors_as_joptsimple() {
        let unknown = parse(&words("--partitons 3"), &SPECS).unwrap_err();
        assert_eq!(
            jopt_error(&unknown),
            (
                "partitons is not a recognized option".to_string(),
                "joptsimple.UnrecognizedOptionException"
            )
        );
        let missing = parse(&words("--topic"), &SPECS).unwrap_err();
        assert_eq!(
            jopt_error(&missing).1,
            "joptsimple.OptionMissingRequiredArgumentException"
        );
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(
            closest("kafka-topic", &["kafka-topics", "kafka-configs"]),
            Some("kafka-topics")
        );
    }
}
