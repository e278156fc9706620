//! Logging to a file in the data folder.
//!
//! botline writes its log through `tracing` to `botline.<date>.log`, one file per day, and keeps
//! the last [`KEPT_LOG_FILES`] files. It never logs to the terminal, because the terminal belongs
//! to the TUI or to `report`'s output. `BOTLINE_LOG` sets the filter in `tracing`'s
//! `EnvFilter` syntax, such as `debug` or `botline::client=trace`; the default is `info`.

use std::io;
use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::filter::{EnvFilter, LevelFilter};

/// Environment variable that contains the log filter.
pub const LOG_FILTER_ENV: &str = "BOTLINE_LOG";
/// First part of each log file's name.
pub const LOG_FILE_PREFIX: &str = "botline";
/// Daily log files kept before the oldest is deleted.
pub const KEPT_LOG_FILES: usize = 7;

/// Failure to start logging.
#[derive(Debug, thiserror::Error)]
pub enum LoggingError {
    /// `BOTLINE_LOG` contains no valid filter.
    #[error(
        "invalid {LOG_FILTER_ENV} value {value:?}: {reason}; use a level such as info or debug"
    )]
    InvalidFilter {
        /// The variable's value.
        value: String,
        /// The parser's message.
        reason: String,
    },
    /// The log folder or file cannot be written.
    #[error("cannot write log files in {}: {source}", folder.display())]
    Folder {
        /// The folder botline tried to log into.
        folder: PathBuf,
        /// The underlying failure.
        source: io::Error,
    },
    /// Another subscriber was installed first.
    #[error("logging was already started")]
    AlreadyStarted,
}

/// Starts logging into `folder` and returns the guard that flushes the file when dropped.
///
/// Keep the guard alive until the program ends, or the last lines are lost.
pub fn init(folder: &Path) -> Result<WorkerGuard, LoggingError> {
    let filter = filter_from_env()?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(LOG_FILE_PREFIX)
        .filename_suffix("log")
        .max_log_files(KEPT_LOG_FILES)
        .build(folder)
        .map_err(|error| LoggingError::Folder {
            folder: folder.to_owned(),
            source: io::Error::other(error),
        })?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .map_err(|_| LoggingError::AlreadyStarted)?;
    Ok(guard)
}

/// Reads the filter from `BOTLINE_LOG`, or `info` when the variable is unset or empty.
fn filter_from_env() -> Result<EnvFilter, LoggingError> {
    let value = std::env::var(LOG_FILTER_ENV).unwrap_or_default();
    parse_filter(&value)
}

fn parse_filter(value: &str) -> Result<EnvFilter, LoggingError> {
    if value.trim().is_empty() {
        return Ok(EnvFilter::default().add_directive(LevelFilter::INFO.into()));
    }
    EnvFilter::builder()
        .parse(value)
        .map_err(|error| LoggingError::InvalidFilter {
            value: value.to_owned(),
            reason: error.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_filter_means_info() {
        let filter = parse_filter("").unwrap();
        assert_eq!(filter.max_level_hint(), Some(LevelFilter::INFO));
    }

    #[test]
    fn filter_takes_a_level() {
        let filter = parse_filter("debug").unwrap();
        assert_eq!(filter.max_level_hint(), Some(LevelFilter::DEBUG));
    }

    #[test]
    fn invalid_filter_names_the_value() {
        let error = parse_filter("botline=loud").unwrap_err();
        let message = error.to_string();
        assert!(message.contains("BOTLINE_LOG"), "{message}");
        assert!(message.contains("botline=loud"), "{message}");
    }
}
