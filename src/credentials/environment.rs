//! Credentials from the environment: the `HW_*` names of
//! `terraform-provider-huaweicloud`, then the `HUAWEICLOUD_SDK_*` names of the
//! official SDKs.

use super::{checked, Found, Names, Secret};
use crate::error::Error;

pub fn json_names() -> Names {
    Names {
        source: "the config JSON".to_string(),
        access_key: "\"access_key\"",
        secret_key: "\"secret_key\"",
    }
}

pub fn hw_names() -> Names {
    Names {
        source: "HW_ACCESS_KEY/HW_SECRET_KEY/HW_AUTH_TOKEN".to_string(),
        access_key: "HW_ACCESS_KEY",
        secret_key: "HW_SECRET_KEY",
    }
}

pub fn sdk_names() -> Names {
    Names {
        source: "HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK".to_string(),
        access_key: "HUAWEICLOUD_SDK_AK",
        secret_key: "HUAWEICLOUD_SDK_SK",
    }
}

fn var(env: &dyn Fn(&str) -> Option<String>, name: &str) -> Result<Option<String>, Error> {
    checked(name, env(name))
}

pub fn hw(env: &dyn Fn(&str) -> Option<String>) -> Result<Found, Error> {
    Ok(Found {
        access_key: var(env, "HW_ACCESS_KEY")?,
        secret_key: var(env, "HW_SECRET_KEY")?.map(Secret::new),
        security_token: var(env, "HW_SECURITY_TOKEN")?.map(Secret::new),
        auth_token: var(env, "HW_AUTH_TOKEN")?.map(Secret::new),
        ..Found::default()
    })
}

pub fn sdk(env: &dyn Fn(&str) -> Option<String>) -> Result<Found, Error> {
    Ok(Found {
        access_key: var(env, "HUAWEICLOUD_SDK_AK")?,
        secret_key: var(env, "HUAWEICLOUD_SDK_SK")?.map(Secret::new),
        security_token: var(env, "HUAWEICLOUD_SDK_SECURITY_TOKEN")?.map(Secret::new),
        ..Found::default()
    })
}
