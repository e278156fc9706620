//! Health checks of a bot's application instance: one checklist per instance, computed from
//! the joined tenant.
//!
//! Each check passes, warns, fails or is skipped because an earlier one failed. A failing or
//! warning check carries one sentence saying why and a [`Remedy`]: the TUI shows the remedy
//! as the key that fixes it, and `doctor` as the command. Nothing here does I/O.

mod checks;

pub use checks::{checklist, checklists, held_record, missing_instance};

use serde::Serialize;

/// One check of the list, in the order the setup steps happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CheckId {
    /// The application instance exists and Entra returns the user behind it.
    InstanceExists,
    /// The instance is bound to an application id.
    ApplicationBound,
    /// The instance has a usage location.
    UsageLocation,
    /// The resource-account license is assigned.
    LicenseAssigned,
    /// The license's phone plan is provisioned.
    LicenseProvisioned,
    /// The instance holds a number.
    NumberAssigned,
    /// The number's assignment has taken effect.
    NumberActivated,
    /// The number allows voice applications.
    NumberCapability,
    /// The number has a type botline can work with.
    NumberType,
    /// The usage location is the number's country.
    CountryMatch,
}

impl CheckId {
    /// Every check, in the order of the checklist.
    pub const ALL: [CheckId; 10] = [
        CheckId::InstanceExists,
        CheckId::ApplicationBound,
        CheckId::UsageLocation,
        CheckId::LicenseAssigned,
        CheckId::LicenseProvisioned,
        CheckId::NumberAssigned,
        CheckId::NumberActivated,
        CheckId::NumberCapability,
        CheckId::NumberType,
        CheckId::CountryMatch,
    ];

    /// Returns the check's title, such as "License provisioned".
    pub fn title(self) -> &'static str {
        match self {
            CheckId::InstanceExists => "Resource account exists",
            CheckId::ApplicationBound => "Application id bound",
            CheckId::UsageLocation => "Usage location set",
            CheckId::LicenseAssigned => "License assigned",
            CheckId::LicenseProvisioned => "License provisioned",
            CheckId::NumberAssigned => "Number assigned",
            CheckId::NumberActivated => "Number activated",
            CheckId::NumberCapability => "Number allows voice applications",
            CheckId::NumberType => "Number type known",
            CheckId::CountryMatch => "Number's country matches usage location",
        }
    }
}

/// The result of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    /// The check holds.
    Pass,
    /// The check could not run, because an earlier check failed.
    Skip,
    /// The bot works, but something may go wrong.
    Warn,
    /// The bot cannot take calls until this is fixed.
    Fail,
}

impl Verdict {
    /// Returns the word `doctor` prints, such as `FAIL`.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "ok",
            Verdict::Skip => "skip",
            Verdict::Warn => "warn",
            Verdict::Fail => "FAIL",
        }
    }
}

/// The fix of a failing check. The TUI shows it as a key, `doctor` as a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Remedy {
    /// Create the instance with the wizard.
    NewBot,
    /// Continue the setup and type the bot's application id.
    MapApplication,
    /// Continue the setup: usage location, license and number.
    ContinueSetup,
    /// Wait for the plan; if it never provisions, remove the license and continue the setup.
    WaitForLicense,
    /// Wait for the number; if it stays pending, unassign it and continue the setup.
    WaitForNumber,
    /// Unassign the failed number and continue the setup.
    Reassign,
    /// Put another number on the instance.
    ChangeNumber,
    /// Load the tenant again later.
    Reload,
    /// Look at the number in the Teams admin center; botline cannot change it.
    AdminCenter,
}

/// One line of a checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Which check.
    pub id: CheckId,
    /// Its result.
    pub verdict: Verdict,
    /// The value found when the check passes, or the reason when it fails or warns. For a
    /// skipped check, the missing prerequisite.
    pub text: String,
    /// The fix, for a failing or warning check.
    pub remedy: Option<Remedy>,
}

impl Check {
    fn pass(id: CheckId, text: impl Into<String>) -> Check {
        Check {
            id,
            verdict: Verdict::Pass,
            text: text.into(),
            remedy: None,
        }
    }

    fn fail(id: CheckId, why: impl Into<String>, remedy: Remedy) -> Check {
        Check {
            id,
            verdict: Verdict::Fail,
            text: why.into(),
            remedy: Some(remedy),
        }
    }

    fn warn(id: CheckId, why: impl Into<String>, remedy: Remedy) -> Check {
        Check {
            id,
            verdict: Verdict::Warn,
            text: why.into(),
            remedy: Some(remedy),
        }
    }

    fn skip(id: CheckId, prerequisite: impl Into<String>) -> Check {
        Check {
            id,
            verdict: Verdict::Skip,
            text: prerequisite.into(),
            remedy: None,
        }
    }
}

/// The checks of one instance, in [`CheckId::ALL`] order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    /// UPN of the instance, or the UPN asked for when no instance has it.
    pub upn: String,
    /// Object id of the instance; `None` when it does not exist.
    pub object_id: Option<String>,
    /// One line per check.
    pub checks: Vec<Check>,
}

impl Checklist {
    /// Returns the checks that fail.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.with_verdict(Verdict::Fail)
    }

    /// Returns the checks that warn.
    pub fn warnings(&self) -> impl Iterator<Item = &Check> {
        self.with_verdict(Verdict::Warn)
    }

    fn with_verdict(&self, verdict: Verdict) -> impl Iterator<Item = &Check> {
        self.checks
            .iter()
            .filter(move |check| check.verdict == verdict)
    }

    /// Returns true when no check fails; warnings are allowed.
    pub fn is_healthy(&self) -> bool {
        self.failures().next().is_none()
    }

    /// Returns the worst verdict of the list.
    pub fn worst(&self) -> Verdict {
        self.checks
            .iter()
            .map(|check| check.verdict)
            .max()
            .unwrap_or(Verdict::Pass)
    }

    /// Returns the line of one check.
    pub fn check(&self, id: CheckId) -> Option<&Check> {
        self.checks.iter().find(|check| check.id == id)
    }
}
