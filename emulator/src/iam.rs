//! IAM and STS, served on the emulator's own address, with the shapes the
//! official SDKs and terraform-provider-huaweicloud send and read:
//!
//! - `GET /v3/projects?name={region}` (Keystone's shape), for project discovery;
//! - `POST /v3.0/OS-CREDENTIAL/securitytokens`, method `assume_role` (signed
//!   by the caller) or `token` (an IAM token): temporary credentials;
//! - `POST /v3.0/OS-AUTH/id-token/tokens`: an IAM token for an OpenID Connect ID token;
//! - `POST /v3/auth/tokens`, method `password`: an IAM token for a user;
//! - `POST /v5/agencies/assume`: STS's temporary credentials of an agency.
//!
//! Errors take the shape each API answers: `{"error_msg", "error_code"}` for
//! the `/v3.0` APIs, Keystone's `{"error": {"code", "message", "title"}}` for
//! `/v3/auth/tokens`, `{"error_code", "error_msg", "request_id"}` for STS.

use crate::cloud::CloudState;
use crate::issued::{Principal, TemporaryKey};
use crate::reply::{rfc3339, Reply};
use crate::request::Received;
use crate::state::App;
use hyper::StatusCode;
use serde_json::{json, Value};
use std::ops::RangeInclusive;
use std::time::{Duration, SystemTime};

pub const PROJECTS: &str = "/v3/projects";
pub const SECURITY_TOKENS: &str = "/v3.0/OS-CREDENTIAL/securitytokens";
pub const ID_TOKEN_TOKENS: &str = "/v3.0/OS-AUTH/id-token/tokens";
pub const AUTH_TOKENS: &str = "/v3/auth/tokens";
pub const STS_ASSUME: &str = "/v5/agencies/assume";

/// `duration_seconds` of `securitytokens`: 15 minutes to 24 hours, 15 minutes by default.
const SECURITY_TOKEN_DURATION: RangeInclusive<u64> = 900..=86_400;
const SECURITY_TOKEN_DEFAULT_S: u64 = 900;
/// `duration_seconds` of STS's assume: 15 minutes to 12 hours, one hour by default.
const STS_DURATION: RangeInclusive<u64> = 900..=43_200;
const STS_DEFAULT_S: u64 = 3600;
/// IAM tokens last 24 hours.
const TOKEN_LIFETIME: Duration = Duration::from_secs(86_400);

/// Answers the IAM and STS paths; `None` for any other path.
pub fn route(app: &App, req: &Received<'_>, request_id: &str) -> Option<Reply> {
    Some(match (req.path, req.method) {
        (PROJECTS, "GET") => list_projects(app, req, request_id),
        (SECURITY_TOKENS, "POST") => security_tokens(app, req),
        (ID_TOKEN_TOKENS, "POST") => id_token(app, req),
        (AUTH_TOKENS, "POST") => password_token(app, req),
        (STS_ASSUME, "POST") => sts_assume(app, req, request_id),
        (PROJECTS | SECURITY_TOKENS | ID_TOKEN_TOKENS | AUTH_TOKENS | STS_ASSUME, _) => {
            Reply::method_not_allowed(req.method, req.path)
        }
        _ => return None,
    })
}

/// The `/v3.0` APIs' error shape.
fn iam_error(status: StatusCode, code: &str, message: &str) -> Reply {
    Reply::json(status, &json!({"error_msg": message, "error_code": code}))
}

fn unauthenticated(reason: &str) -> Reply {
    iam_error(
        StatusCode::UNAUTHORIZED,
        "IAM.0001",
        &format!("The request you have made requires authentication: {reason}"),
    )
}

fn invalid_body() -> Reply {
    iam_error(
        StatusCode::BAD_REQUEST,
        "IAM.0011",
        "Request body is invalid.",
    )
}

fn invalid_parameter(name: &str) -> Reply {
    iam_error(
        StatusCode::BAD_REQUEST,
        "IAM.0007",
        &format!("Request parameter {name} is invalid."),
    )
}

fn not_found(what: &str, id: &str) -> Reply {
    iam_error(
        StatusCode::NOT_FOUND,
        "IAM.0004",
        &format!("Could not find {what}: {id}."),
    )
}

