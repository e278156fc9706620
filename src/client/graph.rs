//! Graph calls about the directory and licenses: domains, service principals, users, usage
//! location, subscribed SKUs, license assignment and license details.

use std::collections::HashSet;

use futures::stream::{self, StreamExt, TryStreamExt};
use reqwest::Method;

use super::auth::Audience;
use super::http::Call;
use super::routes::{self, odata_string, USER_SELECT};
use super::{ApiError, Client, Listed, Progress};
use crate::model::{AppId, Upn, UsageLocation};
use crate::wire::graph::{
    AssignLicenseRequest, AssignedLicense, Domain, LicenseDetails, ServicePrincipal, SubscribedSku,
    User, UserPatch,
};

/// Object ids per `$filter=id in (...)` request; Graph allows at most 15 values in an `in`.
const USERS_PER_REQUEST: usize = 15;
/// Requests of one `users_by_ids` call in flight at once, to stay clear of throttling.
const USER_REQUESTS_IN_FLIGHT: usize = 4;

impl Client {
    /// Lists the tenant's domains.
    pub async fn domains(&self) -> Result<Vec<Domain>, ApiError> {
        let url = routes::join(&self.inner.endpoints.graph, "/domains");
        Ok(self.graph_collection(url, "domain", None).await?.items)
    }

    /// Finds the service principal of an application id.
    pub async fn service_principal(
        &self,
        app_id: AppId,
    ) -> Result<Option<ServicePrincipal>, ApiError> {
        let filter = format!("appId eq {}", odata_string(&app_id.to_string()));
        let url = routes::join_with_query(
            &self.inner.endpoints.graph,
            "/servicePrincipals",
            &[("$filter", &filter)],
        );
        let listed: Listed<ServicePrincipal> = self
            .graph_collection(url, "service principal", None)
            .await?;
        Ok(listed.items.into_iter().next())
    }

    /// Finds a user by sign-in name.
    pub async fn user_by_upn(&self, upn: &Upn) -> Result<Option<User>, ApiError> {
        let filter = format!("userPrincipalName eq {}", odata_string(upn.as_str()));
        let url = routes::join_with_query(
            &self.inner.endpoints.graph,
            "/users",
            &[("$filter", &filter), ("$select", USER_SELECT)],
        );
        let listed: Listed<User> = self.graph_collection(url, "user", None).await?;
        Ok(listed.items.into_iter().next())
    }

    /// Reads one user with its licenses and plans.
    pub async fn user(&self, object_id: &str) -> Result<User, ApiError> {
        let path = format!("/users/{}", routes::encode(object_id));
        let url = routes::join_with_query(
            &self.inner.endpoints.graph,
            &path,
            &[("$select", USER_SELECT)],
        );
        self.send(Call::get(Audience::Graph, url)).await?.json()
    }

    /// Reads many users by object id, several requests at a time; ids that match no user are
    /// left out of the result.
    pub async fn users_by_ids(&self, object_ids: &[String]) -> Result<Vec<User>, ApiError> {
        Ok(self.users_by_ids_listed(object_ids, None).await?.items)
    }

    /// Same as [`Client::users_by_ids`], keeping malformed records and reporting progress.
    pub(super) async fn users_by_ids_listed(
        &self,
        object_ids: &[String],
        progress: Option<Progress>,
    ) -> Result<Listed<User>, ApiError> {
        let mut seen = HashSet::new();
        let unique: Vec<String> = object_ids
            .iter()
            .map(|id| id.trim())
            .filter(|id| !id.is_empty() && seen.insert(id.to_ascii_lowercase()))
            .map(str::to_owned)
            .collect();
        let chunks: Vec<Vec<String>> = unique
            .chunks(USERS_PER_REQUEST)
            .map(<[String]>::to_vec)
            .collect();
        let pages = stream::iter(chunks)
            .map(|chunk| self.users_chunk(chunk))
            .buffer_unordered(USER_REQUESTS_IN_FLIGHT);
        pages
            .try_fold(Listed::default(), |mut all, page| {
                all.items.extend(page.items);
                all.malformed.extend(page.malformed);
                all.malformed_records.extend(page.malformed_records);
                if let Some(progress) = &progress {
                    progress(all.len());
                }
                async move { Ok(all) }
            })
            .await
    }

    async fn users_chunk(&self, ids: Vec<String>) -> Result<Listed<User>, ApiError> {
        let quoted: Vec<String> = ids.iter().map(|id| odata_string(id)).collect();
        let filter = format!("id in ({})", quoted.join(","));
        let url = routes::join_with_query(
            &self.inner.endpoints.graph,
            "/users",
            &[("$filter", &filter), ("$select", USER_SELECT)],
        );
        self.graph_collection(url, "user", None).await
    }

    /// Sets a user's usage location.
    pub async fn set_usage_location(
        &self,
        object_id: &str,
        location: UsageLocation,
    ) -> Result<(), ApiError> {
        let path = format!("/users/{}", routes::encode(object_id));
        let url = routes::join(&self.inner.endpoints.graph, &path);
        let body = UserPatch {
            usage_location: Some(location.to_string()),
        };
        self.send(Call::json(Method::PATCH, Audience::Graph, url, &body)?)
            .await?;
        Ok(())
    }

    /// Lists the tenant's SKUs with their seats.
    pub async fn subscribed_skus(&self) -> Result<Vec<SubscribedSku>, ApiError> {
        let url = routes::join(&self.inner.endpoints.graph, "/subscribedSkus");
        Ok(self.graph_collection(url, "SKU", None).await?.items)
    }

    /// Adds one license to a user, with all of its service plans enabled.
    pub async fn assign_license(&self, object_id: &str, sku_id: &str) -> Result<User, ApiError> {
        let path = format!("/users/{}/assignLicense", routes::encode(object_id));
        let url = routes::join(&self.inner.endpoints.graph, &path);
        let body = AssignLicenseRequest {
            add_licenses: vec![AssignedLicense {
                sku_id: sku_id.to_owned(),
                disabled_plans: Vec::new(),
            }],
            remove_licenses: Vec::new(),
        };
        self.send(Call::json(Method::POST, Audience::Graph, url, &body)?)
            .await?
            .json()
    }

    /// Removes one license from a user, through assignLicense with `removeLicenses`.
    pub async fn remove_license(&self, object_id: &str, sku_id: &str) -> Result<User, ApiError> {
        let path = format!("/users/{}/assignLicense", routes::encode(object_id));
        let url = routes::join(&self.inner.endpoints.graph, &path);
        let body = AssignLicenseRequest {
            add_licenses: Vec::new(),
            remove_licenses: vec![sku_id.to_owned()],
        };
        self.send(Call::json(Method::POST, Audience::Graph, url, &body)?)
            .await?
            .json()
    }

    /// Lists a user's licenses with each service plan's provisioning state.
    pub async fn license_details(&self, object_id: &str) -> Result<Vec<LicenseDetails>, ApiError> {
        let path = format!("/users/{}/licenseDetails", routes::encode(object_id));
        let url = routes::join(&self.inner.endpoints.graph, &path);
        Ok(self.graph_collection(url, "license", None).await?.items)
    }
}
