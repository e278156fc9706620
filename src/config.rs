//! The config file (`config.toml`) for a live tenant, and where the client secret comes from.
//!
//! A minimal file names the tenant and botline's app registration:
//!
//! ```toml
//! tenant_id = "contoso.onmicrosoft.com"
//! client_id = "5e0f3d2c-1b4a-4e6f-9a8b-7c6d5e4f3a2b"
//! ```
//!
//! `cloud` picks the service hosts of a national cloud, `[endpoints]` overrides any of them,
//! and `auth` picks app-only sign-in with a client secret (the default) or an admin's
//! device-code sign-in. `[polling]` sets how long botline waits for Microsoft (see
//! [`crate::polling`]). The secret comes from `BOTLINE_CLIENT_SECRET` or from
//! `client_secret_file`, never from the config file itself. Every error names the key and
//! the file.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use url::Url;

use crate::client::{Credentials, Endpoints};
use crate::polling::{Polling, RawPolling};

/// Environment variable that contains the client secret.
pub const CLIENT_SECRET_ENV: &str = "BOTLINE_CLIENT_SECRET";

/// A Microsoft cloud, which decides the login, Graph and Teams admin API hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cloud {
    /// The worldwide service.
    Global,
    /// US Government Community Cloud, which uses the worldwide hosts.
    Gcc,
    /// US Government Community Cloud High.
    GccHigh,
    /// US Department of Defense.
    Dod,
    /// Microsoft 365 operated by 21Vianet in China.
    China,
}

/// Login, Graph and Teams admin API hosts of each cloud.
///
/// Login and Graph hosts are from Microsoft's "Microsoft Graph national cloud deployments" page
/// (learn.microsoft.com/graph/deployments), which also states that GCC keeps the worldwide hosts.
/// NOTE: Microsoft documents no Teams admin API host for any cloud. These are the hosts that
/// community tools built on the MicrosoftTeams PowerShell module use; CISA's ScubaGear uses the
/// `gov` host for DoD as well, so a DoD tenant that fails here can set `[endpoints] teams`.
const CLOUD_HOSTS: [(Cloud, &str, &str, &str, &str); 5] = [
    (
        Cloud::Global,
        "global",
        "https://login.microsoftonline.com",
        "https://graph.microsoft.com/v1.0",
        "https://api.interfaces.records.teams.microsoft.com",
    ),
    (
        Cloud::Gcc,
        "gcc",
        "https://login.microsoftonline.com",
        "https://graph.microsoft.com/v1.0",
        "https://api.interfaces.records.teams.microsoft.com",
    ),
    (
        Cloud::GccHigh,
        "gcc-high",
        "https://login.microsoftonline.us",
        "https://graph.microsoft.us/v1.0",
        "https://api.interfaces.records.gov.teams.microsoft.us",
    ),
    (
        Cloud::Dod,
        "dod",
        "https://login.microsoftonline.us",
        "https://dod-graph.microsoft.us/v1.0",
        "https://api.interfaces.records.dod.teams.microsoft.us",
    ),
    (
        Cloud::China,
        "china",
        "https://login.chinacloudapi.cn",
        "https://microsoftgraph.chinacloudapi.cn/v1.0",
        "https://api.interfaces.records.teams.microsoftonline.cn",
    ),
];

impl Cloud {
    /// Returns the name used in the config file, such as `gcc-high`.
    pub fn name(self) -> &'static str {
        self.hosts().1
    }

    /// Parses a config-file name; `None` for an unknown one.
    pub fn parse(name: &str) -> Option<Cloud> {
        CLOUD_HOSTS
            .iter()
            .find(|hosts| hosts.1 == name.trim())
            .map(|hosts| hosts.0)
    }

    /// Returns the cloud's service addresses.
    pub fn endpoints(self) -> Endpoints {
        let (_, _, login, graph, teams) = self.hosts();
        // The test `every_cloud_has_valid_endpoints` checks that every literal parses.
        let parse = |text: &str| Url::parse(text).expect("CLOUD_HOSTS contains only valid URLs");
        Endpoints {
            login: parse(login),
            graph: parse(graph),
            teams: parse(teams),
        }
    }

    fn hosts(
        self,
    ) -> &'static (
        Cloud,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ) {
        CLOUD_HOSTS
            .iter()
            .find(|hosts| hosts.0 == self)
            .expect("every cloud has a row in CLOUD_HOSTS")
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Sign-in method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    /// App-only sign-in with a client secret.
    ClientSecret,
    /// An admin's sign-in with a code typed in a browser; its tokens are cached on disk.
    DeviceCode,
}

