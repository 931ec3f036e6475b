//! Helpers: starting emulators, a plain HTTP client, raw sockets, signing.

use ges_emulator::{Emulator, EmulatorConfig};
use ges_signing::{self as signing, Algorithm, SignableRequest, Signer};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, SystemTime};

pub fn start(cfg: EmulatorConfig) -> Emulator {
    Emulator::start(cfg).expect("emulator starts")
}

pub fn start_default() -> Emulator {
    start(EmulatorConfig::default())
}

/// An answer, read whole.
pub struct Got {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Got {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .new_agent()
}

fn read(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Got {
    let mut response = response.expect("an HTTP answer");
    let body = response
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .read_to_vec()
        .expect("a whole body");
    Got {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body,
    }
}

pub fn get(url: &str) -> Got {
    read(agent().get(url).call())
}

pub fn get_with(url: &str, headers: &[(&str, &str)]) -> Got {
    let mut request = agent().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    read(request.call())
}

pub fn post(url: &str, body: &Value) -> Got {
    read(
        agent()
            .post(url)
            .header("Content-Type", "application/json")
            .send(body.to_string()),
    )
}

pub fn delete(url: &str) -> Got {
    read(agent().delete(url).call())
}

/// `base_url` + `/v1.0/demo-project/graphs/backups` + `query`.
pub fn list_url(emulator: &Emulator, query: &str) -> String {
    format!(
        "{}/v1.0/demo-project/graphs/backups{query}",
        emulator.base_url()
    )
}

pub fn control(emulator: &Emulator, what: &str) -> String {
    format!("{}/__emulator/{what}", emulator.base_url())
}

/// The ids of a v1.0 answer's page.
pub fn ids(answer: &Value) -> Vec<String> {
    answer["backupList"]
        .as_array()
        .expect("a backupList")
        .iter()
        .map(|b| b["id"].as_str().unwrap().to_string())
        .collect()
}

/// GET `path_and_query` signed with SDK-HMAC-SHA256 as of `at`.
pub fn signed_get(
    emulator: &Emulator,
    path_and_query: &str,
    ak: &str,
    sk: &str,
    at: SystemTime,
) -> Got {
    signed_get_at(emulator.base_url(), path_and_query, ak, sk, at)
}

/// As `signed_get`, for an emulator known by its base URL (a process).
pub fn signed_get_at(
    base_url: &str,
    path_and_query: &str,
    ak: &str,
    sk: &str,
    at: SystemTime,
) -> Got {
    signed_request(
        "GET",
        &format!("{base_url}{path_and_query}"),
        &[("X-Project-Id", "demo-project")],
        b"",
        (ak, sk),
        at,
    )
}

/// Any request, with these headers and body.
pub fn send(method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Got {
    let mut request = ureq::http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    read(agent().run(request.body(body.to_vec()).unwrap()))
}

/// POST `body` as JSON with these headers, unsigned.
pub fn post_json(url: &str, body: &Value, headers: &[(&str, &str)]) -> Got {
    let mut all = vec![("Content-Type", "application/json;charset=UTF-8")];
    all.extend_from_slice(headers);
    send("POST", url, &all, body.to_string().as_bytes())
}

/// The headers of a request signed with SDK-HMAC-SHA256 as of `at`, as the
/// official SDKs sign it: `Host`, `X-Sdk-Date` and every header of
/// `headers`, and the body. `Host` is left for the HTTP client to send.
pub fn signed_headers(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    keys: (&str, &str),
    at: SystemTime,
) -> Vec<(String, String)> {
    signed_headers_with(Algorithm::HmacSha256, method, url, headers, body, keys, at)
}

/// As `signed_headers`, with `algorithm` (`ges_signing::Signer::with_algorithm`).
pub fn signed_headers_with(
    algorithm: Algorithm,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    (ak, sk): (&str, &str),
    at: SystemTime,
) -> Vec<(String, String)> {
    let after_scheme = &url[url.find("://").unwrap() + 3..];
    let (host, path_and_query) = after_scheme.split_at(after_scheme.find('/').unwrap());
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (signing::decode(k), signing::decode(v))
        })
        .collect();
    let decoded_path: Vec<String> = path.split('/').map(signing::decode).collect();
    let date = signing::format_sdk_date(at);
    let mut to_sign = vec![
        ("Host".to_string(), host.to_string()),
        ("X-Sdk-Date".to_string(), date.clone()),
    ];
    to_sign.extend(headers.iter().map(|(n, v)| (n.to_string(), v.to_string())));
    let signer = Signer::with_algorithm(algorithm, ak, sk).expect("a key for these AK/SK");
    let added = signer.sign(
        ak,
        &SignableRequest {
            method,
            path: &decoded_path.join("/"),
            query: &pairs,
            headers: &to_sign,
            body,
        },
    );
    let mut sent = vec![("X-Sdk-Date".to_string(), date)];
    sent.extend(to_sign.into_iter().skip(2));
    sent.extend(added);
    sent
}

/// A request signed as `signed_headers` says, and sent.
pub fn signed_request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    keys: (&str, &str),
    at: SystemTime,
) -> Got {
    let sent = signed_headers(method, url, headers, body, keys, at);
    let sent: Vec<(&str, &str)> = sent.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    send(method, url, &sent, body)
}

/// Sends `method target` with exactly these headers (`Host` among them,
/// whatever the address connected to) and body on a fresh socket, as a
/// client that chose each byte would; the status and the body text.
pub fn raw_request(
    emulator: &Emulator,
    method: &str,
    target: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> (u16, String) {
    let addr = emulator.base_url().trim_start_matches("http://");
    let mut socket = TcpStream::connect(addr).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut head = format!("{method} {target} HTTP/1.1\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    socket.write_all(head.as_bytes()).unwrap();
    socket.write_all(body).unwrap();
    let mut received = Vec::new();
    socket.read_to_end(&mut received).unwrap();
    let (head, body) = split_head(&received);
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// Sends a bare GET on a fresh socket and reads until the server closes it
/// (or 10 s pass). Returns what arrived, or the read error.
pub fn raw_get(emulator: &Emulator, path: &str) -> std::io::Result<Vec<u8>> {
    let addr = emulator.base_url().trim_start_matches("http://");
    let mut socket = TcpStream::connect(addr)?;
    socket.set_read_timeout(Some(Duration::from_secs(10)))?;
    // No `Connection: close`: the server must end the connection itself.
    write!(socket, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n")?;
    let mut received = Vec::new();
    socket.read_to_end(&mut received)?;
    Ok(received)
}

/// Splits a raw HTTP/1.1 answer into its head and body.
pub fn split_head(raw: &[u8]) -> (String, Vec<u8>) {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    (
        String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase(),
        raw[end + 4..].to_vec(),
    )
}

pub fn content_length(head: &str) -> usize {
    head.lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .expect("a content-length")
        .trim()
        .parse()
        .unwrap()
}
