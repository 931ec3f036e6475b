//! A file of the chain: named by a config key or variable (then it must
//! exist), or the default path under the home directory (then it is read only
//! when it exists). Read as `files` reads: regular files only, bounded.

use crate::error::Error;
use crate::files::{self, Refused};
use std::path::PathBuf;

/// A file setting: given by a config key or variable (then it must exist), or
/// the default path under the home directory (then it is used only if it exists).
#[derive(Clone, Debug)]
pub(crate) enum FileSetting {
    Explicit { path: PathBuf, named_by: String },
    Default(PathBuf),
    None,
}

impl FileSetting {
    pub fn new(given: Option<(String, String)>, home: Option<&str>, default: &str) -> Self {
        match (given, home) {
            (Some((path, named_by)), _) => FileSetting::Explicit {
                path: PathBuf::from(path),
                named_by,
            },
            (None, Some(home)) => FileSetting::Default(PathBuf::from(home).join(default)),
            (None, None) => FileSetting::None,
        }
    }

    /// Its text, `None` when it does not exist (`missing` says whether that is
    /// an error), and a warning when others may read it. `what` names it in
    /// messages.
    pub fn read(&self, what: &str) -> Result<Option<(String, Vec<String>)>, Error> {
        const MAX_BYTES: u64 = 1024 * 1024;
        let path = match self {
            FileSetting::Explicit { path, .. } | FileSetting::Default(path) => path,
            FileSetting::None => return Ok(None),
        };
        let shown = self.describe();
        let small = match files::read(path, MAX_BYTES) {
            Ok(small) => small,
            Err(Refused::Missing) => return Ok(None),
            Err(refused) => {
                return Err(Error::invalid(format!(
                    "config: the {what} {shown} cannot be used: {refused}"
                )))
            }
        };
        let text = String::from_utf8(small.bytes)
            .map_err(|_| Error::invalid(format!("config: the {what} {shown} is not UTF-8 text")))?;
        let warnings = small
            .readable_by_others
            .then(|| {
                format!(
                    "the {what} {shown} can be read by its group or others: \
                     it holds credentials, `chmod 600` it"
                )
            })
            .into_iter()
            .collect();
        Ok(Some((text, warnings)))
    }

    /// The error for a file that does not exist, `None` when it need not.
    pub fn missing(&self, what: &str) -> Option<Error> {
        matches!(self, FileSetting::Explicit { .. }).then(|| {
            Error::invalid(format!(
                "config: the {what} {} does not exist",
                self.describe()
            ))
        })
    }

    /// The file's path, and what named it when a key or variable did.
    pub fn describe(&self) -> String {
        match self {
            FileSetting::Explicit { path, named_by } => {
                format!("{} (named by {named_by})", path.display())
            }
            FileSetting::Default(path) => path.display().to_string(),
            FileSetting::None => "(no home directory)".to_string(),
        }
    }
}
