//! `botline login` and `botline logout`: a device-code sign-in in the terminal, whose tokens
//! later runs reuse, and the removal of those tokens.
//!
//! `login` prints one line per change of the sign-in: the code and the page, a reminder of
//! the time left each minute, a slower poll, and the result. It never prints a token.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use color_eyre::eyre::{eyre, WrapErr};
use color_eyre::Result;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::client::{
    format_countdown, Client, ClientOptions, DeviceCodePrompt, Removed, SignInNotice, TokenStore,
};
use crate::config::{AuthMethod, Config};

/// Time between two reminders of the time left to enter the code.
const REMINDER_INTERVAL: Duration = Duration::from_secs(60);

/// Signs an admin in with a device code and writes the tokens to `token_file`.
pub async fn login(config: &Config, token_file: PathBuf, out: &mut dyn Write) -> Result<()> {
    if config.auth != AuthMethod::DeviceCode {
        return Err(eyre!(
            "login signs an admin in with a device code, but {} uses auth = \"client-secret\", \
             whose tokens live in memory only; set auth = \"device-code\" there to use login",
            config.path.display()
        ));
    }
    let credentials = config.credentials()?;
    let client = Client::with_token_cache(
        config.endpoints.clone(),
        credentials,
        ClientOptions::default(),
        token_file.clone(),
    )?;
    let (sender, mut notices) = mpsc::unbounded_channel();
    client.on_sign_in(move |notice| {
        // The receiver lives until the sign-in below has ended.
        let _ = sender.send(notice.clone());
    });
    tracing::info!(tenant = %config.tenant_id, "device-code sign-in started");

    let sign_in = client.sign_in_with_device_code();
    tokio::pin!(sign_in);
    let mut prompt: Option<DeviceCodePrompt> = None;
    let reminder = tokio::time::sleep(REMINDER_INTERVAL);
    tokio::pin!(reminder);
    let result = loop {
        tokio::select! {
            result = &mut sign_in => break result,
            Some(notice) = notices.recv() => {
                if let SignInNotice::CodeIssued(issued) = &notice {
                    prompt = Some(issued.clone());
                    reminder.as_mut().reset(Instant::now() + REMINDER_INTERVAL);
                }
                print_notice(out, &notice)?;
            }
            () = &mut reminder, if prompt.is_some() => {
                if let Some(prompt) = &prompt {
                    let left = prompt.remaining(std::time::Instant::now());
                    writeln!(
                        out,
                        "Waiting for the sign-in; the code expires in {}.",
                        format_countdown(left)
                    )?;
                }
                reminder.as_mut().reset(Instant::now() + REMINDER_INTERVAL);
            }
        }
    };
    while let Ok(notice) = notices.try_recv() {
        print_notice(out, &notice)?;
    }
    result.wrap_err_with(|| format!("signing in to {} failed", config.tenant_id))?;
    writeln!(
        out,
        "Tokens for {} are saved in {}; botline uses them until they expire or `botline \
         logout` removes them.",
        config.tenant_id,
        token_file.display()
    )?;
    Ok(())
}

/// Prints one line for a notice; a failure is left to the error the sign-in returns.
fn print_notice(out: &mut dyn Write, notice: &SignInNotice) -> io::Result<()> {
    match notice {
        SignInNotice::CodeIssued(prompt) => {
            writeln!(out, "{notice}.")?;
            writeln!(
                out,
                "The code expires in {}. Sign in as a Teams administrator.",
                format_countdown(prompt.lifetime)
            )
        }
        SignInNotice::SlowDown { .. } | SignInNotice::SignedIn => writeln!(out, "{notice}."),
        SignInNotice::Failed { .. } => Ok(()),
    }?;
    out.flush()
}

/// Deletes the token cache and prints what it held.
pub fn logout(token_file: &Path, out: &mut dyn Write) -> Result<()> {
    let removed = TokenStore::new(token_file.to_owned())
        .remove()
        .wrap_err_with(|| format!("cannot delete the token cache {}", token_file.display()))?;
    tracing::info!(path = %token_file.display(), ?removed, "token cache removed");
    match removed {
        Removed::Nothing => writeln!(
            out,
            "No sign-in to remove: {} does not exist.",
            token_file.display()
        )?,
        Removed::Unreadable => writeln!(
            out,
            "Removed {}, a token cache botline could not read.",
            token_file.display()
        )?,
        Removed::SignIns(sign_ins) => {
            let count = sign_ins.len();
            let noun = if count == 1 { "sign-in" } else { "sign-ins" };
            writeln!(out, "Removed {} with {count} {noun}:", token_file.display())?;
            for sign_in in sign_ins {
                writeln!(
                    out,
                    "  tenant {}, client {}, at {}: a refresh token and {} access token{}",
                    sign_in.tenant_id,
                    sign_in.client_id,
                    sign_in.authority,
                    sign_in.access_tokens,
                    if sign_in.access_tokens == 1 { "" } else { "s" }
                )?;
            }
        }
    }
    Ok(())
}

/// Prints each sign-in notice of `client` on stderr, for commands whose stdout is their
/// output, such as `report`.
pub fn print_sign_in_on_stderr(client: &Client) {
    client.on_sign_in(|notice| {
        if let SignInNotice::CodeIssued(prompt) = notice {
            eprintln!(
                "botline: {notice}; the code expires in {}.",
                format_countdown(prompt.lifetime)
            );
        } else if !matches!(notice, SignInNotice::Failed { .. }) {
            eprintln!("botline: {notice}.");
        }
    });
}
