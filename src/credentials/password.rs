//! An IAM user's password, exchanged for an IAM token as
//! terraform-provider-huaweicloud does it: `POST {iam}/v3/auth/tokens`,
//! method `password`, scoped to the project (by id, or by the region's
//! name); the token (`X-Subject-Token`) goes in `X-Auth-Token` until it is
//! renewed, before `token.expires_at`.

use super::exchange::Service;
use super::renewable::{Renewable, Temporary};
use super::Secret;
use crate::error::Error;
use serde_json::json;

/// The project a token is scoped to.
pub(crate) enum Scope {
    ProjectId(String),
    /// A region's name, as IAM names a region's default project.
    ProjectName(String),
}

pub(crate) struct Password {
    pub iam: Service,
    pub user_name: String,
    pub password: Secret,
    /// The user's account.
    pub domain_name: String,
    pub scope: Scope,
}

impl Renewable for Password {
    fn fetch(&self) -> Result<Temporary, Error> {
        let project = match &self.scope {
            Scope::ProjectId(id) => json!({"id": id}),
            Scope::ProjectName(name) => json!({"name": name}),
        };
        let body = json!({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": self.user_name,
                "password": self.password.expose(),
                "domain": {"name": self.domain_name},
            }}},
            "scope": {"project": project},
        }});
        let what = format!(
            "the password of user {:?} of account {:?}",
            self.user_name, self.domain_name
        );
        let answer = self.iam.post("/v3/auth/tokens", &[], &body, None, &what)?;
        self.iam.token(answer, &what)
    }
}
