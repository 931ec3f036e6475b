//! The `ges_backups` data source query (docs/contract.md, "Query"): arguments, validation and its id.

use crate::args::Args;
use crate::error::Error;
use crate::model::StrField;
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

/// A query argument that keeps the backups whose string field equals it.
pub(crate) struct Filter {
    pub argument: &'static str,
    pub field: StrField,
    /// The values it may take; `None`: any string.
    pub values: Option<&'static [&'static str]>,
}

/// The filters, in the order the query id hashes them.
pub(crate) const FILTERS: [Filter; 5] = [
    Filter {
        argument: "graph_name",
        field: StrField::GraphName,
        values: None,
    },
    Filter {
        argument: "backup_id",
        field: StrField::Id,
        values: None,
    },
    Filter {
        argument: "name",
        field: StrField::Name,
        values: None,
    },
    Filter {
        argument: "status",
        field: StrField::Status,
        values: Some(STATUSES),
    },
    Filter {
        argument: "backup_method",
        field: StrField::BackupMethod,
        values: Some(BACKUP_METHODS),
    },
];

/// The value of each filter of `FILTERS` the query sets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters([Option<String>; FILTERS.len()]);

impl Filters {
    fn from_args(args: &Args) -> Result<Filters, Error> {
        let mut filters = Filters::default();
        for (filter, value) in FILTERS.iter().zip(&mut filters.0) {
            *value = match filter.values {
                Some(values) => args.one_of(filter.argument, values)?,
                None => args.string(filter.argument)?,
            };
        }
        Ok(filters)
    }

    /// The value of filter `argument` (a query argument such as `"status"`), if set.
    pub fn value(&self, argument: &str) -> Option<&str> {
        let at = FILTERS.iter().position(|f| f.argument == argument)?;
        self.0[at].as_deref()
    }

    /// The filters set: (field, the value it must equal).
    pub(crate) fn set(&self) -> impl Iterator<Item = (StrField, &str)> + '_ {
        FILTERS
            .iter()
            .zip(&self.0)
            .filter_map(|(filter, value)| Some((filter.field, value.as_deref()?)))
    }
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
            filters: Filters::from_args(args)?,
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
        let filters = FILTERS.iter().zip(&self.filters.0);
        let fields: Vec<(&str, Option<String>)> = [("graph_id", self.graph_id.clone())]
            .into_iter()
            .chain(filters.map(|(filter, value)| (filter.argument, value.clone())))
            .chain([
                ("most_recent", self.most_recent.then(|| "true".to_string())),
                ("offset", self.page.map(|p| p.offset.to_string())),
                ("limit", self.page.map(|p| p.limit.to_string())),
            ])
            .collect();
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
    fn ids_stay_what_earlier_versions_gave() {
        // Saved state (Terraform's) holds ids: the digest of the length-prefixed
        // (argument, value) pairs set, in this order, must not change.
        let json = r#"{"limit":7,"offset":3,"most_recent":true,"backup_method":"auto",
            "status":"failed","name":"n","backup_id":"b","graph_name":"gn","graph_id":"g"}"#;
        let id = Query::from_json(json).unwrap().id();
        assert_eq!(id, "753e3b934399d82175e22c1c22920370");
    }

    #[test]
    fn every_filter_is_a_query_argument() {
        for filter in &FILTERS {
            assert!(ARGUMENTS.contains(&filter.argument), "{}", filter.argument);
        }
        let query = Query::builder().status("failed").name("n").build().unwrap();
        let filters = &query.filters;
        assert_eq!(
            (filters.value("status"), filters.value("name")),
            (Some("failed"), Some("n"))
        );
        assert_eq!(
            (filters.value("backup_id"), filters.value("limit")),
            (None, None)
        );
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
