//! Where the client's credentials come from: a chain of sources tried in order,
//! the first that can authenticate winning (docs/configuration.md, "Where
//! credentials come from"), then the agencies of `assume_role` on top:
//!
//! 1. the config JSON (`access_key`+`secret_key`, `auth_token`,
//!    `user_name`+`password`, or `idp_id`+`id_token_file`/`id_token`);
//! 2. the `HW_*` environment, as `terraform-provider-huaweicloud` reads it;
//! 3. the `HUAWEICLOUD_SDK_*` environment, as the official SDKs read it;
//! 4. the Huawei Cloud CLI's profile file (`profile.rs`);
//! 5. the official SDKs' credentials file (`sdk_file.rs`);
//! 6. pod identity (`pod_identity.rs`);
//! 7. the ECS metadata service (`metadata.rs`).
//!
//! `chain.rs` runs it (reading only the environment and files); `provider.rs`
//! turns its choice into credentials in use, fetching and renewing temporary
//! ones before they expire: an IAM token for a password (`password.rs`), an ID
//! token's credentials (`federated.rs`), pod identity's, the metadata
//! service's, and each agency's (`assume_role.rs`), all through
//! `exchange.rs`. `active.rs` signs requests with them.

mod active;
mod assume_role;
mod chain;
mod environment;
mod exchange;
mod federated;
mod file_setting;
mod found;
pub(crate) mod metadata;
mod password;
mod pod_identity;
mod profile;
mod provider;
mod renewable;
mod sdk_file;

pub use active::Active;
pub use assume_role::AssumeRole;
pub(crate) use chain::{resolve, Chosen, Inputs, PodIdentity};
pub(crate) use file_setting::FileSetting;
pub(crate) use found::Found;
#[cfg(test)]
pub(crate) use found::Method;
pub(crate) use provider::{Provider, Setup};

use crate::args::header_safe;
use crate::error::Error;
pub use crate::secret::Secret;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// Signed requests; `security_token` for temporary credentials.
    AkSk {
        access_key: String,
        secret_key: Secret,
        security_token: Option<Secret>,
    },
    /// An IAM token sent as `X-Auth-Token`.
    Token(Secret),
}

impl Credentials {
    /// The secret values of these credentials, to scrub from error messages.
    pub fn secrets(&self) -> Vec<&str> {
        match self {
            Credentials::AkSk {
                secret_key,
                security_token,
                ..
            } => {
                let mut all = vec![secret_key.expose()];
                all.extend(security_token.as_ref().map(Secret::expose));
                all
            }
            Credentials::Token(token) => vec![token.expose()],
        }
    }
}

/// A value read from a variable or a file, checked like a config value.
pub(crate) fn checked(name: &str, value: Option<String>) -> Result<Option<String>, Error> {
    value
        .filter(|v| !v.is_empty())
        .map(|v| header_safe(name, v))
        .transpose()
}
