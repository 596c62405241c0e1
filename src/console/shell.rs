//! Splitting a console line into words the way a POSIX shell does: single quotes keep
//! everything literally, double quotes allow `\"` and `\\`, a backslash outside quotes
//! escapes the next character, and unquoted whitespace separates words.

/// The words of a line, or bash's message for an unterminated quote.
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut current = String::new();
    // Whether a word has started (so `''` gives an empty word).
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(other) => current.push(other),
                        None => {
                            return Err("unexpected EOF while looking for matching `''".to_string())
                        }
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(escaped @ ('"' | '\\' | '$' | '`')) => current.push(escaped),
                            Some(other) => {
                                current.push('\\');
                                current.push(other);
                            }
                            None => {
                                return Err(
                                    "unexpected EOF while looking for matching `\"'".to_string()
                                )
                            }
                        },
                        Some(other) => current.push(other),
                        None => {
                            return Err("unexpected EOF while looking for matching `\"'".to_string())
                        }
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(escaped) = chars.next() {
                    current.push(escaped);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            other => {
                in_word = true;
                current.push(other);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    Ok(words)
}

/// Quotes a word so that [`split_words`] gives it back unchanged (for completion).
pub fn quote_if_needed(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.,:=/@+%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        split_words(line).unwrap()
    }

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(words("  a  b\tc "), ["a", "b", "c"]);
        assert_eq!(words("say 'hello world'"), ["say", "hello world"]);
        assert_eq!(
            words(r#"say "a \"quoted\" word""#),
            ["say", r#"a "quoted" word"#]
        );
        assert_eq!(words(r"a\ b c"), ["a b", "c"]);
        assert_eq!(words("x '' y"), ["x", "", "y"]);
        assert_eq!(words("--opt='a b'"), ["--opt=a b"]);
        assert_eq!(words(r#""\n""#), [r"\n"]);
        assert!(words("").is_empty());
    }

    #[test]
    fn unterminated_quotes_are_errors() {
        assert!(split_words("say 'oops").is_err());
        assert!(split_words("say \"oops").is_err());
    }

    #[test]
    fn quoting_round_trips() {
        for w in ["plain", "two words", "it's", "", "a\"b"] {
            assert_eq!(words(&quote_if_needed(w)), [w]);
        }
    }
}
