//! IAM, STS and pod identity as the official SDKs and
//! terraform-provider-huaweicloud call them: each call, its errors, the
//! lifetimes of what it hands out, and the counters a client's renewal is
//! checked with.

use crate::common::*;
use ges_emulator::{Emulator, EmulatorConfig};
use serde_json::{json, Value};
use std::time::{Duration, SystemTime};

const AK: &str = "AKTEST";
const SK: &str = "SKTEST";
const LIST: &str = "/v1.0/demo-project/graphs/backups";
const SECURITY_TOKENS: &str = "/v3.0/OS-CREDENTIAL/securitytokens";
const JSON: (&str, &str) = ("Content-Type", "application/json;charset=UTF-8");

/// Agencies: `ops` of `acme` (id `d-acme`) trusts AKTEST; `deep` trusts `ops`;
/// `open` of `other` trusts anyone let in.
fn cloud_config() -> Value {
    json!({
        "iam": {
            "agencies": [
                {"domain_name": "acme", "domain_id": "d-acme", "name": "ops", "assumable_by": [AK]},
                {"domain_name": "acme", "domain_id": "d-acme", "name": "deep",
                 "assumable_by": ["agency:acme/ops"]},
                {"domain_name": "other", "name": "open", "assumable_by": ["*"]},
            ],
            "users": [{"domain_name": "acme", "domain_id": "d-acme", "name": "alice",
                       "password": "alice-password"}],
            "identity_providers": {"github": ["id-token-1", "id-token-2"]},
            "projects": {"cn-north-4": ["demo-project"], "empty-1": []},
        },
        "pod_identity": {"authorization_tokens": ["pod-token-1"]},
    })
}

/// Keys AKTEST/SKTEST required, and the cloud above.
fn emulator() -> Emulator {
    start(EmulatorConfig {
        access_key: Some(AK.into()),
        secret_key: Some(SK.into()),
        cloud_config: Some(cloud_config()),
        ..EmulatorConfig::default()
    })
}

fn url(emulator: &Emulator, path: &str) -> String {
    format!("{}{path}", emulator.base_url())
}

/// Temporary credentials as an answer gives them.
struct Temporary {
    access: String,
    secret: String,
    token: String,
}

impl Temporary {
    /// `credential` of `securitytokens` and the metadata service.
    fn from_credential(got: &Got) -> Temporary {
        let c = &got.json()["credential"];
        let text = |k: &str| {
            c[k].as_str()
                .unwrap_or_else(|| panic!("{k} in {c}"))
                .to_string()
        };
        assert!(c["expires_at"].as_str().unwrap().ends_with('Z'));
        Temporary {
            access: text("access"),
            secret: text("secret"),
            token: text("securitytoken"),
        }
    }

    /// STS's and pod identity's `credentials`.
    fn from_credentials(c: &Value) -> Temporary {
        let text = |k: &str| {
            c[k].as_str()
                .unwrap_or_else(|| panic!("{k} in {c}"))
                .to_string()
        };
        assert!(c["expiration"].as_str().unwrap().ends_with('Z'));
        Temporary {
            access: text("access_key_id"),
            secret: text("secret_access_key"),
            token: text("security_token"),
        }
    }

    fn signed(&self, emulator: &Emulator, method: &str, path: &str, body: &[u8]) -> Got {
        let mut headers = vec![("X-Security-Token", self.token.as_str())];
        if !body.is_empty() {
            headers.push(JSON);
        }
        signed_request(
            method,
            &url(emulator, path),
            &headers,
            body,
            (&self.access, &self.secret),
            SystemTime::now(),
        )
    }

    fn list(&self, emulator: &Emulator) -> Got {
        self.signed(emulator, "GET", LIST, b"")
    }
}

fn assume_role_body(role: Value) -> Value {
    json!({"auth": {"identity": {"methods": ["assume_role"], "assume_role": role}}})
}

/// `assume_role` signed with the emulator's own keys.
fn assume_role(emulator: &Emulator, role: Value) -> Got {
    let body = assume_role_body(role).to_string();
    signed_request(
        "POST",
        &url(emulator, SECURITY_TOKENS),
        &[JSON],
        body.as_bytes(),
        (AK, SK),
        SystemTime::now(),
    )
}

