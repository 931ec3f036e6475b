//! How long making a signer (the key derivation, for ECDSA and SM2), signing
//! one request and verifying it take, per algorithm. A measurement, not a check:
//! `cargo test --release -p ges-signing --test timings -- --ignored --nocapture`
use ges_signing::{Algorithm, SignableRequest, Signer, Verifier};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn per_call(runs: u32, mut f: impl FnMut()) -> Duration {
    f(); // warm up
    let start = Instant::now();
    for _ in 0..runs {
        f();
    }
    start.elapsed() / runs
}

#[test]
#[ignore = "a measurement; run it with --ignored --nocapture"]
fn derivation_and_signature_times() {
    let headers: Vec<(String, String)> = [
        ("Host", "ges.cn-north-4.myhuaweicloud.com"),
        ("Content-Type", "application/json"),
        ("X-Project-Id", "0549f13b4b8f4a0fbd1d4b2a7f0e1234"),
        ("X-Sdk-Date", "20210608T135513Z"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .to_vec();
    let query = [("offset", "0"), ("limit", "100")].map(|(k, v)| (k.to_string(), v.to_string()));
    let req = SignableRequest {
        method: "GET",
        path: "/v1.0/0549f13b4b8f4a0fbd1d4b2a7f0e1234/graphs/backups",
        query: &query,
        headers: &headers,
        body: b"",
    };
    println!("algorithm         make signer   sign request   verify request");
    for algorithm in Algorithm::ALL {
        let runs = 200;
        let make = per_call(runs, || {
            black_box(Signer::with_algorithm(algorithm, "AKEXAMPLE", "SKEXAMPLE").unwrap());
        });
        let signer = Signer::with_algorithm(algorithm, "AKEXAMPLE", "SKEXAMPLE").unwrap();
        let sign = per_call(runs, || {
            black_box(signer.sign("AKEXAMPLE", &req));
        });
        let mut signed = headers.clone();
        signed.extend(signer.sign("AKEXAMPLE", &req));
        let received = SignableRequest {
            headers: &signed,
            ..req
        };
        let verifier = Verifier::new("AKEXAMPLE", "SKEXAMPLE");
        verifier.verify(&received).unwrap();
        let verify = per_call(runs, || {
            verifier.verify(black_box(&received)).unwrap();
        });
        println!(
            "{:<17} {:>11.1?} {:>14.1?} {:>16.1?}",
            algorithm.config_name(),
            make,
            sign,
            verify
        );
    }
}
