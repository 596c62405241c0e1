//! Colours: one per consumer (consistent everywhere) and one per record key.

use crate::engine::partitioner::murmur2;

/// Consumer colours, distinct in light and dark themes and for common colour-vision types.
pub const CONSUMER_COLOURS: [&str; 12] = [
    "#2563eb", "#ea580c", "#16a34a", "#db2777", "#7c3aed", "#0891b2", "#ca8a04", "#dc2626",
    "#4f46e5", "#059669", "#9333ea", "#0d9488",
];

/// Key colours (soft fills) so records with the same key look alike.
const KEY_COLOURS: [&str; 10] = [
    "#bfdbfe", "#fed7aa", "#bbf7d0", "#fbcfe8", "#ddd6fe", "#a5f3fc", "#fef08a", "#fecaca",
    "#c7d2fe", "#99f6e4",
];

pub fn consumer_colour(index: usize) -> &'static str {
    CONSUMER_COLOURS[index % CONSUMER_COLOURS.len()]
}

pub fn key_colour(key: Option<&str>) -> &'static str {
    match key {
        None => "#e2e8f0",
        Some(k) => KEY_COLOURS[(murmur2(k.as_bytes()) as u32 as usize) % KEY_COLOURS.len()],
    }
}

/// Shortens a label to `max` characters with an ellipsis.
pub fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}
