//! Device-code sign-in of the live client against the emulator over real HTTP: the code and
//! its deadline, declined and expired codes, `slow_down`, refresh tokens, and the token
//! cache file.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use botline::client::{ApiError, Client, ClientOptions, Credentials, SignInNotice};
use botline::emulator::{Emulator, Fault, Options, Timing, DEMO_CLIENT_ID, DEMO_TENANT_ID};
use serde_json::Value;
use tokio::sync::mpsc;

/// Maximum wait for one sign-in notice; the emulator's poll interval is 1 s, 6 s after a
/// `slow_down`.
const NOTICE_WAIT: Duration = Duration::from_secs(30);

struct Setup {
    emulator: Emulator,
    folder: tempfile::TempDir,
}

impl Setup {
    async fn start() -> Setup {
        let emulator = Emulator::start(Options {
            timing: Timing::instant(),
            ..Options::default()
        })
        .await
        .unwrap();
        Setup {
            emulator,
            folder: tempfile::tempdir().unwrap(),
        }
    }

    fn token_file(&self) -> PathBuf {
        self.folder.path().join("cache/botline/tokens.json")
    }

    /// Builds a device-code client on the token file, and the channel of its notices.
    fn client(&self) -> (Client, mpsc::UnboundedReceiver<SignInNotice>) {
        let credentials = Credentials::DeviceCode {
            tenant_id: DEMO_TENANT_ID.to_owned(),
            client_id: DEMO_CLIENT_ID.to_owned(),
        };
        let client = Client::with_token_cache(
            self.emulator.endpoints(),
            credentials,
            ClientOptions::default(),
            self.token_file(),
        )
        .unwrap();
        let (sender, notices) = mpsc::unbounded_channel();
        client.on_sign_in(move |notice| {
            let _ = sender.send(notice.clone());
        });
        (client, notices)
    }

    /// Waits for the code, approves it as the admin would, and returns the notices so far.
    async fn approve_next_code(
        &self,
        notices: &mut mpsc::UnboundedReceiver<SignInNotice>,
    ) -> Vec<SignInNotice> {
        let seen = wait_for_code(notices).await;
        let SignInNotice::CodeIssued(prompt) = seen.last().unwrap() else {
            unreachable!("wait_for_code ends on a code");
        };
        assert!(self.emulator.approve_device_code(&prompt.user_code).await);
        seen
    }

    async fn grant_types(&self) -> Vec<String> {
        self.emulator
            .sign_in_requests()
            .await
            .into_iter()
            .map(|request| request.grant_type)
            .collect()
    }
}

async fn next_notice(notices: &mut mpsc::UnboundedReceiver<SignInNotice>) -> SignInNotice {
    tokio::time::timeout(NOTICE_WAIT, notices.recv())
        .await
        .expect("a sign-in notice in time")
        .expect("the client is alive")
}

/// Reads notices until a code is issued and returns them, the code last.
async fn wait_for_code(notices: &mut mpsc::UnboundedReceiver<SignInNotice>) -> Vec<SignInNotice> {
    let mut seen = Vec::new();
    loop {
        let notice = next_notice(notices).await;
        let is_code = matches!(notice, SignInNotice::CodeIssued(_));
        seen.push(notice);
        if is_code {
            return seen;
        }
    }
}