/// A checked config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    /// Directory (tenant) id or a verified domain.
    pub tenant_id: String,
    /// Application (client) id of botline's app registration.
    pub client_id: String,
    /// The cloud the tenant lives in.
    pub cloud: Cloud,
    /// Sign-in method.
    pub auth: AuthMethod,
    /// The cloud's hosts with the `[endpoints]` overrides applied.
    pub endpoints: Endpoints,
    /// File holding the client secret, resolved against the config file's folder.
    pub client_secret_file: Option<PathBuf>,
    /// Waits for Microsoft's asynchronous steps, as the `[polling]` table sets them.
    pub polling: Polling,
}

/// A config file that cannot be used, with the key, the file and the fix.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// No file at the path.
    #[error("no config file at {}", path.display())]
    Missing {
        /// The path looked at.
        path: PathBuf,
    },
    /// The file exists but cannot be read.
    #[error("cannot read config file {}: {source}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The read error.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has a key of the wrong type or name.
    #[error("invalid config file {}, line {line}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// Line of the error, counted from 1.
        line: usize,
        /// The TOML parser's message, prefixed with the key when the line starts with one.
        message: String,
    },
    /// A required key is absent.
    #[error("missing {key} in {}: {hint}", path.display())]
    MissingKey {
        /// The key.
        key: &'static str,
        /// The file.
        path: PathBuf,
        /// The value to put there.
        hint: &'static str,
    },
    /// A key has a value botline cannot use.
    #[error("invalid {key} {value:?} in {}: {hint}", path.display())]
    InvalidValue {
        /// The key, such as `endpoints.graph`.
        key: &'static str,
        /// The value as written.
        value: String,
        /// The file.
        path: PathBuf,
        /// Description of a valid value.
        hint: String,
    },
    /// The file contains `client_secret`.
    #[error(
        "client_secret is not allowed in {}, because config files get copied and shared; \
         remove it and set {CLIENT_SECRET_ENV} or client_secret_file = \"/path/to/secret\" instead",
        path.display()
    )]
    SecretInFile {
        /// The file.
        path: PathBuf,
    },
    /// Neither the variable nor the file gives a secret.
    #[error(
        "no client secret for client_id {client_id}: set {CLIENT_SECRET_ENV} or \
         client_secret_file in {}, or auth = \"device-code\" to sign in as an admin",
        path.display()
    )]
    NoSecret {
        /// The app registration whose secret is missing.
        client_id: String,
        /// The file.
        path: PathBuf,
    },
    /// `BOTLINE_CLIENT_SECRET` is set to an empty value.
    #[error("{CLIENT_SECRET_ENV} is set but empty; set it to the secret's value or unset it")]
    EmptySecretVariable,
    /// The secret file cannot be read.
    #[error(
        "cannot read client_secret_file {} (set in {}): {source}",
        secret_file.display(),
        path.display()
    )]
    SecretFileUnreadable {
        /// The secret file.
        secret_file: PathBuf,
        /// The config file that names it.
        path: PathBuf,
        /// The read error.
        source: std::io::Error,
    },
    /// The secret file holds only whitespace.
    #[error(
        "client_secret_file {} (set in {}) is empty; put the secret's value in it",
        secret_file.display(),
        path.display()
    )]
    SecretFileEmpty {
        /// The secret file.
        secret_file: PathBuf,
        /// The config file that names it.
        path: PathBuf,
    },
}

