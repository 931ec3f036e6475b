//! A tiny forward proxy for tests, on loopback: HTTP `CONNECT` tunnels,
//! absolute-form requests (`GET http://host:port/path`), and SOCKS5 `CONNECT`,
//! all on one port (a SOCKS5 greeting starts with byte 5); or, started with a
//! certificate, HTTP `CONNECT` over TLS (an `https://` proxy). It resolves some
//! names itself (`hosts`), so that a client reaches a loopback server under a
//! name that is not loopback and needs no DNS for it; it counts what it carries,
//! and may require a user and password (`Proxy-Authorization: Basic`, or
//! SOCKS5's user/password method).

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;
use tokio_rustls::rustls::{ServerConfig, ServerConnection, StreamOwned};

const MAX_HEAD_BYTES: usize = 16 * 1024;
const IO_TIMEOUT: Duration = Duration::from_secs(30);

/// What the proxy carried so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProxyStats {
    /// HTTP `CONNECT` tunnels opened.
    pub tunnels: u64,
    /// Absolute-form requests forwarded.
    pub forwarded: u64,
    /// SOCKS5 connections opened.
    pub socks: u64,
    /// Requests refused for want of the right credentials.
    pub refused: u64,
    /// `host:port` of every target, in order.
    pub targets: Vec<String>,
}

struct Shared {
    hosts: HashMap<String, IpAddr>,
    /// `user:password`, when required.
    credentials: Option<(String, String)>,
    /// An `https://` proxy: TLS first, then HTTP `CONNECT`.
    tls: Option<Arc<ServerConfig>>,
    stats: Mutex<ProxyStats>,
    stop: AtomicBool,
}

pub struct ForwardProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl ForwardProxy {
    /// Listens on 127.0.0.1 (a free port). `hosts` maps names to addresses the
    /// proxy connects to instead of asking DNS.
    pub fn start(
        hosts: &[(&str, IpAddr)],
        credentials: Option<(&str, &str)>,
    ) -> io::Result<ForwardProxy> {
        Self::start_with(hosts, credentials, None)
    }

    /// As `start`, an `https://` proxy serving this PEM certificate chain and key.
    pub fn start_tls(
        hosts: &[(&str, IpAddr)],
        credentials: Option<(&str, &str)>,
        cert: &Path,
        key: &Path,
    ) -> io::Result<ForwardProxy> {
        Self::start_with(
            hosts,
            credentials,
            Some(crate::tls::server_config(cert, key)?),
        )
    }

    fn start_with(
        hosts: &[(&str, IpAddr)],
        credentials: Option<(&str, &str)>,
        tls: Option<Arc<ServerConfig>>,
    ) -> io::Result<ForwardProxy> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            hosts: hosts
                .iter()
                .map(|(h, ip)| (h.to_ascii_lowercase(), *ip))
                .collect(),
            credentials: credentials.map(|(u, p)| (u.to_string(), p.to_string())),
            tls,
            stats: Mutex::default(),
            stop: AtomicBool::new(false),
        });
        let accepting = shared.clone();
        let thread = std::thread::Builder::new()
            .name("ges-test-proxy".into())
            .spawn(move || accept_loop(listener, accepting))?;
        Ok(ForwardProxy {
            addr,
            shared,
            thread: Some(thread),
        })
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn stats(&self) -> ProxyStats {
        self.shared
            .stats
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Drop for ForwardProxy {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    while !shared.stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let shared = shared.clone();
                let _ = std::thread::Builder::new()
                    .name("ges-test-proxy-conn".into())
                    .spawn(move || {
                        let _ = serve(stream, &shared);
                    });
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(5))
            }
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

const PROXY_AUTH_REQUIRED: &[u8] = b"HTTP/1.1 407 Proxy Authentication Required\r\n\
    Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

impl Shared {
    /// The request's `Proxy-Authorization` is right, or none is required.
    fn authorized(&self, headers: &[&str]) -> bool {
        let Some((user, pass)) = &self.credentials else {
            return true;
        };
        let expected = base64(format!("{user}:{pass}").as_bytes());
        headers.iter().any(|h| {
            let Some((name, value)) = h.split_once(':') else {
                return false;
            };
            let value = value.trim();
            name.trim().eq_ignore_ascii_case("proxy-authorization")
                && value.len() > 6
                && value[..6].eq_ignore_ascii_case("basic ")
                && value[6..] == expected
        })
    }

