//! The token cache file: refresh and access tokens of delegated sign-ins, one entry per
//! tenant, client id and login host.
//!
//! The file is JSON, readable by its owner only: it is written to a new file created with
//! mode 0600 in the same folder and then renamed over the old one, so it never exists with
//! wider permissions or half-written. A file that cannot be read or decoded is ignored with
//! a warning in the log, and botline signs in again. Nothing here logs a token, and the
//! decode errors it logs name a line and column, never the text there.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// Version of the file layout; a file with another version is ignored.
const FORMAT_VERSION: u32 = 1;

/// The whole file.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CacheFile {
    version: u32,
    #[serde(default)]
    accounts: Vec<CachedAccount>,
}

/// Key of a cached sign-in: tenant, client id and login host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct AccountKey {
    /// Directory (tenant) id or domain, lowercase.
    pub(super) tenant_id: String,
    /// Application (client) id, lowercase.
    pub(super) client_id: String,
    /// Origin of the login host, such as `https://login.microsoftonline.us`.
    pub(super) authority: String,
}

/// The tokens of one sign-in.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CachedAccount {
    pub(super) tenant_id: String,
    pub(super) client_id: String,
    pub(super) authority: String,
    pub(super) refresh_token: String,
    #[serde(default)]
    pub(super) access_tokens: Vec<CachedAccessToken>,
}

impl CachedAccount {
    fn key(&self) -> AccountKey {
        AccountKey {
            tenant_id: self.tenant_id.to_ascii_lowercase(),
            client_id: self.client_id.to_ascii_lowercase(),
            authority: self.authority.to_ascii_lowercase(),
        }
    }
}

impl fmt::Debug for CachedAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedAccount")
            .field("tenant_id", &self.tenant_id)
            .field("client_id", &self.client_id)
            .field("authority", &self.authority)
            .field("refresh_token", &"<hidden>")
            .field("access_tokens", &self.access_tokens.len())
            .finish()
    }
}

/// An access token for one resource.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CachedAccessToken {
    /// Graph's origin, or the Teams admin API's application id.
    pub(super) resource: String,
    pub(super) access_token: String,
    /// Expiry in seconds since the Unix epoch.
    pub(super) expires_at: u64,
}

impl CachedAccessToken {
    /// Returns the expiry as wall-clock time.
    pub(super) fn expiry(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(self.expires_at)
    }

    /// Converts wall-clock time to the stored seconds.
    pub(super) fn seconds(time: SystemTime) -> u64 {
        time.duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs())
    }
}

/// A sign-in that `logout` removed, without its tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedSignIn {
    /// Directory (tenant) id or domain.
    pub tenant_id: String,
    /// Application (client) id.
    pub client_id: String,
    /// Origin of the login host.
    pub authority: String,
    /// Number of access tokens held besides the refresh token.
    pub access_tokens: usize,
}

/// Contents of the token cache that [`TokenStore::remove`] deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removed {
    /// There was no file.
    Nothing,
    /// A file that could not be decoded.
    Unreadable,
    /// A file with these sign-ins.
    SignIns(Vec<CachedSignIn>),
}

/// The token cache file at one path.
#[derive(Debug, Clone)]
pub struct TokenStore {
    path: PathBuf,
}

impl TokenStore {
    /// Uses the file at `path`; nothing is read or created until needed.
    pub fn new(path: PathBuf) -> Self {
        TokenStore { path }
    }

    /// Returns the file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Returns the stored sign-in for `key`, or `None` when there is none or the file is
    /// unreadable, which is logged.
    pub(super) fn load(&self, key: &AccountKey) -> Option<CachedAccount> {
        let accounts = self.read_accounts()?;
        accounts.into_iter().find(|account| account.key() == *key)
    }

    /// Replaces the stored sign-in with `account`'s key by `account`, keeping the others.
    pub(super) fn save(&self, account: CachedAccount) -> io::Result<()> {
        let key = account.key();
        let mut accounts = self.read_accounts().unwrap_or_default();
        accounts.retain(|stored| stored.key() != key);
        accounts.push(account);
        self.write(&CacheFile {
            version: FORMAT_VERSION,
            accounts,
        })
    }

