//! The `ges_backups` data source query (docs/contract.md, "Query"): arguments, validation and its id.

use crate::args::Args;
use crate::error::Error;
use sha2::{Digest, Sha256};
use std::time::Duration;

pub const ARGUMENTS: &[&str] = &[
    "graph_id",
    "graph_name",
    "backup_id",
    "name",
    "status",
    "backup_method",
    "most_recent",
    "offset",
    "limit",
    "deadline_ms",
];

/// The values `status` may take: a backup's state as the service reports it.
pub const STATUSES: &[&str] = &["backing_up", "success", "failed"];
/// The values `backup_method` may take.
pub const BACKUP_METHODS: &[&str] = &["auto", "manual"];

/// One page of the service's own order instead of everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PageRequest {
    pub offset: u64,
    pub limit: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Filters {
    pub graph_name: Option<String>,
    pub backup_id: Option<String>,
    pub name: Option<String>,
    pub status: Option<String>,
    pub backup_method: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Query {
    /// Served by the per-graph endpoint.
    pub graph_id: Option<String>,
    pub filters: Filters,
    pub most_recent: bool,
    pub page: Option<PageRequest>,
    pub deadline: Option<Duration>,
}

impl Query {
    /// A query from its JSON (docs/contract.md, "Query"): `{}` lists everything.
    pub fn from_json(json: &str) -> Result<Query, Error> {
        Self::from_args(&Args::parse("query", json, ARGUMENTS)?)
    }

    /// A query from typed values, checked exactly as the JSON form is.
    pub fn builder() -> QueryBuilder {
        QueryBuilder::default()
    }

    fn from_args(args: &Args) -> Result<Query, Error> {
        let offset = args.int("offset", 0..=i64::MAX)?;
        let limit = args.int("limit", 1..=1000)?;
        let page = (offset.is_some() || limit.is_some()).then(|| PageRequest {
            offset: offset.unwrap_or(0) as u64,
            limit: limit.unwrap_or(10) as u32,
        });
        Ok(Query {
            graph_id: args.string("graph_id")?,
            filters: Filters {
                graph_name: args.string("graph_name")?,
                backup_id: args.string("backup_id")?,
                name: args.string("name")?,
                status: args.one_of("status", STATUSES)?,
                backup_method: args.one_of("backup_method", BACKUP_METHODS)?,
            },
            most_recent: args.bool("most_recent")?.unwrap_or(false),
            page,
            deadline: args
                .int("deadline_ms", 1..=i64::from(u32::MAX))?
                .map(|ms| Duration::from_millis(ms as u64)),
        })
    }

    /// The data source id: a digest of what the query selects, so equal queries give
    /// equal ids and different selections different ids. `deadline_ms` is left out:
    /// it bounds the call's time, not what it returns.
    pub fn id(&self) -> String {
        let f = &self.filters;
        let fields: [(&str, Option<String>); 9] = [
            ("graph_id", self.graph_id.clone()),
            ("graph_name", f.graph_name.clone()),
            ("backup_id", f.backup_id.clone()),
            ("name", f.name.clone()),
            ("status", f.status.clone()),
            ("backup_method", f.backup_method.clone()),
            ("most_recent", self.most_recent.then(|| "true".to_string())),
            ("offset", self.page.map(|p| p.offset.to_string())),
            ("limit", self.page.map(|p| p.limit.to_string())),
        ];
        let mut hasher = Sha256::new();
        for (name, value) in fields
            .iter()
            .filter_map(|(n, v)| v.as_ref().map(|v| (n, v)))
        {
            // Length-prefixed so that no two different field sets hash the same bytes.
            for part in [name.as_bytes(), value.as_bytes()] {
                hasher.update((part.len() as u64).to_le_bytes());
                hasher.update(part);
            }
        }
        hex::encode(&hasher.finalize()[..16])
    }
}

/// Builds a `Query` argument by argument; `build` validates them all, with the
/// same checks and messages as `Query::from_json`.
///
/// ```
/// let query = ges_backups::Query::builder().status("success").most_recent(true).build()?;
/// assert!(query.most_recent);
/// assert!(ges_backups::Query::builder().status("SUCCESS").build().is_err());
/// # Ok::<(), ges_backups::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct QueryBuilder {
    args: serde_json::Map<String, serde_json::Value>,
}