/// Keystone's error shape, as `/v3/auth/tokens` answers.
fn keystone_error(status: StatusCode, message: &str) -> Reply {
    Reply::json(
        status,
        &json!({"error": {"code": status.as_u16(), "message": message,
                          "title": status.canonical_reason().unwrap_or("")}}),
    )
}

/// STS's error shape.
fn sts_error(status: StatusCode, code: &str, message: &str, request_id: &str) -> Reply {
    Reply::json(
        status,
        &json!({"error_code": code, "error_msg": message, "request_id": request_id}),
    )
}

fn json_body(req: &Received<'_>) -> Option<Value> {
    serde_json::from_slice::<Value>(req.body)
        .ok()
        .filter(Value::is_object)
}

fn text<'v>(value: &'v Value, pointer: &str) -> Option<&'v str> {
    value.pointer(pointer).and_then(Value::as_str)
}

/// The lifetime to issue: the configured one if set, else what the request
/// asks (which must be within `range`), else `default_s`. `Err` when the
/// request asks for something out of range or not an integer.
fn lifetime(
    configured: Option<Duration>,
    requested: Option<&Value>,
    range: RangeInclusive<u64>,
    default_s: u64,
) -> Result<Duration, ()> {
    let asked = match requested {
        None | Some(Value::Null) => default_s,
        Some(value) => value.as_u64().filter(|s| range.contains(s)).ok_or(())?,
    };
    Ok(configured.unwrap_or(Duration::from_secs(asked)))
}

fn now(app: &App) -> SystemTime {
    app.lock().now()
}

fn list_projects(app: &App, req: &Received<'_>, request_id: &str) -> Reply {
    let now = now(app);
    app.cloud.lock().counters.iam_requests += 1;
    if let Err(reason) = app.auth.check(req, now) {
        return Reply::unauthorized(&reason, request_id);
    }
    let name = req.query_param("name");
    let cloud = app.cloud.lock();
    let project = |region: &str, id: &str| {
        json!({"id": id, "name": region, "domain_id": "emulator-domain", "enabled": true,
               "is_domain": false, "parent_id": "emulator-domain", "description": "",
               "links": {"self": format!("/v3/projects/{id}")}})
    };
    let projects: Vec<Value> = match name {
        Some(region) => cloud
            .region_projects(&region)
            .iter()
            .map(|id| project(&region, id))
            .collect(),
        None => cloud
            .projects
            .iter()
            .flat_map(|(region, ids)| ids.iter().map(move |id| project(region, id)))
            .collect(),
    };
    Reply::json(
        StatusCode::OK,
        &json!({"projects": projects, "links": {"self": PROJECTS, "next": null, "previous": null}}),
    )
}

/// `{"credential": {"access", "secret", "securitytoken", "expires_at"}}`, 201.
fn credential_answer(key: TemporaryKey) -> Reply {
    Reply::json(
        StatusCode::CREATED,
        &json!({ "credential": key.as_credential() }),
    )
}

fn security_tokens(app: &App, req: &Received<'_>) -> Reply {
    let Some(body) = json_body(req) else {
        return invalid_body();
    };
    let methods = body
        .pointer("/auth/identity/methods")
        .and_then(Value::as_array);
    let has = |method: &str| methods.is_some_and(|m| m.iter().any(|v| v == method));
    if has("assume_role") {
        assume_role(app, req, &body)
    } else if has("token") {
        token_credentials(app, req, &body)
    } else {
        invalid_body()
    }
}

