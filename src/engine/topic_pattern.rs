//! Topic patterns (KIP-848 regex subscriptions, `--validate-regex`): a pattern is checked
//! and matched with `regex-lite`, and a failure is named with the description RE2/J gives
//! (`PatternSyntaxException.getDescription()`), which Kafka's group coordinator and
//! `kafka-consumer-groups --validate-regex` print. Where regex-lite's syntax differs from
//! RE2/J's, README's simplifications say so.

/// The internal topics a pattern never matches, as Kafka excludes them.
pub const INTERNAL_TOPICS: [&str; 3] = [
    "__consumer_offsets",
    "__transaction_state",
    "__share_group_state",
];

/// A compiled topic pattern. It matches a whole topic name, as
/// `Pattern.matcher(topic).matches()` does.
#[derive(Clone, Debug)]
pub struct TopicPattern {
    source: String,
    whole: regex_lite::Regex,
}

impl PartialEq for TopicPattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for TopicPattern {}

impl TopicPattern {
    /// Compiles `source`, or returns RE2/J's description of why it is invalid.
    pub fn new(source: &str) -> Result<TopicPattern, String> {
        let whole = regex_lite::Regex::new(&format!("^(?:{source})$"));
        // The anchored form is what matches; the bare form names the error, so that a
        // stray ')' in `source` is reported as RE2/J reports it.
        if let Err(e) = regex_lite::Regex::new(source) {
            return Err(re2j_description(&e.to_string()));
        }
        match whole {
            Ok(whole) => Ok(TopicPattern {
                source: source.to_string(),
                whole,
            }),
            Err(e) => Err(re2j_description(&e.to_string())),
        }
    }

    /// The pattern as the user wrote it.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the pattern selects `topic`: the whole name matches and it is not internal.
    pub fn matches(&self, topic: &str) -> bool {
        !INTERNAL_TOPICS.contains(&topic) && self.whole.is_match(topic)
    }
}

/// RE2/J's description (its `Parser.ERR_*` texts) for a regex-lite parse error message.
/// A message with no RE2/J counterpart is passed through as regex-lite wrote it.
fn re2j_description(lite: &str) -> String {
    const MAP: [(&str, &str); 32] = [
        ("found open group without closing ')'", "missing closing )"),
        (
            "expected closing ')', but got end of pattern",
            "missing closing )",
        ),
        // RE2/J reports an unmatched ')' as an internal error (Kafka 4.4.0's tool prints
        // "regexp/syntax: internal error" for `orders)`, c.f. tests/console/49).
        (
            "found closing ')' without matching '('",
            "regexp/syntax: internal error",
        ),
        (
            "look-around is not supported",
            "invalid or unsupported Perl syntax",
        ),
        (
            "expected capture group name, but got end of pattern",
            "invalid named capture",
        ),
        ("invalid group name", "invalid named capture"),
        (
            "expected end of capture group name, but got end of pattern",
            "invalid named capture",
        ),
        (
            "empty capture group names are not allowed",
            "invalid named capture",
        ),
        (
            "duplicate capture group name",
            "duplicate capture group name",
        ),
        (
            "unrecognized inline flag",
            "invalid or unsupported Perl syntax",
        ),
        (
            "inline flag negation cannot be repeated",
            "invalid or unsupported Perl syntax",
        ),
        (
            "duplicate inline flag is not allowed",
            "invalid or unsupported Perl syntax",
        ),
        (
            "expected ':' or ')' to end inline flags, but got end of pattern",
            "missing closing )",
        ),
        (
            "inline flags cannot end with negation directive",
            "invalid or unsupported Perl syntax",
        ),
        (
            "saw start of escape sequence, but saw end of pattern before it finished",
            "trailing backslash at end of expression",
        ),
        (
            "backreferences are not supported",
            "invalid escape sequence",
        ),
        ("unrecognized escape sequence", "invalid escape sequence"),
        (
            "invalid escape sequence in character class",
            "invalid escape sequence",
        ),
        (
            "uncounted repetition operator must be applied to a sub-expression",
            "missing argument to repetition operator",
        ),
        (
            "counted repetition operator must be applied to a sub-expression",
            "missing argument to repetition operator",
        ),
        (
            "found counted repetition with a min bigger than its max",
            "invalid repeat count",
        ),
        (
            "non-empty character class has no closing bracket",
            "missing closing ]",
        ),
        (
            "non-empty character class has no closing bracket after dash",
            "missing closing ]",
        ),
        (
            "negated character class has no closing bracket",
            "missing closing ]",
        ),
        (
            "character class begins with literal ']' but has no closing bracket",
            "missing closing ]",
        ),
        ("found unclosed character class", "missing closing ]"),
        (
            "invalid range in character class",
            "invalid character class range",
        ),
        (
            "character class ranges must start and end with a single character",
            "invalid character class range",
        ),
        (
            "expected hexadecimal number in braces, but got non-hex digit",
            "invalid escape sequence",
        ),
        (
            "expected hexadecimal number in braces, but got no digits",
            "invalid escape sequence",
        ),
        (
            "expected hexadecimal number, but saw end of pattern first",
            "invalid escape sequence",
        ),
        (
            "pattern has too much nesting",
            "expression nests too deeply",
        ),
    ];
    MAP.iter()
        .find(|(from, _)| *from == lite)
        .map(|(_, to)| (*to).to_string())
        .unwrap_or_else(|| lite.to_string())
}

