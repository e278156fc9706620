//! Delegated sign-in: an admin signs in with a device code, and the refresh token that comes
//! back is redeemed for each audience and again before each access token expires.
//!
//! The device-code request names Graph's delegated scopes and `offline_access`, and the
//! refresh token that comes back is then redeemed for the Teams admin API's
//! `user_impersonation` scope.
//! When a refresh token is rejected (revoked, expired, or consent changed), botline forgets
//! it and asks the admin to sign in again. Tokens are written to the token cache file after
//! every change, when the client has one.

use std::time::Instant;

use super::auth::{Audience, Token, TokenState};
use super::token_store::{AccountKey, CachedAccessToken, CachedAccount};
use super::{scopes, ApiError, Client, Credentials};
use crate::wire::auth::TokenResponse;

/// OAuth errors of a refresh that mean the refresh token cannot be used again, so the admin
/// must sign in anew.
const REFRESH_REJECTED: [&str; 2] = ["invalid_grant", "interaction_required"];

impl Client {
    /// Returns a new delegated token for the audience: from the refresh token when there is
    /// one, else through a device-code sign-in.
    pub(super) async fn delegated_token(
        &self,
        state: &mut TokenState,
        audience: Audience,
    ) -> Result<Token, ApiError> {
        if let Some(refresh_token) = state.refresh_token.clone() {
            match self
                .redeem_refresh_token(state, &refresh_token, audience)
                .await
            {
                Ok(token) => return Ok(token),
                Err(RefreshError::Rejected(error)) => {
                    tracing::warn!(
                        audience = audience.name(),
                        %error,
                        "refresh token rejected; signing in again"
                    );
                    state.clear();
                }
                Err(RefreshError::Failed(error)) => return Err(error),
            }
        }
        let graph = self.interactive_sign_in(state).await?;
        match audience {
            Audience::Graph => Ok(graph),
            Audience::Teams => {
                state.graph = Some(graph);
                let refresh_token = state.refresh_token.clone().unwrap_or_default();
                self.redeem_refresh_token(state, &refresh_token, audience)
                    .await
                    .map_err(RefreshError::into_api_error)
            }
        }
    }

    /// Signs in with a device code even when tokens are cached, fetches a token for each
    /// audience, and stores them. This is `botline login`.
    ///
    /// Fails for app-only credentials, which need no interactive sign-in.
    pub async fn sign_in_with_device_code(&self) -> Result<(), ApiError> {
        if !matches!(self.inner.credentials, Credentials::DeviceCode { .. }) {
            return Err(ApiError::Auth(
                "device-code sign-in needs auth = \"device-code\" in the config file".to_owned(),
            ));
        }
        let mut state = self.inner.tokens.lock().await;
        state.loaded = true;
        state.clear();
        let graph = self.interactive_sign_in(&mut state).await?;
        state.graph = Some(graph);
        let refresh_token = state.refresh_token.clone().unwrap_or_default();
        let teams = self
            .redeem_refresh_token(&mut state, &refresh_token, Audience::Teams)
            .await
            .map_err(RefreshError::into_api_error)?;
        state.teams = Some(teams);
        self.store_tokens(&state).await;
        Ok(())
    }

    /// Runs the device-code sign-in and keeps its refresh token; returns the Graph token.
    async fn interactive_sign_in(&self, state: &mut TokenState) -> Result<Token, ApiError> {
        let Credentials::DeviceCode {
            tenant_id,
            client_id,
        } = &self.inner.credentials
        else {
            return Err(ApiError::Auth(
                "device-code sign-in needs auth = \"device-code\"".to_owned(),
            ));
        };
        let started = Instant::now();
        let response = self.device_code_sign_in(tenant_id, client_id).await?;
        let Some(refresh_token) = response.refresh_token.clone() else {
            return Err(ApiError::Auth(
                "the sign-in returned no refresh token, so botline cannot reach the Teams admin \
                 API; check that botline's app registration may request offline_access"
                    .to_owned(),
            ));
        };
        state.refresh_token = Some(refresh_token);
        tracing::info!(
            audience = Audience::Graph.name(),
            expires_in_s = response.expires_in,
            "signed in with a device code"
        );
        Ok(Token::from_response(&response, started))
    }

