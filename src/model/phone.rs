//! Phone numbers in E.164 form, with an optional Direct Routing extension.
//!
//! Admins paste numbers as `tel:+14255550100`, `14255550100`, `+1 (425) 555-0100` or
//! `+14255550100;ext=123`. All of them normalise to `+` and digits, keeping `;ext=`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::InvalidInput;

/// Fewest digits accepted after `+`; short codes are not assignable numbers.
const MIN_DIGITS: usize = 7;
/// Most digits E.164 allows after `+`.
const MAX_DIGITS: usize = 15;
/// Most digits accepted in an extension.
const MAX_EXTENSION_DIGITS: usize = 10;

/// A phone number normalised to E.164 (`+` and 7 to 15 digits) with an optional extension.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneNumber {
    e164: String,
    extension: Option<String>,
}

impl PhoneNumber {
    /// Returns `+` and the digits, without the extension.
    pub fn e164(&self) -> &str {
        &self.e164
    }

    /// Returns the extension digits, if any.
    pub fn extension(&self) -> Option<&str> {
        self.extension.as_deref()
    }

    /// Returns the digits without `+`, for prefix matching.
    pub fn digits(&self) -> &str {
        &self.e164[1..]
    }
}

impl FromStr for PhoneNumber {
    type Err = InvalidInput;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let invalid = || {
            InvalidInput::new(
                "phone number",
                value,
                "expected E.164 such as +14255550100, optionally with ;ext=123",
            )
        };
        let mut rest = value.trim();
        if rest
            .get(..4)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("tel:"))
        {
            rest = &rest[4..];
        }
        let (main, extension) = match rest.find(';') {
            Some(at) => {
                let suffix = &rest[at + 1..];
                let digits = suffix
                    .strip_prefix("ext=")
                    .or_else(|| suffix.strip_prefix("EXT="))
                    .ok_or_else(invalid)?;
                let digits_ok = !digits.is_empty()
                    && digits.len() <= MAX_EXTENSION_DIGITS
                    && digits.bytes().all(|b| b.is_ascii_digit());
                if !digits_ok {
                    return Err(invalid());
                }
                (&rest[..at], Some(digits.to_owned()))
            }
            None => (rest, None),
        };
        let main = main.trim();
        let (international, body) = match main.strip_prefix('+') {
            Some(body) => (true, body),
            None => (false, main),
        };
        let mut digits = String::with_capacity(body.len() + 1);
        digits.push('+');
        for c in body.chars() {
            match c {
                '0'..='9' => digits.push(c),
                // Spaces and punctuation only make sense after a `+`: "(425) 555-0100"
                // without one is a national number whose country code is missing.
                ' ' | '-' | '.' | '(' | ')' if international => {}
                _ => return Err(invalid()),
            }
        }
        let count = digits.len() - 1;
        if !(MIN_DIGITS..=MAX_DIGITS).contains(&count) || digits.as_bytes()[1] == b'0' {
            return Err(invalid());
        }
        Ok(PhoneNumber {
            e164: digits,
            extension,
        })
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.e164)?;
        if let Some(extension) = &self.extension {
            write!(f, ";ext={extension}")?;
        }
        Ok(())
    }
}

impl Serialize for PhoneNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PhoneNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        value.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(value: &str) -> String {
        value.parse::<PhoneNumber>().unwrap().to_string()
    }

    #[test]
    fn accepted_forms_normalise() {
        assert_eq!(parse("tel:+14255550100"), "+14255550100");
        assert_eq!(parse("14255550100"), "+14255550100");
        assert_eq!(parse("+1 (425) 555-0100"), "+14255550100");
        assert_eq!(parse("TEL:+14255550100"), "+14255550100");
    }

    #[test]
    fn extension_is_kept() {
        let number: PhoneNumber = "+14255550100;ext=123".parse().unwrap();
        assert_eq!(number.e164(), "+14255550100");
        assert_eq!(number.extension(), Some("123"));
        assert_eq!(number.to_string(), "+14255550100;ext=123");
    }

    #[test]
    fn rejects_what_cannot_be_a_number() {
        for bad in [
            "",
            "1",
            "+1425555010012345678",
            "+1425abc0100",
            "+14255550100;ext=",
            "+14255550100;ext=12a",
            "+14255550100;foo=1",
            "+04255550100",
            "(425) 555-0124",
            "425 555 0124",
            "+١٤٢٥٥٥٥٠١٢٣",
            "+1€9",
            "té",
        ] {
            let error = bad.parse::<PhoneNumber>().unwrap_err();
            assert!(error.hint.contains("E.164"), "{bad}");
        }
    }
}
