//! Progress lines on standard error for the commands that run without screens.
//!
//! `report` and `assign` keep standard output for their result, so a script can read it while
//! the admin sees each wait on standard error as `botline: throttled, retrying in 3 s (retry 1,
//! request-id …)`. A failure still ends with one `botline: <reason>` line, the last one.

use std::io::{self, Write};

use crate::client::Client;

/// Prints every retry of `client`'s requests on standard error as it happens.
pub fn print_retries(client: &Client) {
    client.on_retry(|notice| {
        // A closed standard error must not stop the command.
        let _ = writeln!(io::stderr().lock(), "botline: {}", notice.summary());
    });
}
