//! Runs wizard effects against the client: the only part of the wizard that does I/O.

use super::{Effect, InstanceCheck, LicenseContext, NumberChoices, NumberLookup, Outcome};
use crate::client::{ApiError, Client};
use crate::model::{
    license_state, AppId, PhoneNumber, SkuRow, Upn, RESOURCE_ACCOUNT_PLAN, RESOURCE_ACCOUNT_SKU,
};
use crate::wire::graph::{NumberAssignment, SubscribedSku};

/// OData filter for free numbers that a resource account may hold.
const FREE_VOICE_NUMBERS_FILTER: &str =
    "assignmentStatus eq 'unassigned' and capabilities/any(c:c eq 'voiceApplicationAssignment')";

/// Runs one effect, waiting its delay first, and returns its outcome.
pub async fn execute(client: &Client, effect: Effect) -> Outcome {
    tokio::time::sleep(effect.delay()).await;
    let mut effect = effect;
    while let Effect::Delayed { effect: inner, .. } = effect {
        effect = *inner;
    }
    let result = match effect {
        Effect::CheckInstance {
            upn,
            app_id,
            number,
        } => check_instance(client, &upn, app_id, number)
            .await
            .map(Outcome::InstanceChecked),
        Effect::CreateInstance(request) => client
            .create_instance(&request)
            .await
            .map(Outcome::InstanceCreated),
        Effect::WaitForInstance { object_id, .. } => read_instance(client, &object_id)
            .await
            .map(|instance| Outcome::InstanceVisible(instance.is_some())),
        Effect::FindInstance { upn, .. } => find_instance(client, &upn)
            .await
            .map(Outcome::InstanceFound),
        Effect::SyncInstance { object_id, app_id } => client
            .sync_instance(&object_id, app_id)
            .await
            .map(Outcome::Synced),
        Effect::LoadLicenseContext { object_id } => load_license_context(client, &object_id)
            .await
            .map(Outcome::LicenseContext),
        Effect::SetUsageLocation {
            object_id,
            location,
        } => client
            .set_usage_location(&object_id, location)
            .await
            .map(|()| Outcome::UsageLocationSet),
        Effect::AssignLicense { object_id, sku_id } => client
            .assign_license(&object_id, &sku_id)
            .await
            .map(|_| Outcome::LicenseAssigned),
        Effect::CheckLicense { object_id, .. } => plan_provisioned(client, &object_id)
            .await
            .map(Outcome::LicenseChecked),
        Effect::LoadNumbers { object_id } => load_numbers(client, &object_id)
            .await
            .map(Outcome::NumbersLoaded),
        Effect::LookupNumber(number) => lookup_number(client, number)
            .await
            .map(Outcome::NumberLookedUp),
        Effect::AssignNumber { request, .. } => client
            .assign_number(&request)
            .await
            .map(Outcome::AssignStarted),
        Effect::PollOperation { location, .. } => client
            .operation(&location)
            .await
            .map(Outcome::OperationPolled),
        Effect::ConfirmNumber { number, .. } => {
            client.number(&number).await.map(Outcome::NumberConfirmed)
        }
        Effect::Delayed { .. } => unreachable!("the loop above removed every wrapper"),
    };
    result.unwrap_or_else(Outcome::Failed)
}

async fn check_instance(
    client: &Client,
    upn: &Upn,
    app_id: AppId,
    number: Option<PhoneNumber>,
) -> Result<InstanceCheck, ApiError> {
    let lookup = async {
        match number {
            Some(number) => lookup_number(client, number).await.map(Some),
            None => Ok(None),
        }
    };
    let (domains, principal, user, number, skus) = tokio::try_join!(
        client.domains(),
        client.service_principal(app_id),
        client.user_by_upn(upn),
        lookup,
        client.subscribed_skus(),
    )?;
    let verified_domains = domains
        .into_iter()
        .filter(|domain| domain.is_verified)
        .map(|domain| domain.id)
        .collect();
    let app_name = principal.map(|principal| {
        principal
            .display_name
            .unwrap_or_else(|| principal.app_id.clone())
    });
    let (existing_instance, existing_user) = match user {
        Some(user) => match read_instance(client, &user.id).await? {
            Some(instance) => (Some(instance), None),
            None => (None, Some(user.id)),
        },
        None => (None, None),
    };
    Ok(InstanceCheck {
        verified_domains,
        app_name,
        existing_instance,
        existing_user,
        number,
        resource_sku: resource_sku(&skus),
    })
}