fn assert_iam_error(got: &Got, status: u16, code: &str) -> String {
    assert_eq!(got.status, status, "{}", String::from_utf8_lossy(&got.body));
    let body = got.json();
    assert_eq!(body["error_code"], code, "{body}");
    body["error_msg"].as_str().unwrap().to_string()
}

fn stats(emulator: &Emulator) -> Value {
    get(&control(emulator, "cloud/stats")).json()
}

fn configure(emulator: &Emulator, what: &str, body: Value) {
    let got = post(&control(emulator, &format!("cloud/{what}")), &body);
    assert_eq!(got.status, 204, "{}", String::from_utf8_lossy(&got.body));
}

#[test]
fn assume_role_gives_the_agency_credentials_that_list_and_chain() {
    let emulator = emulator();
    let ops = assume_role(
        &emulator,
        json!({"agency_name": "ops", "domain_name": "acme", "duration_seconds": 3600}),
    );
    assert_eq!(ops.status, 201, "{}", String::from_utf8_lossy(&ops.body));
    let ops = Temporary::from_credential(&ops);
    assert_eq!(ops.list(&emulator).status, 200);
    assert_eq!(
        ops.signed(&emulator, "GET", "/v3/projects?name=cn-north-4", b"")
            .status,
        200
    );

    // ops may assume deep, found by domain id this time; AKTEST may not.
    let deep_body = assume_role_body(json!({"agency_name": "deep", "domain_id": "d-acme"}));
    let deep = ops.signed(
        &emulator,
        "POST",
        SECURITY_TOKENS,
        deep_body.to_string().as_bytes(),
    );
    assert_eq!(deep.status, 201, "{}", String::from_utf8_lossy(&deep.body));
    let deep = Temporary::from_credential(&deep);
    assert_eq!(deep.list(&emulator).status, 200);
    let refused = assume_role(
        &emulator,
        json!({"agency_name": "deep", "domain_name": "acme"}),
    );
    let message = assert_iam_error(&refused, 403, "IAM.0002");
    assert!(
        message.contains(AK) && message.contains("deep"),
        "{message}"
    );

    // Anyone let in may assume `open`: the temporary credentials of deep too.
    let open_body = assume_role_body(json!({"agency_name": "open", "domain_name": "other"}));
    let open = deep.signed(
        &emulator,
        "POST",
        SECURITY_TOKENS,
        open_body.to_string().as_bytes(),
    );
    assert_eq!(open.status, 201);
    assert_eq!(stats(&emulator)["assume_role_requests"], 4);
}

#[test]
fn assume_role_errors_have_iams_shape() {
    let emulator = emulator();
    let unknown = assume_role(
        &emulator,
        json!({"agency_name": "nope", "domain_name": "acme"}),
    );
    assert!(assert_iam_error(&unknown, 404, "IAM.0004").contains("nope"));
    let other_domain = assume_role(
        &emulator,
        json!({"agency_name": "ops", "domain_name": "other"}),
    );
    assert_iam_error(&other_domain, 404, "IAM.0004");
    for duration in [json!(899), json!(86_401), json!("3600")] {
        let bad = assume_role(
            &emulator,
            json!({"agency_name": "ops", "domain_name": "acme", "duration_seconds": duration}),
        );
        assert!(assert_iam_error(&bad, 400, "IAM.0007").contains("duration_seconds"));
    }
    let no_domain = assume_role(&emulator, json!({"agency_name": "ops"}));
    assert_iam_error(&no_domain, 400, "IAM.0011");

    let body = assume_role_body(json!({"agency_name": "ops", "domain_name": "acme"}));
    let unsigned = post_json(&url(&emulator, SECURITY_TOKENS), &body, &[]);
    assert!(assert_iam_error(&unsigned, 401, "IAM.0001").contains("Authorization"));
    let wrong_secret = signed_request(
        "POST",
        &url(&emulator, SECURITY_TOKENS),
        &[JSON],
        body.to_string().as_bytes(),
        (AK, "not-the-secret"),
        SystemTime::now(),
    );
    assert_iam_error(&wrong_secret, 401, "IAM.0001");
    // The body is signed: another body under the same signature is refused.
    let other = assume_role_body(json!({"agency_name": "open", "domain_name": "other"}));
    let headers = signed_headers(
        "POST",
        &url(&emulator, SECURITY_TOKENS),
        &[JSON],
        other.to_string().as_bytes(),
        (AK, SK),
        SystemTime::now(),
    );
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let swapped = send(
        "POST",
        &url(&emulator, SECURITY_TOKENS),
        &headers,
        body.to_string().as_bytes(),
    );
    assert!(assert_iam_error(&swapped, 401, "IAM.0001").contains("signature does not match"));
    let not_json = send("POST", &url(&emulator, SECURITY_TOKENS), &[JSON], b"{oops");
    assert_iam_error(&not_json, 400, "IAM.0011");
    assert_eq!(get(&url(&emulator, SECURITY_TOKENS)).status, 405);
}

