//! botline gives a Microsoft Teams calling bot a phone number and shows which bot holds which
//! number.
//!
//! The crate is one binary with its logic in this library so that tests and benchmarks reach
//! every part. Data flows one way: terminal events and API replies go into the app's state,
//! the [`wizard`] state machine turns them into effects, and the [`worker`] task runs those
//! effects through the [`client`] against Microsoft Graph, the Teams admin API, or the
//! built-in [`emulator`].

pub mod assign;
pub mod cli;
pub mod client;
pub mod config;
pub mod demo;
pub mod doctor;
pub mod emulator;
pub mod health;
pub mod logging;
pub mod login;
pub mod manage;
pub mod model;
pub mod paths;
pub mod polling;
pub mod progress;
pub mod report;
pub mod tui;
pub mod unassign;
pub mod wire;
pub mod wizard;
pub mod worker;
