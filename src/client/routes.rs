//! Addresses of the calls: joining a base URL with a path, encoding path segments and query
//! values, quoting OData string literals, and following links the service returns.
//!
//! Nothing here sends a request.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use url::Url;

use super::ApiError;

/// Bytes left as they are in a path segment or a query value: RFC 3986's unreserved set.
const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Columns read for every user, so that usage location and license state can be derived.
pub(super) const USER_SELECT: &str =
    "id,userPrincipalName,displayName,usageLocation,accountEnabled,assignedLicenses,assignedPlans";

/// Path of telephone number management below the Graph base.
pub(super) const NUMBERS_ROOT: &str = "/admin/teams/telephoneNumberManagement";

/// Appends `path` (starting with `/`) to `base` with any trailing `/` of the base removed,
/// so `https://graph.microsoft.com/v1.0/` and `.../v1.0` give the same address.
pub(super) fn join(base: &Url, path: &str) -> Url {
    let text = format!("{}{}", base.as_str().trim_end_matches('/'), path);
    // A valid base followed by an encoded path is always a valid URL.
    Url::parse(&text).unwrap_or_else(|_| base.clone())
}

/// Appends `path` and a query built from already-chosen keys and raw values.
pub(super) fn join_with_query(base: &Url, path: &str, query: &[(&str, &str)]) -> Url {
    let mut url = join(base, path);
    if !query.is_empty() {
        url.set_query(Some(&encode_query(query)));
    }
    url
}

/// Builds `key=value&...`, percent-encoding each value (spaces as `%20`, not `+`).
///
/// Keys are fixed names such as `$filter` and are written as they are.
pub(super) fn encode_query(query: &[(&str, &str)]) -> String {
    query
        .iter()
        .map(|(key, value)| format!("{key}={}", encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes a path segment or a query value.
pub(super) fn encode(value: &str) -> String {
    utf8_percent_encode(value, ESCAPED).to_string()
}

/// Writes a string as an OData literal: in single quotes, with each `'` doubled.
pub(super) fn odata_string(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// Returns the address without its query, for errors and logs that must stay short.
pub(super) fn without_query(url: &Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    url.to_string()
}

/// Resolves an address the service returned (`@odata.nextLink`, `Location`) against `base`.
///
/// An absolute address is taken exactly as given. A relative one starting with `/` is
/// resolved against the base's host. Any other is appended to the base, which for Graph
/// already contains the version. Addresses on another origin are rejected, because the
/// request would carry the base's access token there.
pub(super) fn follow(base: &Url, link: &str) -> Result<Url, ApiError> {
    let link = link.trim();
    let url = match Url::parse(link) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) if link.starts_with('/') => {
            base.join(link).map_err(|error| invalid_link(link, error))?
        }
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            let text = format!("{}/{link}", base.as_str().trim_end_matches('/'));
            Url::parse(&text).map_err(|error| invalid_link(link, error))?
        }
        Err(error) => return Err(invalid_link(link, error)),
    };
    if url.origin() != base.origin() {
        return Err(ApiError::Decode {
            what: "a returned link".to_owned(),
            detail: format!(
                "{} is not on {}; botline only sends its token to the configured endpoint",
                without_query(&url),
                base.origin().ascii_serialization()
            ),
        });
    }
    Ok(url)
}

fn invalid_link(link: &str, error: url::ParseError) -> ApiError {
    ApiError::Decode {
        what: "a returned link".to_owned(),
        detail: format!("{link:?} is not a valid address ({error})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn join_ignores_trailing_slash() {
        let with = join(&url("https://graph.example/v1.0/"), "/domains");
        let without = join(&url("https://graph.example/v1.0"), "/domains");
        assert_eq!(with.as_str(), "https://graph.example/v1.0/domains");
        assert_eq!(without, with);
    }

    #[test]
    fn join_on_bare_host() {
        let joined = join(&url("https://teams.example"), "/Teams.PlatformService/v2/X");
        assert_eq!(
            joined.as_str(),
            "https://teams.example/Teams.PlatformService/v2/X"
        );
    }

    #[test]
    fn query_values_are_encoded() {
        let joined = join_with_query(
            &url("https://graph.example/v1.0"),
            "/users",
            &[
                ("$filter", "userPrincipalName eq 'a+b@x.com'"),
                ("$top", "5"),
            ],
        );
        assert_eq!(
            joined.query(),
            Some("$filter=userPrincipalName%20eq%20%27a%2Bb%40x.com%27&$top=5")
        );
        let decoded: Vec<(String, String)> = joined.query_pairs().into_owned().collect();
        assert_eq!(decoded[0].1, "userPrincipalName eq 'a+b@x.com'");
    }

    #[test]
    fn path_segment_is_encoded() {
        assert_eq!(encode("a/b c"), "a%2Fb%20c");
        assert_eq!(encode("3f2a-9c.d_e~"), "3f2a-9c.d_e~");
    }

    #[test]
    fn odata_string_doubles_quotes() {
        assert_eq!(odata_string("o'brien@x.com"), "'o''brien@x.com'");
        assert_eq!(odata_string("plain"), "'plain'");
        assert_eq!(odata_string("''"), "''''''");
    }

    #[test]
    fn without_query_drops_query() {
        let address = url("https://graph.example/v1.0/users?$filter=x");
        assert_eq!(without_query(&address), "https://graph.example/v1.0/users");
    }

    #[test]
    fn follow_takes_absolute_link_as_given() {
        let base = url("https://graph.example/v1.0");
        let link = "https://graph.example/v1.0/admin/operations('abc')?x=1";
        assert_eq!(follow(&base, link).unwrap().as_str(), link);
    }

    #[test]
    fn follow_resolves_relative_links() {
        let base = url("https://graph.example/v1.0");
        assert_eq!(
            follow(&base, "admin/teams/operations/abc")
                .unwrap()
                .as_str(),
            "https://graph.example/v1.0/admin/teams/operations/abc"
        );
        assert_eq!(
            follow(&base, "/v1.0/admin/teams/operations/abc")
                .unwrap()
                .as_str(),
            "https://graph.example/v1.0/admin/teams/operations/abc"
        );
    }

    #[test]
    fn follow_rejects_other_origin() {
        let base = url("https://graph.example/v1.0");
        let error = follow(&base, "https://elsewhere.example/v1.0/x").unwrap_err();
        assert!(error.to_string().contains("elsewhere.example"), "{error}");
        let error = follow(&base, "http://graph.example/v1.0/x").unwrap_err();
        assert!(matches!(error, ApiError::Decode { .. }));
    }
}