#[test]
fn issued_credentials_end_with_their_configured_lifetime() {
    let emulator = emulator();
    configure(&emulator, "iam", json!({"credential_lifetime_ms": 600}));
    let ops = assume_role(
        &emulator,
        json!({"agency_name": "ops", "domain_name": "acme", "duration_seconds": 86_400}),
    );
    let expires_at = ops.json()["credential"]["expires_at"]
        .as_str()
        .unwrap()
        .to_string();
    let ops = Temporary::from_credential(&ops);
    assert_eq!(ops.list(&emulator).status, 200);
    std::thread::sleep(Duration::from_millis(700));
    let ended = ops.list(&emulator);
    assert_eq!(ended.status, 401);
    assert!(
        String::from_utf8_lossy(&ended.body).contains("ended at"),
        "{expires_at}"
    );

    // 0: as the request asks again.
    configure(&emulator, "iam", json!({"credential_lifetime_ms": 0}));
    let long = Temporary::from_credential(&assume_role(
        &emulator,
        json!({"agency_name": "ops", "domain_name": "acme"}),
    ));
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(long.list(&emulator).status, 200);
    // Revoked: unknown, so refused with the emulator's own keys required.
    configure(&emulator, "iam", json!({"revoke": true}));
    assert_eq!(long.list(&emulator).status, 401);
}

fn id_token(emulator: &Emulator, idp: &str, token: &str) -> Got {
    post_json(
        &url(emulator, "/v3.0/OS-AUTH/id-token/tokens"),
        &json!({"auth": {"id_token": {"id": token}}}),
        &[("X-Idp-Id", idp)],
    )
}

fn token_credentials(emulator: &Emulator, body_token: Option<&str>, header: Option<&str>) -> Got {
    let mut token = json!({"duration_seconds": 21_600});
    if let Some(id) = body_token {
        token["id"] = json!(id);
    }
    let body = json!({"auth": {"identity": {"methods": ["token"], "token": token}}});
    let headers: Vec<(&str, &str)> = header.map(|t| ("X-Auth-Token", t)).into_iter().collect();
    post_json(&url(emulator, SECURITY_TOKENS), &body, &headers)
}

