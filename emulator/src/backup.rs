//! The backup record, its order, and the two JSON shapes it is served in.

use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

/// One GES backup. Read in the v1.0 camelCase shape; fields other than `id`
/// may be left out (they default to empty/zero) so that tests can add short records.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Backup {
    pub id: String,
    pub name: String,
    pub backup_method: String,
    pub graph_id: String,
    pub graph_name: String,
    pub graph_status: String,
    pub graph_size_type_index: String,
    pub data_store_version: String,
    pub arch: String,
    pub status: String,
    pub start_timestamp: i64,
    pub start_time: String,
    pub end_timestamp: i64,
    pub end_time: String,
    pub size: i64,
    pub duration: i64,
    pub encrypted: Option<bool>,
}

impl Backup {
    /// The bytes of its strings: what a posted backup costs beyond its fixed size.
    pub fn text_bytes(&self) -> usize {
        [
            &self.id,
            &self.name,
            &self.backup_method,
            &self.graph_id,
            &self.graph_name,
            &self.graph_status,
            &self.graph_size_type_index,
            &self.data_store_version,
            &self.arch,
            &self.status,
            &self.start_time,
            &self.end_time,
        ]
        .iter()
        .map(|s| s.len())
        .sum()
    }
}

/// The API version of a request; it decides the JSON key style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Api {
    /// `/v1.0/...`: camelCase keys.
    #[serde(rename = "v1.0")]
    V1,
    /// `/v2/...`: snake_case keys.
    #[serde(rename = "v2")]
    V2,
}

impl Api {
    pub fn from_segment(segment: &str) -> Option<Api> {
        match segment {
            "v1.0" => Some(Api::V1),
            "v2" => Some(Api::V2),
            _ => None,
        }
    }

    fn key(self, camel: &'static str, snake: &'static str) -> &'static str {
        match self {
            Api::V1 => camel,
            Api::V2 => snake,
        }
    }
}

/// The order the API serves: newest first, ties by id.
pub fn sort(backups: &mut [Backup]) {
    backups.sort_by(|a, b| {
        b.start_timestamp
            .cmp(&a.start_timestamp)
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// Reads a v1.0 answer body (`{"backupCount": N, "backupList": [...]}`); the
/// count in it is ignored, the list is what counts.
pub fn parse_v1_answer(text: &str) -> Result<Vec<Backup>, String> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct V1Answer {
        backup_list: Vec<Backup>,
    }
    let answer: V1Answer = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let mut backups = answer.backup_list;
    check_ids(&backups)?;
    sort(&mut backups);
    Ok(backups)
}

/// Parses an array of backups in the v1.0 shape (the control API's input).
pub fn parse_list(value: serde_json::Value) -> Result<Vec<Backup>, String> {
    let backups: Vec<Backup> = serde_json::from_value(value).map_err(|e| e.to_string())?;
    check_ids(&backups)?;
    Ok(backups)
}

fn check_ids(backups: &[Backup]) -> Result<(), String> {
    match backups.iter().position(|b| b.id.is_empty()) {
        Some(i) => Err(format!("backup #{i} has no id")),
        None => Ok(()),
    }
}

/// The API page's three sample backups, compiled in.
pub fn samples() -> Vec<Backup> {
    parse_v1_answer(include_str!("../data/samples.json")).expect("data/samples.json is valid")
}

/// A list answer as sent: the count (possibly a lie, see the `count_delta`
/// fault) and one page of backups in the request's shape.
pub struct Answer<'a> {
    pub api: Api,
    pub count: i64,
    pub page: &'a [Backup],
}

impl Answer<'_> {
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("an answer always serializes")
    }
}

impl Serialize for Answer<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let api = self.api;
        let mut s = serializer.serialize_struct("Answer", 2)?;
        s.serialize_field(api.key("backupCount", "backup_count"), &self.count)?;
        s.serialize_field(
            api.key("backupList", "backup_list"),
            &Page {
                api,
                page: self.page,
            },
        )?;
        s.end()
    }
}

struct Page<'a> {
    api: Api,
    page: &'a [Backup],
}

impl Serialize for Page<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.page.iter().map(|backup| Shaped {
            api: self.api,
            backup,
        }))
    }
}

