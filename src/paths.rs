//! Where botline keeps its files: the config, data and cache folders.
//!
//! The folders come from the platform's conventions through `directories` (XDG base
//! directories on Linux, so `XDG_CONFIG_HOME`, `XDG_DATA_HOME` and `XDG_CACHE_HOME` move them).
//! Nothing is created until a caller asks for a folder with one of the `create_*` methods.

use std::io;
use std::path::{Path, PathBuf};

use directories::ProjectDirs;

/// Name of the config file inside the config folder.
pub const CONFIG_FILE_NAME: &str = "config.toml";
/// Name of the practice tenant's state file inside the data folder.
pub const DEMO_STATE_FILE_NAME: &str = "demo-tenant.json";
/// Name of the token cache of device-code sign-ins inside the cache folder.
pub const TOKEN_CACHE_FILE_NAME: &str = "tokens.json";

/// The three folders botline uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    config_dir: PathBuf,
    data_dir: PathBuf,
    cache_dir: PathBuf,
}

impl Paths {
    /// Finds the folders for the current user.
    ///
    /// Fails only when the platform reports no home folder, which happens when `HOME` is unset
    /// and the user has no entry in the password database.
    pub fn discover() -> io::Result<Paths> {
        let dirs = ProjectDirs::from("", "", "botline").ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                "no home folder found to keep botline's files in; set HOME",
            )
        })?;
        Ok(Paths {
            config_dir: dirs.config_dir().to_owned(),
            data_dir: dirs.data_dir().to_owned(),
            cache_dir: dirs.cache_dir().to_owned(),
        })
    }

    /// Uses the given folders, for tests and for callers that pick their own.
    pub fn with_dirs(config_dir: PathBuf, data_dir: PathBuf, cache_dir: PathBuf) -> Paths {
        Paths {
            config_dir,
            data_dir,
            cache_dir,
        }
    }

    /// Returns the folder of `config.toml`.
    pub fn config_dir(&self) -> &Path {
        &self.config_dir
    }

    /// Returns the folder of the demo tenant's state and the log files.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Returns the folder of cached data such as sign-in tokens.
    pub fn cache_dir(&self) -> &Path {
        &self.cache_dir
    }

    /// Returns the default config file path; the file may not exist.
    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join(CONFIG_FILE_NAME)
    }

    /// Returns the practice tenant's state file path; the file may not exist.
    pub fn demo_state_file(&self) -> PathBuf {
        self.data_dir.join(DEMO_STATE_FILE_NAME)
    }

    /// Returns the token cache file path, which holds device-code sign-ins; the file may
    /// not exist.
    pub fn token_cache_file(&self) -> PathBuf {
        self.cache_dir.join(TOKEN_CACHE_FILE_NAME)
    }

    /// Creates the config folder if needed and returns it.
    pub fn create_config_dir(&self) -> io::Result<&Path> {
        create(&self.config_dir)
    }

    /// Creates the data folder if needed and returns it.
    pub fn create_data_dir(&self) -> io::Result<&Path> {
        create(&self.data_dir)
    }

    /// Creates the cache folder if needed and returns it.
    pub fn create_cache_dir(&self) -> io::Result<&Path> {
        create(&self.cache_dir)
    }
}

fn create(dir: &Path) -> io::Result<&Path> {
    std::fs::create_dir_all(dir).map_err(|error| {
        io::Error::new(
            error.kind(),
            format!("cannot create folder {}: {error}", dir.display()),
        )
    })?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_sit_in_their_folders() {
        let paths = Paths::with_dirs("/c".into(), "/d".into(), "/k".into());
        assert_eq!(paths.config_file(), PathBuf::from("/c/config.toml"));
        assert_eq!(
            paths.demo_state_file(),
            PathBuf::from("/d/demo-tenant.json")
        );
        assert_eq!(paths.cache_dir(), Path::new("/k"));
        assert_eq!(paths.token_cache_file(), PathBuf::from("/k/tokens.json"));
    }

    #[test]
    fn create_makes_nested_folders() {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("a/b/botline");
        let paths = Paths::with_dirs(root.path().join("c"), data.clone(), root.path().join("k"));
        assert!(!data.exists());
        assert_eq!(paths.create_data_dir().unwrap(), data.as_path());
        assert!(data.is_dir());
        // A second call finds the folder in place.
        paths.create_data_dir().unwrap();
    }

    #[test]
    fn create_reports_the_folder() {
        let root = tempfile::tempdir().unwrap();
        let blocker = root.path().join("file");
        std::fs::write(&blocker, "").unwrap();
        let paths = Paths::with_dirs(blocker.join("c"), blocker.join("d"), blocker.join("k"));
        let error = paths.create_config_dir().unwrap_err();
        assert!(error.to_string().contains(&blocker.display().to_string()));
    }
}
