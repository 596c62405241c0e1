//! The URL fragment: `s1.` and base64url of zlib-compressed JSON, with runs of `Advance`
//! written as numbers.

use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use super::base64url::{base64url_decode, base64url_encode};
use super::capped::{json_error, Capped, STEP_BEING_READ};
use super::error::{Origin, ShareError, ShareErrorKind};
use super::{Encoding, Scenario, MAX_DECODED_BYTES, SCENARIO_VERSION, URL_FRAGMENT_BUDGET};
use crate::engine::Command;

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
pub(super) fn prefix() -> String {
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
    // As in `to_json`, serializing cannot fail. The pretty writer, then its layout
    // removed: the same bytes as `serde_json::to_vec`, with the file's writer of commands
    // rather than a second one (about 3 KB of the gzipped download).
    let pretty = serde_json::to_vec_pretty(&wire).expect("a scenario always serializes to JSON");
    let json = without_layout(&pretty);
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&json, 9);
    let mut out = prefix();
    base64url_encode(&compressed, &mut out);
    out
}

/// Pretty-printed JSON without its layout: the spaces and newlines outside strings
/// removed, which gives exactly what `serde_json`'s compact writer writes (inside a
/// string a newline is always escaped, and a space is kept).
fn without_layout(pretty: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(pretty.len());
    let mut in_string = false;
    let mut escaped = false;
    for &byte in pretty {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
        } else if byte == b'"' {
            in_string = true;
        } else if byte == b' ' || byte == b'\n' {
            continue;
        }
        out.push(byte);
    }
    out
}

/// Reads a fragment written by [`to_url_fragment`]. A leading `#`, or a whole URL, is
/// accepted: everything up to the first `#` is ignored.
pub fn from_url_fragment(text: &str) -> Result<Scenario, ShareError> {
    read_fragment(text, Origin::Link)
}

pub(super) fn read_fragment(text: &str, origin: Origin) -> Result<Scenario, ShareError> {
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
pub(super) fn inflate(compressed: &[u8]) -> Result<Vec<u8>, ShareErrorKind> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ProducerStream;

    /// Strings that a layout remover could get wrong: spaces, escaped quotes and
    /// backslashes, control characters, and text outside ASCII.
    fn awkward(i: usize) -> String {
        [
            "a \"quoted\" word",
            "back\\slash \\\" end",
            "line\nbreak\ttab  ",
            "ü 💥 \u{7f}",
            "",
            " ",
        ][i % 6]
            .to_string()
    }

    #[test]
    fn a_link_holds_the_same_json_as_the_compact_writer_gives() {
        let mut commands = vec![
            Command::CreateTopic {
                name: awkward(0),
                partitions: 3,
                configs: vec![(awkward(1), awkward(2))],
            },
            Command::SetProducerStream {
                producer: awkward(3),
                stream: Some(ProducerStream {
                    topic: awkward(4),
                    millirecords_per_second: 2_000,
                    key_pool: 8,
                    key_prefix: awkward(5),
                }),
            },
            Command::AlterTopicConfig {
                topic: "t".into(),
                set: vec![],
                delete: vec![],
            },
        ];
        for i in 0..12 {
            commands.push(Command::Produce {
                producer: (i % 2 == 0).then(|| awkward(i)),
                topic: awkward(i + 1),
                partition: (i % 3 == 0).then_some(-(i as i64)),
                key: Some(awkward(i + 2)),
                value: (i % 4 != 0).then(|| awkward(i + 3)),
                headers: vec![(awkward(i + 4), awkward(i + 5))],
            });
            for _ in 0..i {
                commands.push(Command::Advance { ticks: 1 });
            }
            commands.push(Command::Advance { ticks: 7 });
        }
        for title in [None, Some(awkward(0)), Some(awkward(2))] {
            let scenario = Scenario {
                version: SCENARIO_VERSION,
                seed: 42,
                commands: commands.clone(),
                cursor: 5,
                title,
            };
            for encoding in [Encoding::Full, Encoding::Compact] {
                let scenario = scenario.encoded(encoding);
                let wire = WireOut {
                    seed: scenario.seed,
                    cursor: scenario.cursor,
                    title: scenario.title.as_deref(),
                    steps: RunLength(&scenario.commands),
                };
                let pretty = serde_json::to_vec_pretty(&wire).unwrap();
                assert_eq!(
                    String::from_utf8(without_layout(&pretty)).unwrap(),
                    serde_json::to_string(&wire).unwrap()
                );
            }
        }
    }
}
