//! Serde types that mirror Microsoft's JSON on the wire.
//!
//! Field names follow Graph and the Teams admin API (camelCase). Every type ignores unknown
//! fields, and the enums keep unknown values, so a new field or value from Microsoft never
//! fails a whole response. The live client reads these types and the emulator writes them.

pub mod auth;
pub mod error;
pub mod graph;
pub mod teams;

pub use error::{GraphError, GraphErrorBody, InnerError};
