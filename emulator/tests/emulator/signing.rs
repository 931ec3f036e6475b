//! The four signing algorithms over HTTP: requests the official Python SDK
//! signed (`tests/fixtures/signing_vectors_algorithms.json`), and requests
//! `ges_signing` signs in each algorithm on the list endpoints, `/v3/projects`,
//! `assume_role`, STS and with the temporary credentials these hand out; each
//! refused once one byte of its query or body changes. Then a required
//! algorithm (`signing_algorithm`, `POST /__emulator/signing`).

use crate::common::*;
use ges_emulator::{Emulator, EmulatorConfig};
use ges_signing::{self as signing, Algorithm};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::SystemTime;

const AK: &str = "AKALGO";
const SK: &str = "SKALGO-secret";

fn fixture() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/signing_vectors_algorithms.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn text(v: &Value) -> String {
    v.as_str().unwrap().to_string()
}

/// The last ASCII letter of `s` changed (`x` <-> `y`): one byte.
fn one_byte_changed(s: &str) -> String {
    let at = s.rfind(|c: char| c.is_ascii_alphabetic()).unwrap();
    let mut bytes = s.as_bytes().to_vec();
    bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
    String::from_utf8(bytes).unwrap()
}

fn with_agency(signing_algorithm: Option<Algorithm>) -> Emulator {
    start(EmulatorConfig {
        access_key: Some(AK.into()),
        secret_key: Some(SK.into()),
        signing_algorithm,
        cloud_config: Some(json!({"iam": {"agencies": [
            {"domain_name": "acme", "name": "ops", "assumable_by": [AK]}]}})),
        ..EmulatorConfig::default()
    })
}

fn assert_gateway_401(got: &Got, context: &str) -> String {
    assert_eq!(got.status, 401, "{context}");
    let body = got.json();
    assert_eq!(body["error_code"], "APIGW.0301", "{context}");
    text(&body["error_msg"])
}

/// The SDK's requests, sent byte for byte as it would (its `Host`, its
/// headers, the path and query percent-encoded) to an emulator whose clock is
/// set to the fixture's `X-Sdk-Date` (`clock_offset_s`), with the vector's
/// AK/SK and project. Each passes, and fails once one byte of its query or
/// body changes. The four `post_octet_stream_unsigned_payload` vectors name
/// no endpoint of the emulator (it answers 404 before authenticating);
/// `src/auth.rs` checks all 21 through `Auth::check`, the server's code path.
#[test]
fn requests_signed_by_the_official_sdk_pass_over_http() {
    let mut replayed = BTreeSet::new();
    let mut not_endpoints = 0;
    for v in fixture() {
        let name = text(&v["name"]);
        let path = text(&v["path"]);
        if path == "/v1.0/proj/graphs/import" {
            not_endpoints += 1;
            continue;
        }
        let (ak, method, body) = (text(&v["ak"]), text(&v["method"]), text(&v["body"]));
        let signed_at = signing::parse_sdk_date(v["headers"]["X-Sdk-Date"].as_str().unwrap());
        let secs = |t: SystemTime| t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
        let offset = secs(signed_at.unwrap()) as i64 - secs(SystemTime::now()) as i64;
        let project = path.split('/').nth(2).unwrap().to_string();
        let emulator = start(EmulatorConfig {
            access_key: Some(ak.clone()),
            secret_key: Some(text(&v["sk"])),
            project_id: project,
            clock_offset_s: offset,
            cloud_config: Some(json!({"iam": {"agencies": [
                {"domain_name": "other-account", "name": "ges-reader", "assumable_by": [ak]}]}})),
            ..EmulatorConfig::default()
        });
        let mut headers: Vec<(String, String)> = v["headers"]
            .as_object()
            .unwrap()
            .iter()
            .chain(v["sdk_added_headers"].as_object().unwrap())
            .map(|(k, v)| (k.clone(), text(v)))
            .collect();
        headers.push(("Host".into(), text(&v["host"])));
        headers.push(("Authorization".into(), text(&v["authorization"])));
        let wire_path: Vec<String> = path.split('/').map(signing::encode).collect();
        let query: Vec<(String, String)> = v["query"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| (text(&pair[0]), text(&pair[1])))
            .collect();
        let target = |query: &[(String, String)]| {
            let pairs: Vec<String> = query
                .iter()
                .map(|(k, v)| format!("{}={}", signing::encode(k), signing::encode(v)))
                .collect();
            format!("{}?{}", wire_path.join("/"), pairs.join("&"))
        };

        let (status, answer) = raw_request(
            &emulator,
            &method,
            &target(&query),
            &headers,
            body.as_bytes(),
        );
        let expected = if method == "POST" { 201 } else { 200 };
        assert_eq!(status, expected, "{name}: {answer}");

        let (status, answer) = if body.is_empty() {
            let mut changed = query.clone();
            let last = changed.last_mut().unwrap();
            last.1 = if last.1.ends_with('x') {
                "y".into()
            } else {
                "x".into()
            };
            raw_request(&emulator, &method, &target(&changed), &headers, b"")
        } else {
            let changed = one_byte_changed(&body);
            raw_request(
                &emulator,
                &method,
                &target(&query),
                &headers,
                changed.as_bytes(),
            )
        };
        assert_eq!(status, 401, "{name}: {answer}");
        let code = if method == "POST" {
            "IAM.0001"
        } else {
            "APIGW.0301"
        };
        assert!(answer.contains(code), "{name}: {answer}");
        assert!(
            answer.contains("signature does not match"),
            "{name}: {answer}"
        );
        replayed.insert(name);
    }
    assert_eq!((replayed.len(), not_endpoints), (17, 4));
    let algorithms: BTreeSet<&str> = replayed
        .iter()
        .map(|n| n.split('/').nth(1).unwrap())
        .collect();
    assert_eq!(algorithms.len(), 4, "{algorithms:?}");
}