/// Method `assume_role`: the caller's credentials, if the agency trusts them,
/// for the agency's temporary ones.
fn assume_role(app: &App, req: &Received<'_>, body: &Value) -> Reply {
    let now = now(app);
    app.cloud.lock().counters.assume_role_requests += 1;
    let caller = match app.auth.check(req, now) {
        Ok(caller) => caller,
        Err(reason) => return unauthenticated(&reason),
    };
    let role = &body["auth"]["identity"]["assume_role"];
    let domain_name = text(role, "/domain_name");
    let domain_id = text(role, "/domain_id");
    let Some(agency_name) = text(role, "/agency_name") else {
        return invalid_body();
    };
    if domain_name.is_none() && domain_id.is_none() {
        return invalid_body();
    }
    let cloud = app.cloud.lock();
    let Ok(lifetime) = lifetime(
        cloud.iam.credential_lifetime,
        role.get("duration_seconds"),
        SECURITY_TOKEN_DURATION,
        SECURITY_TOKEN_DEFAULT_S,
    ) else {
        return invalid_parameter("duration_seconds");
    };
    let principal = match trusting_agency(&cloud, domain_name, domain_id, agency_name, &caller) {
        Ok(agency) => agency,
        Err(Refusal::Unknown) => return not_found("agency", agency_name),
        Err(Refusal::Untrusted(message)) => {
            return iam_error(StatusCode::FORBIDDEN, "IAM.0002", &message)
        }
    };
    drop(cloud);
    credential_answer(app.auth.issued.issue_key(principal, now, lifetime))
}

enum Refusal {
    Unknown,
    Untrusted(String),
}

/// The principal of the agency named, if it exists and trusts `caller`.
fn trusting_agency(
    cloud: &CloudState,
    domain_name: Option<&str>,
    domain_id: Option<&str>,
    name: &str,
    caller: &Principal,
) -> Result<Principal, Refusal> {
    let agency = cloud
        .iam
        .agency(domain_name, domain_id, name)
        .ok_or(Refusal::Unknown)?;
    if !agency.allows(caller) {
        return Err(Refusal::Untrusted(format!(
            "You are not authorized to perform the requested action: {caller} may not assume \
             agency {name} of domain {}.",
            agency.domain_name
        )));
    }
    Ok(agency.principal())
}

/// Method `token`: temporary credentials for an IAM token, given in
/// `X-Auth-Token` (which wins) or in the body.
fn token_credentials(app: &App, req: &Received<'_>, body: &Value) -> Reply {
    let now = now(app);
    app.cloud.lock().counters.token_credential_requests += 1;
    let token_part = &body["auth"]["identity"]["token"];
    let given = req
        .header("x-auth-token")
        .map(|t| t.into_owned())
        .or_else(|| text(token_part, "/id").map(str::to_string));
    let Some(token) = given else {
        return unauthenticated("no X-Auth-Token header and no auth.identity.token.id");
    };
    let principal = match app.auth.check_token_value(&token, now) {
        Ok(principal) => principal,
        Err(reason) => return unauthenticated(&reason),
    };
    let configured = app.cloud.lock().iam.credential_lifetime;
    let Ok(lifetime) = lifetime(
        configured,
        token_part.get("duration_seconds"),
        SECURITY_TOKEN_DURATION,
        SECURITY_TOKEN_DEFAULT_S,
    ) else {
        return invalid_parameter("duration_seconds");
    };
    credential_answer(app.auth.issued.issue_key(principal, now, lifetime))
}

/// A 201 carrying a new token in `X-Subject-Token` and its details.
fn token_answer(token: String, details: Value) -> Reply {
    let mut reply = Reply::json(StatusCode::CREATED, &json!({ "token": details }));
    reply.headers.push(("x-subject-token", token));
    reply
}

/// `{"id", "name"}` of a scope's project or domain, as the request gave it.
fn scope_part(body: &Value, pointer: &str) -> Option<Value> {
    let part = body.pointer(pointer)?;
    Some(json!({"id": part.get("id"), "name": part.get("name")}))
}

