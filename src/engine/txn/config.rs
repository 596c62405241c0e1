//! A producer's delivery configs and Kafka 4.4.0's `ProducerConfig`
//! `postProcessAndValidateIdempotenceConfigs` (SEMANTICS-4 §D.1): idempotence is on by
//! default; `acks` other than `all` or `retries=0` turn it off silently when the user did not
//! set `enable.idempotence`, and refuse the config when they did; more than 5 requests in
//! flight is refused whenever idempotence is on by its setting; a `transactional.id` needs
//! idempotence.

use serde::{Deserialize, Serialize};

/// `transaction.max.timeout.ms`, the broker's cap on a producer's transaction timeout.
pub const TRANSACTION_MAX_TIMEOUT_MS: i64 = 900_000;

/// The producer configs the simulator models, Kafka's defaults unless set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerConfigs {
    /// `enable.idempotence` as the user set it (`None`: not set, default true).
    pub enable_idempotence: Option<bool>,
    /// `acks`: -1 (`all`), 0 or 1.
    pub acks: i16,
    pub retries: i32,
    pub max_in_flight: i32,
    /// `delivery.timeout.ms` as the user set it (`None`: 120000).
    pub delivery_timeout_ms: Option<i64>,
    pub request_timeout_ms: i64,
    pub linger_ms: i64,
    /// `retry.backoff.ms`: the wait before the first retry, doubled after each (KIP-580).
    #[serde(default = "default_retry_backoff_ms")]
    pub retry_backoff_ms: i64,
    /// `retry.backoff.max.ms`: the most a retry waits.
    #[serde(default = "default_retry_backoff_max_ms")]
    pub retry_backoff_max_ms: i64,
    pub transactional_id: Option<String>,
    pub transaction_timeout_ms: i64,
}

impl Default for ProducerConfigs {
    fn default() -> Self {
        Self {
            enable_idempotence: None,
            acks: -1,
            retries: i32::MAX,
            max_in_flight: 5,
            delivery_timeout_ms: None,
            request_timeout_ms: 30_000,
            linger_ms: 5,
            retry_backoff_ms: default_retry_backoff_ms(),
            retry_backoff_max_ms: default_retry_backoff_max_ms(),
            transactional_id: None,
            transaction_timeout_ms: super::super::transactions::TRANSACTION_TIMEOUT_MS,
        }
    }
}

fn default_retry_backoff_ms() -> i64 {
    100
}

fn default_retry_backoff_max_ms() -> i64 {
    1_000
}

/// The producer config keys the simulator understands, for help and completion.
pub const PRODUCER_CONFIGS: [&str; 11] = [
    "acks",
    "delivery.timeout.ms",
    "enable.idempotence",
    "linger.ms",
    "max.in.flight.requests.per.connection",
    "request.timeout.ms",
    "retries",
    "retry.backoff.max.ms",
    "retry.backoff.ms",
    "transaction.timeout.ms",
    "transactional.id",
];

