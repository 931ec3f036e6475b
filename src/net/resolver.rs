//! Name resolution without a lookup per request.
//!
//! ureq resolves the host before every request, pooled connection or not, and
//! its `DefaultResolver` runs each lookup on a thread of its own whenever a
//! timeout is set (so the lookup can be abandoned): with our per-request
//! timeout that is one thread and one DNS query per page. Here an IP literal
//! needs no lookup at all, and a name is looked up once and reused for
//! `NAME_TTL` (the addresses only matter when a new connection is opened).
//! `Resolver` is ureq's unversioned API, hence the exact ureq pin in Cargo.toml.

use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long looked-up addresses are reused: a DNS change reaches new
/// connections within this time (as with Java's default address cache).
const NAME_TTL: Duration = Duration::from_secs(30);

#[derive(Debug)]
pub struct CachingResolver<R = DefaultResolver> {
    lookup: R,
    ttl: Duration,
    /// The last successful lookup. One entry: a client talks to one endpoint.
    /// Held during a lookup, so that workers starting together make one.
    last: Mutex<Option<Lookup>>,
}

#[derive(Debug)]
struct Lookup {
    scheme: String,
    authority: String,
    at: Instant,
    addrs: ResolvedSocketAddrs,
}

impl Default for CachingResolver {
    fn default() -> Self {
        CachingResolver::new(DefaultResolver::default(), NAME_TTL)
    }
}

impl<R: Resolver> CachingResolver<R> {
    fn new(lookup: R, ttl: Duration) -> Self {
        CachingResolver {
            lookup,
            ttl,
            last: Mutex::new(None),
        }
    }
}

impl<R: Resolver> Resolver for CachingResolver<R> {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        if let Some(addr) = ip_literal(uri) {
            let mut addrs = self.empty();
            addrs.push(addr);
            return Ok(addrs);
        }
        let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
            return self.lookup.resolve(uri, config, timeout);
        };
        // A panic elsewhere while holding the lock leaves nothing half-written.
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = last.as_ref() {
            if hit.scheme == scheme
                && hit.authority == authority.as_str()
                && hit.at.elapsed() < self.ttl
            {
                return Ok(hit.addrs.clone());
            }
        }
        // Failures are not kept: the next request looks up again.
        let addrs = self.lookup.resolve(uri, config, timeout)?;
        *last = Some(Lookup {
            scheme: scheme.to_string(),
            authority: authority.as_str().to_string(),
            at: Instant::now(),
            addrs: addrs.clone(),
        });
        Ok(addrs)
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
    use std::sync::atomic::{AtomicUsize, Ordering};

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

    /// Counts lookups; answers 10.0.0.<lookups so far>, or fails when told to.
    #[derive(Debug, Default)]
    struct CountingLookup {
        lookups: AtomicUsize,
        failing: std::sync::atomic::AtomicBool,
    }

    impl Resolver for &'static CountingLookup {
        fn resolve(
            &self,
            uri: &Uri,
            _: &ureq::config::Config,
            _: NextTimeout,
        ) -> Result<ResolvedSocketAddrs, ureq::Error> {
            let n = self.lookups.fetch_add(1, Ordering::SeqCst) + 1;
            if self.failing.load(Ordering::SeqCst) {
                return Err(ureq::Error::HostNotFound);
            }
            let mut addrs = self.empty();
            let port = uri.authority().unwrap().port_u16().unwrap_or(443);
            addrs.push(SocketAddr::new([10, 0, 0, n as u8].into(), port));
            Ok(addrs)
        }
    }

    fn resolve<R: Resolver>(r: &CachingResolver<R>, uri: &str) -> Result<String, ureq::Error> {
        let config = ureq::config::Config::default();
        let timeout = NextTimeout {
            after: ureq::unversioned::transport::time::Duration::NotHappening,
            reason: ureq::Timeout::Resolve,
            per_read: None,
            per_write: None,
        };
        let addrs = r.resolve(&uri.parse().unwrap(), &config, timeout)?;
        Ok(addrs.iter().map(|a| a.to_string()).collect())
    }

    fn counting() -> &'static CountingLookup {
        Box::leak(Box::default())
    }

    #[test]
    fn a_name_is_looked_up_once_per_ttl_and_endpoint() {
        let lookup = counting();
        let r = CachingResolver::new(lookup, Duration::from_secs(3600));
        let ges = "https://ges.example.com/v1.0/p/graphs/backups?offset=0";
        assert_eq!(resolve(&r, ges).unwrap(), "10.0.0.1:443");
        assert_eq!(resolve(&r, ges).unwrap(), "10.0.0.1:443");
        assert_eq!(
            resolve(&r, "https://ges.example.com/other").unwrap(),
            "10.0.0.1:443"
        );
        assert_eq!(lookup.lookups.load(Ordering::SeqCst), 1);
        // Another port or host is another endpoint.
        assert_eq!(
            resolve(&r, "https://ges.example.com:8443/").unwrap(),
            "10.0.0.2:8443"
        );
        assert_eq!(resolve(&r, "http://127.0.0.1:9/").unwrap(), "127.0.0.1:9");
        assert_eq!(lookup.lookups.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn stale_names_and_failures_are_looked_up_again() {
        let lookup = counting();
        let r = CachingResolver::new(lookup, Duration::ZERO);
        assert_eq!(resolve(&r, "https://a.example/").unwrap(), "10.0.0.1:443");
        assert_eq!(resolve(&r, "https://a.example/").unwrap(), "10.0.0.2:443");
        let r = CachingResolver::new(lookup, Duration::from_secs(3600));
        lookup.failing.store(true, Ordering::SeqCst);
        assert!(resolve(&r, "https://a.example/").is_err());
        lookup.failing.store(false, Ordering::SeqCst);
        assert_eq!(resolve(&r, "https://a.example/").unwrap(), "10.0.0.4:443");
        assert_eq!(resolve(&r, "https://a.example/").unwrap(), "10.0.0.4:443");
        assert_eq!(lookup.lookups.load(Ordering::SeqCst), 4);
    }
}