/// What `kafka-consumer-groups --validate-regex R` prints (`ConsumerGroupCommand.validateRegex`).
pub fn validate_regex_text(source: &str) -> String {
    match TopicPattern::new(source) {
        Ok(_) => format!("The regular expression `{source}` is valid.\n"),
        Err(reason) => format!("The regular expression `{source}` is invalid: {reason}.\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_matches_whole_topic_names_only() {
        let p = TopicPattern::new("orders.*").unwrap();
        assert!(p.matches("orders"));
        assert!(p.matches("orders-eu"));
        assert!(!p.matches("old-orders"));
        let q = TopicPattern::new("a|b").unwrap();
        assert!(q.matches("a") && q.matches("b") && !q.matches("ab"));
    }

    #[test]
    fn internal_topics_never_match() {
        let p = TopicPattern::new(".*").unwrap();
        for t in INTERNAL_TOPICS {
            assert!(!p.matches(t), "{t}");
        }
        assert!(p.matches("__my_topic"));
    }

    #[test]
    fn validate_regex_prints_kafkas_text() {
        assert_eq!(
            validate_regex_text("orders.*"),
            "The regular expression `orders.*` is valid.\n"
        );
        for (bad, reason) in [
            ("(orders", "missing closing )"),
            ("orders)", "regexp/syntax: internal error"),
            ("[a-", "missing closing ]"),
            ("[z-a]", "invalid character class range"),
            ("*a", "missing argument to repetition operator"),
            ("a\\", "trailing backslash at end of expression"),
            ("(?=a)", "invalid or unsupported Perl syntax"),
            ("a{3,2}", "invalid repeat count"),
        ] {
            assert_eq!(
                validate_regex_text(bad),
                format!("The regular expression `{bad}` is invalid: {reason}.\n"),
                "{bad}"
            );
        }
    }

    proptest::proptest! {
        /// A topic name's escaped form selects that topic and no longer or shorter name, and
        /// `.*` selects every legal topic name but the internal ones.
        #[test]
        fn an_escaped_name_selects_exactly_that_topic(
            name in "[a-zA-Z0-9._-]{1,40}",
            suffix in "[a-zA-Z0-9._-]{1,5}",
        ) {
            let p = TopicPattern::new(&regex_lite::escape(&name)).unwrap();
            let longer = format!("{name}{suffix}");
            proptest::prop_assert_eq!(p.matches(&name), !INTERNAL_TOPICS.contains(&name.as_str()));
            proptest::prop_assert!(!p.matches(&longer));
            proptest::prop_assert!(!p.matches(&name[1..]));
            let all = TopicPattern::new(".*").unwrap();
            proptest::prop_assert_eq!(all.matches(&longer), !INTERNAL_TOPICS.contains(&longer.as_str()));
        }
    }
}
