//! The gateway's checks: the credentials the emulator issued (temporary
//! access keys with their security token, IAM tokens), then its own: an IAM
//! token in `X-Auth-Token`, or a signature of any of the four algorithms
//! (SDK-HMAC-SHA256, SDK-HMAC-SM3, SDK-ECDSA-P256-SHA256, SDK-SM2-SM3), checked
//! by `ges_signing::Verifier`; or of only one of them, when one is required.

use crate::issued::{Issued, Principal};
use crate::request::{decode_query, header, Received};
use ges_signing::{self as signing, Algorithm, SignableRequest, Verifier};
use hyper::header::AUTHORIZATION;
use hyper::HeaderMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// How far `X-Sdk-Date` may be from the gateway's clock.
pub const MAX_SKEW: Duration = Duration::from_secs(15 * 60);

const TOKEN_HEADER: &str = "x-auth-token";
const SECURITY_TOKEN_HEADER: &str = "x-security-token";

#[derive(Default)]
pub struct Auth {
    /// The emulator's own access key. One verifier for the emulator's life:
    /// its ECDSA and SM2 keys are derived on first use, not per request.
    own_key: Option<Verifier>,
    token: Option<String>,
    /// The algorithm signatures must use, as started (`--signing-algorithm`);
    /// none: any of the four.
    configured_algorithm: Option<Algorithm>,
    /// As it is now (`POST /__emulator/signing`); a reset goes back to the configured one.
    required_algorithm: Mutex<Option<Algorithm>>,
    /// What the metadata service, pod identity and IAM handed out; always checked.
    pub issued: Arc<Issued>,
}

impl Auth {
    pub fn new(
        access_key: Option<&str>,
        secret_key: Option<&str>,
        token: Option<&str>,
        signing_algorithm: Option<Algorithm>,
    ) -> Auth {
        Auth {
            own_key: access_key
                .zip(secret_key)
                .map(|(ak, sk)| Verifier::new(ak, sk)),
            token: token.map(str::to_string),
            configured_algorithm: signing_algorithm,
            required_algorithm: Mutex::new(signing_algorithm),
            issued: Arc::default(),
        }
    }