/// How a test signs: `send` signs a request in `algorithm` with `keys` and
/// sends it; `resend` sends those same headers with another URL or body.
struct Signed<'a> {
    algorithm: Algorithm,
    keys: (&'a str, &'a str),
    /// Sent and signed beside `Host` and `X-Sdk-Date`.
    headers: &'a [(&'a str, &'a str)],
}

impl Signed<'_> {
    fn send(&self, method: &str, url: &str, body: &[u8]) -> (Got, Vec<(String, String)>) {
        let sent = signed_headers_with(
            self.algorithm,
            method,
            url,
            self.headers,
            body,
            self.keys,
            SystemTime::now(),
        );
        let got = self.resend(method, url, &sent, body);
        (got, sent)
    }

    fn resend(&self, method: &str, url: &str, sent: &[(String, String)], body: &[u8]) -> Got {
        let sent: Vec<(&str, &str)> = sent.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        send(method, url, &sent, body)
    }
}

const JSON: (&str, &str) = ("Content-Type", "application/json;charset=UTF-8");

#[test]
fn each_algorithm_passes_everywhere_and_one_changed_byte_fails() {
    for algorithm in Algorithm::ALL {
        let emulator = with_agency(None);
        let base = emulator.base_url();
        let own = Signed {
            algorithm,
            keys: (AK, SK),
            headers: &[("X-Project-Id", "demo-project")],
        };
        let ctx = |what: &str| format!("{algorithm}: {what}");

        // GES: a query byte changed.
        let (got, sent) = own.send("GET", &list_url(&emulator, "?offset=0&limit=10"), b"");
        assert_eq!(got.status, 200, "{}", ctx("list"));
        let tampered = own.resend(
            "GET",
            &list_url(&emulator, "?offset=0&limit=11"),
            &sent,
            b"",
        );
        assert!(assert_gateway_401(&tampered, &ctx("list")).contains("does not match"));

        // IAM's project lookup.
        let url = format!("{base}/v3/projects?name=cn-north-4");
        let (got, sent) = own.send("GET", &url, b"");
        assert_eq!(got.status, 200, "{}", ctx("projects"));
        assert_eq!(got.json()["projects"][0]["name"], "cn-north-4");
        let changed = format!("{base}/v3/projects?name=cn-north-5");
        assert_gateway_401(&own.resend("GET", &changed, &sent, b""), &ctx("projects"));

        // assume_role: the body is signed.
        let iam = Signed {
            headers: &[JSON],
            ..own
        };
        let body = json!({"auth": {"identity": {"methods": ["assume_role"],
            "assume_role": {"agency_name": "ops", "domain_name": "acme"}}}})
        .to_string();
        let url = format!("{base}/v3.0/OS-CREDENTIAL/securitytokens");
        let (got, sent) = iam.send("POST", &url, body.as_bytes());
        assert_eq!(got.status, 201, "{}", ctx("assume_role"));
        let credential = got.json()["credential"].clone();
        // One byte the handler reads only after the signature (the domain).
        let changed = body.replacen("acme", "acmx", 1);
        let tampered = iam.resend("POST", &url, &sent, changed.as_bytes());
        assert_eq!(tampered.status, 401, "{}", ctx("assume_role"));
        assert_eq!(tampered.json()["error_code"], "IAM.0001");

        // The temporary credentials, signed with the same algorithm.
        let temporary = Signed {
            algorithm,
            keys: (
                credential["access"].as_str().unwrap(),
                credential["secret"].as_str().unwrap(),
            ),
            headers: &[(
                "X-Security-Token",
                credential["securitytoken"].as_str().unwrap(),
            )],
        };
        let (got, sent) = temporary.send("GET", &list_url(&emulator, "?limit=3"), b"");
        assert_eq!(got.status, 200, "{}", ctx("temporary credentials"));
        let tampered = temporary.resend("GET", &list_url(&emulator, "?limit=4"), &sent, b"");
        assert_gateway_401(&tampered, &ctx("temporary credentials"));

        // STS, signed with the temporary credentials (a chain).
        let sts = Signed {
            headers: &[JSON, temporary.headers[0]],
            ..temporary
        };
        let body =
            json!({"agency_urn": "iam::acme:agency:ops", "agency_session_name": "s1"}).to_string();
        let url = format!("{base}/v5/agencies/assume");
        let (got, sent) = sts.send("POST", &url, body.as_bytes());
        // The agency trusts AK, not itself: authenticated, then refused.
        assert_eq!(
            got.status,
            403,
            "{}: {}",
            ctx("sts"),
            String::from_utf8_lossy(&got.body)
        );
        let tampered = sts.resend(
            "POST",
            &url,
            &sent,
            body.replacen("acme", "acmx", 1).as_bytes(),
        );
        assert_gateway_401(&tampered, &ctx("sts"));
        let (got, _) = Signed {
            headers: &[JSON],
            ..own
        }
        .send("POST", &url, body.as_bytes());
        assert_eq!(got.status, 200, "{}", ctx("sts"));
    }
}