#[test]
fn oidc_federation_gives_a_token_then_temporary_credentials() {
    let emulator = emulator();
    let got = id_token(&emulator, "github", "id-token-1");
    assert_eq!(got.status, 201, "{}", String::from_utf8_lossy(&got.body));
    let token = got.header("x-subject-token").unwrap().to_string();
    let details = &got.json()["token"];
    assert_eq!(details["methods"], json!(["mapped"]));
    assert_eq!(
        details["user"]["OS-FEDERATION"]["identity_provider"]["id"],
        "github"
    );
    assert!(details["expires_at"].as_str().unwrap().ends_with('Z'));

    // The token itself is accepted by GES and IAM, the emulator's keys notwithstanding.
    assert_eq!(
        get_with(&url(&emulator, LIST), &[("X-Auth-Token", &token)]).status,
        200
    );
    let projects = get_with(
        &url(&emulator, "/v3/projects?name=cn-north-4"),
        &[("X-Auth-Token", &token)],
    );
    assert_eq!(projects.json()["projects"][0]["id"], "demo-project");

    // Method token, as the official SDK sends it (token in the body) and as IAM
    // documents it (X-Auth-Token).
    for (body_token, header) in [(Some(token.as_str()), None), (None, Some(token.as_str()))] {
        let creds = token_credentials(&emulator, body_token, header);
        assert_eq!(
            creds.status,
            201,
            "{}",
            String::from_utf8_lossy(&creds.body)
        );
        assert_eq!(
            Temporary::from_credential(&creds).list(&emulator).status,
            200
        );
    }
    // The federated credentials may assume an agency that trusts the provider.
    configure(
        &emulator,
        "iam",
        json!({"agencies": [{"domain_name": "acme", "name": "ci", "assumable_by": ["idp:github"]}]}),
    );
    let creds = Temporary::from_credential(&token_credentials(&emulator, Some(&token), None));
    let body = assume_role_body(json!({"agency_name": "ci", "domain_name": "acme"}));
    let ci = creds.signed(
        &emulator,
        "POST",
        SECURITY_TOKENS,
        body.to_string().as_bytes(),
    );
    assert_eq!(ci.status, 201, "{}", String::from_utf8_lossy(&ci.body));

    let refused = token_credentials(&emulator, Some("MIInot-issued"), None);
    assert_iam_error(&refused, 401, "IAM.0001");
    let none = token_credentials(&emulator, None, None);
    assert_iam_error(&none, 401, "IAM.0001");
    let counts = stats(&emulator);
    assert_eq!(counts["id_token_requests"], 1);
    assert_eq!(counts["token_credential_requests"], 5);
}

#[test]
fn id_tokens_are_counted_and_wrong_ones_refused() {
    let emulator = emulator();
    assert_iam_error(
        &id_token(&emulator, "gitlab", "id-token-1"),
        404,
        "IAM.0004",
    );
    assert_iam_error(&id_token(&emulator, "github", "stolen"), 401, "IAM.0001");
    let no_idp = post_json(
        &url(&emulator, "/v3.0/OS-AUTH/id-token/tokens"),
        &json!({"auth": {"id_token": {"id": "id-token-1"}}}),
        &[],
    );
    assert!(assert_iam_error(&no_idp, 400, "IAM.0007").contains("X-Idp-Id"));
    assert_iam_error(
        &post_json(
            &url(&emulator, "/v3.0/OS-AUTH/id-token/tokens"),
            &json!({"auth": {}}),
            &[("X-Idp-Id", "github")],
        ),
        400,
        "IAM.0011",
    );
    // A rotated token file: the second token is accepted too.
    assert_eq!(id_token(&emulator, "github", "id-token-2").status, 201);
    let counts = stats(&emulator);
    assert_eq!(counts["id_token_requests"], 5);
    assert_eq!(
        counts["id_tokens"],
        json!(["id-token-1", "stolen", "id-token-1", "id-token-2"])
    );
}

#[test]
fn tokens_end_with_their_configured_lifetime() {
    let emulator = emulator();
    configure(&emulator, "iam", json!({"token_lifetime_ms": 600}));
    let got = id_token(&emulator, "github", "id-token-1");
    let token = got.header("x-subject-token").unwrap().to_string();
    assert_eq!(
        get_with(&url(&emulator, LIST), &[("X-Auth-Token", &token)]).status,
        200
    );
    std::thread::sleep(Duration::from_millis(700));
    let ended = get_with(&url(&emulator, LIST), &[("X-Auth-Token", &token)]);
    assert_eq!(ended.status, 401);
    assert!(ended.json()["error_msg"]
        .as_str()
        .unwrap()
        .contains("token ended at"));
    let too_late = token_credentials(&emulator, Some(&token), None);
    assert!(assert_iam_error(&too_late, 401, "IAM.0001").contains("ended at"));
}

fn password_token(emulator: &Emulator, password: &str, scope: Value) -> Got {
    post_json(
        &url(emulator, "/v3/auth/tokens"),
        &json!({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": "alice", "password": password, "domain": {"name": "acme"}}}},
            "scope": scope,
        }}),
        &[],
    )
}

