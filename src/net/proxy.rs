//! Which proxy, if any, carries the requests to one host: the `proxy` config
//! key, else the environment's `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` and
//! `NO_PROXY` (either case); `""` in the config turns the environment's off.
//! Loopback hosts are never proxied. A proxy URL the client cannot use is a
//! config error, never a silent direct connection.

use crate::error::Error;
use crate::secret::Secret;
use std::fmt;
use std::net::IpAddr;

/// A parsed proxy URL. Its password is a secret; `Debug` shows none.
#[derive(Clone)]
pub struct ProxyUrl {
    protocol: ureq::ProxyProtocol,
    host: String,
    port: u16,
    username: Option<Secret>,
    password: Option<Secret>,
    /// The whole value as given (it may hold the password): scrubbed from errors.
    raw: Secret,
}

impl fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.shown())
    }
}

impl ProxyUrl {
    /// Parses `raw`, named in messages by `named_by` (`"proxy"` or a variable),
    /// whose value is never echoed: it may hold a password.
    pub fn parse(raw: &str, named_by: &str) -> Result<ProxyUrl, Error> {
        let refuse = |what: &str| {
            Error::invalid(format!(
                "config: {named_by} is not a usable proxy URL: {what}"
            ))
        };
        let (scheme, rest) = match raw.split_once("://") {
            Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
            // As curl and Go: a bare host:port is an http proxy.
            None => ("http".to_string(), raw),
        };
        let protocol = match scheme.as_str() {
            "http" => ureq::ProxyProtocol::Http,
            "https" => ureq::ProxyProtocol::Https,
            // The proxy resolves the target's name in both: a locked-down
            // network often has no DNS for public names.
            "socks5" | "socks5h" => ureq::ProxyProtocol::Socks5,
            _ => {
                return Err(refuse(
                    "the scheme must be http://, https://, socks5:// or socks5h://",
                ))
            }
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((userinfo, hostport)) => (Some(userinfo), hostport),
            None => (None, authority),
        };
        let (host, port) = split_host_port(hostport).ok_or_else(|| refuse("no valid host:port"))?;
        let port = match port {
            Some(port) => port,
            None => match protocol {
                ureq::ProxyProtocol::Https => 443,
                ureq::ProxyProtocol::Http => 80,
                _ => 1080,
            },
        };
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|d| Secret::new(d.into_owned()))
                .map_err(|_| refuse("the user or password is not UTF-8 once decoded"))
        };
        let (username, password) = match userinfo {
            None => (None, None),
            Some(info) => match info.split_once(':') {
                Some((user, pass)) => (Some(decode(user)?), Some(decode(pass)?)),
                None => (Some(decode(info)?), None),
            },
        };
        Ok(ProxyUrl {
            protocol,
            host: host.to_string(),
            port,
            username,
            password,
            raw: Secret::new(raw),
        })
    }

    /// `host:port`, the only part of the URL that messages show.
    pub fn shown(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    pub fn secrets(&self) -> impl Iterator<Item = &Secret> {
        [
            Some(&self.raw),
            self.username.as_ref(),
            self.password.as_ref(),
        ]
        .into_iter()
        .flatten()
    }

    pub fn to_ureq(&self) -> Result<ureq::Proxy, Error> {
        let mut builder = ureq::Proxy::builder(self.protocol)
            .host(&self.host)
            .port(self.port)
            .resolve_target(false);
        if let Some(user) = &self.username {
            builder = builder.username(user.expose());
        }
        if let Some(pass) = &self.password {
            builder = builder.password(pass.expose());
        }
        builder.build().map_err(|_| {
            Error::invalid(format!(
                "config: the proxy {} is not a usable proxy URL",
                self.shown()
            ))
        })
    }
}

/// `host` and the port, from `host`, `host:port` or `[v6]:port`.
fn split_host_port(hostport: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if let Some(rest) = hostport.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        (host, after.strip_prefix(':'))
    } else {
        match hostport.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (hostport, None),
        }
    };
    let valid = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-_:".contains(&b));
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok().filter(|&p| p != 0)?),
        None => None,
    };
    valid.then_some((host, port))
}

