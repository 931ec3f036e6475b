use super::*;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

const DATE: &str = "20210608T135513Z";

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn one_signer_signs_as_a_fresh_key_would() {
    let headers = pairs(&[("Host", "h"), (DATE_HEADER, DATE)]);
    let query = pairs(&[("offset", "9")]);
    let mut req = SignableRequest {
        method: "get",
        path: "/v1.0/p q/graphs/backups",
        query: &query,
        headers: &headers,
        body: b"",
    };
    let signer = Signer::new("secret");
    for body in [&b""[..], b"{}", b""] {
        req.body = body;
        let fresh = Hmac::<Sha256>::new_from_slice(b"secret")
            .unwrap()
            .chain_update(format!(
                "{ALGORITHM}\n{DATE}\n{}",
                hex::encode(Sha256::digest(canonical_request(&req).0))
            ))
            .finalize()
            .into_bytes();
        assert_eq!(signer.signature(DATE, &req).0, hex::encode(fresh));
    }
    assert_eq!(
        canonical_request(&req).0,
        format!(
            "GET\n/v1.0/p%20q/graphs/backups/\noffset=9\nhost:h\nx-sdk-date:{DATE}\n\nhost;x-sdk-date\n{}",
            hex::encode(Sha256::digest(b""))
        )
    );
}

/// A POST with a JSON body as received, its headers holding what `signer` added.
struct Signed {
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Signed {
    fn new(signer: &Signer, access_key: &str, content_type: &str) -> Signed {
        let mut signed = Signed {
            headers: pairs(&[
                ("Host", "iam.example.com:8443"),
                ("Content-Type", content_type),
                (DATE_HEADER, DATE),
                ("X-Security-Token", "tok/en+="),
            ]),
            query: pairs(&[("a b", "1+2"), ("z", "é")]),
            body: br#"{"auth":{"identity":{"methods":["assume_role"]}}}"#.to_vec(),
        };
        let added = signer.sign(access_key, &signed.request());
        signed.headers.extend(added);
        signed
    }

    fn request(&self) -> SignableRequest<'_> {
        SignableRequest {
            method: "POST",
            path: "/v3.0/OS-CREDENTIAL/securitytokens",
            query: &self.query,
            headers: &self.headers,
            body: &self.body,
        }
    }

    fn set_header(&mut self, name: &str, value: &str) {
        let slot = self
            .headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .unwrap();
        slot.1 = value.to_string();
    }
}

#[test]
fn every_algorithm_verifies_what_it_signs_and_refuses_any_change() {
    let verifier = Verifier::new("AK", "SK");
    for algorithm in Algorithm::ALL {
        let signer = Signer::with_algorithm(algorithm, "AK", "SK").unwrap();
        assert_eq!(signer.algorithm(), algorithm);
        let signed = Signed::new(&signer, "AK", "application/json;charset=UTF-8");
        let authorization = signed
            .request()
            .header("Authorization")
            .unwrap()
            .to_string();
        assert!(authorization.starts_with(&format!("{} Access=AK, SignedHeaders=content-type;host;x-sdk-date;x-security-token, Signature=", algorithm.header_name())), "{authorization}");
        assert_eq!(
            verifier.verify(&signed.request()),
            Ok(Verified {
                algorithm,
                signed_at: parse_sdk_date(DATE).unwrap()
            })
        );
        assert_eq!(
            verify("AK", "SK", &signed.request()).map(|v| v.algorithm),
            Ok(algorithm)
        );

        let refused = |change: &dyn Fn(&mut Signed)| {
            let mut changed = Signed::new(&signer, "AK", "application/json");
            change(&mut changed);
            verifier.verify(&changed.request()).unwrap_err()
        };
        let mismatch = Refusal::SignatureMismatch;
        assert_eq!(refused(&|s| s.body[3] ^= 1), mismatch);
        assert_eq!(refused(&|s| s.query[1].1.push('x')), mismatch);
        assert_eq!(
            refused(&|s| s.set_header("Host", "iam.example.com")),
            mismatch
        );
        assert_eq!(
            refused(&|s| s.set_header(DATE_HEADER, "20210608T135514Z")),
            mismatch
        );
        assert_eq!(
            refused(&|s| s.set_header("X-Security-Token", "other")),
            mismatch
        );
        assert_eq!(
            refused(&|s| s.headers.retain(|(n, _)| n != "X-Security-Token")),
            Refusal::MissingSignedHeader("x-security-token".into())
        );
        assert_eq!(
            refused(&|s| s.headers.retain(|(n, _)| n != DATE_HEADER)),
            Refusal::MissingDate
        );
        assert_eq!(
            Verifier::new("AK2", "SK").verify(&signed.request()),
            Err(Refusal::UnknownAccessKey)
        );
        assert_eq!(
            Verifier::new("AK", "SK2").verify(&signed.request()),
            Err(mismatch.clone())
        );
        // Another algorithm's name on this signature.
        let other =
            Algorithm::ALL[(Algorithm::ALL.iter().position(|a| *a == algorithm).unwrap() + 1) % 4];
        assert_eq!(
            refused(&|s| {
                let value = s.request().header("Authorization").unwrap().replacen(
                    algorithm.header_name(),
                    other.header_name(),
                    1,
                );
                s.set_header("Authorization", &value)
            }),
            if other.is_asymmetric() && !algorithm.is_asymmetric() {
                Refusal::MalformedSignature(other)
            } else {
                mismatch.clone()
            }
        );
    }
}