/// The file's keys as written, before checking.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    tenant_id: Option<String>,
    client_id: Option<String>,
    cloud: Option<String>,
    auth: Option<String>,
    client_secret_file: Option<PathBuf>,
    endpoints: Option<RawEndpoints>,
    polling: Option<RawPolling>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEndpoints {
    login: Option<String>,
    graph: Option<String>,
    teams: Option<String>,
}

/// Reads and checks a config file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            ConfigError::Missing {
                path: path.to_owned(),
            }
        } else {
            ConfigError::Unreadable {
                path: path.to_owned(),
                source,
            }
        }
    })?;
    parse(&text, path)
}

/// Checks a config file's text; `path` names the file in errors and anchors relative paths.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    // The text is read twice: as a plain table, to reject `client_secret` before anything can
    // echo it, and then into the typed keys.
    let table: toml::Table =
        toml::from_str(text).map_err(|error| syntax_error(&error, text, path))?;
    if table.contains_key("client_secret") {
        return Err(ConfigError::SecretInFile {
            path: path.to_owned(),
        });
    }
    let raw: RawConfig = toml::from_str(text).map_err(|error| syntax_error(&error, text, path))?;

    let tenant_id = required(raw.tenant_id, "tenant_id", path, TENANT_ID_HINT)?;
    if !is_tenant_id(&tenant_id) {
        return Err(invalid(
            "tenant_id",
            &tenant_id,
            path,
            INVALID_TENANT_ID_HINT,
        ));
    }
    let client_id = required(raw.client_id, "client_id", path, CLIENT_ID_HINT)?;
    if !is_guid(&client_id) {
        return Err(invalid(
            "client_id",
            &client_id,
            path,
            INVALID_CLIENT_ID_HINT,
        ));
    }

    let cloud = match raw.cloud.as_deref() {
        None => Cloud::Global,
        Some(name) => Cloud::parse(name).ok_or_else(|| {
            invalid(
                "cloud",
                name,
                path,
                "expected one of global, gcc, gcc-high, dod, china",
            )
        })?,
    };
    let auth = match raw.auth.as_deref().map(str::trim) {
        None | Some("client-secret") => AuthMethod::ClientSecret,
        Some("device-code") => AuthMethod::DeviceCode,
        Some(other) => {
            return Err(invalid(
                "auth",
                other,
                path,
                "expected client-secret or device-code",
            ))
        }
    };

    let overrides = raw.endpoints.unwrap_or_default();
    let mut endpoints = cloud.endpoints();
    if let Some(login) = overrides.login {
        endpoints.login = endpoint_url("endpoints.login", &login, path)?;
    }
    if let Some(graph) = overrides.graph {
        endpoints.graph = endpoint_url("endpoints.graph", &graph, path)?;
    }
    if let Some(teams) = overrides.teams {
        endpoints.teams = endpoint_url("endpoints.teams", &teams, path)?;
    }

    let client_secret_file = raw.client_secret_file.map(|file| {
        if file.is_relative() {
            path.parent().unwrap_or(Path::new(".")).join(file)
        } else {
            file
        }
    });

    let polling = raw
        .polling
        .unwrap_or_default()
        .check()
        .map_err(|problem| invalid(problem.key, &problem.value, path, problem.hint))?;

    Ok(Config {
        path: path.to_owned(),
        tenant_id: tenant_id.trim().to_owned(),
        client_id: client_id.trim().to_ascii_lowercase(),
        cloud,
        auth,
        endpoints,
        client_secret_file,
        polling,
    })
}

impl Config {
    /// Builds the sign-in credentials, reading the secret from `BOTLINE_CLIENT_SECRET` or the
    /// secret file.
    pub fn credentials(&self) -> Result<Credentials, ConfigError> {
        self.credentials_with(std::env::var(CLIENT_SECRET_ENV).ok())
    }