#[test]
fn a_required_algorithm_refuses_the_others_everywhere() {
    let emulator = with_agency(Some(Algorithm::Sm2Sm3));
    let base = emulator.base_url();
    let signing = control(&emulator, "signing");
    assert_eq!(get(&signing).json(), json!({"algorithm": "SM2SM3"}));

    let assume = json!({"auth": {"identity": {"methods": ["assume_role"],
        "assume_role": {"agency_name": "ops", "domain_name": "acme"}}}})
    .to_string();
    let security_tokens = format!("{base}/v3.0/OS-CREDENTIAL/securitytokens");
    let projects = format!("{base}/v3/projects?name=cn-north-4");
    let list = list_url(&emulator, "?limit=2");
    // The status of a list, a project lookup and assume_role in `algorithm`.
    let statuses = |algorithm: Algorithm| -> [u16; 3] {
        let own = Signed {
            algorithm,
            keys: (AK, SK),
            headers: &[JSON],
        };
        let list = own.send("GET", &list, b"").0;
        let projects = own.send("GET", &projects, b"").0;
        let assumed = own.send("POST", &security_tokens, assume.as_bytes()).0;
        for got in [&list, &projects, &assumed] {
            if got.status == 401 {
                let message = String::from_utf8_lossy(&got.body).into_owned();
                assert!(message.contains("this gateway takes only"), "{message}");
            }
        }
        [list.status, projects.status, assumed.status]
    };
    for algorithm in Algorithm::ALL {
        let expected = if algorithm == Algorithm::Sm2Sm3 {
            [200, 200, 201]
        } else {
            [401; 3]
        };
        assert_eq!(statuses(algorithm), expected, "{algorithm}");
    }

    // Temporary credentials too: issued to an SM2 caller, used with HMAC.
    let own = Signed {
        algorithm: Algorithm::Sm2Sm3,
        keys: (AK, SK),
        headers: &[JSON],
    };
    let credential = own
        .send("POST", &security_tokens, assume.as_bytes())
        .0
        .json()["credential"]
        .clone();
    let token = credential["securitytoken"].as_str().unwrap();
    let keys = (
        credential["access"].as_str().unwrap(),
        credential["secret"].as_str().unwrap(),
    );
    for algorithm in Algorithm::ALL {
        let temporary = Signed {
            algorithm,
            keys,
            headers: &[("X-Security-Token", token)],
        };
        let got = temporary.send("GET", &list, b"").0;
        let expected = if algorithm == Algorithm::Sm2Sm3 {
            200
        } else {
            401
        };
        assert_eq!(got.status, expected, "{algorithm}");
        if expected == 401 {
            let message = assert_gateway_401(&got, "temporary");
            assert_eq!(
                message,
                format!(
                    "Incorrect IAM authentication information: this gateway takes only \
                     SDK-SM2-SM3 signatures (signing algorithm SM2SM3), not {}",
                    algorithm.header_name()
                )
            );
        }
    }

    // Changed by the control API, until a reset.
    let set = post(&signing, &json!({"algorithm": "HmacSM3"}));
    assert_eq!(
        (set.status, set.json()),
        (200, json!({"algorithm": "HmacSM3"}))
    );
    assert_eq!(statuses(Algorithm::HmacSm3), [200, 200, 201]);
    assert_eq!(statuses(Algorithm::Sm2Sm3), [401; 3]);
    let set = post(&signing, &json!({"algorithm": "SDK-ECDSA-P256-SHA256"}));
    assert_eq!(set.json(), json!({"algorithm": "EcdsaP256SHA256"}));
    let set = post(&signing, &json!({"algorithm": null}));
    assert_eq!(set.json(), json!({"algorithm": null}));
    for algorithm in Algorithm::ALL {
        assert_eq!(statuses(algorithm), [200, 200, 201], "{algorithm}");
    }
    for (bad, says) in [
        (
            json!({"algorithm": "hmacsha256"}),
            "unknown signing algorithm",
        ),
        (json!({}), "expected"),
        (json!({"algorithm": "SM2SM3", "extra": 1}), "expected"),
        (json!({"algorithm": 3}), "expected"),
        (json!(["SM2SM3"]), "expected"),
    ] {
        let got = post(&signing, &bad);
        assert_eq!(got.status, 400, "{bad}");
        assert!(
            got.json()["errorMessage"].as_str().unwrap().contains(says),
            "{bad}"
        );
    }
    assert_eq!(get(&signing).json(), json!({"algorithm": null}));
    assert_eq!(post(&control(&emulator, "reset"), &json!({})).status, 204);
    assert_eq!(get(&signing).json(), json!({"algorithm": "SM2SM3"}));
    assert_eq!(statuses(Algorithm::HmacSha256), [401; 3]);
}

