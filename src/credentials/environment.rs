//! Credentials from the environment: the `HW_*` names of
//! `terraform-provider-huaweicloud`, then the `HUAWEICLOUD_SDK_*` names of the
//! official SDKs, each source taking its names from the keys' declarations.

use super::checked;
use super::found::{Found, Names};
use crate::args::Arg;
use crate::error::Error;
use crate::keys::{ACCESS_KEY, AUTH_TOKEN, IDP_ID, ID_TOKEN_FILE, PASSWORD, SECRET_KEY, USER_NAME};

/// One source of the environment: the variables of each key that start with `prefix`.
pub(crate) struct Source {
    prefix: &'static str,
}

pub(crate) const HW: Source = Source { prefix: "HW_" };
pub(crate) const SDK: Source = Source {
    prefix: "HUAWEICLOUD_SDK_",
};

/// The keys whose values, alone or in pairs, authenticate.
const AUTHENTICATING: [&Arg; 6] = [
    &ACCESS_KEY,
    &SECRET_KEY,
    &AUTH_TOKEN,
    &USER_NAME,
    &PASSWORD,
    &IDP_ID,
];

impl Source {
    /// The variable of `key` in this source, if it has one.
    fn name(&self, key: &Arg) -> Option<&'static str> {
        let prefix = self.prefix;
        key.env.iter().copied().find(|v| v.starts_with(prefix))
    }

    pub fn names(&self) -> Names {
        let credentials: Vec<&str> = AUTHENTICATING
            .into_iter()
            .chain([&ID_TOKEN_FILE])
            .filter_map(|key| self.name(key))
            .collect();
        let prefix = self.prefix;
        Names {
            source: credentials.join("/"),
            name: Box::new(move |key| {
                let found = key.env.iter().find(|v| v.starts_with(prefix));
                found.map(|v| v.to_string())
            }),
        }
    }

    pub fn read(&self, env: &dyn Fn(&str) -> Option<String>) -> Result<Found, Error> {
        Found::of(|key| match self.name(key) {
            Some(name) => checked(name, env(name)),
            None => Ok(None),
        })
    }
}

/// How the config JSON names its keys.
pub(crate) fn json_names() -> Names {
    Names {
        source: "the config JSON".to_string(),
        name: Box::new(|_| None),
    }
}