fn read_cache(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn device_code_signs_in_for_both_apis() {
    let setup = Setup::start().await;
    let (client, mut notices) = setup.client();
    let (instances, seen) = tokio::join!(
        client.instances(None),
        setup.approve_next_code(&mut notices)
    );
    assert_eq!(instances.unwrap().items.len(), 8);

    let SignInNotice::CodeIssued(prompt) = &seen[0] else {
        panic!("expected a code first, got {seen:?}");
    };
    assert!(prompt.verification_uri.ends_with("/_emulator/device"));
    assert_eq!(prompt.lifetime, Duration::from_secs(900));
    assert!(!prompt.user_code.is_empty());
    assert_eq!(next_notice(&mut notices).await, SignInNotice::SignedIn);

    let requests = setup.emulator.sign_in_requests().await;
    let resource = format!("http://{}", setup.emulator.addr());
    assert_eq!(requests[0].grant_type, "devicecode");
    let scope = &requests[0].scope;
    for permission in [
        "TeamsTelephoneNumber.ReadWrite.All",
        "User.ReadWrite.All",
        "Organization.Read.All",
    ] {
        assert!(
            scope.contains(&format!("{resource}/{permission}")),
            "{scope}"
        );
    }
    assert!(scope.ends_with(" offline_access"), "{scope}");
    let refresh = requests.last().unwrap();
    assert_eq!(refresh.grant_type, "refresh_token");
    assert_eq!(
        refresh.scope,
        "48ac35b8-9aa8-4d74-927d-1f4a14a0b239/user_impersonation offline_access"
    );

    // The Graph token of the device-code sign-in serves Graph without another request.
    let before = requests.len();
    assert!(!client.domains().await.unwrap().is_empty());
    assert_eq!(setup.emulator.sign_in_requests().await.len(), before);
}

#[tokio::test]
async fn declined_code_fails_with_reason() {
    let setup = Setup::start().await;
    let (client, mut notices) = setup.client();
    let decline = async {
        let seen = wait_for_code(&mut notices).await;
        let SignInNotice::CodeIssued(prompt) = seen.last().unwrap() else {
            unreachable!();
        };
        assert!(setup.emulator.decline_device_code(&prompt.user_code).await);
    };
    let (result, ()) = tokio::join!(client.domains(), decline);
    let error = result.unwrap_err();
    let ApiError::Auth(reason) = &error else {
        panic!("expected a sign-in error, got {error:?}");
    };
    assert!(reason.contains("declined"), "{reason}");
    let SignInNotice::Failed { reason } = next_notice(&mut notices).await else {
        panic!("expected a failure notice");
    };
    assert!(reason.contains("declined"), "{reason}");
}

#[tokio::test]
async fn expired_code_fails_with_reason() {
    let setup = Setup::start().await;
    let (client, mut notices) = setup.client();
    let expire = async {
        wait_for_code(&mut notices).await;
        setup.emulator.advance_clock(Duration::from_secs(901));
    };
    let (result, ()) = tokio::join!(client.domains(), expire);
    let message = result.unwrap_err().to_string();
    assert!(message.starts_with("sign-in failed: "), "{message}");
    assert!(message.contains("expired"), "{message}");
    assert!(!setup.token_file().exists());
}

#[tokio::test]
async fn bad_verification_code_stops() {
    let setup = Setup::start().await;
    setup
        .emulator
        .inject(Fault::oauth_error(1, "bad_verification_code"))
        .await;
    let (client, _notices) = setup.client();
    let message = client.domains().await.unwrap_err().to_string();
    assert!(message.contains("did not recognise"), "{message}");
}

#[tokio::test]
async fn slow_down_adds_five_seconds() {
    let setup = Setup::start().await;
    setup
        .emulator
        .inject(Fault::oauth_error(1, "slow_down"))
        .await;
    let (client, mut notices) = setup.client();
    let (result, _) = tokio::join!(client.domains(), setup.approve_next_code(&mut notices));
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(
        next_notice(&mut notices).await,
        SignInNotice::SlowDown {
            interval: Duration::from_secs(6)
        }
    );
    assert_eq!(next_notice(&mut notices).await, SignInNotice::SignedIn);
}

#[cfg(unix)]
#[tokio::test]
async fn cache_file_is_private_and_reused() {
    use std::os::unix::fs::PermissionsExt;

    let setup = Setup::start().await;
    let (client, mut notices) = setup.client();
    let (result, _) = tokio::join!(client.domains(), setup.approve_next_code(&mut notices));
    result.unwrap();

    let mode = std::fs::metadata(setup.token_file())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "token cache mode {mode:o}");
    let cache = read_cache(&setup.token_file());
    let account = &cache["accounts"][0];
    assert_eq!(account["tenantId"], DEMO_TENANT_ID);
    assert!(account["refreshToken"]
        .as_str()
        .is_some_and(|t| !t.is_empty()));

    // A second run starts from the file: no code, no new device-code request.
    let device_codes = |types: &[String]| types.iter().filter(|t| *t == "devicecode").count();
    assert_eq!(device_codes(&setup.grant_types().await), 1);
    let (second, mut second_notices) = setup.client();
    assert_eq!(second.instances(None).await.unwrap().items.len(), 8);
    assert!(second_notices.try_recv().is_err(), "no sign-in notice");
    assert_eq!(device_codes(&setup.grant_types().await), 1);
}