/// Reads one application instance by object id, and looks for it in the instance list when
/// the read finds nothing.
///
/// NOTE: only the list route is known from tools that use it on live tenants; the read by
/// id is a guess, so a "not found" from it is checked against the list.
async fn read_instance(
    client: &Client,
    object_id: &str,
) -> Result<Option<crate::wire::teams::ApplicationInstance>, ApiError> {
    if let Some(instance) = client.instance(object_id).await? {
        return Ok(Some(instance));
    }
    let listed = client.instances(None).await?;
    Ok(listed
        .items
        .into_iter()
        .find(|instance| instance.object_id.eq_ignore_ascii_case(object_id)))
}

/// Finds the instance with this UPN in the Teams instance list, the one route of the Teams
/// admin API that community tools confirm.
async fn find_instance(
    client: &Client,
    upn: &Upn,
) -> Result<Option<crate::wire::teams::ApplicationInstance>, ApiError> {
    let listed = client.instances(None).await?;
    Ok(listed.items.into_iter().find(|instance| {
        instance
            .user_principal_name
            .trim()
            .eq_ignore_ascii_case(upn.as_str())
    }))
}

async fn load_license_context(
    client: &Client,
    object_id: &str,
) -> Result<LicenseContext, ApiError> {
    let (user, skus) = tokio::try_join!(client.user(object_id), client.subscribed_skus())?;
    let sku = skus
        .iter()
        .find(|sku| {
            sku.sku_part_number
                .eq_ignore_ascii_case(RESOURCE_ACCOUNT_SKU)
        })
        .map(SkuRow::from);
    Ok(LicenseContext {
        usage_location: user.usage_location.clone().filter(|code| !code.is_empty()),
        license_state: license_state(&user),
        sku,
    })
}

/// Returns the resource-account SKU with its seats, if the tenant has it.
fn resource_sku(skus: &[SubscribedSku]) -> Option<SkuRow> {
    skus.iter()
        .find(|sku| {
            sku.sku_part_number
                .eq_ignore_ascii_case(RESOURCE_ACCOUNT_SKU)
        })
        .map(SkuRow::from)
}

async fn plan_provisioned(client: &Client, object_id: &str) -> Result<bool, ApiError> {
    let licenses = client.license_details(object_id).await?;
    let provisioned = licenses
        .iter()
        .filter(|license| {
            license
                .sku_part_number
                .eq_ignore_ascii_case(RESOURCE_ACCOUNT_SKU)
        })
        .flat_map(|license| &license.service_plans)
        .any(|plan| {
            plan.service_plan_name
                .eq_ignore_ascii_case(RESOURCE_ACCOUNT_PLAN)
                && plan
                    .provisioning_status
                    .as_deref()
                    .is_some_and(|status| status.eq_ignore_ascii_case("Success"))
        });
    Ok(provisioned)
}

async fn load_numbers(client: &Client, object_id: &str) -> Result<NumberChoices, ApiError> {
    let held_filter = format!("assignmentTargetId eq '{}'", object_id.replace('\'', "''"));
    let (free, held) = tokio::try_join!(
        client.numbers(Some(FREE_VOICE_NUMBERS_FILTER), None),
        client.numbers(Some(&held_filter), None),
    )?;
    let mut free: Vec<NumberAssignment> = free
        .items
        .into_iter()
        .filter(|record| record.is_unassigned() && record.allows_voice_applications())
        .filter(|record| record.telephone_number.parse::<PhoneNumber>().is_ok())
        .collect();
    free.sort_by(|a, b| a.telephone_number.cmp(&b.telephone_number));
    Ok(NumberChoices {
        free,
        held: held.items.into_iter().next(),
    })
}

async fn lookup_number(client: &Client, number: PhoneNumber) -> Result<NumberLookup, ApiError> {
    let Some(record) = client.number(&number).await? else {
        return Ok(NumberLookup {
            number,
            record: None,
            holder: None,
        });
    };
    let target = record
        .assignment_target_id
        .clone()
        .filter(|target| !target.is_empty());
    let holder = match target {
        Some(target) => client
            .users_by_ids(&[target])
            .await?
            .into_iter()
            .next()
            .map(|user| user.user_principal_name),
        None => None,
    };
    Ok(NumberLookup {
        number,
        record: Some(record),
        holder,
    })
}
