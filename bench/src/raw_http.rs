//! The floor a real client is measured against: a minimal keep-alive HTTP/1.1
//! client that sends signed GETs and reads each answer by its Content-Length,
//! without decoding the body.

use ges_signing::{self as signing, SignableRequest};
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::SystemTime;

/// Where the list endpoint is and how requests to it are signed.
#[derive(Clone, Debug)]
pub struct Target {
    /// `host:port` of an `http://` base URL.
    pub authority: String,
    pub project: String,
    pub access_key: String,
    pub secret_key: String,
}

impl Target {
    pub fn from_url(url: &str, project: &str, access_key: &str, secret_key: &str) -> Target {
        let authority = url
            .strip_prefix("http://")
            .unwrap_or_else(|| panic!("only http:// base URLs: {url}"))
            .trim_end_matches('/')
            .to_string();
        Target {
            authority,
            project: project.to_string(),
            access_key: access_key.to_string(),
            secret_key: secret_key.to_string(),
        }
    }

    /// The request head of one page, signed as the official SDKs sign it.
    fn request(&self, offset: u64, limit: u32) -> String {
        let path = format!("/v1.0/{}/graphs/backups", self.project);
        let query = [
            ("offset".to_string(), offset.to_string()),
            ("limit".to_string(), limit.to_string()),
        ];
        let headers = [
            ("Host".to_string(), self.authority.clone()),
            (
                signing::DATE_HEADER.to_string(),
                signing::format_sdk_date(SystemTime::now()),
            ),
        ];
        let authorization = signing::authorization(
            &self.access_key,
            &self.secret_key,
            &SignableRequest {
                method: "GET",
                path: &path,
                query: &query,
                headers: &headers,
                body: b"",
            },
        );
        format!(
            "GET {path}?offset={offset}&limit={limit} HTTP/1.1\r\nHost: {}\r\n{}: {}\r\nAuthorization: {authorization}\r\n\r\n",
            headers[0].1, headers[1].0, headers[1].1
        )
    }
}

/// One keep-alive connection; its read buffer is reused from answer to answer.
pub struct Connection {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Connection {
    pub fn open(target: &Target) -> io::Result<Connection> {
        let stream = TcpStream::connect(&target.authority)?;
        stream.set_nodelay(true)?;
        Ok(Connection {
            stream,
            buf: Vec::with_capacity(64 * 1024),
        })
    }

    /// Fetches one page and returns its body, which stays valid until the next call.
    pub fn page(&mut self, target: &Target, offset: u64, limit: u32) -> io::Result<&[u8]> {
        self.stream
            .write_all(target.request(offset, limit).as_bytes())?;
        self.buf.clear();
        let (head_len, body_len) = loop {
            if let Some(parsed) = parse_head(&self.buf)? {
                break parsed;
            }
            self.fill()?;
        };
        while self.buf.len() < head_len + body_len {
            self.fill()?;
        }
        Ok(&self.buf[head_len..head_len + body_len])
    }

    fn fill(&mut self) -> io::Result<()> {
        let len = self.buf.len();
        if self.buf.capacity() - len < 16 * 1024 {
            self.buf.reserve(64 * 1024);
        }
        self.buf.resize(self.buf.capacity(), 0);
        let read = self.stream.read(&mut self.buf[len..]);
        match read {
            Ok(0) => {
                self.buf.truncate(len);
                Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "connection closed",
                ))
            }
            Ok(n) => {
                self.buf.truncate(len + n);
                Ok(())
            }
            Err(e) => {
                self.buf.truncate(len);
                Err(e)
            }
        }
    }
}

/// `(head length, body length)` once the head is complete; a non-200 answer is an error.
fn parse_head(buf: &[u8]) -> io::Result<Option<(usize, usize)>> {
    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Ok(None);
    };
    let head = std::str::from_utf8(&buf[..end])
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "head is not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap_or_default();
    if !status.starts_with("HTTP/1.1 200") {
        return Err(io::Error::other(format!("answer: {status}")));
    }
    let length = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .ok_or_else(|| io::Error::other("answer without Content-Length"))?;
    Ok(Some((end + 4, length)))
}
