//! How the number picker reads the text typed above it.

use crate::model::PhoneNumber;

/// Prefix of a number written as a `tel:` URI.
const TEL_PREFIX: &str = "tel:";

/// What the typed text asks the picker to show.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum TypedNumber {
    /// Part of a number: the free numbers containing these digits; all of them when empty.
    Digits(String),
    /// A whole number with an extension, which only that exact number matches.
    Exact(PhoneNumber),
    /// Text that cannot be part of a number, which matches nothing.
    Invalid,
}

impl TypedNumber {
    /// Reads the text typed so far, accepting a `tel:` prefix (also while it is being typed),
    /// `+`, spaces, dashes, dots and brackets.
    pub(super) fn read(text: &str) -> TypedNumber {
        let text = text.trim();
        if text.contains(';') {
            return match text.parse::<PhoneNumber>() {
                Ok(number) => TypedNumber::Exact(number),
                Err(_) => TypedNumber::Invalid,
            };
        }
        let lower = text.to_ascii_lowercase();
        let rest = if TEL_PREFIX.starts_with(&lower) {
            ""
        } else {
            lower.strip_prefix(TEL_PREFIX).unwrap_or(&lower)
        };
        let fits = rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '.' | '(' | ')'));
        if !fits {
            return TypedNumber::Invalid;
        }
        TypedNumber::Digits(rest.chars().filter(char::is_ascii_digit).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(text: &str) -> TypedNumber {
        TypedNumber::Digits(text.to_owned())
    }

    #[test]
    fn number_forms_filter_by_digits() {
        assert_eq!(TypedNumber::read(""), digits(""));
        assert_eq!(TypedNumber::read("0113"), digits("0113"));
        assert_eq!(TypedNumber::read("tel:+1425"), digits("1425"));
        assert_eq!(TypedNumber::read("TE"), digits(""));
        assert_eq!(TypedNumber::read("+1 (425) 555-01"), digits("142555501"));
    }

    #[test]
    fn extension_asks_for_that_number() {
        let exact = TypedNumber::read("tel:+14255550140;ext=123");
        assert_eq!(
            exact,
            TypedNumber::Exact("+14255550140;ext=123".parse().unwrap())
        );
        assert_eq!(TypedNumber::read("+14255550140;ext="), TypedNumber::Invalid);
    }

    #[test]
    fn other_text_matches_nothing() {
        for text in ["abc", "+1425abc", "tel:x", "call me"] {
            assert_eq!(TypedNumber::read(text), TypedNumber::Invalid, "{text}");
        }
    }
}
