//! The tenant model: plain Rust types for application instances, licenses and numbers.
//!
//! Nothing here does I/O. The wire types in [`crate::wire`] reuse the enums, and the
//! screens, the wizard and `report` read the joined [`TenantView`].

mod countries;
mod enums;
mod ids;
mod phone;
mod unreadable;
mod view;

pub use countries::is_country_code;
pub use enums::{
    ActivationState, AssignmentCategory, AssignmentStatus, LicenseState, NumberCapability,
    NumberType, OperationStatus,
};
pub use ids::{AppId, InvalidInput, Upn, UsageLocation};
pub use phone::PhoneNumber;
pub use view::{license_state, InstanceRow, NumberRow, SkuRow, TenantView};

/// skuPartNumber of the *Microsoft Teams Phone Resource Account* license.
pub const RESOURCE_ACCOUNT_SKU: &str = "PHONESYSTEM_VIRTUALUSER";
/// skuId of [`RESOURCE_ACCOUNT_SKU`] in the global cloud.
pub const RESOURCE_ACCOUNT_SKU_ID: &str = "440eaaa8-b3e0-484b-a8be-62870b9ba70a";
/// Service plan inside the resource-account license that must be provisioned before a number.
pub const RESOURCE_ACCOUNT_PLAN: &str = "MCOEV_VIRTUALUSER";
/// servicePlanId of [`RESOURCE_ACCOUNT_PLAN`].
pub const RESOURCE_ACCOUNT_PLAN_ID: &str = "f47330e9-c134-43b3-9993-e7f004506889";
/// Application id that Teams uses for auto attendants.
pub const AUTO_ATTENDANT_APP_ID: &str = "ce933385-9390-45d1-9512-c8d228074e07";
/// Application id that Teams uses for call queues.
pub const CALL_QUEUE_APP_ID: &str = "11cd3e2e-fccb-42ad-ad00-878b93575e07";
