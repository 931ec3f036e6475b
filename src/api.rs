//! The GES API's shape: its two versions, the paths of the list endpoints, and
//! the ids that go into those paths.

use crate::error::Error;
use ges_signing as signing;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiVersion {
    /// `/v1.0/...`, camelCase answers.
    V1,
    /// `/v2/...`, snake_case answers.
    V2,
}

impl ApiVersion {
    pub fn path_segment(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::V2 => "v2",
        }
    }
}

/// The list endpoint: every graph's backups, or one graph's. The ids were
/// checked by `check_id`; they are percent-encoded all the same.
pub(crate) fn backups_path(
    version: ApiVersion,
    project_id: &str,
    graph_id: Option<&str>,
) -> String {
    let version = version.path_segment();
    let project = signing::encode(project_id);
    match graph_id {
        Some(graph) => format!(
            "/{version}/{project}/graphs/{}/backups",
            signing::encode(graph)
        ),
        None => format!("/{version}/{project}/graphs/backups"),
    }
}

/// Refuses an id that would change the request's path rather than name one
/// resource: `.`, `..`, or one holding `/`, `?`, `#`, `%` or whitespace.
/// `named` names it in the message (`config: "project_id"`); the value is
/// never echoed.
pub(crate) fn check_id(named: &str, id: &str) -> Result<(), Error> {
    let refused = id == "."
        || id == ".."
        || id
            .chars()
            .any(|c| matches!(c, '/' | '?' | '#' | '%') || c.is_whitespace() || c.is_control());
    if refused {
        return Err(Error::invalid(format!(
            "{named} is not an id: it must not be \".\" or \"..\", nor hold /, ?, #, % or whitespace"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_would_change_the_path_are_refused() {
        for bad in [
            "..",
            ".",
            "g-1/../../x",
            "g 1",
            "g%2F1",
            "g?x=1",
            "a#b",
            "t\tab",
        ] {
            let err = check_id("query: \"graph_id\"", bad).unwrap_err();
            assert_eq!(err.kind, crate::error::ErrorKind::InvalidArgument, "{bad}");
            assert!(err.message.contains("graph_id"), "{}", err.message);
        }
        for good in ["g-1", "0549f13b4b8f4a0fbd1d4b2a7f0e1234", "a.b", "...", "ü"] {
            assert!(check_id("id", good).is_ok(), "{good}");
        }
        assert_eq!(
            backups_path(ApiVersion::V2, "p", Some("g.1")),
            "/v2/p/graphs/g.1/backups"
        );
    }
}
