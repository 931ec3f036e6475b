//! IAM, served on the emulator's own address: `GET /v3/projects?name={region}`
//! (Keystone's shape), authenticated like the GES endpoints, for project
//! discovery.

use crate::reply::Reply;
use crate::request::Received;
use crate::state::App;
use hyper::StatusCode;
use serde_json::{json, Value};

pub const PROJECTS: &str = "/v3/projects";

/// Answers the IAM paths; `None` for any other path.
pub fn route(app: &App, req: &Received<'_>, request_id: &str) -> Option<Reply> {
    Some(match (req.path, req.method) {
        (PROJECTS, "GET") => list_projects(app, req, request_id),
        (PROJECTS, _) => Reply::method_not_allowed(req.method, req.path),
        _ => return None,
    })
}

fn list_projects(app: &App, req: &Received<'_>, request_id: &str) -> Reply {
    let now = app.lock().now();
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
        Some(region) => match cloud.projects.get(&region) {
            Some(ids) => ids.iter().map(|id| project(&region, id)).collect(),
            None => vec![project(&region, &cloud.default_project)],
        },
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