    /// Redeems a refresh token for an audience, keeping the new refresh token the service
    /// returns in its place.
    async fn redeem_refresh_token(
        &self,
        state: &mut TokenState,
        refresh_token: &str,
        audience: Audience,
    ) -> Result<Token, RefreshError> {
        let Credentials::DeviceCode {
            tenant_id,
            client_id,
        } = &self.inner.credentials
        else {
            return Err(RefreshError::Failed(ApiError::Auth(
                "a refresh token needs auth = \"device-code\"".to_owned(),
            )));
        };
        let scope = match audience {
            Audience::Graph => scopes::graph_delegated_scope(&self.inner.endpoints),
            Audience::Teams => scopes::teams_delegated_scope(),
        };
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "refresh_token")
            .append_pair("client_id", client_id)
            .append_pair("refresh_token", refresh_token)
            .append_pair("scope", &scope)
            .finish();
        let started = Instant::now();
        let reply = self
            .post_token_form(tenant_id, form)
            .await
            .map_err(RefreshError::Failed)?;
        if !reply.is_success() {
            let error = super::auth::sign_in_error(&reply.body, reply.status, &reply.headers);
            let oauth_code = serde_json::from_slice::<crate::wire::auth::OAuthError>(&reply.body)
                .map(|oauth| oauth.error)
                .unwrap_or_default();
            return Err(if REFRESH_REJECTED.contains(&oauth_code.as_str()) {
                RefreshError::Rejected(error)
            } else {
                RefreshError::Failed(error)
            });
        }
        let response: TokenResponse = reply.json().map_err(RefreshError::Failed)?;
        if let Some(rotated) = &response.refresh_token {
            state.refresh_token = Some(rotated.clone());
        }
        tracing::info!(
            audience = audience.name(),
            expires_in_s = response.expires_in,
            "redeemed the refresh token"
        );
        Ok(Token::from_response(&response, started))
    }

    /// Returns the key of this client's entry in the token cache file, for delegated
    /// credentials.
    fn account_key(&self) -> Option<AccountKey> {
        let Credentials::DeviceCode {
            tenant_id,
            client_id,
        } = &self.inner.credentials
        else {
            return None;
        };
        Some(AccountKey {
            tenant_id: tenant_id.to_ascii_lowercase(),
            client_id: client_id.to_ascii_lowercase(),
            authority: self
                .inner
                .endpoints
                .login
                .origin()
                .ascii_serialization()
                .to_ascii_lowercase(),
        })
    }

    /// Returns the resource a stored access token of `audience` is for.
    fn resource(&self, audience: Audience) -> String {
        match audience {
            Audience::Graph => scopes::graph_resource(&self.inner.endpoints.graph),
            Audience::Teams => scopes::TEAMS_ADMIN_API_RESOURCE.to_owned(),
        }
    }

    /// Reads this client's delegated tokens from the cache file, if it has one.
    pub(super) async fn load_stored_tokens(&self, state: &mut TokenState) {
        let (Some(store), Some(key)) = (self.inner.token_store.clone(), self.account_key()) else {
            return;
        };
        let loaded = tokio::task::spawn_blocking(move || store.load(&key)).await;
        let Ok(Some(account)) = loaded else {
            return;
        };
        for audience in [Audience::Graph, Audience::Teams] {
            let resource = self.resource(audience);
            let stored = account
                .access_tokens
                .iter()
                .find(|token| token.resource.eq_ignore_ascii_case(&resource));
            if let Some(stored) = stored {
                *state.slot(audience) = Some(Token::from_expiry(
                    stored.access_token.clone(),
                    stored.expiry(),
                ));
            }
        }
        state.refresh_token = Some(account.refresh_token);
        tracing::info!("using the cached sign-in");
    }

    /// Writes this client's delegated tokens to the cache file, if it has one. A failed
    /// write is logged; the tokens stay usable in memory.
    pub(super) async fn store_tokens(&self, state: &TokenState) {
        let (Some(store), Some(key)) = (self.inner.token_store.clone(), self.account_key()) else {
            return;
        };
        let Some(refresh_token) = state.refresh_token.clone() else {
            return;
        };
        let mut access_tokens = Vec::new();
        for (audience, token) in [
            (Audience::Graph, &state.graph),
            (Audience::Teams, &state.teams),
        ] {
            if let Some(token) = token {
                access_tokens.push(CachedAccessToken {
                    resource: self.resource(audience),
                    access_token: token.access_token.clone(),
                    expires_at: CachedAccessToken::seconds(token.expires_at),
                });
            }
        }
        let account = CachedAccount {
            tenant_id: key.tenant_id,
            client_id: key.client_id,
            authority: key.authority,
            refresh_token,
            access_tokens,
        };
        let path = store.path().display().to_string();
        let saved = tokio::task::spawn_blocking(move || store.save(account)).await;
        match saved {
            Ok(Ok(())) => tracing::debug!(%path, "token cache written"),
            Ok(Err(error)) => tracing::warn!(%path, %error, "cannot write the token cache"),
            Err(error) => tracing::warn!(%path, %error, "writing the token cache failed"),
        }
    }
}

/// Reason a refresh failed.
enum RefreshError {
    /// The refresh token cannot be used again.
    Rejected(ApiError),
    /// Anything else, such as an outage.
    Failed(ApiError),
}

impl RefreshError {
    fn into_api_error(self) -> ApiError {
        match self {
            RefreshError::Rejected(error) | RefreshError::Failed(error) => error,
        }
    }
}
