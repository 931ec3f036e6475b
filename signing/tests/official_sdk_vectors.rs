//! Requests signed by the official Python SDK's four signers
//! (`tests/fixtures/signing_vectors_algorithms.json`, written by
//! `tests/official_sdk/sdk_signing.py`): HMAC signatures are reproduced exactly,
//! ECDSA and SM2 signatures (randomized) are accepted, and every signature is
//! refused once a byte of what it covers changes.
use ges_signing::{Algorithm, Refusal, SignableRequest, Signer, Verifier, UNSIGNED_PAYLOAD};
use serde_json::Value;
use std::collections::HashSet;

fn fixture() -> Vec<Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/signing_vectors_algorithms.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// One vector as received: its request and the headers the SDK sent.
#[derive(Clone)]
struct Received {
    name: String,
    algorithm: Algorithm,
    ak: String,
    sk: String,
    method: String,
    path: String,
    query: Vec<(String, String)>,
    /// Before signing: the vector's headers and Host.
    unsigned: Vec<(String, String)>,
    /// What the SDK added, `Authorization` last.
    added: Vec<(String, String)>,
    body: Vec<u8>,
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    let s = |x: &Value| x.as_str().unwrap().to_string();
    match v {
        Value::Array(items) => items.iter().map(|p| (s(&p[0]), s(&p[1]))).collect(),
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), s(v))).collect(),
        other => panic!("not pairs: {other}"),
    }
}

impl Received {
    fn new(v: &Value) -> Received {
        let s = |k: &str| v[k].as_str().unwrap().to_string();
        let mut unsigned = pairs(&v["headers"]);
        unsigned.push(("Host".into(), s("host")));
        let mut added = pairs(&v["sdk_added_headers"]);
        added.push(("Authorization".into(), s("authorization")));
        Received {
            name: s("name"),
            algorithm: s("algorithm").parse().unwrap(),
            ak: s("ak"),
            sk: s("sk"),
            method: s("method"),
            path: s("path"),
            query: pairs(&v["query"]),
            unsigned,
            added,
            body: s("body").into_bytes(),
        }
    }

    fn all_headers(&self) -> Vec<(String, String)> {
        self.unsigned.iter().chain(&self.added).cloned().collect()
    }

    fn verify(&self) -> Result<Algorithm, Refusal> {
        let headers = self.all_headers();
        let req = SignableRequest {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &headers,
            body: &self.body,
        };
        Verifier::new(&self.ak, &self.sk)
            .verify(&req)
            .map(|v| v.algorithm)
    }

    fn unsigned_payload(&self) -> bool {
        self.added
            .iter()
            .any(|(n, v)| n == self.algorithm.content_hash_header() && v == UNSIGNED_PAYLOAD)
    }

    /// The request with one byte of one covered part changed, each part in turn.
    fn tampered(&self) -> Vec<(String, Received)> {
        let flip = |s: &mut String| {
            let last = s.pop().unwrap();
            s.push(if last == 'x' { 'y' } else { 'x' });
        };
        let mut out = Vec::new();
        let mut push = |what: String, change: &dyn Fn(&mut Received)| {
            let mut changed = self.clone();
            change(&mut changed);
            out.push((what, changed));
        };
        push("method".into(), &|r| r.method = "PUT".into());
        push("path".into(), &|r| flip(&mut r.path));
        for i in 0..self.query.len() {
            push(format!("query {i} name"), &|r| flip(&mut r.query[i].0));
            push(format!("query {i} value"), &|r| flip(&mut r.query[i].1));
        }
        push("extra query pair".into(), &|r| {
            r.query.push(("extra".into(), "1".into()))
        });
        for i in 0..self.unsigned.len() {
            let (name, _) = &self.unsigned[i];
            if name.contains('_') {
                continue; // never signed
            }
            push(format!("header {name}"), &|r| flip(&mut r.unsigned[i].1));
        }
        if !self.body.is_empty() && !self.unsigned_payload() {
            push("body".into(), &|r| r.body[0] ^= 1);
        }
        push("signature".into(), &|r| {
            let auth = &mut r.added.last_mut().unwrap().1;
            let at = auth.len() - 3;
            let digit = if &auth[at..at + 1] == "0" { "1" } else { "0" };
            auth.replace_range(at..at + 1, digit);
        });
        out
    }
}

#[test]
fn hmac_vectors_are_reproduced_exactly() {
    let mut reproduced = 0;
    for v in fixture().iter().filter(|v| v["deterministic"] == true) {
        let r = Received::new(v);
        assert!(!r.algorithm.is_asymmetric(), "{}", r.name);
        let signer = Signer::with_algorithm(r.algorithm, &r.ak, &r.sk).unwrap();
        let req = SignableRequest {
            method: &r.method,
            path: &r.path,
            query: &r.query,
            headers: &r.unsigned,
            body: &r.body,
        };
        assert_eq!(signer.sign(&r.ak, &req), r.added, "{}", r.name);
        reproduced += 1;
    }
    assert_eq!(reproduced, 10);
}

#[test]
fn every_sdk_signature_is_accepted_and_refused_once_tampered() {
    let vectors = fixture();
    let algorithms: HashSet<Algorithm> =
        vectors.iter().map(|v| Received::new(v).algorithm).collect();
    assert_eq!(algorithms.len(), 4);
    assert!(vectors.len() >= 21);
    for v in &vectors {
        let r = Received::new(v);
        assert_eq!(r.verify(), Ok(r.algorithm), "{}", r.name);
        for (what, changed) in r.tampered() {
            assert!(
                changed.verify().is_err(),
                "{}: accepted with the {what} changed",
                r.name
            );
        }
        if r.unsigned_payload() {
            // The SDKs leave such a body out of the signature.
            let mut other_body = r.clone();
            other_body.body.push(b'!');
            assert_eq!(other_body.verify(), Ok(r.algorithm), "{}", r.name);
        }
    }
}

#[test]
fn the_python_sdks_sm2_signature_is_accepted_for_a_key_it_hashes_differently() {
    let vectors = fixture();
    let quirk: Vec<Received> = vectors
        .iter()
        .filter(|v| v["sdk_sm2_identity_hash_differs"] == true)
        .map(Received::new)
        .collect();
    assert_eq!(quirk.len(), 1);
    assert_eq!(quirk[0].algorithm, Algorithm::Sm2Sm3);
    assert_eq!(quirk[0].verify(), Ok(Algorithm::Sm2Sm3));
}
