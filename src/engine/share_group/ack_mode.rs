//! `share.acknowledgement.mode`, the share consumer's client config (SEMANTICS-4 §C.4;
//! Kafka 4.4.0 `ShareAcknowledgementMode`, `ShareConsumerImpl`). In `implicit` mode (the
//! default) the application never acknowledges: the next `poll` ACCEPTs the whole batch
//! the last one returned, and `close()` releases it, finished or not. In `explicit` mode
//! the application acknowledges every record (ACCEPT, RELEASE or REJECT) before it polls
//! again, and `close()` sends those acknowledgements and releases the rest.

use serde::{Deserialize, Serialize};

/// The config's name.
pub const ACKNOWLEDGEMENT_MODE: &str = "share.acknowledgement.mode";

/// What `KafkaShareConsumer.acknowledge` throws in implicit mode
/// (`ShareConsumerImpl.ensureExplicitAcknowledgement`).
pub const IMPLICIT_ACKNOWLEDGE: &str = "Implicit acknowledgement of delivery is being used.";

/// What `poll` throws in explicit mode while a record of the last batch is unacknowledged
/// (`ShareConsumerImpl.ensureInFlightAcknowledgedIfExplicitAcknowledgement`).
pub const EXPLICIT_UNACKNOWLEDGED: &str =
    "All records must be acknowledged in explicit acknowledgement mode.";

/// `ShareAcknowledgementMode.AcknowledgementMode`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcknowledgementMode {
    #[default]
    Implicit,
    Explicit,
}

impl AcknowledgementMode {
    /// The config value.
    pub fn name(self) -> &'static str {
        match self {
            AcknowledgementMode::Implicit => "implicit",
            AcknowledgementMode::Explicit => "explicit",
        }
    }

    /// `ShareAcknowledgementMode.fromString`: the lower-case names only (`EXPLICIT` is
    /// refused); the error is the `ConfigException` the consumer's constructor throws.
    pub fn parse(value: &str) -> Result<Self, String> {
        match value {
            "implicit" => Ok(AcknowledgementMode::Implicit),
            "explicit" => Ok(AcknowledgementMode::Explicit),
            other => Err(format!(
                "Invalid value {other} for configuration {ACKNOWLEDGEMENT_MODE}: Invalid value `{other}` for configuration {ACKNOWLEDGEMENT_MODE}. The value must either be 'implicit' or 'explicit'."
            )),
        }
    }

    pub fn is_explicit(self) -> bool {
        self == AcknowledgementMode::Explicit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_lower_case_names_parse() {
        assert_eq!(
            AcknowledgementMode::parse("explicit"),
            Ok(AcknowledgementMode::Explicit)
        );
        assert_eq!(
            AcknowledgementMode::parse("implicit"),
            Ok(AcknowledgementMode::Implicit)
        );
        let err = AcknowledgementMode::parse("EXPLICIT").unwrap_err();
        assert!(err.contains("The value must either be 'implicit' or 'explicit'."));
        assert_eq!(
            AcknowledgementMode::default(),
            AcknowledgementMode::Implicit
        );
    }
}
