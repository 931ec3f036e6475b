//! Base URLs the user gives (endpoints, the metadata service, pod identity):
//! `http://` or `https://` with a host and nothing that would leak or confuse
//! (userinfo, query, fragment), and plain http only where nothing crosses a
//! network unless the user says `insecure`.

use crate::error::Error;

/// An `http://` or `https://` base URL with a host and no userinfo, query or
/// fragment; plain http only to a loopback host (or the metadata service's
/// link-local one) unless `insecure`. `key` names it in messages; the value is
/// never echoed.
pub(crate) fn parse_base_url(key: &str, raw: &str, insecure: bool) -> Result<String, Error> {
    let rest = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))
        .ok_or_else(|| {
            Error::invalid(format!(
                "config: \"{key}\" must start with https:// or http://"
            ))
        })?;
    if rest.split('/').next().unwrap_or_default().contains('@') {
        return Err(Error::invalid(format!(
            "config: \"{key}\" must not hold a user or password (user@host)"
        )));
    }
    let host = rest.split('/').next().unwrap_or_default();
    let valid_host = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b))
        && raw.parse::<ureq::http::Uri>().is_ok()
        && !rest.contains(['?', '#', '@']);
    if !valid_host {
        return Err(Error::invalid(format!(
            "config: \"{key}\" is not a valid base URL (scheme://host[:port][/path])"
        )));
    }
    if raw.starts_with("http://") && !insecure && !plain_http_is_local(host) {
        return Err(Error::invalid(format!(
            "config: \"{key}\" is plain http:// to a host that is not loopback: tokens and \
             signatures would cross the network in clear; use https://, or set \"insecure\" \
             (HW_INSECURE) on a test network"
        )));
    }
    Ok(raw.trim_end_matches('/').to_string())
}

/// A host plain http may reach without `insecure`: loopback, where nothing
/// crosses a network, and link-local (the ECS metadata service).
fn plain_http_is_local(host_port: &str) -> bool {
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host_port.split(':').next().unwrap_or_default(),
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback() || ip.is_link_local(),
        Ok(std::net::IpAddr::V6(ip)) => ip.is_loopback() || (ip.segments()[0] & 0xffc0) == 0xfe80,
        Err(_) => false,
    }
}
