//! The `ges_backups` data source query (docs/contract.md, "Query"): arguments, validation and its id.

use crate::api::check_id;
use crate::args::{declare_args, Arg, Args};
use crate::error::Error;
use crate::model::StrField;
use sha2::{Digest, Sha256};
use std::time::Duration;

declare_args! {
    /// Every query argument, in the order of the schema and the docs.
    list ARGUMENTS for QueryBuilder;

    graph_id GRAPH_ID: text("Only this graph's backups, read from the per-graph endpoint.");
    graph_name GRAPH_NAME: text("Keep backups of the graph with exactly this name.");
    backup_id BACKUP_ID: text("Keep the backup with exactly this id.");
    name NAME: text("Keep backups with exactly this name.");
    /// `backing_up`, `success` or `failed`.
    status STATUS: one_of(STATUSES, "Keep backups in this status: backing_up, success or failed.");
    /// `auto` or `manual`.
    backup_method BACKUP_METHOD: one_of(BACKUP_METHODS, "Keep auto or manual backups.");
    most_recent MOST_RECENT: bool("After filtering, keep only the most recent backup (largest start_timestamp; on a tie, smallest id).");
    offset OFFSET: integer(0, i64::MAX, "With limit: read exactly one page starting here (0 or more, default 0), in the service's order, without paging.");
    limit LIMIT: integer(1, 1000, "With offset: size of the one page read (1 to 1000, default 10).");
    deadline_ms DEADLINE_MS: integer(1, u32::MAX as i64, "Time budget of the whole call, retries included, in milliseconds; exceeding it is a transport error.");
}

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
    pub argument: &'static Arg,
    pub field: StrField,
}

/// The filters, in the order the query id hashes them.
pub(crate) const FILTERS: [Filter; 5] = [
    Filter {
        argument: &GRAPH_NAME,
        field: StrField::GraphName,
    },
    Filter {
        argument: &BACKUP_ID,
        field: StrField::Id,
    },
    Filter {
        argument: &NAME,
        field: StrField::Name,
    },
    Filter {
        argument: &STATUS,
        field: StrField::Status,
    },
    Filter {
        argument: &BACKUP_METHOD,
        field: StrField::BackupMethod,
    },
];

/// The value of each filter of `FILTERS` the query sets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters([Option<String>; FILTERS.len()]);

impl Filters {
    fn from_args(args: &Args) -> Result<Filters, Error> {
        let mut filters = Filters::default();
        for (filter, value) in FILTERS.iter().zip(&mut filters.0) {
            *value = args.string(filter.argument)?;
        }
        Ok(filters)
    }

    /// The value of filter `argument` (a query argument such as `"status"`), if set.
    pub fn value(&self, argument: &str) -> Option<&str> {
        let at = FILTERS.iter().position(|f| f.argument.name == argument)?;
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
        let offset = args.int(&OFFSET)?;
        let limit = args.int(&LIMIT)?;
        let page = (offset.is_some() || limit.is_some()).then(|| PageRequest {
            offset: offset.unwrap_or(0) as u64,
            limit: limit.unwrap_or(10) as u32,
        });
        Ok(Query {
            graph_id: graph_id(args)?,
            filters: Filters::from_args(args)?,
            most_recent: args.bool(&MOST_RECENT)?.unwrap_or(false),
            page,
            deadline: args
                .int(&DEADLINE_MS)?
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
            .chain(filters.map(|(filter, value)| (filter.argument.name, value.clone())))
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

/// `graph_id`, which goes into the request's path.
fn graph_id(args: &Args) -> Result<Option<String>, Error> {
    let id = args.string(&GRAPH_ID)?;
    if let Some(id) = &id {
        check_id("query: \"graph_id\"", id)?;
    }
    Ok(id)
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
            assert!(
                ARGUMENTS.iter().any(|a| a.name == filter.argument.name),
                "{}",
                filter.argument.name
            );
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