#[test]
fn passwords_give_a_project_scoped_token() {
    let emulator = emulator();
    let by_name = password_token(
        &emulator,
        "alice-password",
        json!({"project": {"name": "cn-north-4"}}),
    );
    assert_eq!(
        by_name.status,
        201,
        "{}",
        String::from_utf8_lossy(&by_name.body)
    );
    let details = &by_name.json()["token"];
    assert_eq!(details["project"]["id"], "demo-project");
    assert_eq!(details["project"]["name"], "cn-north-4");
    assert_eq!(details["user"]["name"], "alice");
    assert_eq!(details["methods"], json!(["password"]));
    assert!(details["expires_at"].as_str().unwrap().ends_with('Z'));
    let token = by_name.header("x-subject-token").unwrap().to_string();
    assert_eq!(
        get_with(&url(&emulator, LIST), &[("X-Auth-Token", &token)]).status,
        200
    );

    let by_id = password_token(
        &emulator,
        "alice-password",
        json!({"project": {"id": "demo-project"}}),
    );
    assert_eq!(by_id.status, 201);
    assert_eq!(by_id.json()["token"]["project"]["name"], "cn-north-4");
    let domain = password_token(
        &emulator,
        "alice-password",
        json!({"domain": {"name": "acme"}}),
    );
    assert_eq!(domain.json()["token"]["domain"]["id"], "d-acme");
    // A region without a project of its own has the emulator's.
    let other_region = password_token(
        &emulator,
        "alice-password",
        json!({"project": {"name": "eu-west-101"}}),
    );
    assert_eq!(
        other_region.json()["token"]["project"]["id"],
        "demo-project"
    );

    // The user's domain by id; a user token may assume what trusts the user.
    configure(
        &emulator,
        "iam",
        json!({"agencies": [{"domain_name": "acme", "name": "ops2", "assumable_by": ["user:acme/alice"]}]}),
    );
    let user_token = password_token(&emulator, "alice-password", json!({}))
        .header("x-subject-token")
        .unwrap()
        .to_string();
    let body = assume_role_body(json!({"agency_name": "ops2", "domain_name": "acme"}));
    let got = post_json(
        &url(&emulator, SECURITY_TOKENS),
        &body,
        &[("X-Auth-Token", &user_token)],
    );
    assert_eq!(got.status, 201, "{}", String::from_utf8_lossy(&got.body));
    assert_eq!(stats(&emulator)["password_token_requests"], 5);
}

#[test]
fn a_wrong_password_gets_keystones_401() {
    let emulator = emulator();
    for (password, scope) in [
        ("wrong", json!({"project": {"name": "cn-north-4"}})),
        (
            "alice-password",
            json!({"project": {"id": "no-such-project"}}),
        ),
        ("alice-password", json!({"project": {"name": "empty-1"}})),
    ] {
        let got = password_token(&emulator, password, scope);
        assert_eq!(got.status, 401);
        assert!(got.header("x-subject-token").is_none());
        let error = &got.json()["error"];
        assert_eq!(error["code"], 401);
        assert_eq!(error["title"], "Unauthorized");
        assert!(!String::from_utf8_lossy(&got.body).contains(password));
    }
    let other_domain = post_json(
        &url(&emulator, "/v3/auth/tokens"),
        &json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": "alice", "password": "alice-password", "domain": {"id": "d-other"}}}}}}),
        &[],
    );
    assert_eq!(other_domain.status, 401);
    let no_password = post_json(
        &url(&emulator, "/v3/auth/tokens"),
        &json!({"auth": {"identity": {"methods": ["token"]}}}),
        &[],
    );
    assert_eq!(no_password.status, 400);
    assert_eq!(no_password.json()["error"]["code"], 400);
}

fn sts_assume(emulator: &Emulator, body: Value, keys: (&str, &str), extra: &[(&str, &str)]) -> Got {
    let mut headers = vec![JSON];
    headers.extend_from_slice(extra);
    signed_request(
        "POST",
        &url(emulator, "/v5/agencies/assume"),
        &headers,
        body.to_string().as_bytes(),
        keys,
        SystemTime::now(),
    )
}

