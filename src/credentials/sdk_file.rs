//! The official SDKs' credentials file, `~/.huaweicloud/credentials`: INI with a
//! `[basic]` section holding `ak`, `sk`, `project_id`, `security_token` and
//! `iam_endpoint`, or `idp_id` and `id_token_file` for OIDC federation.

use super::file_setting::FileSetting;
use super::found::{Found, Names};
use super::{checked, Secret};
use crate::error::Error;

/// The `[basic]` section of `file`; `None` when the default file does not exist.
pub fn read(file: &FileSetting) -> Result<Option<Found>, Error> {
    let what = "SDK credentials file";
    let Some((text, warnings)) = file.read(what)? else {
        return match file.missing(what) {
            Some(missing) => Err(missing),
            None => Ok(None),
        };
    };
    let mut found = Found {
        warnings,
        ..Found::default()
    };
    let mut in_basic = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            in_basic = section.trim().eq_ignore_ascii_case("basic");
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if !in_basic {
            continue;
        }
        let key = key.trim().to_ascii_lowercase();
        let value = Some(value.trim().to_string());
        let name = format!("{key} of the SDK credentials file");
        match key.as_str() {
            "ak" => found.access_key = checked(&name, value)?,
            "sk" => found.secret_key = checked(&name, value)?.map(Secret::new),
            "security_token" => found.security_token = checked(&name, value)?.map(Secret::new),
            "project_id" => found.project_id = checked(&name, value)?,
            "iam_endpoint" => found.iam_endpoint = checked(&name, value)?,
            "idp_id" => found.idp_id = checked(&name, value)?,
            "id_token_file" => found.id_token_file = checked(&name, value)?.map(Into::into),
            _ => {}
        }
    }
    Ok(Some(found))
}

/// How the file names its keys.
pub fn names(source: String) -> Names {
    Names::of_file(source, ("ak", "sk"), true)
}
