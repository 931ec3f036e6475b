//! One host the client talks to (GES, IAM or the metadata service): its base
//! URL split for signing, the proxy that carries it, the agent that sends to it,
//! and network errors that name it.

use super::proxy::ProxySetting;
use super::resolver;
use crate::error::Error;
use std::time::Duration;
use ureq::http::Uri;
use ureq::unversioned::transport::{Connector, DefaultConnector};

pub struct Target {
    /// `scheme://host:port`, without the base path (endpoints never hold userinfo).
    pub origin: String,
    /// The base URL's own path prefix, usually empty.
    pub base_path: String,
    /// Exactly the `Host` header sent and signed.
    pub host_header: String,
    /// `host:port`, for messages.
    pub shown: String,
    /// The proxy's `host:port` when one carries the requests.
    pub via: Option<String>,
    pub agent: ureq::Agent,
}

/// What every agent of a client shares.
pub struct AgentSettings<'a> {
    pub connect_timeout: Duration,
    /// Idle connections kept (`max_connections`).
    pub max_idle: usize,
    pub user_agent: &'a str,
    pub tls: ureq::tls::TlsConfig,
    pub proxy: &'a ProxySetting,
}

impl Target {
    /// `base_url` was validated by the config; `key` names it in messages.
    pub fn new(base_url: &str, key: &str, settings: &AgentSettings<'_>) -> Result<Target, Error> {
        let invalid = || Error::invalid(format!("config: \"{key}\" is not a valid base URL"));
        let uri: Uri = base_url.parse().map_err(|_| invalid())?;
        let scheme = uri.scheme_str().unwrap_or("https").to_string();
        let authority = uri.authority().ok_or_else(invalid)?;
        let default_port = if scheme == "https" { 443 } else { 80 };
        let port = authority.port_u16().unwrap_or(default_port);
        let host_header = match authority.port_u16() {
            Some(port) if port != default_port => format!("{}:{port}", authority.host()),
            _ => authority.host().to_string(),
        };
        let proxy = settings.proxy.for_target(&scheme, authority.host(), port);
        let agent_config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(settings.connect_timeout))
            .max_idle_connections_per_host(settings.max_idle)
            .max_idle_connections(settings.max_idle)
            .max_redirects(0)
            .user_agent(settings.user_agent)
            .tls_config(settings.tls.clone())
            // Always set: ureq would otherwise read the process environment itself.
            .proxy(proxy.map(|p| p.to_ureq()).transpose()?)
            .build();
        Ok(Target {
            origin: format!("{scheme}://{authority}"),
            base_path: uri.path().trim_end_matches('/').to_string(),
            shown: format!("{}:{port}", authority.host()),
            via: proxy.map(|p| p.shown()),
            host_header,
            agent: ureq::Agent::with_parts(
                agent_config,
                DefaultConnector::new().chain(super::cancellable::CancellableConnector),
                resolver::CachingResolver::default(),
            ),
        })
    }

    /// A failed exchange with this host, in words that name it (never a
    /// credential of a URL), and whether another attempt may succeed.
    pub fn network_error(&self, error: &ureq::Error, timeout: Duration) -> (String, bool) {
        use ureq::Error as E;
        let host = &self.shown;
        // With a proxy, names are resolved and connections opened to the proxy.
        let (first_hop, via) = match &self.via {
            Some(proxy) => (
                format!("the proxy {proxy}"),
                format!(" via the proxy {proxy}"),
            ),
            None => (host.clone(), String::new()),
        };
        match error {
            E::Timeout(_) => (
                format!(
                    "request to {host}{via} timed out after {} ms",
                    timeout.as_millis()
                ),
                true,
            ),
            E::HostNotFound => (
                format!("could not resolve the host name of {first_hop}"),
                true,
            ),
            E::ConnectionFailed => (format!("could not connect to {first_hop}"), true),
            E::ConnectProxyFailed(reason) => (
                format!("the proxy refused or failed the tunnel to {host}{via}: {reason}"),
                true,
            ),
            E::Io(io) => (format!("connection error with {host}{via}: {io}"), true),
            E::Rustls(tls) if tls.to_string().contains("certificate") => (
                format!("TLS certificate verification failed for {host}{via}: {tls}"),
                false,
            ),
            E::Rustls(tls) => (format!("TLS error with {host}{via}: {tls}"), true),
            E::Tls(what) => (format!("TLS error with {host}{via}: {what}"), false),
            E::InvalidProxyUrl => (format!("the proxy for {host} is not usable"), false),
            other => (
                format!("HTTP transport error with {host}{via}: {other}"),
                true,
            ),
        }
    }
}