/// A measurement, not a check: listing 10,000 backups in pages of 100 (the
/// library's default page size) on one keep-alive connection, each page signed
/// with one `Signer` per algorithm (as a client keeps one), against an emulator
/// on loopback; then the emulator's verifier alone per request, kept (as the
/// emulator keeps it) and made anew for each request (deriving the key each time).
/// `cargo test --release -p ges-emulator --test emulator signing::listing_time -- --ignored --nocapture`
#[test]
#[ignore = "a measurement; run it with --ignored --nocapture"]
fn listing_time_per_algorithm() {
    use ges_signing::{SignableRequest, Signer, Verifier};
    use std::time::{Duration, Instant};
    const BACKUPS: usize = 10_000;
    const PAGE: usize = 100;
    let emulator = start(EmulatorConfig {
        access_key: Some(AK.into()),
        secret_key: Some(SK.into()),
        dataset: ges_emulator::Dataset::Generated {
            backups: BACKUPS,
            graphs: 4,
            seed: 1,
        },
        ..EmulatorConfig::default()
    });
    let host = emulator
        .base_url()
        .trim_start_matches("http://")
        .to_string();
    let path = "/v1.0/demo-project/graphs/backups";
    println!(
        "algorithm        listing (100 pages, best of 5)  of which signing  verify (kept)  verify (new verifier)"
    );
    for algorithm in Algorithm::ALL {
        let signer = Signer::with_algorithm(algorithm, AK, SK).unwrap();
        let agent = agent();
        let sign_page = |offset: usize| {
            let query = vec![
                ("limit".to_string(), PAGE.to_string()),
                ("offset".to_string(), offset.to_string()),
            ];
            let mut headers = vec![
                ("Host".to_string(), host.clone()),
                (
                    "X-Sdk-Date".to_string(),
                    signing::format_sdk_date(SystemTime::now()),
                ),
            ];
            let added = signer.sign(
                AK,
                &SignableRequest {
                    method: "GET",
                    path,
                    query: &query,
                    headers: &headers,
                    body: b"",
                },
            );
            headers.extend(added);
            (query, headers)
        };
        // The whole listing, and the time spent signing in it.
        let list_all = || {
            let mut signing_time = Duration::ZERO;
            let started = Instant::now();
            let mut listed = 0;
            for offset in (0..BACKUPS).step_by(PAGE) {
                let signed_at = Instant::now();
                let (_, headers) = sign_page(offset);
                signing_time += signed_at.elapsed();
                let mut request = agent.get(format!(
                    "{}{path}?limit={PAGE}&offset={offset}",
                    emulator.base_url()
                ));
                for (name, value) in headers.iter().filter(|(n, _)| n != "Host") {
                    request = request.header(name, value);
                }
                let mut response = request.call().unwrap();
                assert_eq!(response.status(), 200, "{algorithm}");
                let page: Value =
                    serde_json::from_slice(&response.body_mut().read_to_vec().unwrap()).unwrap();
                listed += page["backupList"].as_array().unwrap().len();
            }
            assert_eq!(listed, BACKUPS);
            (started.elapsed(), signing_time)
        };
        list_all(); // warm up: the connection, the verifier's key
                    // The fastest of five: the machine is shared.
        let (listing, signing_time) = (0..5).map(|_| list_all()).min().unwrap();

        let (query, headers) = sign_page(0);
        let request = SignableRequest {
            method: "GET",
            path,
            query: &query,
            headers: &headers,
            body: b"",
        };
        let runs = 500;
        let kept = Verifier::new(AK, SK);
        kept.verify(&request).unwrap();
        let started = Instant::now();
        for _ in 0..runs {
            kept.verify(std::hint::black_box(&request)).unwrap();
        }
        let verify_kept = started.elapsed() / runs;
        let started = Instant::now();
        for _ in 0..runs {
            Verifier::new(AK, SK)
                .verify(std::hint::black_box(&request))
                .unwrap();
        }
        let verify_new = started.elapsed() / runs;
        println!(
            "{:<16} {:>30.1?} {:>17.1?} {:>14.1?} {:>22.1?}",
            algorithm.config_name(),
            listing,
            signing_time,
            verify_kept,
            verify_new
        );
    }
}
