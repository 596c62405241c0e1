//! Dates and durations for the console: simulated milliseconds since the Unix epoch
//! written and read as UTC dates, ISO-8601 durations (`PT1M`) as `--by-duration` takes
//! them, and the simulator's own `5s`, `2m`, `30` (ticks) for `clock advance`.

use crate::engine::time::MS_PER_TICK;

/// The years a date may name: Java's `Year.MIN_VALUE..=Year.MAX_VALUE`. Within them the day
/// arithmetic below cannot overflow; the milliseconds may, and are checked.
const YEARS: std::ops::RangeInclusive<i64> = -999_999_999..=999_999_999;

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm), for a year in
/// [`YEARS`], a month in 1..=12 and a day in 1..=31.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `2024-01-01T00:00:05.000Z`.
pub fn format_utc(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rest = ms.rem_euclid(86_400_000);
    let (y, mo, d) = civil_from_days(days);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000
    )
}

/// Parses `YYYY-MM-DDTHH:mm:SS.sss` (Kafka's `--to-datetime` format) as UTC; a trailing
/// `Z` is accepted, and the seconds' fraction may be left out.
pub fn parse_datetime(text: &str) -> Option<i64> {
    let text = text.strip_suffix('Z').unwrap_or(text);
    let (date, time) = text.split_once('T')?;
    let mut date_parts = date.split('-');
    let year: i64 = date_parts.next()?.parse().ok()?;
    let month: i64 = date_parts.next()?.parse().ok()?;
    let day: i64 = date_parts.next()?.parse().ok()?;
    if date_parts.next().is_some()
        || !YEARS.contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
    {
        return None;
    }
    let (hms, fraction) = time.split_once('.').unwrap_or((time, "0"));
    let mut time_parts = hms.split(':');
    let hour: i64 = time_parts.next()?.parse().ok()?;
    let minute: i64 = time_parts.next()?.parse().ok()?;
    let second: i64 = time_parts.next()?.parse().ok()?;
    if time_parts.next().is_some()
        || !(0..=23).contains(&hour)
        || !(0..=59).contains(&minute)
        || !(0..=59).contains(&second)
    {
        return None;
    }
    if fraction.is_empty() || fraction.len() > 3 || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let millis: i64 = format!("{fraction:0<3}").parse().ok()?;
    let days = days_from_civil(year, month, day);
    let time_of_day_ms = hour * 3_600_000 + minute * 60_000 + second * 1000 + millis;
    days.checked_mul(86_400_000)?.checked_add(time_of_day_ms)
}

/// Parses an ISO-8601 duration as Java's `Duration.parse` does (`PnDTnHnMn.nS`), in ms.
pub fn parse_iso_duration(text: &str) -> Option<i64> {
    let upper = text.to_ascii_uppercase();
    let (negative, rest) = match upper.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, upper.strip_prefix('+').unwrap_or(&upper)),
    };
    let rest = rest.strip_prefix('P')?;
    let (date_part, time_part) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return None,
        None => (rest, None),
    };
    let mut total: i64 = 0;
    let mut any = false;
    if !date_part.is_empty() {
        let days: i64 = date_part.strip_suffix('D')?.parse().ok()?;
        total = total.checked_add(days.checked_mul(86_400_000)?)?;
        any = true;
    }
    if let Some(mut t) = time_part {
        for (unit, ms) in [('H', 3_600_000_i64), ('M', 60_000)] {
            if let Some(pos) = t.find(unit) {
                let n: i64 = t[..pos].parse().ok()?;
                total = total.checked_add(n.checked_mul(ms)?)?;
                t = &t[pos + 1..];
                any = true;
            }
        }
        if let Some(seconds) = t.strip_suffix('S') {
            let (whole, frac) = seconds.split_once('.').unwrap_or((seconds, ""));
            let negative_seconds = whole.starts_with('-');
            let whole: i64 = whole.parse().ok()?;
            if frac.len() > 9 || !frac.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let millis: i64 = if frac.is_empty() {
                0
            } else {
                format!("{:0<3}", &frac[..frac.len().min(3)]).parse().ok()?
            };
            // Java reads `PT-0.5S` as minus half a second: the fraction takes the sign.
            let millis = if negative_seconds { -millis } else { millis };
            total = total.checked_add(whole.checked_mul(1000)?.checked_add(millis)?)?;
            any = true;
        } else if !t.is_empty() {
            return None;
        }
    }
    if !any {
        return None;
    }
    if negative {
        total.checked_neg()
    } else {
        Some(total)
    }
}

