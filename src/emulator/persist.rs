//! Reading and writing the tenant state file.
//!
//! Each write goes to a temporary file in the same folder that then replaces the state file
//! by rename, so a reader or a crash never finds half a file. Writes run on the blocking pool
//! and carry the version of the state they hold, so a slow older write never replaces a newer
//! one.

use std::fs::{File, TryLockError};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::state::TenantState;

/// Reads a state file; returns `None` when it does not exist.
pub fn load(path: &Path) -> io::Result<Option<TenantState>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(io::Error::new(
                error.kind(),
                format!("cannot read tenant state {}: {error}", path.display()),
            ))
        }
    };
    serde_json::from_slice(&bytes).map(Some).map_err(|error| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "tenant state {} is not valid: {error}; fix it, or delete it to start again \
                 from the practice tenant",
                path.display()
            ),
        )
    })
}

/// Writes bytes to `path` through a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder)?;
    let mut temporary = tempfile::NamedTempFile::new_in(folder)?;
    temporary.write_all(bytes)?;
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}

/// Serialises the state the way the state file stores it.
pub fn encode(state: &TenantState) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(state).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The state file of one emulator, with the version last written to it.
#[derive(Debug)]
pub struct StateFile {
    path: PathBuf,
    written_version: Mutex<u64>,
}

impl StateFile {
    /// Wraps a path; nothing is written yet.
    pub fn new(path: PathBuf) -> Self {
        StateFile {
            path,
            written_version: Mutex::new(0),
        }
    }

    /// Returns the file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes one version of the state unless a newer version was written already.
    ///
    /// Runs blocking file I/O, so async callers run it on the blocking pool.
    pub fn write_version(&self, version: u64, bytes: &[u8]) -> io::Result<()> {
        let mut written = self
            .written_version
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if version <= *written {
            return Ok(());
        }
        write_atomic(&self.path, bytes)?;
        *written = version;
        Ok(())
    }
}

/// Takes an exclusive lock on `<state file>.lock` for as long as the returned file is open,
/// so that two emulators (two `botline --demo` runs, say) never overwrite each other's
/// tenant.
pub fn lock(path: &Path) -> io::Result<File> {
    let mut lock_path = path.as_os_str().to_owned();
    lock_path.push(".lock");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(io::Error::new(
            io::ErrorKind::WouldBlock,
            format!(
                "{} is in use by another botline; close the other `botline --demo` or \
                 `botline emulator`, or point both at one `botline emulator`",
                path.display()
            ),
        )),
        Err(TryLockError::Error(error)) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_replaces_whole_file() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("nested").join("state.json");
        write_atomic(&path, b"first version, longer than the second").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("state.json")]);
    }

    #[test]
    fn older_version_never_replaces_newer() {
        let folder = tempfile::tempdir().unwrap();
        let file = StateFile::new(folder.path().join("state.json"));
        file.write_version(2, b"two").unwrap();
        file.write_version(1, b"one").unwrap();
        assert_eq!(std::fs::read(file.path()).unwrap(), b"two");
    }

    #[test]
    fn missing_file_loads_as_none() {
        let folder = tempfile::tempdir().unwrap();
        assert!(load(&folder.path().join("absent.json")).unwrap().is_none());
    }

    #[test]
    fn invalid_file_names_path_and_fix() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("state.json");
        std::fs::write(&path, b"{not json").unwrap();
        let error = load(&path).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert!(error.to_string().contains("state.json"));
        assert!(error.to_string().contains("delete it"));
    }
}