    /// Builds the sign-in credentials with `secret_variable` as the value of
    /// `BOTLINE_CLIENT_SECRET`, which wins over `client_secret_file`. Device-code sign-in
    /// needs no secret and ignores both.
    pub fn credentials_with(
        &self,
        secret_variable: Option<String>,
    ) -> Result<Credentials, ConfigError> {
        if self.auth == AuthMethod::DeviceCode {
            return Ok(Credentials::DeviceCode {
                tenant_id: self.tenant_id.clone(),
                client_id: self.client_id.clone(),
            });
        }
        let client_secret = match (secret_variable, &self.client_secret_file) {
            (Some(value), _) => {
                let value = value.trim();
                if value.is_empty() {
                    return Err(ConfigError::EmptySecretVariable);
                }
                value.to_owned()
            }
            (None, Some(file)) => self.read_secret_file(file)?,
            (None, None) => {
                return Err(ConfigError::NoSecret {
                    client_id: self.client_id.clone(),
                    path: self.path.clone(),
                })
            }
        };
        Ok(Credentials::ClientSecret {
            tenant_id: self.tenant_id.clone(),
            client_id: self.client_id.clone(),
            client_secret,
        })
    }

    fn read_secret_file(&self, file: &Path) -> Result<String, ConfigError> {
        let text =
            std::fs::read_to_string(file).map_err(|source| ConfigError::SecretFileUnreadable {
                secret_file: file.to_owned(),
                path: self.path.clone(),
                source,
            })?;
        let secret = text.trim();
        if secret.is_empty() {
            return Err(ConfigError::SecretFileEmpty {
                secret_file: file.to_owned(),
                path: self.path.clone(),
            });
        }
        Ok(secret.to_owned())
    }
}

/// Returns a minimal config file to show an admin who has none.
pub fn example() -> String {
    format!(
        "tenant_id = \"contoso.onmicrosoft.com\"   # directory (tenant) id or a verified domain\n\
         client_id = \"00000000-0000-0000-0000-000000000000\"   # botline's app registration\n\
         client_secret_file = \"secret.txt\"   # or set {CLIENT_SECRET_ENV}\n\
         # auth = \"device-code\"   # an admin signs in with a code instead of the secret\n\
         # cloud = \"global\"   # gcc, gcc-high, dod or china for a national cloud\n"
    )
}

const TENANT_ID_HINT: &str =
    "set it to the directory (tenant) id, a GUID, or a verified domain such as contoso.onmicrosoft.com";
const INVALID_TENANT_ID_HINT: &str = "expected a GUID or a domain such as contoso.onmicrosoft.com";
const CLIENT_ID_HINT: &str =
    "set it to the Application (client) ID of botline's app registration in Entra, a GUID";
const INVALID_CLIENT_ID_HINT: &str =
    "expected a GUID such as 5e0f3d2c-1b4a-4e6f-9a8b-7c6d5e4f3a2b, the Application (client) ID \
     of botline's app registration";

fn required(
    value: Option<String>,
    key: &'static str,
    path: &Path,
    hint: &'static str,
) -> Result<String, ConfigError> {
    match value {
        Some(value) if !value.trim().is_empty() => Ok(value),
        _ => Err(ConfigError::MissingKey {
            key,
            path: path.to_owned(),
            hint,
        }),
    }
}

fn invalid(key: &'static str, value: &str, path: &Path, hint: impl Into<String>) -> ConfigError {
    ConfigError::InvalidValue {
        key,
        value: value.to_owned(),
        path: path.to_owned(),
        hint: hint.into(),
    }
}