/// One backup with the key style of `api`, fields in the API page's order.
struct Shaped<'a> {
    api: Api,
    backup: &'a Backup,
}

impl Serialize for Shaped<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (b, k) = (self.backup, |c, s| self.api.key(c, s));
        let mut s = serializer.serialize_struct("GesBackUp", 17)?;
        s.serialize_field("id", &b.id)?;
        s.serialize_field("name", &b.name)?;
        s.serialize_field(k("backupMethod", "backup_method"), &b.backup_method)?;
        s.serialize_field(k("graphId", "graph_id"), &b.graph_id)?;
        s.serialize_field(k("graphName", "graph_name"), &b.graph_name)?;
        s.serialize_field(k("graphStatus", "graph_status"), &b.graph_status)?;
        s.serialize_field(
            k("graphSizeTypeIndex", "graph_size_type_index"),
            &b.graph_size_type_index,
        )?;
        s.serialize_field(
            k("dataStoreVersion", "data_store_version"),
            &b.data_store_version,
        )?;
        s.serialize_field("arch", &b.arch)?;
        s.serialize_field("status", &b.status)?;
        s.serialize_field(k("startTimestamp", "start_timestamp"), &b.start_timestamp)?;
        s.serialize_field(k("startTime", "start_time"), &b.start_time)?;
        s.serialize_field(k("endTimestamp", "end_timestamp"), &b.end_timestamp)?;
        s.serialize_field(k("endTime", "end_time"), &b.end_time)?;
        s.serialize_field("size", &b.size)?;
        s.serialize_field("duration", &b.duration)?;
        match b.encrypted {
            Some(encrypted) => s.serialize_field("encrypted", &encrypted)?,
            None => s.skip_field("encrypted")?,
        }
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn samples_are_the_fixture_sorted() {
        let samples = samples();
        let ids: Vec<&str> = samples.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "7ed3f51d-816d-4651-9129-fe21b64b5c91",
                "604bfb46-04dd-45fc-a9ae-df24a0705b9d",
                "ada3e720-ab87-48cb-bff7-3ec5ae1a9652",
            ]
        );
    }

    #[test]
    fn v1_round_trips_the_fixture_records() {
        let fixture: Value = serde_json::from_str(include_str!("../data/samples.json")).unwrap();
        let samples = samples();
        let answer = Answer {
            api: Api::V1,
            count: 3,
            page: &samples,
        };
        let served: Value = serde_json::from_slice(&answer.to_bytes()).unwrap();
        assert_eq!(served["backupCount"], 3);
        for record in fixture["backupList"].as_array().unwrap() {
            assert!(served["backupList"].as_array().unwrap().contains(record));
        }
    }

    #[test]
    fn v2_uses_snake_case_and_encrypted_only_when_known() {
        let mut b = samples().remove(0);
        b.encrypted = Some(true);
        let plain = samples().remove(1);
        let answer = Answer {
            api: Api::V2,
            count: 7,
            page: &[b, plain],
        };
        let served: Value = serde_json::from_slice(&answer.to_bytes()).unwrap();
        assert_eq!(served["backup_count"], 7);
        let first = &served["backup_list"][0];
        assert_eq!(first["graph_size_type_index"], "1");
        assert_eq!(first["start_timestamp"], json!(1623242004000_i64));
        assert_eq!(first["encrypted"], true);
        assert!(first.get("startTimestamp").is_none());
        assert!(served["backup_list"][1].get("encrypted").is_none());
    }

    #[test]
    fn order_is_newest_first_then_id() {
        let mk = |id: &str, ts| Backup {
            id: id.into(),
            start_timestamp: ts,
            ..Backup::default()
        };
        let mut list = vec![mk("b", 1), mk("c", 5), mk("a", 1)];
        sort(&mut list);
        let ids: Vec<&str> = list.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(ids, ["c", "a", "b"]);
    }

    #[test]
    fn input_needs_ids() {
        assert!(parse_list(json!([{"name": "x"}])).is_err());
        let parsed = parse_list(json!([{"id": "x", "size": 3}])).unwrap();
        assert_eq!(parsed[0].size, 3);
        assert!(parse_v1_answer("{\"backupCount\": 1}").is_err());
    }
}