#[test]
fn refusals_name_what_is_wrong_and_no_secret() {
    let signer = Signer::with_algorithm(Algorithm::Sm2Sm3, "AK", "SK").unwrap();
    let mut signed = Signed::new(&signer, "AK", "application/json");
    signed.set_header(
        "Authorization",
        "SDK-SM2-SM3 Access=AK, SignedHeaders=host, Signature=zz",
    );
    let refusal = verify("AK", "SK", &signed.request()).unwrap_err();
    assert_eq!(refusal.to_string(), "Signature is not a hex DER signature");
    signed.set_header(
        "Authorization",
        "SDK-HMAC-MD5 Access=AK, SignedHeaders=host, Signature=00",
    );
    assert_eq!(
        verify("AK", "SK", &signed.request()).unwrap_err().to_string(),
        "Authorization is not \"ALGORITHM Access=..., SignedHeaders=..., Signature=...\" with ALGORITHM one of SDK-HMAC-SHA256, SDK-HMAC-SM3, SDK-ECDSA-P256-SHA256, SDK-SM2-SM3"
    );
    signed.headers.retain(|(n, _)| n != "Authorization");
    assert_eq!(
        verify("AK", "SK", &signed.request())
            .unwrap_err()
            .to_string(),
        "missing Authorization header"
    );
    let shown = format!("{signer:?} {:?}", Verifier::new("AK", "SECRETKEY"));
    assert_eq!(
        shown,
        "Signer { algorithm: Sm2Sm3, .. } Verifier { access_key: \"AK\", .. }"
    );
}

#[test]
fn a_body_that_is_not_json_is_signed_as_unsigned_payload() {
    for algorithm in Algorithm::ALL {
        let signer = Signer::with_algorithm(algorithm, "AK", "SK").unwrap();
        let json = Signed::new(&signer, "AK", "application/json");
        assert_eq!(json.request().header(algorithm.content_hash_header()), None);

        let mut raw = Signed::new(&signer, "AK", "application/octet-stream");
        let content_header = algorithm.content_hash_header();
        assert_eq!(raw.request().header(content_header), Some(UNSIGNED_PAYLOAD));
        let authorization = raw.request().header("Authorization").unwrap().to_string();
        assert!(
            authorization.contains(&content_header.to_ascii_lowercase()),
            "{authorization}"
        );
        assert!(verify("AK", "SK", &raw.request()).is_ok());
        // The body is not covered...
        raw.body.push(b'!');
        assert!(verify("AK", "SK", &raw.request()).is_ok());
        // ...but a claimed hash must be the body's.
        raw.set_header(content_header, &"0".repeat(64));
        assert_eq!(
            verify("AK", "SK", &raw.request()),
            Err(Refusal::BodyHashMismatch(content_header))
        );
    }
}

#[test]
fn sm2_accepts_the_python_sdks_identity_hash_for_keys_it_hashes_differently() {
    use signature::hazmat::PrehashSigner;
    use sm3::{Digest as _, Sm3};
    // Among the first access keys, one whose SM2 public key has a coordinate
    // starting with a zero byte (about one in 128).
    let (access_key, signer) = (0..2000)
        .map(|i| format!("AK{i}"))
        .find_map(|ak| {
            let signer = Signer::with_algorithm(Algorithm::Sm2Sm3, &ak, "SK").unwrap();
            signer.sm2_python_z().map(|_| (ak, signer))
        })
        .expect("one key in about 128");
    let z = signer.sm2_python_z().unwrap();
    let message = b"SDK-SM2-SM3\n20210608T135513Z\n00";
    let prehash = Sm3::new().chain_update(z).chain_update(message).finalize();
    let key = signer.sm2_key().unwrap();
    let python_style: sm2::dsa::Signature = key.sign_prehash(&prehash).unwrap();
    let der =
        ecdsa::Signature::<sm2::Sm2>::from_scalars(python_style.r_bytes(), python_style.s_bytes())
            .unwrap()
            .to_der();
    let to_sign = std::str::from_utf8(message).unwrap();
    assert_eq!(
        signer.check(to_sign, &hex::encode(der.as_bytes())),
        Ok(()),
        "{access_key}"
    );
    assert!(signer
        .check("another message", &hex::encode(der.as_bytes()))
        .is_err());
}

#[test]
fn signers_and_verifiers_can_be_shared_between_threads() {
    fn shared<T: Send + Sync + 'static>() {}
    shared::<Signer>();
    shared::<Verifier>();
    shared::<Refusal>();
}