    /// Deletes the file and returns what it held.
    pub fn remove(&self) -> io::Result<Removed> {
        if !self.path.exists() {
            return Ok(Removed::Nothing);
        }
        let removed = match self.decode_file() {
            Ok(file) => Removed::SignIns(
                file.accounts
                    .iter()
                    .map(|account| CachedSignIn {
                        tenant_id: account.tenant_id.clone(),
                        client_id: account.client_id.clone(),
                        authority: account.authority.clone(),
                        access_tokens: account.access_tokens.len(),
                    })
                    .collect(),
            ),
            Err(_) => Removed::Unreadable,
        };
        match fs::remove_file(&self.path) {
            Ok(()) => Ok(removed),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(Removed::Nothing),
            Err(error) => Err(error),
        }
    }

    /// Reads every stored sign-in; `None` when the file is missing or unreadable.
    fn read_accounts(&self) -> Option<Vec<CachedAccount>> {
        match self.decode_file() {
            Ok(file) => Some(file.accounts),
            Err(DecodeError::Missing) => None,
            Err(error) => {
                tracing::warn!(
                    path = %self.path.display(),
                    %error,
                    "ignoring the token cache; botline signs in again"
                );
                None
            }
        }
    }

    fn decode_file(&self) -> Result<CacheFile, DecodeError> {
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Err(DecodeError::Missing)
            }
            Err(error) => return Err(DecodeError::Io(error)),
        };
        let file: CacheFile =
            serde_json::from_slice(&bytes).map_err(|error| DecodeError::Invalid {
                line: error.line(),
                column: error.column(),
            })?;
        if file.version != FORMAT_VERSION {
            return Err(DecodeError::Version(file.version));
        }
        Ok(file)
    }

    /// Writes the file through a new 0600 file in the same folder and a rename.
    fn write(&self, file: &CacheFile) -> io::Result<()> {
        let folder = self
            .path
            .parent()
            .filter(|folder| !folder.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        create_private_folder(folder)?;
        let bytes = serde_json::to_vec_pretty(file).map_err(io::Error::other)?;
        let name = self.path.file_name().map_or_else(
            || "tokens".into(),
            |name| name.to_string_lossy().into_owned(),
        );
        let temporary = folder.join(format!(
            ".{name}.{}.{}.tmp",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        let written = write_private_file(&temporary, &bytes)
            .and_then(|()| fs::rename(&temporary, &self.path));
        if written.is_err() {
            let _ = fs::remove_file(&temporary);
        }
        written
    }
}

/// Reason the file could not be used.
#[derive(Debug)]
enum DecodeError {
    Missing,
    Io(io::Error),
    Invalid { line: usize, column: usize },
    Version(u32),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Missing => f.write_str("the file does not exist"),
            DecodeError::Io(error) => write!(f, "the file cannot be read: {error}"),
            DecodeError::Invalid { line, column } => write!(
                f,
                "the file is not a valid token cache (line {line}, column {column})"
            ),
            DecodeError::Version(version) => write!(
                f,
                "the file has layout version {version}, expected {FORMAT_VERSION}"
            ),
        }
    }
}

/// Creates a folder and its missing parents, readable by the owner only.
#[cfg(unix)]
fn create_private_folder(folder: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(folder)
}

/// Creates a file that only its owner can read and write, failing if it exists.
#[cfg(unix)]
fn write_private_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

// NOTE: outside Unix the file gets the folder's default permissions; the cache folder is
// normally inside the user's profile.
#[cfg(not(unix))]
fn create_private_folder(folder: &Path) -> io::Result<()> {
    fs::create_dir_all(folder)
}

