//! What one source of the chain holds, and which way of authenticating that
//! makes: a key pair, a token, a user's password, or an identity provider's
//! ID token. Each source is taken whole: a value from one is never paired with
//! a value from another.

use super::Secret;
use crate::args::Arg;
use crate::error::Error;
use crate::keys::{
    ACCESS_KEY, AUTH_TOKEN, IDP_ID, ID_TOKEN, ID_TOKEN_FILE, PASSWORD, SECRET_KEY, SECURITY_TOKEN,
    USER_NAME,
};
use std::path::PathBuf;

/// What one source holds. Any field may be missing.
#[derive(Default)]
pub(crate) struct Found {
    pub access_key: Option<String>,
    pub secret_key: Option<Secret>,
    pub security_token: Option<Secret>,
    pub auth_token: Option<Secret>,
    pub user_name: Option<String>,
    pub password: Option<Secret>,
    pub idp_id: Option<String>,
    pub id_token: Option<Secret>,
    pub id_token_file: Option<PathBuf>,
    pub project_id: Option<String>,
    pub region: Option<String>,
    pub iam_endpoint: Option<String>,
    /// What to log at WARN about the source (a file others can read).
    pub warnings: Vec<String>,
}

/// A source's name for a key, `None` for the key's own name.
pub(crate) type NameOf = Box<dyn Fn(&Arg) -> Option<String>>;

/// How a source names its values in messages, e.g. `"access_key"`,
/// `HW_ACCESS_KEY` or `accessKeyId`.
pub(crate) struct Names {
    pub source: String,
    pub name: NameOf,
}

impl Names {
    /// A file's names: its own for the key pair (`accessKeyId`, `ak`...), and
    /// for the other keys the key's name bare (`others_bare`) or quoted.
    pub fn of_file(
        source: String,
        (access_key, secret_key): (&'static str, &'static str),
        others_bare: bool,
    ) -> Names {
        Names {
            source,
            name: Box::new(move |key| {
                let own = if key.name == ACCESS_KEY.name {
                    access_key
                } else if key.name == SECRET_KEY.name {
                    secret_key
                } else if others_bare {
                    key.name
                } else {
                    return None;
                };
                Some(own.to_string())
            }),
        }
    }

    fn of(&self, key: &Arg) -> String {
        (self.name)(key).unwrap_or_else(|| format!("\"{}\"", key.name))
    }

    /// The error of a source that holds `set` but not `missing`.
    fn half(&self, set: &Arg, missing: &Arg) -> Error {
        Error::invalid(format!(
            "config: {} is set but {} is not ({})",
            self.of(set),
            self.of(missing),
            self.source
        ))
    }
}

/// The way a source authenticates.
#[derive(Clone, Debug)]
pub(crate) enum Method {
    /// An AK/SK pair (temporary with a security token), or an IAM token.
    Static(super::Credentials),
    /// An IAM token got with a user's password (`POST /v3/auth/tokens`).
    Password { user_name: String, password: Secret },
    /// Temporary credentials got with an OIDC ID token.
    Federated { idp_id: String, id_token: IdToken },
}

/// Where an ID token is: a file read again at each renewal, or the token itself.
#[derive(Clone, Debug)]
pub(crate) enum IdToken {
    File(PathBuf),
    Given(Secret),
}

impl Found {
    /// What a source holds of the keys that authenticate, `value` giving each
    /// key's value there (`None`: not set).
    pub fn of(
        mut value: impl FnMut(&Arg) -> Result<Option<String>, Error>,
    ) -> Result<Found, Error> {
        Ok(Found {
            access_key: value(&ACCESS_KEY)?,
            secret_key: value(&SECRET_KEY)?.map(Secret::new),
            security_token: value(&SECURITY_TOKEN)?.map(Secret::new),
            auth_token: value(&AUTH_TOKEN)?.map(Secret::new),
            user_name: value(&USER_NAME)?,
            password: value(&PASSWORD)?.map(Secret::new),
            idp_id: value(&IDP_ID)?,
            id_token: value(&ID_TOKEN)?.map(Secret::new),
            id_token_file: value(&ID_TOKEN_FILE)?.map(PathBuf::from),
            ..Found::default()
        })
    }

