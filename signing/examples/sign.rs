//! Signs requests with ges-signing, for the official SDK's verifiers to check
//! (`tests/official_sdk/test_signing.py`).
//!
//! stdin: a JSON array of requests shaped as in `tests/fixtures/signing_vectors_algorithms.json`
//! (`algorithm`, `ak`, `sk`, `method`, `host`, `path`, `query`, `headers`, `body`);
//! stdout: a JSON array holding, for each, the `[name, value]` headers the signer
//! adds (`Authorization` last). The `host` is sent as the `Host` header.
use ges_signing::{Algorithm, SignableRequest, Signer};
use serde_json::Value;
use std::io::Read;

fn text(v: &Value, key: &str) -> Result<String, String> {
    v[key]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("{key}: expected a string"))
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    let pair = |k: &Value, v: &Value| {
        let s = |x: &Value| x.as_str().unwrap_or_default().to_string();
        (s(k), s(v))
    };
    match v {
        Value::Array(items) => items.iter().map(|p| pair(&p[0], &p[1])).collect(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect(),
        _ => Vec::new(),
    }
}

fn sign(request: &Value) -> Result<Vec<(String, String)>, String> {
    let algorithm: Algorithm = text(request, "algorithm")?
        .parse()
        .map_err(|e| format!("{e}"))?;
    let (ak, sk) = (text(request, "ak")?, text(request, "sk")?);
    let signer = Signer::with_algorithm(algorithm, &ak, &sk).map_err(|e| e.to_string())?;
    let mut headers = pairs(&request["headers"]);
    headers.push(("Host".to_string(), text(request, "host")?));
    let (method, path, body) = (
        text(request, "method")?,
        text(request, "path")?,
        text(request, "body")?,
    );
    let query = pairs(&request["query"]);
    Ok(signer.sign(
        &ak,
        &SignableRequest {
            method: &method,
            path: &path,
            query: &query,
            headers: &headers,
            body: body.as_bytes(),
        },
    ))
}

fn main() -> Result<(), String> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| e.to_string())?;
    let requests: Vec<Value> = serde_json::from_str(&input).map_err(|e| e.to_string())?;
    let signed = requests.iter().map(sign).collect::<Result<Vec<_>, _>>()?;
    println!(
        "{}",
        serde_json::to_string(&signed).map_err(|e| e.to_string())?
    );
    Ok(())
}
