//! Identifiers an admin types: user principal names, application ids and usage locations.
//!
//! Each type parses with [`std::str::FromStr`] and rejects bad input with an
//! [`InvalidInput`] that names the value and the expected form.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

/// Input that cannot be used, with the value and what a valid one looks like.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} {value:?}: {hint}")]
pub struct InvalidInput {
    /// Kind of value, such as "application id".
    pub what: &'static str,
    /// The rejected value, as typed.
    pub value: String,
    /// Description of a valid value.
    pub hint: String,
}

impl InvalidInput {
    pub(crate) fn new(what: &'static str, value: &str, hint: impl Into<String>) -> Self {
        Self {
            what,
            value: value.to_owned(),
            hint: hint.into(),
        }
    }
}

/// Maximum length of the part of a user principal name before `@`, as Entra enforces it.
const MAX_LOCAL_PART_CHARS: usize = 64;

/// A user principal name such as `ivr-bot@contoso.com`, stored in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Upn(String);

impl Upn {
    /// Returns the whole name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Returns the part after `@`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }

    /// Returns the part before `@`.
    pub fn local_part(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(local, _)| local)
    }
}

impl FromStr for Upn {
    type Err = InvalidInput;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        const HINT: &str = "expected name@domain, for example ivr-bot@contoso.com";
        let trimmed = value.trim();
        let invalid = || InvalidInput::new("user principal name", value, HINT);
        let (local, domain) = trimmed.rsplit_once('@').ok_or_else(invalid)?;
        if local.len() > MAX_LOCAL_PART_CHARS {
            return Err(InvalidInput::new(
                "user principal name",
                value,
                format!("the part before @ has at most {MAX_LOCAL_PART_CHARS} characters"),
            ));
        }
        let local_ok = !local.is_empty()
            && !local.starts_with('.')
            && !local.ends_with('.')
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-'+".contains(c));
        let domain_ok = domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !local_ok || !domain_ok {
            return Err(invalid());
        }
        Ok(Upn(trimmed.to_ascii_lowercase()))
    }
}

impl fmt::Display for Upn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An Entra application (client) id, which is a GUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AppId(Uuid);

impl AppId {
    /// Returns the underlying GUID.
    pub fn uuid(self) -> Uuid {
        self.0
    }
}

impl FromStr for AppId {
    type Err = InvalidInput;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let trimmed = value.trim().trim_start_matches('{').trim_end_matches('}');
        // Uuid also accepts 32 bare hex digits and URNs, which Entra never shows, so only the
        // hyphenated 8-4-4-4-12 form is taken.
        if trimmed.len() != 36 {
            return Err(app_id_error(value));
        }
        Uuid::parse_str(trimmed)
            .map(AppId)
            .map_err(|_| app_id_error(value))
    }
}

fn app_id_error(value: &str) -> InvalidInput {
    InvalidInput::new(
        "application id",
        value,
        "expected a GUID such as 0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44, the bot's \
         Application (client) ID in Entra",
    )
}

impl fmt::Display for AppId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// A usage location: an ISO 3166-1 alpha-2 country code in upper case, such as `US`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UsageLocation([u8; 2]);

impl UsageLocation {
    /// Returns the two-letter code.
    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII upper-case letters, checked in `from_str`.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl FromStr for UsageLocation {
    type Err = InvalidInput;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let trimmed = value.trim();
        let bytes = trimmed.as_bytes();
        if bytes.len() != 2 || !bytes.iter().all(u8::is_ascii_alphabetic) {
            return Err(InvalidInput::new(
                "usage location",
                value,
                "expected a two-letter country code such as US, GB or DE",
            ));
        }
        let code = [bytes[0].to_ascii_uppercase(), bytes[1].to_ascii_uppercase()];
        let known = std::str::from_utf8(&code).is_ok_and(super::is_country_code);
        if !known {
            return Err(InvalidInput::new(
                "usage location",
                value,
                "it is no ISO 3166-1 country code; use one such as US, GB or DE (the United \
                 Kingdom is GB)",
            ));
        }
        Ok(UsageLocation(code))
    }
}

impl fmt::Display for UsageLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upn_is_lowercased() {
        let upn: Upn = "IVR-Bot@Contoso.com".parse().unwrap();
        assert_eq!(upn.as_str(), "ivr-bot@contoso.com");
        assert_eq!(upn.domain(), "contoso.com");
        assert_eq!(upn.local_part(), "ivr-bot");
    }

    #[test]
    fn upn_rejects_bad_forms() {
        for bad in [
            "",
            "bot",
            "@contoso.com",
            "bot@",
            "bot@contoso",
            "b ot@contoso.com",
        ] {
            let error = bad.parse::<Upn>().unwrap_err();
            assert_eq!(error.value, bad);
        }
    }

    #[test]
    fn app_id_accepts_braces() {
        let id: AppId = "{0B5C7A53-5C1E-4A8E-9D0F-3E7B2A9C1D44}".parse().unwrap();
        assert_eq!(id.to_string(), "0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44");
    }

    #[test]
    fn app_id_rejects_short_value() {
        let error = "1234".parse::<AppId>().unwrap_err();
        assert!(error.to_string().contains("\"1234\""));
        assert!(error.hint.contains("GUID"));
    }

    #[test]
    fn usage_location_is_uppercased() {
        let location: UsageLocation = "gb".parse().unwrap();
        assert_eq!(location.as_str(), "GB");
    }

    #[test]
    fn usage_location_rejects_three_letters() {
        assert!("USA".parse::<UsageLocation>().is_err());
        assert!("1A".parse::<UsageLocation>().is_err());
    }

    #[test]
    fn usage_location_rejects_unassigned_code() {
        let error = "xx".parse::<UsageLocation>().unwrap_err();
        assert_eq!(error.value, "xx");
        assert!(error.hint.contains("ISO 3166-1"));
        assert!("UK"
            .parse::<UsageLocation>()
            .unwrap_err()
            .hint
            .contains("GB"));
    }
}