    fn count(&self, f: impl FnOnce(&mut ProxyStats)) {
        f(&mut self.stats.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn connect(&self, host: &str, port: u16) -> io::Result<TcpStream> {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let addrs: Vec<SocketAddr> = match self.hosts.get(&host.to_ascii_lowercase()) {
            Some(ip) => vec![SocketAddr::new(*ip, port)],
            None => (host, port).to_socket_addrs()?.collect(),
        };
        let stream = TcpStream::connect(&addrs[..])?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }
}

fn serve(stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_nodelay(true)?;
    if let Some(config) = &shared.tls {
        let connection = ServerConnection::new(config.clone()).map_err(io::Error::other)?;
        return https_connect(StreamOwned::new(connection, stream), shared);
    }
    let mut first = [0u8; 1];
    if stream.peek(&mut first)? == 0 {
        return Ok(());
    }
    if first[0] == 5 {
        socks5(stream, shared)
    } else {
        http(stream, shared)
    }
}

/// Copies both ways until either side closes.
fn tunnel(client: TcpStream, target: TcpStream) -> io::Result<()> {
    let (mut client_read, mut target_write) = (client.try_clone()?, target.try_clone()?);
    client_read.set_read_timeout(None)?;
    let upstream = std::thread::spawn(move || {
        let _ = io::copy(&mut client_read, &mut target_write);
        let _ = target_write.shutdown(Shutdown::Write);
    });
    let (mut target_read, mut client_write) = (target, client);
    let _ = io::copy(&mut target_read, &mut client_write);
    let _ = client_write.shutdown(Shutdown::Both);
    let _ = upstream.join();
    Ok(())
}

fn http(stream: TcpStream, shared: &Shared) -> io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut head = Vec::new();
    loop {
        let before = head.len();
        reader.read_until(b'\n', &mut head)?;
        if head.len() == before || head.len() > MAX_HEAD_BYTES {
            return Ok(());
        }
        if head.ends_with(b"\r\n\r\n") || head == b"\r\n" {
            break;
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let headers: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
    let mut client = stream;
    let mut parts = request_line.split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));

    if !shared.authorized(&headers) {
        shared.count(|s| s.refused += 1);
        return client.write_all(PROXY_AUTH_REQUIRED);
    }

    if method.eq_ignore_ascii_case("CONNECT") {
        let Some((host, port)) = split_host_port(target) else {
            client.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")?;
            return Ok(());
        };
        let upstream = match shared.connect(host, port) {
            Ok(s) => s,
            Err(_) => {
                client.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")?;
                return Ok(());
            }
        };
        shared.count(|s| {
            s.tunnels += 1;
            s.targets.push(format!("{host}:{port}"));
        });
        client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")?;
        // Bytes the client sent after the head (e.g. a TLS hello) go first.
        let mut upstream_write = upstream.try_clone()?;
        upstream_write.write_all(reader.buffer())?;
        return tunnel(client, upstream);
    }

    // Absolute form: one request forwarded per connection, then closed.
    let Some(rest) = target.strip_prefix("http://") else {
        client.write_all(
            b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        )?;
        return Ok(());
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = split_host_port(authority).unwrap_or((authority, 80));
    let Ok(mut upstream) = shared.connect(host, port) else {
        client.write_all(
            b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        )?;
        return Ok(());
    };
    shared.count(|s| {
        s.forwarded += 1;
        s.targets.push(format!("{host}:{port}"));
    });
    let mut out = format!("{method} {path} HTTP/1.1\r\n");
    for h in headers {
        let name = h
            .split(':')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !matches!(
            name.as_str(),
            "proxy-authorization" | "proxy-connection" | "connection"
        ) {
            out.push_str(h);
            out.push_str("\r\n");
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    upstream.write_all(out.as_bytes())?;
    upstream.write_all(reader.buffer())?;
    tunnel(client, upstream)
}

/// An `https://` proxy's connection: the TLS handshake, one `CONNECT`, then
/// both ways through one thread (a TLS stream does not split across threads).
fn https_connect(
    mut client: StreamOwned<ServerConnection, TcpStream>,
    shared: &Shared,
) -> io::Result<()> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > MAX_HEAD_BYTES || client.read(&mut byte)? == 0 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_string();
    let headers: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
    if !shared.authorized(&headers) {
        shared.count(|s| s.refused += 1);
        client.write_all(PROXY_AUTH_REQUIRED)?;
        return client.flush();
    }
    let mut parts = request_line.split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let upstream = match split_host_port(target) {
        Some((host, port)) if method.eq_ignore_ascii_case("CONNECT") => shared
            .connect(host, port)
            .ok()
            .map(|s| (s, format!("{host}:{port}"))),
        _ => None,
    };
    let Some((mut upstream, shown)) = upstream else {
        client.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")?;
        return client.flush();
    };
    shared.count(|s| {
        s.tunnels += 1;
        s.targets.push(shown);
    });
    client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")?;
    client.flush()?;
    let slice = Some(Duration::from_millis(5));
    client.sock.set_read_timeout(slice)?;
    upstream.set_read_timeout(slice)?;
    let waiting = |e: &io::Error| {
        matches!(
            e.kind(),
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
        )
    };
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        match client.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => upstream.write_all(&buf[..n])?,
            Err(e) if waiting(&e) => {}
            Err(_) => break,
        }
        match upstream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                client.write_all(&buf[..n])?;
                client.flush()?;
            }
            Err(e) if waiting(&e) => {}
            Err(_) => break,
        }
    }
    client.conn.send_close_notify();
    let _ = client.flush();
    Ok(())
}

