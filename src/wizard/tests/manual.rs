//! Transition tests of step 1 by hand: the PowerShell commands, the polling of the instance
//! list, and the way back to step 2.

use super::*;

fn app_only() -> Connection {
    Connection {
        app_only: true,
        teams_environment: None,
    }
}

/// Drives a wizard to the create call and returns it with that effect.
fn at_create(connection: Connection) -> (Wizard, Vec<(Ticket, Effect)>) {
    let mut wizard = Wizard::with_form(form(), timing()).with_connection(connection);
    let effects = wizard.update(Input::Submit);
    let effects = answer(&mut wizard, &effects, Outcome::InstanceChecked(check(None)));
    (wizard, effects)
}

/// Drives an app-only wizard to the create call and answers it with Access Denied.
fn refused_app_only() -> (Wizard, Vec<(Ticket, Effect)>) {
    let (mut wizard, effects) = at_create(app_only());
    assert!(
        matches!(effects[..], [(_, Effect::CreateInstance(_))]),
        "app-only still tries: {effects:?}"
    );
    let next = answer(&mut wizard, &effects, Outcome::Failed(error(403)));
    (wizard, next)
}

fn manual(wizard: &Wizard) -> &ManualSetup {
    wizard
        .facts
        .manual
        .as_ref()
        .unwrap_or_else(|| panic!("expected PowerShell commands, got {:?}", wizard.phase))
}

fn lines(setup: &ManualSetup) -> Vec<String> {
    setup.commands.iter().map(ToString::to_string).collect()
}

fn is_find(effects: &[(Ticket, Effect)]) -> bool {
    matches!(
        effects,
        [(_, Effect::FindInstance { upn, .. })] if upn.as_str() == "ivr-bot@contoso.com"
    )
}

#[test]
fn app_only_warns_then_shows_commands_when_refused() {
    let (wizard, effects) = refused_app_only();
    assert!(
        wizard
            .log
            .iter()
            .any(|line| line.contains("signs in app-only")),
        "warned before trying: {:?}",
        wizard.log
    );
    assert!(is_find(&effects), "expected a search, got {effects:?}");
    let setup = manual(&wizard);
    assert!(setup.reason.contains("app-only"), "{}", setup.reason);
    assert!(setup.reason.contains("Access Denied"), "{}", setup.reason);
    let commands = lines(setup);
    assert_eq!(commands[0], "Connect-MicrosoftTeams");
    assert!(commands[1].contains("-UserPrincipalName ivr-bot@contoso.com"));
    assert!(commands[1].contains(&format!("-ApplicationId {APP_ID}")));
    assert!(commands[1].contains("-DisplayName \"IVR Bot\""));
    assert!(
        commands[2].starts_with("Sync-CsOnlineApplicationInstance -ObjectId $instance.ObjectId")
    );
    assert!(matches!(
        &wizard.phase,
        Phase::Waiting { activity, attempt: 1, .. } if activity.contains("ivr-bot@contoso.com")
    ));
    assert!(wizard.is_manual());
    assert!(!wizard.facts.changed_tenant);
}

#[test]
fn app_only_create_that_works_goes_on() {
    let (mut wizard, effects) = at_create(app_only());
    let next = answer(
        &mut wizard,
        &effects,
        Outcome::InstanceCreated(instance(APP_ID)),
    );
    assert!(
        matches!(next[0].1, Effect::WaitForInstance { .. }),
        "{next:?}"
    );
    assert!(wizard.facts.manual.is_none());
}

#[test]
fn refused_create_moves_to_commands() {
    for status in [403, 404, 405] {
        let (mut wizard, effects) = at_create(Connection::default());
        assert!(matches!(effects[0].1, Effect::CreateInstance(_)));
        let next = answer(&mut wizard, &effects, Outcome::Failed(error(status)));
        assert!(is_find(&next), "{status}: {next:?}");
        let setup = manual(&wizard);
        assert!(
            setup.reason.contains(&format!("HTTP {status}")),
            "{status}: {}",
            setup.reason
        );
        assert!(setup.reason.contains("req-42"), "{}", setup.reason);
        assert_eq!(setup.commands.len(), 3);
    }
}

#[test]
fn other_create_failures_still_fail() {
    for status in [400, 409, 500] {
        let (mut wizard, effects) = at_create(Connection::default());
        assert!(answer(&mut wizard, &effects, Outcome::Failed(error(status))).is_empty());
        assert!(wizard.facts.manual.is_none(), "{status}");
        assert!(matches!(wizard.phase, Phase::Failed { .. }), "{status}");
    }
}