impl ProducerConfigs {
    /// Sets one config with Kafka's `ConfigException` text on a bad value, then checks the
    /// whole as the client's constructor would. All or nothing.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let mut next = self.clone();
        next.assign(key, value)?;
        next.idempotence()?;
        next.delivery_timeout()?;
        *self = next;
        Ok(())
    }

    fn assign(&mut self, key: &str, value: &str) -> Result<(), String> {
        let invalid = |why: &str| format!("Invalid value {value} for configuration {key}: {why}");
        let number = |min: i64, max: i64, kind: &str| -> Result<i64, String> {
            let v: i64 = value
                .trim()
                .parse()
                .ok()
                .filter(|v| (i64::from(i32::MIN)..=max).contains(v))
                .ok_or_else(|| invalid(&format!("Not a number of type {kind}")))?;
            if v < min {
                return Err(invalid(&format!("Value must be at least {min}")));
            }
            Ok(v)
        };
        let int = |min: i64| number(min, i64::from(i32::MAX), "INT");
        let long = |min: i64| number(min, i64::MAX, "LONG");
        match key {
            "enable.idempotence" => {
                self.enable_idempotence = Some(match value.trim().to_ascii_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(invalid("Expected value to be either true or false")),
                })
            }
            "acks" => {
                self.acks = match value.trim().to_ascii_lowercase().as_str() {
                    "all" | "-1" => -1,
                    "0" => 0,
                    "1" => 1,
                    _ => {
                        return Err(invalid(
                            "String must be one of (case insensitive): all, -1, 0, 1",
                        ))
                    }
                }
            }
            "retries" => self.retries = int(0)? as i32,
            "max.in.flight.requests.per.connection" => self.max_in_flight = int(1)? as i32,
            "delivery.timeout.ms" => self.delivery_timeout_ms = Some(int(0)?),
            "request.timeout.ms" => self.request_timeout_ms = int(0)?,
            "linger.ms" => self.linger_ms = long(0)?,
            "retry.backoff.ms" => self.retry_backoff_ms = long(0)?,
            "retry.backoff.max.ms" => self.retry_backoff_max_ms = long(0)?,
            "transaction.timeout.ms" => self.transaction_timeout_ms = int(i64::MIN)?,
            "transactional.id" => {
                let v = value.trim();
                self.transactional_id = (!v.is_empty()).then(|| v.to_string());
            }
            _ => {
                return Err(format!(
                    "Unknown producer config {key}; the simulator knows {}.",
                    PRODUCER_CONFIGS.join(", ")
                ))
            }
        }
        Ok(())
    }

    /// Whether the producer is idempotent, or the `ConfigException` its constructor throws
    /// (`postProcessAndValidateIdempotenceConfigs`, in the 4.4.0 client's order).
    pub fn idempotence(&self) -> Result<bool, String> {
        let user_set = self.enable_idempotence.is_some();
        let mut enabled = self.enable_idempotence.unwrap_or(true);
        if enabled {
            let mut disable = false;
            if self.retries == 0 {
                if user_set {
                    return Err(
                        "Must set retries to non-zero when using the idempotent producer.".into(),
                    );
                }
                disable = true;
            }
            if self.acks != -1 {
                if user_set {
                    return Err("Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.".into());
                }
                disable = true;
            }
            if self.max_in_flight > 5 {
                return Err(format!(
                    "To use the idempotent producer, max.in.flight.requests.per.connection must be set to at most 5. Current value is {}.",
                    self.max_in_flight
                ));
            }
            if disable {
                enabled = false;
            }
        }
        if !enabled && self.transactional_id.is_some() {
            return Err("Cannot set a transactional.id without also enabling idempotence.".into());
        }
        Ok(enabled)
    }

    /// `delivery.timeout.ms`, at least `linger.ms` + `request.timeout.ms`
    /// (`KafkaProducer.configureDeliveryTimeout`: refused when the user set it lower, raised
    /// to the sum otherwise).
    pub fn delivery_timeout(&self) -> Result<i64, String> {
        let floor = self.linger_ms.saturating_add(self.request_timeout_ms);
        match self.delivery_timeout_ms {
            Some(set) if set < floor => Err(
                "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms"
                    .into(),
            ),
            Some(set) => Ok(set),
            None => Ok(120_000_i64.max(floor)),
        }
    }

    /// The wait before the next try after `failed` refused sends: `retry.backoff.ms` doubled
    /// per failure, at most `retry.backoff.max.ms` (the client's `ExponentialBackoff` with
    /// multiplier 2, without its ±20% jitter; an initial wait above the maximum is the maximum).
    pub fn retry_backoff(&self, failed: u32) -> i64 {
        let max = self.retry_backoff_max_ms.max(0);
        let initial = self.retry_backoff_ms.clamp(0, max);
        let factor = 1_i64
            .checked_shl(failed.saturating_sub(1).min(62))
            .unwrap_or(i64::MAX);
        initial.saturating_mul(factor).min(max)
    }

    /// How many times a send is attempted before it fails: one, plus the retries that fit
    /// in `delivery.timeout.ms` when each attempt waits `request.timeout.ms` for its answer.
    pub fn attempts(&self) -> u32 {
        if self.acks == 0 {
            return 1;
        }
        let delivery = self.delivery_timeout().unwrap_or(120_000);
        let by_time = if self.request_timeout_ms <= 0 {
            1
        } else {
            (delivery / self.request_timeout_ms).max(1)
        };
        let by_retries = i64::from(self.retries).saturating_add(1);
        by_time.min(by_retries).clamp(1, 1_000) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(settings: &[(&str, &str)]) -> Result<ProducerConfigs, String> {
        let mut c = ProducerConfigs::default();
        for (k, v) in settings {
            c.set(k, v)?;
        }
        Ok(c)
    }

    #[test]
    fn idempotence_is_on_by_default_and_off_silently_for_acks_1_or_no_retries() {
        assert_eq!(with(&[]).unwrap().idempotence(), Ok(true));
        assert_eq!(with(&[("acks", "1")]).unwrap().idempotence(), Ok(false));
        assert_eq!(with(&[("retries", "0")]).unwrap().idempotence(), Ok(false));
    }

    #[test]
    fn an_explicit_idempotence_refuses_what_contradicts_it() {
        let err = with(&[("enable.idempotence", "true"), ("acks", "1")]).unwrap_err();
        assert!(err.starts_with("Must set acks to all"), "{err}");
        let err = with(&[("enable.idempotence", "true"), ("retries", "0")]).unwrap_err();
        assert!(err.starts_with("Must set retries to non-zero"), "{err}");
    }

    #[test]
    fn six_in_flight_is_refused_even_when_acks_would_turn_idempotence_off() {
        let err = with(&[
            ("acks", "1"),
            ("max.in.flight.requests.per.connection", "6"),
        ])
        .unwrap_err();
        assert!(err.ends_with("Current value is 6."), "{err}");
        let ok = with(&[
            ("enable.idempotence", "false"),
            ("max.in.flight.requests.per.connection", "6"),
        ])
        .unwrap();
        assert_eq!(ok.idempotence(), Ok(false));
    }

    #[test]
    fn a_transactional_id_needs_idempotence() {
        let err = with(&[("acks", "1"), ("transactional.id", "t")]).unwrap_err();
        assert_eq!(
            err,
            "Cannot set a transactional.id without also enabling idempotence."
        );
    }

    #[test]
    fn the_retry_backoff_doubles_up_to_its_maximum() {
        let c = with(&[]).unwrap();
        let waits: Vec<i64> = (1..=6).map(|n| c.retry_backoff(n)).collect();
        assert_eq!(waits, [100, 200, 400, 800, 1000, 1000]);
        let c = with(&[("retry.backoff.ms", "5000")]).unwrap();
        assert_eq!(c.retry_backoff(1), 1000);
        let c = with(&[("retry.backoff.max.ms", "300")]).unwrap();
        assert_eq!(c.retry_backoff(3), 300);
        assert!(with(&[("retry.backoff.ms", "-1")])
            .unwrap_err()
            .ends_with("Value must be at least 0"));
    }

    #[test]
    fn retries_fit_in_the_delivery_timeout() {
        assert_eq!(with(&[]).unwrap().attempts(), 4);
        assert_eq!(with(&[("retries", "1")]).unwrap().attempts(), 2);
        assert_eq!(
            with(&[("enable.idempotence", "false"), ("retries", "0")])
                .unwrap()
                .attempts(),
            1
        );
        assert!(with(&[("delivery.timeout.ms", "1000")]).is_err());
    }
}
