//! Texts in links (a teacher's lesson file): compressed like a fragment, under a prefix of
//! the caller's choosing.

use super::base64url::{base64url_decode, base64url_encode};
use super::error::{Origin, ShareError, ShareErrorKind};
use super::fragment::inflate;

/// Packs a text for a URL fragment: `prefix` + base64url(zlib(text)).
pub fn pack_text(prefix: &str, text: &str) -> String {
    let mut out = prefix.to_string();
    base64url_encode(
        &miniz_oxide::deflate::compress_to_vec_zlib(text.as_bytes(), 9),
        &mut out,
    );
    out
}

/// Unpacks what [`pack_text`] made; the error says what is wrong with the link.
pub fn unpack_text(prefix: &str, fragment: &str) -> Result<String, String> {
    let fragment = fragment.trim().trim_start_matches('#');
    let body = fragment
        .strip_prefix(prefix)
        .ok_or_else(|| format!("This link does not start with {prefix}"))?;
    let bytes = base64url_decode(body, prefix.len())
        .map_err(|e| ShareError::new(Origin::Link, ShareErrorKind::Damaged(e)).to_string())?;
    let text = inflate(&bytes).map_err(|kind| ShareError::new(Origin::Link, kind).to_string())?;
    String::from_utf8(text).map_err(|_| "This link is damaged: its text is not UTF-8".to_string())
}

#[cfg(test)]
mod packed_text_tests {
    use super::*;

    #[test]
    fn texts_round_trip_and_damage_is_reported() {
        let text = "{\"id\": \"my-lesson\", \"title\": \"Ünïcode\"}";
        let packed = pack_text("l1.", text);
        assert!(packed.starts_with("l1."));
        assert_eq!(unpack_text("l1.", &format!("#{packed}")).unwrap(), text);
        assert!(unpack_text("l1.", "l1.!!!")
            .unwrap_err()
            .contains("damaged"));
        assert!(unpack_text("l1.", &packed[..packed.len() - 3]).is_err());
        assert!(unpack_text("l1.", "s1.abc")
            .unwrap_err()
            .contains("does not start"));
    }
}