fn socks5(mut client: TcpStream, shared: &Shared) -> io::Result<()> {
    let mut head = [0u8; 2];
    client.read_exact(&mut head)?;
    let mut methods = vec![0u8; head[1] as usize];
    client.read_exact(&mut methods)?;
    let wanted = if shared.credentials.is_some() { 2 } else { 0 };
    if !methods.contains(&wanted) {
        shared.count(|s| s.refused += 1);
        return client.write_all(&[5, 0xff]);
    }
    client.write_all(&[5, wanted])?;
    if let Some((user, pass)) = &shared.credentials {
        let mut version_len = [0u8; 2];
        client.read_exact(&mut version_len)?;
        let mut given_user = vec![0u8; version_len[1] as usize];
        client.read_exact(&mut given_user)?;
        let mut len = [0u8; 1];
        client.read_exact(&mut len)?;
        let mut given_pass = vec![0u8; len[0] as usize];
        client.read_exact(&mut given_pass)?;
        if given_user != user.as_bytes() || given_pass != pass.as_bytes() {
            shared.count(|s| s.refused += 1);
            return client.write_all(&[1, 1]);
        }
        client.write_all(&[1, 0])?;
    }
    let mut request = [0u8; 4];
    client.read_exact(&mut request)?;
    let host = match request[3] {
        1 => {
            let mut ip = [0u8; 4];
            client.read_exact(&mut ip)?;
            IpAddr::from(ip).to_string()
        }
        4 => {
            let mut ip = [0u8; 16];
            client.read_exact(&mut ip)?;
            IpAddr::from(ip).to_string()
        }
        3 => {
            let mut len = [0u8; 1];
            client.read_exact(&mut len)?;
            let mut name = vec![0u8; len[0] as usize];
            client.read_exact(&mut name)?;
            String::from_utf8_lossy(&name).into_owned()
        }
        _ => return client.write_all(&[5, 8, 0, 1, 0, 0, 0, 0, 0, 0]),
    };
    let mut port = [0u8; 2];
    client.read_exact(&mut port)?;
    let port = u16::from_be_bytes(port);
    if request[1] != 1 {
        return client.write_all(&[5, 7, 0, 1, 0, 0, 0, 0, 0, 0]);
    }
    let Ok(upstream) = shared.connect(&host, port) else {
        return client.write_all(&[5, 4, 0, 1, 0, 0, 0, 0, 0, 0]);
    };
    shared.count(|s| {
        s.socks += 1;
        s.targets.push(format!("{host}:{port}"));
    });
    client.write_all(&[5, 0, 0, 1, 0, 0, 0, 0, 0, 0])?;
    tunnel(client, upstream)
}

fn split_host_port(authority: &str) -> Option<(&str, u16)> {
    let (host, port) = authority.rsplit_once(':')?;
    Some((host, port.parse().ok()?))
}

fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_of_credentials() {
        assert_eq!(base64(b"user:pass"), "dXNlcjpwYXNz");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
    }

    #[test]
    fn forwards_an_absolute_form_request_and_counts_it() {
        let server = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = server.local_addr().unwrap().port();
        let answering = std::thread::spawn(move || {
            let (mut s, _) = server.accept().unwrap();
            let mut head = Vec::new();
            let mut r = BufReader::new(s.try_clone().unwrap());
            while !head.ends_with(b"\r\n\r\n") {
                r.read_until(b'\n', &mut head).unwrap();
            }
            s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                .unwrap();
            String::from_utf8(head).unwrap()
        });
        let proxy = ForwardProxy::start(&[("ges.test", [127, 0, 0, 1].into())], None).unwrap();
        let mut c = TcpStream::connect(proxy.addr()).unwrap();
        write!(c, "GET http://ges.test:{port}/v1.0/x?y=1 HTTP/1.1\r\nHost: ges.test:{port}\r\nProxy-Connection: keep-alive\r\n\r\n").unwrap();
        let mut answer = String::new();
        c.read_to_string(&mut answer).unwrap();
        assert!(answer.ends_with("ok"), "{answer}");
        let seen = answering.join().unwrap();
        assert!(seen.starts_with("GET /v1.0/x?y=1 HTTP/1.1\r\n"), "{seen}");
        assert!(!seen.to_ascii_lowercase().contains("proxy-connection"));
        assert_eq!(proxy.stats().forwarded, 1);
        assert_eq!(proxy.stats().targets, [format!("ges.test:{port}")]);
    }
}
