//! Microsoft's enumerations, as they appear on the wire.
//!
//! Every enum keeps values it does not know in an `Other` variant, so that a new value
//! from Microsoft shows up as text instead of failing a whole list.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares a string enum with its wire spellings and an `Other(String)` fallback.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version of botline does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// Every known value, in declaration order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// Returns the wire spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Other(value) => value,
                }
            }

            /// Parses a wire spelling, ignoring ASCII case so that PascalCase values from
            /// PowerShell and the Teams admin API map to the same variant.
            pub fn parse(value: &str) -> Self {
                $(if value.eq_ignore_ascii_case($wire) {
                    return $name::$variant;
                })+
                $name::Other(value.to_owned())
            }

            /// Returns true unless this is a value botline does not know.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Ok($name::parse(&value))
            }
        }
    };
}

wire_enum! {
    /// Kind of connection from a number to the public network (`numberType`).
    NumberType {
        DirectRouting => "directRouting",
        CallingPlan => "callingPlan",
        OperatorConnect => "operatorConnect",
        InternalError => "internalError",
    }
}

wire_enum! {
    /// Whether a number's last assignment has taken effect (`activationState`).
    ActivationState {
        Activated => "activated",
        AssignmentPending => "assignmentPending",
        AssignmentFailed => "assignmentFailed",
        UpdatePending => "updatePending",
        UpdateFailed => "updateFailed",
    }
}

wire_enum! {
    /// Kind of account a number may be assigned to (`capabilities[]`).
    NumberCapability {
        ConferenceAssignment => "conferenceAssignment",
        VoiceApplicationAssignment => "voiceApplicationAssignment",
        UserAssignment => "userAssignment",
        TeamsPhoneMobile => "teamsPhoneMobile",
    }
}

wire_enum! {
    /// Kind of account a number is assigned to (`assignmentStatus`).
    AssignmentStatus {
        Unassigned => "unassigned",
        InternalError => "internalError",
        UserAssigned => "userAssigned",
        ConferenceAssigned => "conferenceAssigned",
        VoiceApplicationAssigned => "voiceApplicationAssigned",
        ThirdPartyAppAssigned => "thirdPartyAppAssigned",
        PolicyAssigned => "policyAssigned",
    }
}

wire_enum! {
    /// Assignment category of a number (`assignmentCategory`).
    AssignmentCategory {
        Primary => "primary",
        Private => "private",
        Alternate => "alternate",
    }
}

wire_enum! {
    /// State of a telephone-number long-running operation (`status`).
    OperationStatus {
        NotStarted => "notStarted",
        Running => "running",
        Succeeded => "succeeded",
        Failed => "failed",
        Skipped => "skipped",
    }
}

impl OperationStatus {
    /// Returns true once the operation will not change any more.
    pub fn is_finished(&self) -> bool {
        matches!(
            self,
            OperationStatus::Succeeded | OperationStatus::Failed | OperationStatus::Skipped
        )
    }
}

impl NumberType {
    /// Returns the name an admin sees in the Teams admin center.
    pub fn label(&self) -> &str {
        match self {
            NumberType::DirectRouting => "Direct Routing",
            NumberType::CallingPlan => "Calling Plan",
            NumberType::OperatorConnect => "Operator Connect",
            NumberType::InternalError => "internal error",
            NumberType::Other(value) => value,
        }
    }

    /// Returns the types an admin can pick when assigning a number.
    pub fn assignable() -> [NumberType; 3] {
        [
            NumberType::CallingPlan,
            NumberType::DirectRouting,
            NumberType::OperatorConnect,
        ]
    }
}

/// Whether an instance holds the resource-account license and whether its phone plan is
/// provisioned, as `report` prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LicenseState {
    /// No resource-account license is assigned.
    Unlicensed,
    /// The license is assigned but its phone plan is not provisioned yet.
    Provisioning,
    /// The license is assigned and its phone plan is provisioned.
    Active,
}

impl LicenseState {
    /// Returns the wire spelling used by `report`.
    pub fn as_str(self) -> &'static str {
        match self {
            LicenseState::Unlicensed => "unlicensed",
            LicenseState::Provisioning => "provisioning",
            LicenseState::Active => "active",
        }
    }
}

impl fmt::Display for LicenseState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_value_round_trips() {
        let parsed: NumberType = serde_json::from_str("\"directRouting\"").unwrap();
        assert_eq!(parsed, NumberType::DirectRouting);
        assert_eq!(serde_json::to_string(&parsed).unwrap(), "\"directRouting\"");
    }

    #[test]
    fn pascal_case_maps_to_known_value() {
        assert_eq!(NumberType::parse("CallingPlan"), NumberType::CallingPlan);
        assert_eq!(
            NumberCapability::parse("VoiceApplicationAssignment"),
            NumberCapability::VoiceApplicationAssignment
        );
    }

    #[test]
    fn unknown_value_is_kept() {
        let parsed: ActivationState = serde_json::from_str("\"portingIn\"").unwrap();
        assert_eq!(parsed, ActivationState::Other("portingIn".into()));
        assert!(!parsed.is_known());
        assert_eq!(serde_json::to_string(&parsed).unwrap(), "\"portingIn\"");
    }

    #[test]
    fn finished_operation_states() {
        assert!(OperationStatus::Succeeded.is_finished());
        assert!(OperationStatus::Failed.is_finished());
        assert!(!OperationStatus::Running.is_finished());
        assert!(!OperationStatus::NotStarted.is_finished());
    }
}