    /// The one algorithm signatures must use now, if any.
    pub fn required_algorithm(&self) -> Option<Algorithm> {
        *self
            .required_algorithm
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// Requires `algorithm` from now on (none: any of the four).
    pub fn require_algorithm(&self, algorithm: Option<Algorithm>) {
        *self
            .required_algorithm
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = algorithm;
    }

    /// Back to the algorithm the emulator was started with.
    pub fn reset_algorithm(&self) {
        self.require_algorithm(self.configured_algorithm);
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
        let own_key = |verifier: &Verifier| {
            self.check_signature(verifier, req, now)
                .map(|()| Principal::AccessKey(verifier.access_key().to_string()))
        };
        let own_token =
            |token: &str| check_token(token, req.headers).map(|()| Principal::StaticToken);
        match (&self.own_key, &self.token) {
            (None, None) => self.claimed(req),
            (None, Some(token)) => own_token(token),
            (Some(verifier), None) => own_key(verifier),
            (Some(verifier), Some(token)) => {
                if check_token(token, req.headers).is_ok() {
                    Ok(Principal::StaticToken)
                } else if signed {
                    own_key(verifier)
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
            self.check_signature(&known.verifier, req, now)
                .map(|()| known.principal)
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

    /// On an emulator without credentials: the access key a request names,
    /// unless it is signed with an algorithm other than the one required.
    fn claimed(&self, req: &Received<'_>) -> Result<Principal, String> {
        let Some(parsed) = req
            .header(AUTHORIZATION.as_str())
            .and_then(|value| signing::parse_authorization(&value))
        else {
            return Ok(Principal::Anonymous);
        };
        self.check_algorithm(parsed.algorithm)?;
        Ok(Principal::AccessKey(parsed.access_key))
    }

    /// Refuses a signature of an algorithm other than the one required, if one is.
    fn check_algorithm(&self, used: Algorithm) -> Result<(), String> {
        match self.required_algorithm() {
            Some(required) if required != used => Err(format!(
                "this gateway takes only {} signatures (signing algorithm {}), not {}",
                required.header_name(),
                required.config_name(),
                used.header_name()
            )),
            _ => Ok(()),
        }
    }

    /// The one place signatures are checked, for the emulator's own key and
    /// the issued ones alike: the algorithm (when one is required), the
    /// signature over the request as received (body included), then the date.
    fn check_signature(
        &self,
        verifier: &Verifier,
        req: &Received<'_>,
        now: SystemTime,
    ) -> Result<(), String> {
        let algorithm = req
            .header(AUTHORIZATION.as_str())
            .and_then(|value| signing::parse_authorization(&value))
            .map(|parsed| parsed.algorithm);
        if let Some(algorithm) = algorithm {
            self.check_algorithm(algorithm)?;
        }
        // A missing or malformed `Authorization` is left to the verifier to name.
        let headers: Vec<(String, String)> = req
            .headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes());
                (name.as_str().to_string(), value.into_owned())
            })
            .collect();
        // ges_signing takes the decoded path and query and encodes them again,
        // so the check is independent of how the client chose to escape.
        let path: Vec<String> = req.path.split('/').map(signing::decode).collect();
        let query = decode_query(req.query.unwrap_or(""));
        let verified = verifier
            .verify(&SignableRequest {
                method: req.method,
                path: &path.join("/"),
                query: &query,
                headers: &headers,
                body: req.body,
            })
            .map_err(|refusal| refusal.to_string())?;
        // Checked last: "signature expired" must mean that only the date is wrong,
        // since a client then corrects its clock from `Date` and retries.
        let skew = match now.duration_since(verified.signed_at) {
            Ok(behind) => behind,
            Err(ahead) => ahead.duration(),
        };
        if skew > MAX_SKEW {
            return Err(format!(
                "signature expired: X-Sdk-Date {} is more than 15 minutes from the server time {}",
                signing::format_sdk_date(verified.signed_at),
                signing::format_sdk_date(now)
            ));
        }
        Ok(())
    }
}

fn check_token(token: &str, headers: &HeaderMap) -> Result<(), String> {
    match header(headers, TOKEN_HEADER) {
        None => Err("missing X-Auth-Token header".to_string()),
        Some(given) if given == token => Ok(()),
        Some(_) => Err("X-Auth-Token is not valid".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::{HeaderName, HeaderValue};
    use serde_json::Value;

    const NOW: u64 = 1_623_160_513;

    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(NOW)
    }

    fn header_map<'a>(pairs: impl IntoIterator<Item = &'a (String, String)>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (n, v) in pairs {
            headers.append(
                HeaderName::try_from(n.as_str()).unwrap(),
                HeaderValue::try_from(v.as_str()).unwrap(),
            );
        }
        headers
    }

    /// Headers of a request signed with `algorithm` and `sk` at `at`.
    fn signed_with(
        algorithm: Algorithm,
        sk: &str,
        at: SystemTime,
        path: &str,
        query: &[(String, String)],
        body: &[u8],
    ) -> HeaderMap {
        let mut headers = vec![
            ("Host".to_string(), "127.0.0.1:8089".to_string()),
            ("X-Sdk-Date".to_string(), signing::format_sdk_date(at)),
        ];
        let signer = signing::Signer::with_algorithm(algorithm, "AK", sk).unwrap();
        let added = signer.sign(
            "AK",
            &SignableRequest {
                method: if body.is_empty() { "GET" } else { "POST" },
                path,
                query,
                headers: &headers,
                body,
            },
        );
        headers.extend(added);
        header_map(&headers)
    }

    /// Headers of a GET signed with SDK-HMAC-SHA256.
    fn signed(sk: &str, at: SystemTime, path: &str, query: &[(String, String)]) -> HeaderMap {
        signed_with(Algorithm::HmacSha256, sk, at, path, query, b"")
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

    fn with_keys() -> Auth {
        Auth::new(Some("AK"), Some("SK"), None, None)
    }

    #[test]
    fn accepts_a_good_signature_whatever_the_escaping() {
        let auth = with_keys();
        for algorithm in Algorithm::ALL {
            let headers = signed_with(
                algorithm,
                "SK",
                now(),
                "/v1.0/p r/graphs/backups",
                &q(&[("a b", "1+2")]),
                b"",
            );
            let req = received(&headers, "/v1.0/p%20r/graphs/backups", "a%20b=1%2B2");
            assert_eq!(
                auth.check(&req, now()),
                Ok(Principal::AccessKey("AK".into())),
                "{algorithm}"
            );
            // `+` is not a space: decoding it as one would break this signature.
            let req = received(&headers, "/v1.0/p%20r/graphs/backups", "a+b=1%2B2");
            assert!(auth.check(&req, now()).is_err(), "{algorithm}");
        }
    }

    #[test]
    fn rejects_wrong_key_secret_or_tampering() {
        let auth = with_keys();
        let path = "/v1.0/p/graphs/backups";
        for algorithm in Algorithm::ALL {
            let limit = q(&[("limit", "10")]);
            let headers = signed_with(algorithm, "other", now(), path, &limit, b"");
            let err = auth.check(&received(&headers, path, "limit=10"), now());
            assert_eq!(
                err,
                Err("signature does not match the request".to_string()),
                "{algorithm}"
            );

            let headers = signed_with(algorithm, "SK", now(), path, &limit, b"");
            for (path, query) in [(path, "limit=11"), ("/v1.0/q/graphs/backups", "limit=10")] {
                let err = auth.check(&received(&headers, path, query), now());
                assert!(err.unwrap_err().contains("does not match"), "{algorithm}");
            }
        }

        let headers = signed("SK", now(), path, &q(&[("limit", "10")]));
        let wrong_ak = Auth::new(Some("AK2"), Some("SK"), None, None);
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
    fn the_body_is_covered_in_every_algorithm() {
        let auth = with_keys();
        let path = "/v3.0/OS-CREDENTIAL/securitytokens";
        let body = br#"{"auth":{"identity":{"methods":["assume_role"]}}}"#;
        for algorithm in Algorithm::ALL {
            let headers = signed_with(algorithm, "SK", now(), path, &[], body);
            let post = |body: &[u8]| {
                auth.check(
                    &Received {
                        method: "POST",
                        path,
                        query: None,
                        headers: &headers,
                        body,
                    },
                    now(),
                )
            };
            assert!(post(body).is_ok(), "{algorithm}");
            let mut changed = body.to_vec();
            changed[10] ^= 1;
            assert!(
                post(&changed).unwrap_err().contains("does not match"),
                "{algorithm}"
            );
        }
    }

    #[test]
    fn date_window_is_fifteen_minutes_either_way() {
        let auth = with_keys();
        let path = "/v2/p/graphs/backups";
        for (shift, ok) in [(-900_i64, true), (900, true), (-901, false), (901, false)] {
            let at = if shift < 0 {
                now() - Duration::from_secs(shift.unsigned_abs())
            } else {
                now() + Duration::from_secs(shift as u64)
            };
            let headers = signed_with(Algorithm::Sm2Sm3, "SK", at, path, &[], b"");
            let result = auth.check(&received(&headers, path, ""), now());
            assert_eq!(result.is_ok(), ok, "shift {shift}: {result:?}");
            if !ok {
                assert!(result.unwrap_err().contains("signature expired"));
            }
        }
    }

    #[test]
    fn a_required_algorithm_refuses_the_others_until_changed_or_reset() {
        let path = "/v1.0/p/graphs/backups";
        let required = Auth::new(Some("AK"), Some("SK"), None, Some(Algorithm::Sm2Sm3));
        let open = Auth::new(None, None, None, Some(Algorithm::Sm2Sm3));
        for algorithm in Algorithm::ALL {
            let headers = signed_with(algorithm, "SK", now(), path, &[], b"");
            for auth in [&required, &open] {
                let result = auth.check(&received(&headers, path, ""), now());
                if algorithm == Algorithm::Sm2Sm3 {
                    assert_eq!(result, Ok(Principal::AccessKey("AK".into())));
                } else {
                    assert_eq!(
                        result.unwrap_err(),
                        format!(
                            "this gateway takes only SDK-SM2-SM3 signatures (signing algorithm \
                             SM2SM3), not {}",
                            algorithm.header_name()
                        )
                    );
                }
            }
        }
        // Unsigned requests still pass an emulator without credentials.
        let none = HeaderMap::new();
        assert_eq!(
            open.check(&received(&none, path, ""), now()),
            Ok(Principal::Anonymous)
        );

        let hmac = signed("SK", now(), path, &[]);
        required.require_algorithm(Some(Algorithm::HmacSha256));
        assert!(required.check(&received(&hmac, path, ""), now()).is_ok());
        required.require_algorithm(None);
        assert!(required.check(&received(&hmac, path, ""), now()).is_ok());
        required.reset_algorithm();
        assert_eq!(required.required_algorithm(), Some(Algorithm::Sm2Sm3));
        assert!(required.check(&received(&hmac, path, ""), now()).is_err());
    }

    #[test]
    fn issued_keys_are_checked_in_every_algorithm_and_with_the_required_one() {
        let auth = Auth::default();
        let key = auth
            .issued
            .issue_key(Principal::Metadata, now(), Duration::from_secs(60));
        let path = "/v1.0/p/graphs/backups";
        for algorithm in Algorithm::ALL {
            let mut headers = vec![
                ("Host".to_string(), "127.0.0.1:8089".to_string()),
                ("X-Sdk-Date".to_string(), signing::format_sdk_date(now())),
                ("X-Security-Token".to_string(), key.security_token.clone()),
            ];
            let signer = signing::Signer::with_algorithm(algorithm, &key.access, &key.secret);
            let added = signer.unwrap().sign(
                &key.access,
                &SignableRequest {
                    method: "GET",
                    path,
                    query: &[],
                    headers: &headers,
                    body: b"",
                },
            );
            headers.extend(added);
            let headers = header_map(&headers);
            auth.require_algorithm(None);
            assert_eq!(
                auth.check(&received(&headers, path, ""), now()),
                Ok(Principal::Metadata),
                "{algorithm}"
            );
            assert!(auth.check(&received(&headers, path, "x=1"), now()).is_err());
            auth.require_algorithm(Some(Algorithm::HmacSm3));
            let result = auth.check(&received(&headers, path, ""), now());
            assert_eq!(
                result.is_ok(),
                algorithm == Algorithm::HmacSm3,
                "{algorithm}"
            );
        }
    }

    /// Requests the official Python SDK signed with each of its four signers
    /// (`tests/fixtures/signing_vectors_algorithms.json`), as they arrive:
    /// path and query percent-encoded, every header the SDK sent. Checked at
    /// the fixture's date through `Auth::check`, as the server checks them;
    /// `tests/emulator/signing.rs` also sends them over HTTP.
    #[test]
    fn requests_signed_by_the_official_sdk_pass_and_fail_once_changed() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/signing_vectors_algorithms.json"
        );
        let vectors: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let text = |v: &Value| v.as_str().unwrap().to_string();
        let mut seen = std::collections::HashSet::new();
        for v in &vectors {
            let name = text(&v["name"]);
            let auth = Auth::new(Some(&text(&v["ak"])), Some(&text(&v["sk"])), None, None);
            let signed_at = signing::parse_sdk_date(v["headers"]["X-Sdk-Date"].as_str().unwrap());
            let mut sent: Vec<(String, String)> = v["headers"]
                .as_object()
                .unwrap()
                .iter()
                .chain(v["sdk_added_headers"].as_object().unwrap())
                .map(|(k, v)| (k.clone(), text(v)))
                .collect();
            sent.push(("Host".into(), text(&v["host"])));
            sent.push(("Authorization".into(), text(&v["authorization"])));
            let headers = header_map(&sent);
            let raw_path: Vec<String> = text(&v["path"]).split('/').map(signing::encode).collect();
            let raw_query: Vec<String> = v["query"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    format!(
                        "{}={}",
                        signing::encode(p[0].as_str().unwrap()),
                        signing::encode(p[1].as_str().unwrap())
                    )
                })
                .collect();
            let (raw_path, raw_query) = (raw_path.join("/"), raw_query.join("&"));
            let body = text(&v["body"]).into_bytes();
            let method = text(&v["method"]);
            let check = |query: &str, body: &[u8]| {
                auth.check(
                    &Received {
                        method: &method,
                        path: &raw_path,
                        query: Some(query),
                        headers: &headers,
                        body,
                    },
                    signed_at.unwrap(),
                )
            };
            let ak = Principal::AccessKey(text(&v["ak"]));
            assert_eq!(check(&raw_query, &body), Ok(ak), "{name}");
            assert!(check(&format!("{raw_query}&x=1"), &body).is_err(), "{name}");
            let unsigned_payload = !v["sdk_added_headers"].as_object().unwrap().is_empty();
            if !body.is_empty() && !unsigned_payload {
                let mut changed = body.clone();
                changed[0] ^= 1;
                assert!(check(&raw_query, &changed).is_err(), "{name}");
            }
            seen.insert(text(&v["algorithm"]));
        }
        assert_eq!(vectors.len(), 21);
        assert_eq!(seen.len(), 4);
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

        let token_only = Auth::new(None, None, Some("tok"), None);
        assert!(token_only
            .check(&received(&with_token, path, ""), now())
            .is_ok());
        assert!(token_only
            .check(&received(&bad_token, path, ""), now())
            .is_err());
        assert!(token_only
            .check(&received(&good_sig, path, ""), now())
            .is_err());

        let both = Auth::new(Some("AK"), Some("SK"), Some("tok"), None);
        assert!(both.check(&received(&with_token, path, ""), now()).is_ok());
        assert!(both.check(&received(&good_sig, path, ""), now()).is_ok());
        assert!(both.check(&received(&bad_token, path, ""), now()).is_err());
        assert!(both.check(&received(&none, path, ""), now()).is_err());

        let open = Auth::default();
        assert!(open.check(&received(&none, path, ""), now()).is_ok());
    }
}
