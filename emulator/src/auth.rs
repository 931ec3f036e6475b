//! The gateway's checks: the credentials the emulator issued (temporary
//! access keys with their security token, IAM tokens), then its own: an IAM
//! token in `X-Auth-Token`, or an SDK-HMAC-SHA256 signature recomputed with
//! `ges_signing`.

use crate::issued::{Issued, Principal};
use crate::request::{decode_query, header, Received};
use ges_signing::{self as signing, SignableRequest};
use hyper::header::AUTHORIZATION;
use hyper::HeaderMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// How far `X-Sdk-Date` may be from the gateway's clock.
pub const MAX_SKEW: Duration = Duration::from_secs(15 * 60);

const TOKEN_HEADER: &str = "x-auth-token";
const SECURITY_TOKEN_HEADER: &str = "x-security-token";

#[derive(Clone, Default)]
pub struct Auth {
    keys: Option<(String, String)>,
    token: Option<String>,
    /// What the metadata service, pod identity and IAM handed out; always checked.
    pub issued: Arc<Issued>,
}

impl Auth {
    pub fn new(access_key: Option<&str>, secret_key: Option<&str>, token: Option<&str>) -> Auth {
        Auth {
            keys: access_key
                .zip(secret_key)
                .map(|(ak, sk)| (ak.to_string(), sk.to_string())),
            token: token.map(str::to_string),
            issued: Arc::default(),
        }
    }

    /// Who the request speaks for when it may pass, else the reason for the
    /// 401. Issued credentials are checked first, whatever the emulator's own
    /// are; with both a token and keys configured, either one gets in. An
    /// emulator without credentials lets everyone in, as the access key the
    /// request claims (if any).
    pub fn check(&self, req: &Received<'_>, now: SystemTime) -> Result<Principal, String> {
        if let Some(issued) = self.check_issued_key(req, now) {
            return issued;
        }
        if let Some(token) = req.header(TOKEN_HEADER) {
            if let Some(issued) = self.check_issued_token(&token, now) {
                return issued;
            }
        }
        let signed = req.headers.contains_key(AUTHORIZATION);
        let own_key = |(ak, sk): &(String, String)| {
            check_signature(ak, sk, req, now).map(|()| Principal::AccessKey(ak.clone()))
        };
        let own_token =
            |token: &str| check_token(token, req.headers).map(|()| Principal::StaticToken);
        match (&self.keys, &self.token) {
            (None, None) => Ok(claimed(req)),
            (None, Some(token)) => own_token(token),
            (Some(keys), None) => own_key(keys),
            (Some(keys), Some(token)) => {
                if check_token(token, req.headers).is_ok() {
                    Ok(Principal::StaticToken)
                } else if signed {
                    own_key(keys)
                } else if req.headers.contains_key(TOKEN_HEADER) {
                    own_token(token)
                } else {
                    Err("no X-Auth-Token and no Authorization header".to_string())
                }
            }
        }
    }

    /// An IAM token given in a body or header (the `token` method of
    /// `securitytokens`): one the emulator issued, or its `--auth-token`.
    pub fn check_token_value(&self, token: &str, now: SystemTime) -> Result<Principal, String> {
        if let Some(issued) = self.check_issued_token(token, now) {
            return issued;
        }
        match &self.token {
            Some(own) if own == token => Ok(Principal::StaticToken),
            _ => Err("the token is not valid".to_string()),
        }
    }

    /// For a request signed with an issued access key: its principal when the
    /// security token matches and the credentials have not ended; `None` for
    /// other keys.
    fn check_issued_key(
        &self,
        req: &Received<'_>,
        now: SystemTime,
    ) -> Option<Result<Principal, String>> {
        let value = req.header(AUTHORIZATION.as_str())?;
        let parsed = signing::parse_authorization(&value)?;
        let known = self.issued.key(&parsed.access_key)?;
        let given = req.header(SECURITY_TOKEN_HEADER);
        Some(if given.as_deref() != Some(known.security_token.as_str()) {
            Err(
                "X-Security-Token is missing or does not belong to this temporary access key"
                    .into(),
            )
        } else if now >= known.expires_at {
            Err(format!(
                "the temporary credentials ended at {}; get new ones",
                httpdate::fmt_http_date(known.expires_at)
            ))
        } else {
            check_signature(&parsed.access_key, &known.secret, req, now).map(|()| known.principal)
        })
    }