/// An OpenID Connect ID token, accepted by the identity provider in
/// `X-Idp-Id`, for an IAM token.
fn id_token(app: &App, req: &Received<'_>) -> Reply {
    let now = now(app);
    let body = json_body(req);
    let id_token = body.as_ref().and_then(|b| text(b, "/auth/id_token/id"));
    let idp = req.header("x-idp-id").filter(|idp| !idp.is_empty());
    let mut cloud = app.cloud.lock();
    cloud.counters.id_token_requests += 1;
    if let Some(token) = id_token {
        crate::cloud::record(&mut cloud.counters.id_tokens, token);
    }
    let Some(idp) = idp else {
        return invalid_parameter("X-Idp-Id");
    };
    let (Some(body), Some(id_token)) = (&body, id_token) else {
        return invalid_body();
    };
    let Some(accepted) = cloud.iam.identity_providers.get(idp.as_ref()) else {
        return not_found("identity provider", &idp);
    };
    if !accepted.iter().any(|t| t == id_token) {
        return unauthenticated(&format!(
            "identity provider {idp} does not accept this ID token"
        ));
    }
    let lifetime = cloud.iam.token_lifetime.unwrap_or(TOKEN_LIFETIME);
    drop(cloud);
    let principal = Principal::Federated {
        idp: idp.to_string(),
    };
    let (token, expires_at) = app.auth.issued.issue_token(principal, now, lifetime);
    let mut details = json!({
        "methods": ["mapped"],
        "issued_at": rfc3339(now),
        "expires_at": rfc3339(expires_at),
        "user": {
            "OS-FEDERATION": {"identity_provider": {"id": idp}, "protocol": {"id": "oidc"},
                              "groups": []},
            "domain": {"id": "emulator-domain", "name": "emulator-domain"},
            "id": format!("federated-{idp}"),
            "name": "FederationUser",
        },
    });
    for scope in ["project", "domain"] {
        if let Some(part) = scope_part(body, &format!("/auth/scope/{scope}")) {
            details[scope] = part;
        }
    }
    token_answer(token, details)
}

/// Method `password`: a configured user's name, password and domain for an
/// IAM token scoped to a project (by id, or by name: a region's) or a domain.
fn password_token(app: &App, req: &Received<'_>) -> Reply {
    let now = now(app);
    let mut cloud = app.cloud.lock();
    cloud.counters.password_token_requests += 1;
    let Some(body) = json_body(req) else {
        return keystone_error(
            StatusCode::BAD_REQUEST,
            "The request body is not valid JSON.",
        );
    };
    let methods = body
        .pointer("/auth/identity/methods")
        .and_then(Value::as_array);
    if !methods.is_some_and(|m| m.iter().any(|v| v == "password")) {
        return keystone_error(
            StatusCode::BAD_REQUEST,
            "auth.identity.methods must hold \"password\" (the only method the emulator serves here).",
        );
    }
    let user = &body["auth"]["identity"]["password"]["user"];
    let (Some(name), Some(password)) = (text(user, "/name"), text(user, "/password")) else {
        return keystone_error(
            StatusCode::BAD_REQUEST,
            "auth.identity.password.user needs a name and a password.",
        );
    };
    let refused = || {
        keystone_error(
            StatusCode::UNAUTHORIZED,
            "The request you have made requires authentication.",
        )
    };
    let Some(found) = cloud
        .iam
        .user(text(user, "/domain/name"), text(user, "/domain/id"), name)
        .filter(|u| u.password == password)
    else {
        return refused();
    };
    let domain = json!({"id": found.domain_id(), "name": found.domain_name});
    let principal = Principal::User {
        domain: found.domain_name.clone(),
        name: found.name.clone(),
    };
    let user_details = json!({"domain": domain, "id": format!("{}-{}", found.domain_id(), name),
                              "name": name, "password_expires_at": ""});
    let scope = match project_scope(&cloud, &body) {
        Ok(scope) => scope,
        Err(()) => return refused(),
    };
    let lifetime = cloud.iam.token_lifetime.unwrap_or(TOKEN_LIFETIME);
    drop(cloud);
    let (token, expires_at) = app.auth.issued.issue_token(principal, now, lifetime);
    let mut details = json!({
        "methods": ["password"],
        "issued_at": rfc3339(now),
        "expires_at": rfc3339(expires_at),
        "user": user_details,
        "roles": [],
        "catalog": [],
    });
    match scope {
        Some((id, region)) => {
            details["project"] = json!({"domain": domain, "id": id, "name": region});
        }
        None => details["domain"] = domain,
    }
    token_answer(token, details)
}