#[test]
fn sts_assume_as_terraform_calls_it_with_a_domain_id() {
    let emulator = emulator();
    let got = sts_assume(
        &emulator,
        json!({"agency_urn": "iam::d-acme:agency:ops", "agency_session_name": "ops",
               "duration_seconds": 3600}),
        (AK, SK),
        &[],
    );
    assert_eq!(got.status, 200, "{}", String::from_utf8_lossy(&got.body));
    let answer = got.json();
    assert_eq!(
        answer["assumed_agency"]["urn"],
        "sts::d-acme:assumed-agency:ops/ops"
    );
    let ops = Temporary::from_credentials(&answer["credentials"]);
    assert_eq!(ops.list(&emulator).status, 200);

    // Chained with the previous hop's keys and security token.
    let deep = sts_assume(
        &emulator,
        json!({"agency_urn": "iam::d-acme:agency:deep", "agency_session_name": "deep"}),
        (&ops.access, &ops.secret),
        &[("X-Security-Token", &ops.token)],
    );
    assert_eq!(deep.status, 200, "{}", String::from_utf8_lossy(&deep.body));
    assert_eq!(
        Temporary::from_credentials(&deep.json()["credentials"])
            .list(&emulator)
            .status,
        200
    );

    let missing = sts_assume(
        &emulator,
        json!({"agency_urn": "iam::d-acme:agency:nope", "agency_session_name": "s1"}),
        (AK, SK),
        &[],
    );
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["error_code"], "STS5.1106");
    assert_eq!(
        missing.json()["request_id"].as_str(),
        missing.header("x-request-id")
    );
    let untrusted = sts_assume(
        &emulator,
        json!({"agency_urn": "iam::d-acme:agency:deep", "agency_session_name": "s1"}),
        (AK, SK),
        &[],
    );
    assert_eq!(untrusted.status, 403);
    for bad in [
        json!({"agency_urn": "d-acme:ops", "agency_session_name": "s1"}),
        json!({"agency_urn": "iam::d-acme:agency:ops", "agency_session_name": "s"}),
        json!({"agency_urn": "iam::d-acme:agency:ops", "agency_session_name": "s1",
               "duration_seconds": 43_201}),
    ] {
        assert_eq!(
            sts_assume(&emulator, bad.clone(), (AK, SK), &[]).status,
            400,
            "{bad}"
        );
    }
    let unsigned = post_json(
        &url(&emulator, "/v5/agencies/assume"),
        &json!({"agency_urn": "iam::d-acme:agency:ops", "agency_session_name": "s1"}),
        &[],
    );
    assert_eq!(unsigned.status, 401);
    assert_eq!(unsigned.json()["error_code"], "APIGW.0301");
    assert_eq!(stats(&emulator)["sts_assume_requests"], 8);
}

fn pod_identity(emulator: &Emulator, authorization: Option<&str>) -> Got {
    let headers: Vec<(&str, &str)> = authorization
        .map(|a| ("Authorization", a))
        .into_iter()
        .collect();
    post_json(
        &url(emulator, "/pod-identity/credentials"),
        &json!({}),
        &headers,
    )
}