#[cfg(not(unix))]
fn write_private_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(tenant: &str, refresh: &str) -> CachedAccount {
        CachedAccount {
            tenant_id: tenant.into(),
            client_id: "5e0f3d2c-1b4a-4e6f-9a8b-7c6d5e4f3a2b".into(),
            authority: "https://login.microsoftonline.com".into(),
            refresh_token: refresh.into(),
            access_tokens: vec![CachedAccessToken {
                resource: "https://graph.microsoft.com".into(),
                access_token: format!("access-{refresh}"),
                expires_at: 4_000_000_000,
            }],
        }
    }

    fn store() -> (tempfile::TempDir, TokenStore) {
        let folder = tempfile::tempdir().unwrap();
        let store = TokenStore::new(folder.path().join("cache/botline/tokens.json"));
        (folder, store)
    }

    #[test]
    fn saved_account_loads_by_key() {
        let (_folder, store) = store();
        store
            .save(account("Contoso.onmicrosoft.com", "r1"))
            .unwrap();
        let key = AccountKey {
            tenant_id: "contoso.onmicrosoft.com".into(),
            client_id: "5e0f3d2c-1b4a-4e6f-9a8b-7c6d5e4f3a2b".into(),
            authority: "https://login.microsoftonline.com".into(),
        };
        let loaded = store.load(&key).unwrap();
        assert_eq!(loaded.refresh_token, "r1");
        assert_eq!(loaded.access_tokens[0].access_token, "access-r1");
        let other = AccountKey {
            authority: "https://login.microsoftonline.us".into(),
            ..key
        };
        assert!(store.load(&other).is_none());
    }

    #[test]
    fn saving_replaces_one_account_and_keeps_others() {
        let (_folder, store) = store();
        store.save(account("a.example.com", "r1")).unwrap();
        store.save(account("b.example.com", "r2")).unwrap();
        store.save(account("a.example.com", "r3")).unwrap();
        let Removed::SignIns(sign_ins) = store.remove().unwrap() else {
            panic!("expected sign-ins");
        };
        let tenants: Vec<&str> = sign_ins.iter().map(|s| s.tenant_id.as_str()).collect();
        assert_eq!(tenants, ["b.example.com", "a.example.com"]);
        assert!(!store.path().exists());
    }

    #[cfg(unix)]
    #[test]
    fn file_and_folder_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let (_folder, store) = store();
        store.save(account("a.example.com", "r1")).unwrap();
        let mode = fs::metadata(store.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "file mode {mode:o}");
        let folder_mode = fs::metadata(store.path().parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(folder_mode & 0o777, 0o700, "folder mode {folder_mode:o}");
    }

    #[cfg(unix)]
    #[test]
    fn wide_existing_file_is_replaced_by_private_one() {
        use std::os::unix::fs::PermissionsExt;
        let (_folder, store) = store();
        fs::create_dir_all(store.path().parent().unwrap()).unwrap();
        fs::write(store.path(), "{}").unwrap();
        fs::set_permissions(store.path(), fs::Permissions::from_mode(0o644)).unwrap();
        store.save(account("a.example.com", "r1")).unwrap();
        let mode = fs::metadata(store.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "file mode {mode:o}");
    }

    #[test]
    fn corrupt_file_is_ignored_and_overwritten() {
        let (_folder, store) = store();
        fs::create_dir_all(store.path().parent().unwrap()).unwrap();
        fs::write(
            store.path(),
            "{\"version\": 1, \"accounts\": [{\"tenantId\": 5",
        )
        .unwrap();
        let key = account("a.example.com", "r").key();
        assert!(store.load(&key).is_none());
        store.save(account("a.example.com", "r1")).unwrap();
        assert_eq!(store.load(&key).unwrap().refresh_token, "r1");
    }

    #[test]
    fn other_version_is_ignored() {
        let (_folder, store) = store();
        fs::create_dir_all(store.path().parent().unwrap()).unwrap();
        fs::write(store.path(), "{\"version\": 9, \"accounts\": []}").unwrap();
        assert!(store.load(&account("a.example.com", "r").key()).is_none());
        assert_eq!(store.remove().unwrap(), Removed::Unreadable);
    }

    #[test]
    fn decode_error_does_not_quote_the_file() {
        let (_folder, store) = store();
        fs::create_dir_all(store.path().parent().unwrap()).unwrap();
        fs::write(
            store.path(),
            "{\"version\": 1, \"accounts\": [{\"refreshToken\": 17, \"x\": \"secret-value\"}]}",
        )
        .unwrap();
        let error = store.decode_file().err().unwrap().to_string();
        assert!(error.contains("line 1"), "{error}");
        assert!(!error.contains("secret-value"), "{error}");
    }

    #[test]
    fn removing_without_file_reports_nothing() {
        let (_folder, store) = store();
        assert_eq!(store.remove().unwrap(), Removed::Nothing);
    }

    #[test]
    fn debug_hides_tokens() {
        let shown = format!("{:?}", account("a.example.com", "refresh-secret"));
        assert!(!shown.contains("refresh-secret"), "{shown}");
        assert!(!shown.contains("access-refresh-secret"), "{shown}");
    }
}