/// The proxy settings of a client.
#[derive(Clone, Debug)]
pub enum ProxySetting {
    /// No proxy at all (`"proxy": ""`, or nothing in the environment).
    Off,
    /// The `proxy` key: every non-loopback host.
    Explicit(ProxyUrl),
    /// The environment's: by the target's scheme, with `NO_PROXY`.
    FromEnv {
        https: Option<ProxyUrl>,
        http: Option<ProxyUrl>,
        no_proxy: Vec<String>,
    },
}

impl ProxySetting {
    /// From the `proxy` key (`Some("")` turns the environment's off) and the environment.
    pub fn new(
        key: Option<&str>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<ProxySetting, Error> {
        match key {
            Some("") => return Ok(ProxySetting::Off),
            Some(raw) => return Ok(ProxySetting::Explicit(ProxyUrl::parse(raw, "\"proxy\"")?)),
            None => {}
        }
        let first = |names: &[&str]| -> Result<Option<ProxyUrl>, Error> {
            for name in names {
                if let Some(raw) = env(name).filter(|v| !v.trim().is_empty()) {
                    return ProxyUrl::parse(raw.trim(), name).map(Some);
                }
            }
            Ok(None)
        };
        let all = ["ALL_PROXY", "all_proxy"];
        let https =
            first(&["HTTPS_PROXY", "https_proxy"])?.map_or_else(|| first(&all), |p| Ok(Some(p)))?;
        let http =
            first(&["HTTP_PROXY", "http_proxy"])?.map_or_else(|| first(&all), |p| Ok(Some(p)))?;
        if https.is_none() && http.is_none() {
            return Ok(ProxySetting::Off);
        }
        let no_proxy = env("NO_PROXY")
            .or_else(|| env("no_proxy"))
            .unwrap_or_default()
            .split(',')
            .map(|e| e.trim().to_ascii_lowercase())
            .filter(|e| !e.is_empty())
            .collect();
        Ok(ProxySetting::FromEnv {
            https,
            http,
            no_proxy,
        })
    }

    /// The proxy for requests to `host:port` over `scheme`; `None`: connect directly.
    pub fn for_target(&self, scheme: &str, host: &str, port: u16) -> Option<&ProxyUrl> {
        if is_loopback(host) {
            return None;
        }
        match self {
            ProxySetting::Off => None,
            ProxySetting::Explicit(url) => Some(url),
            ProxySetting::FromEnv {
                https,
                http,
                no_proxy,
            } => {
                if no_proxy
                    .iter()
                    .any(|entry| no_proxy_matches(entry, host, port))
                {
                    return None;
                }
                if scheme == "https" {
                    https.as_ref()
                } else {
                    http.as_ref()
                }
            }
        }
    }

    pub fn secrets(&self) -> Vec<&Secret> {
        match self {
            ProxySetting::Off => Vec::new(),
            ProxySetting::Explicit(url) => url.secrets().collect(),
            ProxySetting::FromEnv { https, http, .. } => https
                .iter()
                .chain(http)
                .flat_map(ProxyUrl::secrets)
                .collect(),
        }
    }
}

/// `localhost`, `*.localhost`, 127.0.0.0/8 and ::1 (also as an IPv4-mapped address).
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let lower = host.to_ascii_lowercase();
    let lower = lower.trim_end_matches('.');
    if lower == "localhost" || lower.ends_with(".localhost") {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.is_loopback(),
        Ok(IpAddr::V6(v6)) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

/// One `NO_PROXY` entry against a host: `*`; a name matching itself and its
/// subdomains (a leading `.` or `*.` is ignored); an IP address or CIDR block;
/// any of them with `:port` to match that port only.
fn no_proxy_matches(entry: &str, host: &str, port: u16) -> bool {
    if entry == "*" {
        return true;
    }
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    let (pattern, entry_port) = match split_host_port(entry.trim_start_matches("*.")) {
        Some((p, port)) if !entry.contains('/') => (p.to_string(), port),
        _ => (entry.to_string(), None),
    };
    if entry_port.is_some_and(|p| p != port) {
        return false;
    }
    if let Some((net, bits)) = pattern.split_once('/') {
        return match (
            net.parse::<IpAddr>(),
            bits.parse::<u32>(),
            host.parse::<IpAddr>(),
        ) {
            (Ok(net), Ok(bits), Ok(ip)) => in_cidr(ip, net, bits),
            _ => false,
        };
    }
    let pattern = pattern.trim_start_matches('.').trim_matches(['[', ']']);
    host == pattern || host.ends_with(&format!(".{pattern}"))
}

fn in_cidr(ip: IpAddr, net: IpAddr, bits: u32) -> bool {
    let (ip, net, width) = match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => (u32::from(a) as u128, u32::from(b) as u128, 32),
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b), 128),
        _ => return false,
    };
    if bits > width {
        return false;
    }
    let shift = width - bits;
    shift >= 128 || (ip >> shift) == (net >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn proxy_urls_parse_and_hide_their_password() {
        let p = ProxyUrl::parse("http://user:p%40ss@proxy.corp:3128", "\"proxy\"").unwrap();
        assert_eq!(p.shown(), "proxy.corp:3128");
        assert_eq!(p.password.as_ref().unwrap().expose(), "p@ss");
        assert!(!format!("{p:?}").contains("p@ss") && !format!("{p:?}").contains("user"));
        assert_eq!(
            ProxyUrl::parse("proxy:8080", "X").unwrap().shown(),
            "proxy:8080"
        );
        assert_eq!(
            ProxyUrl::parse("socks5://[::1]", "X").unwrap().shown(),
            "[::1]:1080"
        );
        for bad in [
            "ftp://p:1",
            "socks4://p:1",
            "http://",
            "http://p:99999",
            "http://a b:1",
        ] {
            let err = ProxyUrl::parse(bad, "HTTPS_PROXY").unwrap_err();
            assert!(
                err.message.contains("HTTPS_PROXY"),
                "{bad}: {}",
                err.message
            );
        }
        let err = ProxyUrl::parse("gopher://u:SECRET99@p:1", "\"proxy\"").unwrap_err();
        assert!(!err.message.contains("SECRET99"));
    }

    #[test]
    fn environment_by_scheme_with_no_proxy_and_never_loopback() {
        let s = ProxySetting::new(
            None,
            &env(&[
                ("https_proxy", "http://sp:1"),
                ("ALL_PROXY", "socks5://all:2"),
                ("NO_PROXY", "internal.corp, 10.0.0.0/8,.skip.me,other:8443"),
            ]),
        )
        .unwrap();
        let via = |scheme, host, port| s.for_target(scheme, host, port).map(ProxyUrl::shown);
        assert_eq!(
            via("https", "ges.example.com", 443).as_deref(),
            Some("sp:1")
        );
        assert_eq!(via("http", "ges.example.com", 80).as_deref(), Some("all:2"));
        assert_eq!(via("https", "a.internal.corp", 443), None);
        assert_eq!(via("https", "internal.corp", 443), None);
        assert_eq!(via("https", "10.2.3.4", 443), None);
        assert_eq!(via("https", "x.skip.me", 443), None);
        assert_eq!(via("https", "other", 8443), None);
        assert_eq!(via("https", "other", 443).as_deref(), Some("sp:1"));
        for loopback in [
            "127.0.0.1",
            "localhost",
            "api.localhost",
            "[::1]",
            "127.9.9.9",
        ] {
            assert_eq!(via("https", loopback, 443), None, "{loopback}");
        }
        let explicit = ProxySetting::new(Some("http://p:3"), &env(&[("NO_PROXY", "*")])).unwrap();
        assert!(explicit.for_target("https", "ges.test", 1).is_some());
        assert!(explicit.for_target("https", "127.0.0.1", 1).is_none());
        let off = ProxySetting::new(Some(""), &env(&[("HTTPS_PROXY", "http://p:1")])).unwrap();
        assert!(off.for_target("https", "ges.test", 1).is_none());
    }
}