#[test]
fn refused_sync_shows_sync_command_only() {
    let (mut wizard, effects) = at_create(Connection {
        app_only: false,
        teams_environment: Some("TeamsGCCH".into()),
    });
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::InstanceCreated(instance(APP_ID)),
    );
    let effects = answer(&mut wizard, &effects, Outcome::InstanceVisible(true));
    assert!(matches!(effects[0].1, Effect::SyncInstance { .. }));
    let next = answer(&mut wizard, &effects, Outcome::Failed(error(405)));
    assert!(is_find(&next), "{next:?}");
    let setup = manual(&wizard);
    assert_eq!(
        lines(setup),
        [
            "Connect-MicrosoftTeams -TeamsEnvironmentName TeamsGCCH".to_owned(),
            format!(
                "Sync-CsOnlineApplicationInstance -ObjectId {OBJECT_ID} -ApplicationId {APP_ID}"
            ),
        ]
    );
    assert!(setup.reason.contains("mapping"), "{}", setup.reason);
}

#[test]
fn found_account_continues_with_step_two() {
    let (mut wizard, effects) = refused_app_only();
    let next = answer(
        &mut wizard,
        &effects,
        Outcome::InstanceFound(Some(instance(APP_ID))),
    );
    assert_eq!(wizard.step, Step::License);
    assert!(
        matches!(&next[..], [(_, Effect::LoadLicenseContext { object_id })] if object_id == OBJECT_ID)
    );
    assert!(wizard.facts.manual.is_none());
    assert!(wizard.facts.changed_tenant);
    assert!(wizard.facts.created);
    assert_eq!(wizard.facts.object_id.as_deref(), Some(OBJECT_ID));
    assert!(wizard
        .log
        .iter()
        .any(|line| line.contains("Found ivr-bot@contoso.com")));
}

#[test]
fn missing_account_polls_then_fails() {
    let (mut wizard, mut effects) = refused_app_only();
    let mut waits = Vec::new();
    for _ in 0..4 {
        let [(_, Effect::FindInstance { after, .. })] = &effects[..] else {
            panic!("expected a search, got {effects:?}");
        };
        waits.push(*after);
        effects = answer(&mut wizard, &effects, Outcome::InstanceFound(None));
    }
    assert_eq!(
        waits,
        [100, 200, 400, 400].map(Duration::from_millis).to_vec()
    );
    assert!(effects.is_empty());
    let Phase::Failed { reason, can_retry } = &wizard.phase else {
        panic!("expected a failure, got {:?}", wizard.phase);
    };
    assert!(
        reason.contains("still not finished after 4 checks"),
        "{reason}"
    );
    assert!(*can_retry);
    assert!(wizard.facts.manual.is_some(), "the commands stay on screen");
    let again = wizard.update(Input::Retry);
    assert!(is_find(&again), "{again:?}");
}

#[test]
fn unmapped_account_keeps_waiting() {
    let (mut wizard, effects) = refused_app_only();
    let mut unmapped = instance(APP_ID);
    unmapped.application_id = None;
    let next = answer(
        &mut wizard,
        &effects,
        Outcome::InstanceFound(Some(unmapped)),
    );
    assert!(is_find(&next), "{next:?}");
    assert!(matches!(
        &wizard.phase,
        Phase::Waiting { activity, attempt: 2, .. } if activity.contains("mapped")
    ));
}

#[test]
fn account_of_another_bot_fails() {
    let (mut wizard, effects) = refused_app_only();
    let other = instance("11111111-2222-3333-4444-555555555555");
    assert!(answer(&mut wizard, &effects, Outcome::InstanceFound(Some(other))).is_empty());
    let Phase::Failed { reason, can_retry } = &wizard.phase else {
        panic!("expected a failure, got {:?}", wizard.phase);
    };
    assert!(
        reason.contains("11111111-2222-3333-4444-555555555555"),
        "{reason}"
    );
    assert!(!can_retry);
}

#[test]
fn back_leaves_commands_and_drops_late_reply() {
    let (mut wizard, effects) = refused_app_only();
    wizard.update(Input::Back);
    assert!(wizard.facts.manual.is_none());
    assert!(!wizard.is_manual());
    assert!(rejection(&wizard).contains("Stopped waiting"));
    let late = answer(
        &mut wizard,
        &effects,
        Outcome::InstanceFound(Some(instance(APP_ID))),
    );
    assert!(late.is_empty());
    assert_eq!(wizard.step, Step::Instance);
}