/// Checks an endpoint override: an absolute `https` URL, or `http` on a loopback address only,
/// because the client secret and tokens must not cross a network in clear text.
fn endpoint_url(key: &'static str, value: &str, path: &Path) -> Result<Url, ConfigError> {
    let url = Url::parse(value.trim()).map_err(|error| {
        invalid(
            key,
            value,
            path,
            format!("{error}; expected an absolute URL such as https://graph.example.com/v1.0"),
        )
    })?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        "http" => Err(invalid(
            key,
            value,
            path,
            "plain http is allowed only on a loopback address such as 127.0.0.1; use https",
        )),
        other => Err(invalid(
            key,
            value,
            path,
            format!("the scheme {other:?} is not supported; use https"),
        )),
    }
}

/// Returns true for the 8-4-4-4-12 GUID form.
fn is_guid(value: &str) -> bool {
    let value = value.trim();
    value.len() == 36 && uuid::Uuid::try_parse(value).is_ok()
}

/// Returns true for a GUID or a DNS domain name with at least two labels.
fn is_tenant_id(value: &str) -> bool {
    let value = value.trim();
    if is_guid(value) {
        return true;
    }
    value.len() <= 253
        && value.contains('.')
        && value.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Builds a syntax error with the line and, when the line starts with one, the key.
///
/// The line's value is never quoted, because it may be a secret typed in the wrong place.
fn syntax_error(error: &toml::de::Error, text: &str, path: &Path) -> ConfigError {
    let offset = error.span().map_or(0, |span| span.start.min(text.len()));
    let line = text[..offset].matches('\n').count() + 1;
    let line_text = text.lines().nth(line - 1).unwrap_or("");
    let key = line_text
        .split_once('=')
        .map(|(key, _)| key.trim())
        .filter(|key| {
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        });
    let message = error.message().trim_end_matches('\n');
    ConfigError::Syntax {
        path: path.to_owned(),
        line,
        message: match key {
            Some(key) => format!("{key}: {message}"),
            None => message.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::client::scopes;

    const TENANT: &str = "9d2c6f1e-4b7a-4c3e-8f5d-2a1b0c9e8d7f";
    const CLIENT: &str = "5e0f3d2c-1b4a-4e6f-9a8b-7c6d5e4f3a2b";

    fn path() -> PathBuf {
        PathBuf::from("/etc/botline/config.toml")
    }

    fn minimal() -> String {
        format!("tenant_id = \"{TENANT}\"\nclient_id = \"{CLIENT}\"\n")
    }

    fn parse_error(text: &str) -> String {
        parse(text, &path()).unwrap_err().to_string()
    }

    #[test]
    fn minimal_file_uses_global_cloud_and_client_secret() {
        let config = parse(&minimal(), &path()).unwrap();
        assert_eq!(config.tenant_id, TENANT);
        assert_eq!(config.client_id, CLIENT);
        assert_eq!(config.cloud, Cloud::Global);
        assert_eq!(config.auth, AuthMethod::ClientSecret);
        assert_eq!(config.endpoints, Cloud::Global.endpoints());
        assert_eq!(config.client_secret_file, None);
    }

    #[test]
    fn polling_table_sets_waits() {
        let text = format!(
            "{}[polling]\nfirst_wait_seconds = 0.5\nmax_wait_seconds = 10\nmax_checks = 7\n",
            minimal()
        );
        let config = parse(&text, &path()).unwrap();
        assert_eq!(config.polling.first_wait, Some(Duration::from_millis(500)));
        assert_eq!(config.polling.max_wait, Some(Duration::from_secs(10)));
        assert_eq!(config.polling.max_checks, Some(7));
        assert_eq!(
            parse(&minimal(), &path()).unwrap().polling,
            Polling::default()
        );
    }

    #[test]
    fn bad_polling_value_names_key_and_file() {
        let text = format!("{}[polling]\nmax_checks = 0\n", minimal());
        let message = parse(&text, &path()).unwrap_err().to_string();
        assert!(
            message.contains("invalid polling.max_checks \"0\""),
            "{message}"
        );
        assert!(message.contains("config.toml"), "{message}");
        let text = format!("{}[polling]\nfirst_wait = 2\n", minimal());
        let message = parse(&text, &path()).unwrap_err().to_string();
        assert!(message.contains("first_wait"), "{message}");
    }

    #[test]
    fn every_cloud_has_valid_endpoints() {
        for (cloud, name, ..) in CLOUD_HOSTS {
            assert_eq!(Cloud::parse(name), Some(cloud));
            let endpoints = cloud.endpoints();
            assert_eq!(endpoints.login.scheme(), "https");
            assert!(endpoints.graph.path().ends_with("/v1.0"), "{name}");
            assert_eq!(endpoints.teams.scheme(), "https");
        }
    }

    #[test]
    fn national_cloud_hosts() {
        let high = Cloud::GccHigh.endpoints();
        assert_eq!(high.login.host_str(), Some("login.microsoftonline.us"));
        assert_eq!(high.graph.host_str(), Some("graph.microsoft.us"));
        let dod = Cloud::Dod.endpoints();
        assert_eq!(dod.graph.host_str(), Some("dod-graph.microsoft.us"));
        let china = Cloud::China.endpoints();
        assert_eq!(china.login.host_str(), Some("login.chinacloudapi.cn"));
        assert_eq!(
            china.graph.host_str(),
            Some("microsoftgraph.chinacloudapi.cn")
        );
        assert_eq!(Cloud::Gcc.endpoints(), Cloud::Global.endpoints());
    }

    #[test]
    fn cloud_key_selects_hosts() {
        let text = format!("{}cloud = \"gcc-high\"\n", minimal());
        let config = parse(&text, &path()).unwrap();
        assert_eq!(config.cloud, Cloud::GccHigh);
        assert_eq!(config.endpoints, Cloud::GccHigh.endpoints());
    }

    #[test]
    fn endpoint_overrides_replace_single_hosts() {
        let text = format!(
            "{}cloud = \"china\"\n[endpoints]\ngraph = \"http://127.0.0.1:4780/v1.0\"\n",
            minimal()
        );
        let config = parse(&text, &path()).unwrap();
        assert_eq!(
            config.endpoints.graph.as_str(),
            "http://127.0.0.1:4780/v1.0"
        );
        assert_eq!(config.endpoints.login, Cloud::China.endpoints().login);
        assert_eq!(config.endpoints.teams, Cloud::China.endpoints().teams);
    }

    #[test]
    fn plain_http_off_loopback_is_rejected() {
        let text = format!(
            "{}[endpoints]\nlogin = \"http://login.example.com\"\n",
            minimal()
        );
        let message = parse_error(&text);
        assert!(message.contains("endpoints.login"), "{message}");
        assert!(message.contains("loopback"), "{message}");
        assert!(message.contains("/etc/botline/config.toml"), "{message}");
    }

    #[test]
    fn bad_endpoint_url_names_the_key() {
        let text = format!("{}[endpoints]\nteams = \"not a url\"\n", minimal());
        let message = parse_error(&text);
        assert!(
            message.starts_with("invalid endpoints.teams \"not a url\""),
            "{message}"
        );
    }

    #[test]
    fn missing_keys_are_named() {
        let message = parse_error(&format!("client_id = \"{CLIENT}\"\n"));
        assert!(
            message.starts_with("missing tenant_id in /etc/botline/config.toml"),
            "{message}"
        );
        let message = parse_error(&format!("tenant_id = \"{TENANT}\"\n"));
        assert!(
            message.starts_with("missing client_id in /etc/botline/config.toml"),
            "{message}"
        );
        let message = parse_error(&format!("tenant_id = \"  \"\nclient_id = \"{CLIENT}\"\n"));
        assert!(message.starts_with("missing tenant_id"), "{message}");
    }

    #[test]
    fn invalid_ids_are_rejected() {
        let message = parse_error(&format!(
            "tenant_id = \"contoso\"\nclient_id = \"{CLIENT}\"\n"
        ));
        assert!(
            message.starts_with("invalid tenant_id \"contoso\""),
            "{message}"
        );
        let message = parse_error(&format!(
            "tenant_id = \"a/b.com\"\nclient_id = \"{CLIENT}\"\n"
        ));
        assert!(message.starts_with("invalid tenant_id"), "{message}");
        let message = parse_error(&format!("tenant_id = \"{TENANT}\"\nclient_id = \"1234\"\n"));
        assert!(
            message.starts_with("invalid client_id \"1234\""),
            "{message}"
        );
        assert!(message.contains("GUID"), "{message}");
    }

    #[test]
    fn domain_tenant_id_is_accepted() {
        let text = format!("tenant_id = \"contoso.onmicrosoft.com\"\nclient_id = \"{CLIENT}\"\n");
        let config = parse(&text, &path()).unwrap();
        assert_eq!(config.tenant_id, "contoso.onmicrosoft.com");
    }

    #[test]
    fn unknown_cloud_lists_the_choices() {
        let message = parse_error(&format!("{}cloud = \"azure\"\n", minimal()));
        assert!(message.starts_with("invalid cloud \"azure\""), "{message}");
        assert!(message.contains("gcc-high"), "{message}");
    }

    #[test]
    fn unknown_auth_lists_the_choices() {
        let message = parse_error(&format!("{}auth = \"password\"\n", minimal()));
        assert!(
            message.starts_with("invalid auth \"password\""),
            "{message}"
        );
        assert!(
            message.contains("client-secret or device-code"),
            "{message}"
        );
    }

    #[test]
    fn client_secret_key_is_rejected_with_reason() {
        let message = parse_error(&format!("{}client_secret = \"hunter2\"\n", minimal()));
        assert!(
            message.starts_with("client_secret is not allowed"),
            "{message}"
        );
        assert!(message.contains("BOTLINE_CLIENT_SECRET"), "{message}");
        assert!(message.contains("client_secret_file"), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
    }

    #[test]
    fn misplaced_secret_is_not_echoed() {
        let message = parse_error(&format!("{}client_secret = hunter2\n", minimal()));
        assert!(message.contains("line 3: client_secret:"), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
    }

    #[test]
    fn unknown_key_gives_its_line() {
        let message = parse_error(&format!("{}\ntenantid = \"x\"\n", minimal()));
        assert!(message.contains("line 4"), "{message}");
        assert!(message.contains("tenantid"), "{message}");
        assert!(!message.contains("`client_secret`"), "{message}");
        assert!(!message.contains('\n'), "{message}");
    }

    #[test]
    fn wrong_type_gives_its_line() {
        let message = parse_error(&format!("tenant_id = 5\nclient_id = \"{CLIENT}\"\n"));
        assert!(
            message.starts_with("invalid config file /etc/botline/config.toml, line 1: tenant_id:"),
            "{message}"
        );
        assert!(!message.contains('\n'), "{message}");
    }

    #[test]
    fn broken_toml_gives_its_line() {
        let message = parse_error(&format!("{}cloud = \n", minimal()));
        assert!(message.contains("line 3: cloud:"), "{message}");
    }

    #[test]
    fn device_code_needs_no_secret() {
        let config = parse(&format!("{}auth = \"device-code\"\n", minimal()), &path()).unwrap();
        assert_eq!(config.auth, AuthMethod::DeviceCode);
        let credentials = config.credentials_with(None).unwrap();
        let Credentials::DeviceCode {
            tenant_id,
            client_id,
        } = credentials
        else {
            panic!("expected device-code credentials, got {credentials:?}");
        };
        assert_eq!(tenant_id, TENANT);
        assert_eq!(client_id, CLIENT);
        let with_variable = config.credentials_with(Some("s".into())).unwrap();
        assert!(!with_variable.is_app_only());
    }

    #[test]
    fn graph_scope_follows_each_cloud() {
        let cases = [
            (Cloud::Global, "https://graph.microsoft.com/.default"),
            (Cloud::Gcc, "https://graph.microsoft.com/.default"),
            (Cloud::GccHigh, "https://graph.microsoft.us/.default"),
            (Cloud::Dod, "https://dod-graph.microsoft.us/.default"),
            (
                Cloud::China,
                "https://microsoftgraph.chinacloudapi.cn/.default",
            ),
        ];
        for (cloud, scope) in cases {
            let endpoints = cloud.endpoints();
            assert_eq!(scopes::graph_app_scope(&endpoints), scope, "{cloud}");
            let delegated = scopes::graph_delegated_scope(&endpoints);
            let resource = scope.trim_end_matches("/.default");
            assert!(
                delegated.starts_with(&format!("{resource}/TeamsTelephoneNumber.ReadWrite.All ")),
                "{cloud}: {delegated}"
            );
        }
    }

    #[test]
    fn secret_variable_wins_and_is_trimmed() {
        let config = parse(&minimal(), &path()).unwrap();
        let Credentials::ClientSecret {
            tenant_id,
            client_id,
            client_secret,
        } = config.credentials_with(Some(" s3cret \n".into())).unwrap()
        else {
            panic!("expected client-secret credentials");
        };
        assert_eq!(tenant_id, TENANT);
        assert_eq!(client_id, CLIENT);
        assert_eq!(client_secret, "s3cret");
    }

    #[test]
    fn empty_secret_variable_is_rejected() {
        let config = parse(&minimal(), &path()).unwrap();
        let message = config
            .credentials_with(Some(" ".into()))
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("BOTLINE_CLIENT_SECRET is set but empty"),
            "{message}"
        );
    }

    #[test]
    fn no_secret_names_both_sources() {
        let config = parse(&minimal(), &path()).unwrap();
        let message = config.credentials_with(None).unwrap_err().to_string();
        assert!(message.contains("BOTLINE_CLIENT_SECRET"), "{message}");
        assert!(message.contains("client_secret_file"), "{message}");
        assert!(message.contains("/etc/botline/config.toml"), "{message}");
    }

    #[test]
    fn secret_file_is_relative_to_config_and_trimmed() {
        let folder = tempfile::tempdir().unwrap();
        let config_path = folder.path().join("config.toml");
        std::fs::write(folder.path().join("secret.txt"), "  s3cret\n").unwrap();
        let text = format!("{}client_secret_file = \"secret.txt\"\n", minimal());
        let config = parse(&text, &config_path).unwrap();
        assert_eq!(
            config.client_secret_file.as_deref(),
            Some(folder.path().join("secret.txt").as_path())
        );
        let Credentials::ClientSecret { client_secret, .. } =
            config.credentials_with(None).unwrap()
        else {
            panic!("expected client-secret credentials");
        };
        assert_eq!(client_secret, "s3cret");
    }

    #[test]
    fn missing_or_empty_secret_file_is_named() {
        let folder = tempfile::tempdir().unwrap();
        let config_path = folder.path().join("config.toml");
        let text = format!("{}client_secret_file = \"secret.txt\"\n", minimal());
        let config = parse(&text, &config_path).unwrap();
        let message = config.credentials_with(None).unwrap_err().to_string();
        assert!(
            message.starts_with("cannot read client_secret_file"),
            "{message}"
        );
        assert!(message.contains("secret.txt"), "{message}");

        std::fs::write(folder.path().join("secret.txt"), "\n \n").unwrap();
        let message = config.credentials_with(None).unwrap_err().to_string();
        assert!(message.contains("is empty"), "{message}");
    }

    #[test]
    fn load_reports_missing_file() {
        let folder = tempfile::tempdir().unwrap();
        let missing = folder.path().join("config.toml");
        let error = load(&missing).unwrap_err();
        assert!(matches!(error, ConfigError::Missing { .. }));
        assert!(error.to_string().contains(&missing.display().to_string()));
    }

    #[test]
    fn example_parses() {
        let config = parse(&example(), &path()).unwrap();
        assert_eq!(config.tenant_id, "contoso.onmicrosoft.com");
    }
}
