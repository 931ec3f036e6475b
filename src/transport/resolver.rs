//! Name resolution that spawns no thread when there is nothing to look up.
//!
//! ureq's `DefaultResolver` runs every lookup on a thread of its own whenever a
//! timeout is set (so the lookup can be abandoned), and it resolves before every
//! request, pooled connection or not: with our per-request timeout that is one
//! thread per page, even for an endpoint like `http://127.0.0.1:8089`. An IP
//! literal needs no lookup, so it is answered here; names still go to ureq.
//! `Resolver` is ureq's unversioned API, hence the exact ureq pin in Cargo.toml.

use std::net::{IpAddr, SocketAddr};
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

#[derive(Debug, Default)]
pub struct IpLiteralResolver(DefaultResolver);

impl Resolver for IpLiteralResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        match ip_literal(uri) {
            Some(addr) => {
                let mut addrs = self.empty();
                addrs.push(addr);
                Ok(addrs)
            }
            None => self.0.resolve(uri, config, timeout),
        }
    }
}

/// The socket address of a URI whose host is an IP address (`[...]` for IPv6).
fn ip_literal(uri: &Uri) -> Option<SocketAddr> {
    let authority = uri.authority()?;
    let host = authority.host();
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let ip: IpAddr = host.parse().ok()?;
    let port = match (authority.port_u16(), uri.scheme_str()) {
        (Some(port), _) => port,
        (None, Some("https")) => 443,
        (None, Some("http")) => 80,
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_literals_need_no_lookup() {
        let addr = |s: &str| ip_literal(&s.parse().unwrap());
        assert_eq!(
            addr("http://127.0.0.1:8089/v1.0"),
            Some("127.0.0.1:8089".parse().unwrap())
        );
        assert_eq!(addr("https://[::1]/x"), Some("[::1]:443".parse().unwrap()));
        assert_eq!(
            addr("http://10.1.2.3"),
            Some("10.1.2.3:80".parse().unwrap())
        );
        assert_eq!(addr("https://ges.cn-north-4.myhuaweicloud.com/v1.0"), None);
        assert_eq!(addr("http://localhost:8089"), None);
        assert_eq!(addr("ftp://127.0.0.1/x"), None);
    }
}
