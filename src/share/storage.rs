//! The autosave: the full fragment, read back also from the JSON file format.

use super::error::{Origin, ShareError};
use super::file::read_json;
use super::fragment::{read_fragment, to_url_fragment_with};
use super::{Encoding, Scenario};

/// The text the autosave keeps: always the full fragment, so no step is lost.
pub fn to_storage(scenario: &Scenario) -> String {
    to_url_fragment_with(scenario, Encoding::Full)
}

/// Reads an autosave: a fragment as written by [`to_storage`], or a JSON document.
pub fn from_storage(text: &str) -> Result<Scenario, ShareError> {
    if text.trim_start().starts_with('{') {
        read_json(text, Origin::Storage)
    } else {
        read_fragment(text, Origin::Storage)
    }
}
