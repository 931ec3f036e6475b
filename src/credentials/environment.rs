//! Credentials from the environment: the `HW_*` names of
//! `terraform-provider-huaweicloud`, then the `HUAWEICLOUD_SDK_*` names of the
//! official SDKs, each source taking its names from the keys' declarations.

use super::{checked, Found, Names, Secret};
use crate::args::Arg;
use crate::config::keys::{ACCESS_KEY, AUTH_TOKEN, SECRET_KEY, SECURITY_TOKEN};
use crate::error::Error;

/// One source of the environment: the variables of each key that start with `prefix`.
struct Source {
    prefix: &'static str,
}

const HW: Source = Source { prefix: "HW_" };
const SDK: Source = Source {
    prefix: "HUAWEICLOUD_SDK_",
};

impl Source {
    /// The variable of `key` in this source, if it has one.
    fn name(&self, key: &Arg) -> Option<&'static str> {
        key.env.iter().copied().find(|v| v.starts_with(self.prefix))
    }

    fn names(&self) -> Names {
        let name = |key: &Arg| self.name(key).unwrap_or(key.name);
        let credentials: Vec<&str> = [&ACCESS_KEY, &SECRET_KEY, &AUTH_TOKEN]
            .into_iter()
            .filter_map(|key| self.name(key))
            .collect();
        Names {
            source: credentials.join("/"),
            access_key: name(&ACCESS_KEY),
            secret_key: name(&SECRET_KEY),
        }
    }

    fn read(&self, env: &dyn Fn(&str) -> Option<String>) -> Result<Found, Error> {
        let var = |key: &Arg| match self.name(key) {
            Some(name) => checked(name, env(name)),
            None => Ok(None),
        };
        Ok(Found {
            access_key: var(&ACCESS_KEY)?,
            secret_key: var(&SECRET_KEY)?.map(Secret::new),
            security_token: var(&SECURITY_TOKEN)?.map(Secret::new),
            auth_token: var(&AUTH_TOKEN)?.map(Secret::new),
            ..Found::default()
        })
    }
}

pub fn json_names() -> Names {
    Names {
        source: "the config JSON".to_string(),
        access_key: "\"access_key\"",
        secret_key: "\"secret_key\"",
    }
}

pub fn hw_names() -> Names {
    HW.names()
}

pub fn sdk_names() -> Names {
    SDK.names()
}

pub fn hw(env: &dyn Fn(&str) -> Option<String>) -> Result<Found, Error> {
    HW.read(env)
}

pub fn sdk(env: &dyn Fn(&str) -> Option<String>) -> Result<Found, Error> {
    SDK.read(env)
}