    /// How this source authenticates: `None` when it holds nothing to, an
    /// error when it holds half of something (a key without its secret). In
    /// order: a key pair, a token, a password, an ID token.
    pub fn method(&self, names: &Names) -> Result<Option<Method>, Error> {
        use super::Credentials;
        match (&self.access_key, &self.secret_key) {
            (Some(access_key), Some(secret_key)) => {
                return Ok(Some(Method::Static(Credentials::AkSk {
                    access_key: access_key.clone(),
                    secret_key: secret_key.clone(),
                    security_token: self.security_token.clone(),
                })))
            }
            (Some(_), None) if self.auth_token.is_none() => {
                return Err(names.half(&ACCESS_KEY, &SECRET_KEY))
            }
            (None, Some(_)) if self.auth_token.is_none() => {
                return Err(names.half(&SECRET_KEY, &ACCESS_KEY))
            }
            _ => {}
        }
        if let Some(token) = &self.auth_token {
            return Ok(Some(Method::Static(Credentials::Token(token.clone()))));
        }
        match (&self.user_name, &self.password) {
            (Some(user_name), Some(password)) => {
                return Ok(Some(Method::Password {
                    user_name: user_name.clone(),
                    password: password.clone(),
                }))
            }
            (Some(_), None) => return Err(names.half(&USER_NAME, &PASSWORD)),
            (None, Some(_)) => return Err(names.half(&PASSWORD, &USER_NAME)),
            (None, None) => {}
        }
        let id_token = match (&self.id_token, &self.id_token_file) {
            (Some(token), _) => Some(IdToken::Given(token.clone())),
            (None, Some(file)) => Some(IdToken::File(file.clone())),
            (None, None) => None,
        };
        match (&self.idp_id, id_token) {
            (Some(idp_id), Some(id_token)) => Ok(Some(Method::Federated {
                idp_id: idp_id.clone(),
                id_token,
            })),
            (Some(_), None) => Err(names.half(&IDP_ID, &ID_TOKEN_FILE)),
            (None, Some(IdToken::Given(_))) => Err(names.half(&ID_TOKEN, &IDP_ID)),
            (None, Some(IdToken::File(_))) => Err(names.half(&ID_TOKEN_FILE, &IDP_ID)),
            (None, None) => Ok(None),
        }
    }

    pub fn secrets(&self) -> impl Iterator<Item = &Secret> {
        [
            &self.secret_key,
            &self.security_token,
            &self.auth_token,
            &self.password,
            &self.id_token,
        ]
        .into_iter()
        .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_names() -> Names {
        Names {
            source: "the config JSON".into(),
            name: Box::new(|_| None),
        }
    }

    #[test]
    fn methods_in_order_and_halves_refused() {
        let names = json_names();
        let method = |found: Found| found.method(&names).map(|m| format!("{m:?}"));
        let pair = Found {
            access_key: Some("AK".into()),
            secret_key: Some(Secret::new("sk")),
            user_name: Some("u".into()),
            ..Found::default()
        };
        assert!(method(pair).unwrap().starts_with("Some(Static(AkSk"));
        let password = Found {
            user_name: Some("u".into()),
            password: Some(Secret::new("pw")),
            idp_id: Some("idp".into()),
            ..Found::default()
        };
        assert!(method(password).unwrap().starts_with("Some(Password"));
        let federated = Found {
            idp_id: Some("idp".into()),
            id_token_file: Some("/t".into()),
            ..Found::default()
        };
        assert!(method(federated).unwrap().starts_with("Some(Federated"));
        for (half, named) in [
            (
                Found {
                    user_name: Some("u".into()),
                    ..Found::default()
                },
                "\"user_name\" is set but \"password\"",
            ),
            (
                Found {
                    idp_id: Some("idp".into()),
                    ..Found::default()
                },
                "\"idp_id\" is set but \"id_token_file\"",
            ),
            (
                Found {
                    secret_key: Some(Secret::new("s")),
                    ..Found::default()
                },
                "\"secret_key\" is set but \"access_key\"",
            ),
        ] {
            let err = half.method(&names).unwrap_err();
            assert!(err.message.contains(named), "{}", err.message);
        }
        assert_eq!(method(Found::default()).unwrap(), "None");
        // The password never shows in a Debug print.
        let password = Found {
            user_name: Some("u".into()),
            password: Some(Secret::new("pw-s3cr3t")),
            ..Found::default()
        };
        assert!(!method(password).unwrap().contains("s3cr3t"));
    }
}