/// The simulator's durations: `30` (ticks), `500ms`, `5s`, `2m`, `1h`; returns ticks.
pub fn parse_ticks(text: &str) -> Option<u32> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    if number.is_empty() {
        return None;
    }
    let ms_per_unit: f64 = match unit {
        "" | "t" | "tick" | "ticks" => return number.parse().ok(),
        "ms" => 1.0,
        "s" => 1000.0,
        "m" | "min" => 60_000.0,
        "h" => 3_600_000.0,
        _ => return None,
    };
    let value: f64 = number.parse().ok()?;
    let ticks = (value * ms_per_unit / MS_PER_TICK as f64).ceil();
    (ticks.is_finite() && ticks >= 0.0 && ticks <= f64::from(u32::MAX)).then_some(ticks as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::EPOCH_MS;

    #[test]
    fn dates_round_trip() {
        assert_eq!(format_utc(EPOCH_MS), "2024-01-01T00:00:00.000Z");
        assert_eq!(format_utc(EPOCH_MS + 5_100), "2024-01-01T00:00:05.100Z");
        assert_eq!(parse_datetime("2024-01-01T00:00:00.000"), Some(EPOCH_MS));
        assert_eq!(
            parse_datetime("2024-03-01T12:30:15.5Z"),
            Some(1_709_296_215_500)
        );
        assert_eq!(format_utc(1_709_296_215_500), "2024-03-01T12:30:15.500Z");
        assert_eq!(parse_datetime("2024-13-01T00:00:00.000"), None);
        assert_eq!(parse_datetime("yesterday"), None);
    }

    #[test]
    fn absurd_dates_are_refused_not_overflowed() {
        assert_eq!(parse_datetime("300000000-01-01T00:00:00"), None);
        assert_eq!(parse_datetime("999999999999-01-01T00:00:00"), None);
        assert_eq!(parse_datetime("-300000000-01-01T00:00:00"), None);
        assert_eq!(parse_datetime("2024-01-01T-1:00:00"), None);
        // The largest year whose milliseconds fit in a long is still a date.
        let far = parse_datetime("292278994-01-01T00:00:00").unwrap();
        assert_eq!(format_utc(far), "292278994-01-01T00:00:00.000Z");
        for ms in [i64::MIN, i64::MAX, 0, -1] {
            assert!(!format_utc(ms).is_empty());
        }
    }

    #[test]
    fn iso_durations() {
        assert_eq!(parse_iso_duration("PT1M"), Some(60_000));
        assert_eq!(parse_iso_duration("P1DT2H3M4.5S"), Some(93_784_500));
        assert_eq!(parse_iso_duration("PT0.25S"), Some(250));
        assert_eq!(parse_iso_duration("P"), None);
        assert_eq!(parse_iso_duration("1M"), None);
        assert_eq!(parse_iso_duration("PT-0.5S"), Some(-500));
        assert_eq!(parse_iso_duration("-PT1S"), Some(-1000));
        assert_eq!(parse_iso_duration("P106751991167301D"), None);
        assert_eq!(parse_iso_duration("-PT-9223372036854775.808S"), None);
    }

    #[test]
    fn simulator_durations() {
        assert_eq!(parse_ticks("30"), Some(30));
        assert_eq!(parse_ticks("5s"), Some(50));
        assert_eq!(parse_ticks("2m"), Some(1200));
        assert_eq!(parse_ticks("250ms"), Some(3));
        assert_eq!(parse_ticks("soon"), None);
        assert_eq!(parse_ticks("5x"), None);
    }
}