#[test]
fn pod_identity_answers_in_each_shape_the_sdk_reads() {
    let emulator = emulator();
    let got = pod_identity(&emulator, Some("pod-token-1"));
    assert_eq!(got.status, 200, "{}", String::from_utf8_lossy(&got.body));
    let creds = Temporary::from_credentials(&got.json()["credentials"]);
    assert_eq!(creds.list(&emulator).status, 200);

    configure(&emulator, "pod-identity", json!({"shape": "top_level"}));
    let top = pod_identity(&emulator, Some("pod-token-1")).json();
    assert_eq!(
        Temporary::from_credentials(&top).list(&emulator).status,
        200
    );
    configure(
        &emulator,
        "pod-identity",
        json!({"shape": "credential", "lifetime_ms": 600}),
    );
    let credential = Temporary::from_credential(&pod_identity(&emulator, Some("pod-token-1")));
    assert_eq!(credential.list(&emulator).status, 200);
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(credential.list(&emulator).status, 401);

    assert_eq!(pod_identity(&emulator, Some("pod-token-0")).status, 401);
    assert_eq!(pod_identity(&emulator, None).status, 401);
    // The token file rotated: the new token only.
    configure(
        &emulator,
        "pod-identity",
        json!({"authorization_tokens": ["pod-token-2"]}),
    );
    assert_eq!(pod_identity(&emulator, Some("pod-token-1")).status, 401);
    assert_eq!(pod_identity(&emulator, Some("pod-token-2")).status, 200);
    let counts = stats(&emulator);
    assert_eq!(counts["pod_identity_requests"], 7);
    assert_eq!(
        counts["pod_identity_tokens"],
        json!([
            "pod-token-1",
            "pod-token-1",
            "pod-token-1",
            "pod-token-0",
            "pod-token-1",
            "pod-token-2"
        ])
    );
}

#[test]
fn pod_identity_is_off_until_configured() {
    let emulator = start_default();
    let got = pod_identity(&emulator, Some("anything"));
    assert_eq!(got.status, 404);
    assert!(String::from_utf8_lossy(&got.body).contains("/__emulator/cloud/pod-identity"));
    let not_json = send(
        "POST",
        &url(&emulator, "/pod-identity/credentials"),
        &[("Authorization", "pod-token-1")],
        b"",
    );
    assert_eq!(not_json.status, 404);
}

#[test]
fn the_control_api_refuses_bad_configurations_whole() {
    let emulator = emulator();
    for (what, body) in [
        (
            "iam",
            json!({"agencies": [{"domain_name": "d", "name": "a", "trusts": []}]}),
        ),
        (
            "iam",
            json!({"users": [{"domain_name": "d", "name": "u", "password": ""}]}),
        ),
        (
            "iam",
            json!({"identity_providers": {"gh": ["t"]}, "token_lifetime_ms": 604_800_001u64}),
        ),
        (
            "iam",
            json!({"agencies": (0..1001).map(|i| json!({"domain_name": "d", "name": format!("a{i}")})).collect::<Vec<_>>()}),
        ),
        ("pod-identity", json!({"shape": "xml"})),
        (
            "pod-identity",
            json!({"authorization_tokens": ["x".repeat(16 * 1024 + 1)]}),
        ),
        ("metadata", json!({"lifetime_ms": 0})),
    ] {
        let got = post(&control(&emulator, &format!("cloud/{what}")), &body);
        assert_eq!(
            got.status,
            400,
            "{what}: {}",
            String::from_utf8_lossy(&got.body)
        );
    }
    // Nothing of the refused bodies was applied: gh is no provider.
    assert_eq!(id_token(&emulator, "gh", "t").status, 404);
    assert_eq!(id_token(&emulator, "github", "id-token-1").status, 201);
    let text = send(
        "POST",
        &control(&emulator, "cloud/pod-identity"),
        &[("Content-Type", "text/plain")],
        b"{}",
    );
    assert_eq!(text.status, 415);
    assert_eq!(get(&control(&emulator, "cloud/iam")).status, 405);
}

#[test]
fn a_bad_cloud_config_is_refused_at_start() {
    for bad in [
        json!({"iam": {"agencies": "none"}}),
        json!({"pods": {}}),
        json!({"metadata": {"lifetime_ms": 0}}),
    ] {
        let refused = Emulator::start(EmulatorConfig {
            cloud_config: Some(bad.clone()),
            ..EmulatorConfig::default()
        });
        let error = refused.err().unwrap_or_else(|| panic!("{bad} accepted"));
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "{bad}");
    }
}

#[test]
fn iam_bodies_are_bounded() {
    let emulator = emulator();
    let huge = vec![b' '; 64 * 1024 + 1];
    let got = send("POST", &url(&emulator, SECURITY_TOKENS), &[JSON], &huge);
    assert_eq!(got.status, 413);
    assert_eq!(get(&url(&emulator, LIST)).status, 401, "still serving");
}