impl QueryBuilder {
    fn set(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.args.insert(key.to_string(), value.into());
        self
    }

    pub fn graph_id(self, id: impl Into<String>) -> Self {
        self.set("graph_id", id.into())
    }
    pub fn graph_name(self, name: impl Into<String>) -> Self {
        self.set("graph_name", name.into())
    }
    pub fn backup_id(self, id: impl Into<String>) -> Self {
        self.set("backup_id", id.into())
    }
    pub fn name(self, name: impl Into<String>) -> Self {
        self.set("name", name.into())
    }
    /// `backing_up`, `success` or `failed`.
    pub fn status(self, status: impl Into<String>) -> Self {
        self.set("status", status.into())
    }
    /// `auto` or `manual`.
    pub fn backup_method(self, method: impl Into<String>) -> Self {
        self.set("backup_method", method.into())
    }
    pub fn most_recent(self, most_recent: bool) -> Self {
        self.set("most_recent", most_recent)
    }
    pub fn offset(self, offset: i64) -> Self {
        self.set("offset", offset)
    }
    pub fn limit(self, limit: i64) -> Self {
        self.set("limit", limit)
    }
    pub fn deadline_ms(self, deadline_ms: i64) -> Self {
        self.set("deadline_ms", deadline_ms)
    }

    pub fn build(self) -> Result<Query, Error> {
        Query::from_args(&Args::from_map("query", self.args, ARGUMENTS)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_page_defaults() {
        let q = Query::from_json(r#"{"offset":20}"#).unwrap();
        assert_eq!(
            q.page,
            Some(PageRequest {
                offset: 20,
                limit: 10
            })
        );
        let q = Query::from_json(r#"{"limit":5}"#).unwrap();
        assert_eq!(
            q.page,
            Some(PageRequest {
                offset: 0,
                limit: 5
            })
        );
        assert_eq!(Query::from_json("{}").unwrap().page, None);
    }

    #[test]
    fn id_is_a_function_of_the_selection() {
        let id = |json: &str| Query::from_json(json).unwrap().id();
        assert_eq!(
            id("{}"),
            id(r#"{"name":null,"most_recent":false,"deadline_ms":5}"#)
        );
        assert_eq!(id(r#"{"offset":0}"#), id(r#"{"limit":10,"offset":0}"#));
        assert_eq!(
            id(r#"{"name":"a","status":"failed"}"#),
            id(r#"{"status":"failed","name":"a"}"#)
        );
        let distinct = [
            id("{}"),
            id(r#"{"name":"a"}"#),
            id(r#"{"graph_name":"a"}"#),
            id(r#"{"most_recent":true}"#),
            id(r#"{"offset":0}"#),
            id(r#"{"offset":1}"#),
            id(r#"{"name":"ab"}"#),
            id(r#"{"name":"a","status":"failed"}"#),
        ];
        let unique: std::collections::HashSet<_> = distinct.iter().collect();
        assert_eq!(unique.len(), distinct.len());
        assert_eq!(distinct[0].len(), 32);
    }

    #[test]
    fn bad_arguments_are_named() {
        for (json, key) in [
            (r#"{"limit":0}"#, "limit"),
            (r#"{"limit":1001}"#, "limit"),
            (r#"{"offset":-1}"#, "offset"),
            (r#"{"most_recent":"yes"}"#, "most_recent"),
            (r#"{"nmae":"x"}"#, "nmae"),
            (r#"{"graph_id":7}"#, "graph_id"),
            (r#"{"deadline_ms":0}"#, "deadline_ms"),
            (r#"{"status":"SUCCESS"}"#, "backing_up, success, failed"),
            (r#"{"status":"sucess"}"#, "status"),
            (r#"{"backup_method":"weird"}"#, "auto, manual"),
            ("[1]", "object"),
            ("{", "JSON"),
        ] {
            let err = Query::from_json(json).unwrap_err();
            assert!(err.message.contains(key), "{json}: {}", err.message);
        }
    }
}