#[tokio::test]
async fn token_near_expiry_is_refreshed_from_cache() {
    let setup = Setup::start().await;
    let (client, mut notices) = setup.client();
    let (result, _) = tokio::join!(client.domains(), setup.approve_next_code(&mut notices));
    result.unwrap();

    // Make the cached Graph token look one minute from expiry, inside the refresh margin.
    let mut cache = read_cache(&setup.token_file());
    let graph_resource = format!("http://{}", setup.emulator.addr());
    let tokens = cache["accounts"][0]["accessTokens"].as_array_mut().unwrap();
    let graph = tokens
        .iter_mut()
        .find(|token| token["resource"] == graph_resource.as_str())
        .expect("a cached Graph token");
    let old_token = graph["accessToken"].as_str().unwrap().to_owned();
    graph["expiresAt"] = (unix_now() + 60).into();
    std::fs::write(setup.token_file(), serde_json::to_vec(&cache).unwrap()).unwrap();

    let (second, mut second_notices) = setup.client();
    second.domains().await.unwrap();
    assert!(second_notices.try_recv().is_err(), "no device code");
    assert_eq!(setup.grant_types().await.last().unwrap(), "refresh_token");
    let cache = read_cache(&setup.token_file());
    let tokens = cache["accounts"][0]["accessTokens"].as_array().unwrap();
    let graph = tokens
        .iter()
        .find(|token| token["resource"] == graph_resource.as_str())
        .unwrap();
    assert_ne!(graph["accessToken"].as_str().unwrap(), old_token);
    assert!(graph["expiresAt"].as_u64().unwrap() > unix_now() + 3000);
}

#[tokio::test]
async fn rejected_token_is_refreshed_without_a_code() {
    let setup = Setup::start().await;
    let (client, mut notices) = setup.client();
    let (result, _) = tokio::join!(client.domains(), setup.approve_next_code(&mut notices));
    result.unwrap();
    assert_eq!(next_notice(&mut notices).await, SignInNotice::SignedIn);

    // The emulator's tokens expire while the client still trusts its own.
    setup.emulator.advance_clock(Duration::from_secs(3601));
    assert!(!client.domains().await.unwrap().is_empty());
    assert_eq!(setup.grant_types().await.last().unwrap(), "refresh_token");
    assert!(notices.try_recv().is_err(), "no second code");
}

#[tokio::test]
async fn revoked_refresh_token_asks_for_a_new_code() {
    let setup = Setup::start().await;
    std::fs::create_dir_all(setup.token_file().parent().unwrap()).unwrap();
    let stale = serde_json::json!({
        "version": 1,
        "accounts": [{
            "tenantId": DEMO_TENANT_ID,
            "clientId": DEMO_CLIENT_ID,
            "authority": format!("http://{}", setup.emulator.addr()),
            "refreshToken": "revoked-refresh-token",
            "accessTokens": [],
        }],
    });
    std::fs::write(setup.token_file(), serde_json::to_vec(&stale).unwrap()).unwrap();

    let (client, mut notices) = setup.client();
    let (result, _) = tokio::join!(client.domains(), setup.approve_next_code(&mut notices));
    result.unwrap();
    assert_eq!(
        setup.grant_types().await[..2],
        ["refresh_token".to_owned(), "devicecode".to_owned()]
    );
    let cache = std::fs::read_to_string(setup.token_file()).unwrap();
    assert!(!cache.contains("revoked-refresh-token"));
}

#[tokio::test]
async fn corrupt_cache_is_ignored() {
    let setup = Setup::start().await;
    std::fs::create_dir_all(setup.token_file().parent().unwrap()).unwrap();
    std::fs::write(setup.token_file(), "{ not json").unwrap();
    let (client, mut notices) = setup.client();
    let (result, _) = tokio::join!(client.domains(), setup.approve_next_code(&mut notices));
    result.unwrap();
    assert_eq!(read_cache(&setup.token_file())["version"], 1);
}

#[tokio::test]
async fn login_signs_in_again_despite_cache() {
    let setup = Setup::start().await;
    let (client, mut notices) = setup.client();
    let (first, _) = tokio::join!(
        client.sign_in_with_device_code(),
        setup.approve_next_code(&mut notices)
    );
    first.unwrap();
    let cache = read_cache(&setup.token_file());
    assert_eq!(
        cache["accounts"][0]["accessTokens"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "a token for each API"
    );

    let (second, _) = tokio::join!(
        client.sign_in_with_device_code(),
        setup.approve_next_code(&mut notices)
    );
    second.unwrap();
    let device_codes = setup
        .grant_types()
        .await
        .iter()
        .filter(|t| *t == "devicecode")
        .count();
    assert_eq!(device_codes, 2);
}

#[tokio::test]
async fn app_only_client_writes_no_cache() {
    let setup = Setup::start().await;
    let client = Client::with_token_cache(
        setup.emulator.endpoints(),
        Emulator::credentials(),
        ClientOptions::default(),
        setup.token_file(),
    )
    .unwrap();
    assert!(!client.domains().await.unwrap().is_empty());
    assert!(!setup.token_file().exists());
    let requests = setup.emulator.sign_in_requests().await;
    assert_eq!(requests[0].grant_type, "client_credentials");
    assert_eq!(
        requests[0].scope,
        format!("http://{}/.default", setup.emulator.addr())
    );
    let message = client
        .sign_in_with_device_code()
        .await
        .unwrap_err()
        .to_string();
    assert!(message.contains("device-code"), "{message}");
}
