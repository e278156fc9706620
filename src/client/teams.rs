//! Application instances on the Teams admin API: list, read, create and sync.
//!
//! NOTE: these routes are unverified. The list route comes from community code that calls
//! `GET /Teams.PlatformService/v2/ApplicationInstances`; the create and sync routes and bodies
//! are guesses modelled on the PowerShell cmdlets, because Microsoft documents no REST API for
//! application instances.

use reqwest::Method;

use super::auth::Audience;
use super::http::Call;
use super::{routes, ApiError, Client, Listed, Progress, SyncOutcome};
use crate::model::AppId;
use crate::wire::teams::{
    ApplicationInstance, CreateInstanceRequest, InstancePage, SyncInstanceRequest, INSTANCES_PATH,
};

/// Records asked for per page of instances.
const INSTANCES_PAGE_SIZE: &str = "100";

/// Text of the error the agent provisioning service returns when the mapping exists, seen in
/// reports of running `Sync-CsOnlineApplicationInstance` twice.
const MAPPING_EXISTS: &str = "same key has already been added";

impl Client {
    /// Lists application instances, following `skipToken` until a page has none.
    /// `progress` gets the number of records received after each page.
    pub async fn instances(
        &self,
        progress: Option<Progress>,
    ) -> Result<Listed<ApplicationInstance>, ApiError> {
        let mut listed = Listed::default();
        let mut skip_token: Option<String> = None;
        loop {
            let mut query = vec![("pageSize", INSTANCES_PAGE_SIZE)];
            if let Some(token) = &skip_token {
                query.push(("skipToken", token.as_str()));
            }
            let url = routes::join_with_query(&self.inner.endpoints.teams, INSTANCES_PATH, &query);
            let page: InstancePage = self.send(Call::get(Audience::Teams, url)).await?.json()?;
            listed.extend_from_json(page.application_instances, "instance");
            if let Some(progress) = &progress {
                progress(listed.len());
            }
            match page.skip_token.filter(|token| !token.is_empty()) {
                Some(token) if skip_token.as_ref() == Some(&token) => {
                    return Err(ApiError::Decode {
                        what: format!("GET {INSTANCES_PATH}"),
                        detail: "the service returned the same skipToken twice".to_owned(),
                    });
                }
                Some(token) => skip_token = Some(token),
                None => break,
            }
        }
        Ok(listed)
    }

    /// Reads one application instance, or `None` when it does not exist (yet).
    pub async fn instance(&self, object_id: &str) -> Result<Option<ApplicationInstance>, ApiError> {
        let path = format!("{INSTANCES_PATH}/{}", routes::encode(object_id));
        let url = routes::join(&self.inner.endpoints.teams, &path);
        match self.send(Call::get(Audience::Teams, url)).await {
            Ok(reply) => reply.json().map(Some),
            Err(error) if error.is_not_found() => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Creates an application instance.
    pub async fn create_instance(
        &self,
        request: &CreateInstanceRequest,
    ) -> Result<ApplicationInstance, ApiError> {
        let url = routes::join(&self.inner.endpoints.teams, INSTANCES_PATH);
        self.send(Call::json(Method::POST, Audience::Teams, url, request)?)
            .await?
            .json()
    }

    /// Maps an instance to an application id in the agent provisioning service.
    ///
    /// When the service responds that a mapping exists (409, or 400 with "same key has
    /// already been added"), the instance is read: the same application id counts as
    /// [`SyncOutcome::AlreadyMapped`], and any other returns the service's error.
    pub async fn sync_instance(
        &self,
        object_id: &str,
        app_id: AppId,
    ) -> Result<SyncOutcome, ApiError> {
        let path = format!("{INSTANCES_PATH}/{}/sync", routes::encode(object_id));
        let url = routes::join(&self.inner.endpoints.teams, &path);
        let body = SyncInstanceRequest {
            application_id: app_id.to_string(),
        };
        let error = match self
            .send(Call::json(Method::POST, Audience::Teams, url, &body)?)
            .await
        {
            Ok(_) => return Ok(SyncOutcome::Mapped),
            Err(error) if says_mapping_exists(&error) => error,
            Err(error) => return Err(error),
        };
        let wanted = app_id.to_string();
        match self.instance(object_id).await {
            Ok(Some(instance))
                if instance
                    .application_id
                    .as_deref()
                    .is_some_and(|mapped| mapped.trim().eq_ignore_ascii_case(&wanted)) =>
            {
                tracing::info!(object_id, app_id = %wanted, "instance already mapped");
                Ok(SyncOutcome::AlreadyMapped)
            }
            Ok(instance) => {
                let mapped = instance.and_then(|instance| instance.application_id);
                tracing::warn!(
                    object_id,
                    app_id = %wanted,
                    ?mapped,
                    %error,
                    "instance mapped elsewhere"
                );
                Err(mapped_elsewhere(
                    error,
                    object_id,
                    &wanted,
                    mapped.as_deref(),
                ))
            }
            Err(read_error) => {
                tracing::warn!(object_id, error = %read_error, "could not read instance after sync");
                Err(error)
            }
        }
    }
}

/// Rewords the service's conflict for an instance that is mapped to another application, so
/// that it names both ids. The status and request id stay those of the service's response.
fn mapped_elsewhere(
    error: ApiError,
    object_id: &str,
    wanted: &str,
    mapped: Option<&str>,
) -> ApiError {
    let ApiError::Status {
        status,
        code,
        request_id,
        ..
    } = error
    else {
        return error;
    };
    let current = match mapped.map(str::trim).filter(|id| !id.is_empty()) {
        Some(id) => format!("application {id}"),
        None => "another application".to_owned(),
    };
    ApiError::Status {
        status,
        code,
        message: format!(
            "the application instance {object_id} is already mapped to {current}, so it cannot \
             be mapped to {wanted}; botline does not change an existing mapping"
        ),
        request_id,
    }
}

/// Returns true for the errors that may mean the instance is already mapped: any 409, and
/// a 400 that says so. The caller still checks the instance's application id.
fn says_mapping_exists(error: &ApiError) -> bool {
    match error {
        ApiError::Status { status: 409, .. } => true,
        ApiError::Status {
            status: 400,
            message,
            ..
        } => message.to_ascii_lowercase().contains(MAPPING_EXISTS),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16, message: &str) -> ApiError {
        ApiError::Status {
            status,
            code: None,
            message: message.to_owned(),
            request_id: None,
        }
    }

    #[test]
    fn same_key_conflict_means_mapping_exists() {
        let text = "An item with the Same Key has already been added. Key: x";
        assert!(says_mapping_exists(&status(409, text)));
        assert!(says_mapping_exists(&status(409, "Conflict")));
        assert!(says_mapping_exists(&status(400, text)));
    }

    #[test]
    fn other_errors_do_not_mean_mapping_exists() {
        let text = "An item with the same key has already been added.";
        assert!(!says_mapping_exists(&status(500, text)));
        assert!(!says_mapping_exists(&status(400, "Invalid application id")));
        assert!(!says_mapping_exists(&ApiError::Timeout("x".into())));
    }
}
