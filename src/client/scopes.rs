//! The OAuth scopes botline requests, derived from the configured endpoints.
//!
//! A token is issued for one resource. Graph's resource identifier is the origin of its host,
//! which differs per cloud (`https://graph.microsoft.com`, `https://graph.microsoft.us`,
//! `https://dod-graph.microsoft.us`, `https://microsoftgraph.chinacloudapi.cn`), so the scope
//! follows the Graph endpoint instead of being fixed. The Teams admin API is named by its
//! application id, which is the same in every cloud.

use url::Url;

use super::Endpoints;

/// Application id of the "Skype and Teams Tenant Admin API", the Teams admin API's resource.
pub const TEAMS_ADMIN_API_RESOURCE: &str = "48ac35b8-9aa8-4d74-927d-1f4a14a0b239";

/// Delegated Graph permissions requested at device-code sign-in, least privileged for the
/// calls botline makes: numbers (`TeamsTelephoneNumber.ReadWrite.All`), usage location and
/// license (`User.ReadWrite.All`), subscribed SKUs (`Organization.Read.All`), verified domains
/// (`Domain.Read.All`) and the bot's service principal (`Application.Read.All`).
pub const GRAPH_DELEGATED_PERMISSIONS: [&str; 5] = [
    "TeamsTelephoneNumber.ReadWrite.All",
    "User.ReadWrite.All",
    "Organization.Read.All",
    "Domain.Read.All",
    "Application.Read.All",
];

/// Delegated permission of the Teams admin API.
///
/// NOTE: Microsoft does not document this name; community setup guides for the Skype and
/// Teams Tenant Admin API use it, and no live tenant has confirmed it here.
const TEAMS_DELEGATED_PERMISSION: &str = "user_impersonation";

/// Scope that requests a refresh token.
const OFFLINE_ACCESS: &str = "offline_access";

/// Returns Graph's resource identifier for a Graph endpoint: its scheme, host and any
/// explicit port, such as `https://graph.microsoft.us` for `https://graph.microsoft.us/v1.0`.
pub fn graph_resource(graph: &Url) -> String {
    let origin = graph.origin().ascii_serialization();
    // An opaque origin only comes from a URL without a host, which config checks reject.
    if origin == "null" {
        graph.as_str().trim_end_matches('/').to_owned()
    } else {
        origin
    }
}

/// Returns the client-credentials scope of Graph: its resource followed by `/.default`.
pub fn graph_app_scope(endpoints: &Endpoints) -> String {
    format!("{}/.default", graph_resource(&endpoints.graph))
}

/// Returns the client-credentials scope of the Teams admin API.
pub fn teams_app_scope() -> String {
    format!("{TEAMS_ADMIN_API_RESOURCE}/.default")
}

/// Returns the delegated Graph scopes of the device-code request and of each Graph refresh,
/// with `offline_access` so that a refresh token comes back.
pub fn graph_delegated_scope(endpoints: &Endpoints) -> String {
    let resource = graph_resource(&endpoints.graph);
    let mut scopes: Vec<String> = GRAPH_DELEGATED_PERMISSIONS
        .iter()
        .map(|permission| format!("{resource}/{permission}"))
        .collect();
    scopes.push(OFFLINE_ACCESS.to_owned());
    scopes.join(" ")
}

/// Returns the delegated scope of the Teams admin API, redeemed with the refresh token.
pub fn teams_delegated_scope() -> String {
    format!("{TEAMS_ADMIN_API_RESOURCE}/{TEAMS_DELEGATED_PERMISSION} {OFFLINE_ACCESS}")
}

/// Returns the `-TeamsEnvironmentName` of `Connect-MicrosoftTeams` for a national cloud's
/// Graph host, or `None` for the worldwide service (and GCC), which needs none.
pub fn teams_environment(endpoints: &Endpoints) -> Option<&'static str> {
    match endpoints.graph.host_str()? {
        "graph.microsoft.us" => Some("TeamsGCCH"),
        "dod-graph.microsoft.us" => Some("TeamsDOD"),
        "microsoftgraph.chinacloudapi.cn" => Some("TeamsChina"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoints(graph: &str) -> Endpoints {
        Endpoints {
            login: Url::parse("https://login.example.com").unwrap(),
            graph: Url::parse(graph).unwrap(),
            teams: Url::parse("https://teams.example.com").unwrap(),
        }
    }

    #[test]
    fn graph_resource_is_the_origin() {
        let cases = [
            (
                "https://graph.microsoft.com/v1.0",
                "https://graph.microsoft.com",
            ),
            (
                "https://graph.microsoft.us/v1.0",
                "https://graph.microsoft.us",
            ),
            (
                "https://dod-graph.microsoft.us/v1.0",
                "https://dod-graph.microsoft.us",
            ),
            (
                "https://microsoftgraph.chinacloudapi.cn/v1.0/",
                "https://microsoftgraph.chinacloudapi.cn",
            ),
            ("http://127.0.0.1:4780/v1.0", "http://127.0.0.1:4780"),
        ];
        for (graph, resource) in cases {
            assert_eq!(graph_resource(&Url::parse(graph).unwrap()), resource);
        }
    }

    #[test]
    fn app_scope_follows_graph_host() {
        let high = endpoints("https://graph.microsoft.us/v1.0");
        assert_eq!(
            graph_app_scope(&high),
            "https://graph.microsoft.us/.default"
        );
        let china = endpoints("https://microsoftgraph.chinacloudapi.cn/v1.0");
        assert_eq!(
            graph_app_scope(&china),
            "https://microsoftgraph.chinacloudapi.cn/.default"
        );
        assert_eq!(
            teams_app_scope(),
            "48ac35b8-9aa8-4d74-927d-1f4a14a0b239/.default"
        );
    }

    #[test]
    fn delegated_scope_lists_permissions() {
        let dod = endpoints("https://dod-graph.microsoft.us/v1.0");
        let scope = graph_delegated_scope(&dod);
        let items: Vec<&str> = scope.split(' ').collect();
        assert_eq!(items.len(), GRAPH_DELEGATED_PERMISSIONS.len() + 1);
        assert!(
            items.contains(&"https://dod-graph.microsoft.us/TeamsTelephoneNumber.ReadWrite.All")
        );
        assert!(items.contains(&"https://dod-graph.microsoft.us/User.ReadWrite.All"));
        assert!(items.contains(&"https://dod-graph.microsoft.us/Organization.Read.All"));
        assert_eq!(items.last(), Some(&"offline_access"));
        assert!(!scope.contains("graph.microsoft.com"), "{scope}");
    }

    #[test]
    fn teams_delegated_scope_impersonates() {
        assert_eq!(
            teams_delegated_scope(),
            "48ac35b8-9aa8-4d74-927d-1f4a14a0b239/user_impersonation offline_access"
        );
    }

    #[test]
    fn teams_environment_per_cloud() {
        let cases = [
            ("https://graph.microsoft.com/v1.0", None),
            ("https://graph.microsoft.us/v1.0", Some("TeamsGCCH")),
            ("https://dod-graph.microsoft.us/v1.0", Some("TeamsDOD")),
            (
                "https://microsoftgraph.chinacloudapi.cn/v1.0",
                Some("TeamsChina"),
            ),
            ("http://127.0.0.1:4780/v1.0", None),
        ];
        for (graph, environment) in cases {
            assert_eq!(teams_environment(&endpoints(graph)), environment, "{graph}");
        }
    }
}
