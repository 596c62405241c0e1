//! The JSON file: the pretty-printed [`Scenario`], for export, import and editing by hand.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use super::capped::{json_error, Capped, STEP_BEING_READ};
use super::error::{Origin, ShareError, ShareErrorKind};
use super::{Scenario, MAX_DECODED_BYTES, SCENARIO_VERSION};

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

pub(super) fn read_json(text: &str, origin: Origin) -> Result<Scenario, ShareError> {
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