    /// An issued IAM token: its principal until it ends; `None` for others.
    fn check_issued_token(
        &self,
        token: &str,
        now: SystemTime,
    ) -> Option<Result<Principal, String>> {
        let known = self.issued.token(token)?;
        Some(if now >= known.expires_at {
            Err(format!(
                "the token ended at {}; get a new one",
                httpdate::fmt_http_date(known.expires_at)
            ))
        } else {
            Ok(known.principal)
        })
    }
}

/// On an emulator without credentials: the access key a request names.
fn claimed(req: &Received<'_>) -> Principal {
    req.header(AUTHORIZATION.as_str())
        .and_then(|value| signing::parse_authorization(&value))
        .map_or(Principal::Anonymous, |parsed| {
            Principal::AccessKey(parsed.access_key)
        })
}

fn check_token(token: &str, headers: &HeaderMap) -> Result<(), String> {
    match header(headers, TOKEN_HEADER) {
        None => Err("missing X-Auth-Token header".to_string()),
        Some(given) if given == token => Ok(()),
        Some(_) => Err("X-Auth-Token is not valid".to_string()),
    }
}

fn check_signature(
    access_key: &str,
    secret_key: &str,
    req: &Received<'_>,
    now: SystemTime,
) -> Result<(), String> {
    let value = req
        .header(AUTHORIZATION.as_str())
        .ok_or_else(|| "missing Authorization header".to_string())?;
    let parsed = signing::parse_authorization(&value).ok_or_else(|| {
        "Authorization is not \"SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...\""
            .to_string()
    })?;
    if parsed.access_key != access_key {
        return Err("unknown access key".to_string());
    }
    let sdk_date = req
        .header(signing::DATE_HEADER)
        .ok_or_else(|| "missing X-Sdk-Date header".to_string())?;
    let signed_at = signing::parse_sdk_date(&sdk_date)
        .ok_or_else(|| "X-Sdk-Date is not YYYYMMDDTHHMMSSZ".to_string())?;

    let mut headers = Vec::with_capacity(parsed.signed_headers.len());
    for name in &parsed.signed_headers {
        let value = req
            .header(name)
            .ok_or_else(|| format!("signed header {name} is missing"))?;
        headers.push((name.clone(), value.into_owned()));
    }
    // signing.rs takes the decoded path and query and encodes them again,
    // so the check is independent of how the client chose to escape.
    let path: Vec<String> = req.path.split('/').map(signing::decode).collect();
    let query = decode_query(req.query.unwrap_or(""));
    let request = SignableRequest {
        method: req.method,
        path: &path.join("/"),
        query: &query,
        headers: &headers,
        body: req.body,
    };
    let (expected, _) = signing::signature(secret_key, &sdk_date, &request);
    if expected != parsed.signature {
        return Err("signature does not match the request".to_string());
    }
    // Checked last: "signature expired" must mean that only the date is wrong,
    // since a client then corrects its clock from `Date` and retries.
    let skew = match now.duration_since(signed_at) {
        Ok(behind) => behind,
        Err(ahead) => ahead.duration(),
    };
    if skew > MAX_SKEW {
        return Err(format!(
            "signature expired: X-Sdk-Date {sdk_date} is more than 15 minutes from the server time {}",
            signing::format_sdk_date(now)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::{HeaderName, HeaderValue};

    const NOW: u64 = 1_623_160_513;

    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(NOW)
    }

    /// Headers of a request signed with `sk` at `at`.
    fn signed(sk: &str, at: SystemTime, path: &str, query: &[(String, String)]) -> HeaderMap {
        let date = signing::format_sdk_date(at);
        let to_sign = vec![
            ("Host".to_string(), "127.0.0.1:8089".to_string()),
            ("X-Sdk-Date".to_string(), date),
        ];
        let auth = signing::authorization(
            "AK",
            sk,
            &SignableRequest {
                method: "GET",
                path,
                query,
                headers: &to_sign,
                body: b"",
            },
        );
        let mut headers = HeaderMap::new();
        for (n, v) in to_sign.iter().chain([&("Authorization".to_string(), auth)]) {
            headers.insert(
                HeaderName::try_from(n.as_str()).unwrap(),
                HeaderValue::try_from(v.as_str()).unwrap(),
            );
        }
        headers
    }

    fn received<'a>(headers: &'a HeaderMap, path: &'a str, query: &'a str) -> Received<'a> {
        Received {
            method: "GET",
            path,
            query: Some(query),
            headers,
            body: b"",
        }
    }

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn accepts_a_good_signature_whatever_the_escaping() {
        let auth = Auth::new(Some("AK"), Some("SK"), None);
        let headers = signed(
            "SK",
            now(),
            "/v1.0/p r/graphs/backups",
            &q(&[("a b", "1+2")]),
        );
        let req = received(&headers, "/v1.0/p%20r/graphs/backups", "a%20b=1%2B2");
        assert_eq!(
            auth.check(&req, now()),
            Ok(Principal::AccessKey("AK".into()))
        );
        // `+` is not a space: decoding it as one would break this signature.
        let req = received(&headers, "/v1.0/p%20r/graphs/backups", "a+b=1%2B2");
        assert!(auth.check(&req, now()).is_err());
    }

    #[test]
    fn rejects_wrong_key_secret_or_tampering() {
        let auth = Auth::new(Some("AK"), Some("SK"), None);
        let path = "/v1.0/p/graphs/backups";
        let headers = signed("other", now(), path, &q(&[("limit", "10")]));
        let err = auth.check(&received(&headers, path, "limit=10"), now());
        assert!(err.unwrap_err().contains("does not match"));

        let headers = signed("SK", now(), path, &q(&[("limit", "10")]));
        assert!(auth
            .check(&received(&headers, path, "limit=11"), now())
            .is_err());
        assert!(auth
            .check(
                &received(&headers, "/v1.0/q/graphs/backups", "limit=10"),
                now()
            )
            .is_err());

        let wrong_ak = Auth::new(Some("AK2"), Some("SK"), None);
        let err = wrong_ak.check(&received(&headers, path, "limit=10"), now());
        assert_eq!(err, Err("unknown access key".to_string()));

        let mut no_host = headers.clone();
        no_host.remove("host");
        let err = auth.check(&received(&no_host, path, "limit=10"), now());
        assert_eq!(err, Err("signed header host is missing".to_string()));

        let empty = HeaderMap::new();
        let err = auth.check(&received(&empty, path, ""), now());
        assert_eq!(err, Err("missing Authorization header".to_string()));
    }

    #[test]
    fn date_window_is_fifteen_minutes_either_way() {
        let auth = Auth::new(Some("AK"), Some("SK"), None);
        let path = "/v2/p/graphs/backups";
        for (shift, ok) in [(-900_i64, true), (900, true), (-901, false), (901, false)] {
            let at = if shift < 0 {
                now() - Duration::from_secs(shift.unsigned_abs())
            } else {
                now() + Duration::from_secs(shift as u64)
            };
            let headers = signed("SK", at, path, &[]);
            let result = auth.check(&received(&headers, path, ""), now());
            assert_eq!(result.is_ok(), ok, "shift {shift}: {result:?}");
            if !ok {
                assert!(result.unwrap_err().contains("signature expired"));
            }
        }
    }

    #[test]
    fn token_and_either_way_in() {
        let path = "/v1.0/p/graphs/backups";
        let mut with_token = HeaderMap::new();
        with_token.insert("x-auth-token", HeaderValue::from_static("tok"));
        let mut bad_token = HeaderMap::new();
        bad_token.insert("x-auth-token", HeaderValue::from_static("nope"));
        let good_sig = signed("SK", now(), path, &[]);
        let none = HeaderMap::new();

        let token_only = Auth::new(None, None, Some("tok"));
        assert!(token_only
            .check(&received(&with_token, path, ""), now())
            .is_ok());
        assert!(token_only
            .check(&received(&bad_token, path, ""), now())
            .is_err());
        assert!(token_only
            .check(&received(&good_sig, path, ""), now())
            .is_err());

        let both = Auth::new(Some("AK"), Some("SK"), Some("tok"));
        assert!(both.check(&received(&with_token, path, ""), now()).is_ok());
        assert!(both.check(&received(&good_sig, path, ""), now()).is_ok());
        assert!(both.check(&received(&bad_token, path, ""), now()).is_err());
        assert!(both.check(&received(&none, path, ""), now()).is_err());

        let open = Auth::default();
        assert!(open.check(&received(&none, path, ""), now()).is_ok());
    }
}
