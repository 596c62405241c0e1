//! Base64url without padding (RFC 4648 §5).

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Appends the base64url text of `bytes`, without padding, to `out`.
pub(super) fn base64url_encode(bytes: &[u8], out: &mut String) {
    out.reserve(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        // One input byte gives two characters, two give three, three give four.
        for i in 0..=chunk.len() {
            out.push(char::from(BASE64URL[(n >> (18 - 6 * i)) as usize & 63]));
        }
    }
}

/// The value of a base64url character.
fn base64url_value(c: char) -> Option<u32> {
    match c {
        'A'..='Z' => Some(c as u32 - 'A' as u32),
        'a'..='z' => Some(c as u32 - 'a' as u32 + 26),
        '0'..='9' => Some(c as u32 - '0' as u32 + 52),
        '-' => Some(62),
        '_' => Some(63),
        _ => None,
    }
}

/// Decodes base64url text; trailing `=` padding is tolerated. On error, returns a
/// message naming the first bad character by its position in the whole input, where
/// `text` starts after `offset` characters.
pub(super) fn base64url_decode(text: &str, offset: usize) -> Result<Vec<u8>, String> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut len = 0;
    for (i, c) in text.chars().enumerate() {
        let Some(value) = base64url_value(c) else {
            let shown = if c.is_control() || c.is_whitespace() {
                format!("{c:?}")
            } else {
                format!("`{c}`")
            };
            return Err(format!(
                "it is not valid base64 (character {} is {shown})",
                offset + i + 1
            ));
        };
        acc = (acc << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
        len += 1;
    }
    if len % 4 == 1 {
        return Err("it is cut short (its base64 text has an impossible length)".into());
    }
    Ok(out)
}