/// The project a password token is scoped to, `(id, name)`: by id (a project
/// some region has) or by name (a region with a project); `None` when the
/// scope is the domain or absent; `Err` for a project that does not exist.
fn project_scope(cloud: &CloudState, body: &Value) -> Result<Option<(String, String)>, ()> {
    let Some(project) = body.pointer("/auth/scope/project") else {
        return Ok(None);
    };
    if let Some(id) = text(project, "/id") {
        if !cloud.knows_project(id) {
            return Err(());
        }
        let region = cloud
            .projects
            .iter()
            .find(|(_, ids)| ids.iter().any(|p| p == id))
            .map_or_else(|| id.to_string(), |(region, _)| region.clone());
        return Ok(Some((id.to_string(), region)));
    }
    let region = text(project, "/name").ok_or(())?;
    let id = cloud.region_projects(region).into_iter().next().ok_or(())?;
    Ok(Some((id, region.to_string())))
}

/// STS's AssumeAgency, as terraform-provider-huaweicloud calls it when
/// `assume_role` names a `domain_id`.
fn sts_assume(app: &App, req: &Received<'_>, request_id: &str) -> Reply {
    /// The emulator's choice: STS documents no code for a malformed request.
    const BAD_REQUEST: &str = "STS5.0400";
    let now = now(app);
    app.cloud.lock().counters.sts_assume_requests += 1;
    let caller = match app.auth.check(req, now) {
        Ok(caller) => caller,
        Err(reason) => return Reply::unauthorized(&reason, request_id),
    };
    let bad = |message: &str| sts_error(StatusCode::BAD_REQUEST, BAD_REQUEST, message, request_id);
    let Some(body) = json_body(req) else {
        return bad("the request body is not a JSON object");
    };
    let urn = text(&body, "/agency_urn").unwrap_or_default();
    let Some((domain_id, name)) = urn
        .strip_prefix("iam::")
        .and_then(|rest| rest.split_once(":agency:"))
        .filter(|(d, n)| !d.is_empty() && !n.is_empty())
    else {
        return bad("agency_urn must be \"iam::{account_id}:agency:{agency_name}\"");
    };
    let session = text(&body, "/agency_session_name").unwrap_or_default();
    if !(2..=64).contains(&session.len()) {
        return bad("agency_session_name must be 2 to 64 characters");
    }
    let cloud = app.cloud.lock();
    let Ok(lifetime) = lifetime(
        cloud.iam.credential_lifetime,
        body.get("duration_seconds"),
        STS_DURATION,
        STS_DEFAULT_S,
    ) else {
        return bad("duration_seconds must be an integer from 900 to 43200");
    };
    let principal = match trusting_agency(&cloud, None, Some(domain_id), name, &caller) {
        Ok(principal) => principal,
        Err(Refusal::Unknown) => {
            return sts_error(
                StatusCode::NOT_FOUND,
                "STS5.1106",
                &format!("the agency '{urn}' cannot be found"),
                request_id,
            )
        }
        Err(Refusal::Untrusted(message)) => {
            return sts_error(
                StatusCode::FORBIDDEN,
                "STS5.0001",
                &format!("access denied: {message}"),
                request_id,
            )
        }
    };
    drop(cloud);
    let key = app.auth.issued.issue_key(principal, now, lifetime);
    Reply::json(
        StatusCode::OK,
        &json!({
            "credentials": key.as_credentials(),
            "assumed_agency": {
                "urn": format!("sts::{domain_id}:assumed-agency:{name}/{session}"),
                "id": format!("{domain_id}-{name}:{session}"),
            },
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_come_from_the_configuration_the_request_or_the_default() {
        let range = SECURITY_TOKEN_DURATION;
        let secs = Duration::from_secs;
        assert_eq!(lifetime(None, None, range.clone(), 900), Ok(secs(900)));
        assert_eq!(
            lifetime(None, Some(&json!(3600)), range.clone(), 900),
            Ok(secs(3600))
        );
        assert_eq!(
            lifetime(
                Some(Duration::from_millis(5)),
                Some(&json!(3600)),
                range.clone(),
                900
            ),
            Ok(Duration::from_millis(5))
        );
        for bad in [
            json!(899),
            json!(86_401),
            json!("3600"),
            json!(-1),
            json!(1.5),
        ] {
            assert_eq!(
                lifetime(None, Some(&bad), range.clone(), 900),
                Err(()),
                "{bad}"
            );
        }
    }
}
