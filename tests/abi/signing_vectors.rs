//! Every request signed by the official Huawei Cloud Python SDK's signer must sign identically here.
use ges_signing::{authorization, SignableRequest};
use serde_json::Value;

fn shared_fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn reproduces_every_official_sdk_vector() {
    let vectors: Vec<Value> =
        serde_json::from_str(&shared_fixture("signing_vectors.json")).unwrap();
    assert!(vectors.len() >= 4);
    for v in &vectors {
        let s = |k: &str| v[k].as_str().unwrap().to_string();
        let query: Vec<(String, String)> = v["query"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
            .collect();
        let mut headers: Vec<(String, String)> = v["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, val)| (k.clone(), val.as_str().unwrap().into()))
            .collect();
        headers.push(("Host".into(), s("host")));
        let (method, path, body) = (s("method"), s("path"), s("body"));
        let req = SignableRequest {
            method: &method,
            path: &path,
            query: &query,
            headers: &headers,
            body: body.as_bytes(),
        };
        assert_eq!(
            authorization(&s("ak"), &s("sk"), &req),
            s("expected_authorization"),
            "vector {}",
            s("name")
        );
    }
}
