//! The reference for `decode_answer`'s differential check: the list answer
//! decoder as the library had it before its hand-written fast path (serde
//! derive; `git show 49477b3:src/model.rs`), kept verbatim but for its error
//! type. The fast decoder must agree with it on every input.

use ges_backups::Backup as LibBackup;
use serde::de::{self, Deserializer};
use serde::Deserialize;

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Backup {
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(rename(deserialize = "backupMethod"), alias = "backup_method")]
    pub backup_method: Option<String>,
    #[serde(rename(deserialize = "graphId"), alias = "graph_id")]
    pub graph_id: Option<String>,
    #[serde(rename(deserialize = "graphName"), alias = "graph_name")]
    pub graph_name: Option<String>,
    #[serde(rename(deserialize = "graphStatus"), alias = "graph_status")]
    pub graph_status: Option<String>,
    #[serde(
        rename(deserialize = "graphSizeTypeIndex"),
        alias = "graph_size_type_index"
    )]
    pub graph_size_type_index: Option<String>,
    #[serde(rename(deserialize = "dataStoreVersion"), alias = "data_store_version")]
    pub data_store_version: Option<String>,
    pub arch: Option<String>,
    pub status: Option<String>,
    #[serde(
        rename(deserialize = "startTimestamp"),
        alias = "start_timestamp",
        default,
        deserialize_with = "tolerant_int"
    )]
    pub start_timestamp: Option<i64>,
    #[serde(rename(deserialize = "startTime"), alias = "start_time")]
    pub start_time: Option<String>,
    #[serde(
        rename(deserialize = "endTimestamp"),
        alias = "end_timestamp",
        default,
        deserialize_with = "tolerant_int"
    )]
    pub end_timestamp: Option<i64>,
    #[serde(rename(deserialize = "endTime"), alias = "end_time")]
    pub end_time: Option<String>,
    #[serde(default, deserialize_with = "tolerant_int")]
    pub size: Option<i64>,
    #[serde(default, deserialize_with = "tolerant_int")]
    pub duration: Option<i64>,
    pub encrypted: Option<bool>,
}

impl Backup {
    fn strings(&self) -> [&Option<String>; 12] {
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
    }

    fn into_lib(self) -> LibBackup {
        LibBackup {
            id: self.id,
            name: self.name,
            backup_method: self.backup_method,
            graph_id: self.graph_id,
            graph_name: self.graph_name,
            graph_status: self.graph_status,
            graph_size_type_index: self.graph_size_type_index,
            data_store_version: self.data_store_version,
            arch: self.arch,
            status: self.status,
            start_timestamp: self.start_timestamp,
            start_time: self.start_time,
            end_timestamp: self.end_timestamp,
            end_time: self.end_time,
            size: self.size,
            duration: self.duration,
            encrypted: self.encrypted,
        }
    }
}

#[derive(Deserialize)]
struct Answer {
    #[serde(
        rename = "backupCount",
        alias = "backup_count",
        default,
        deserialize_with = "tolerant_int"
    )]
    count: Option<i64>,
    #[serde(rename = "backupList", alias = "backup_list")]
    list: Option<Vec<Backup>>,
}

/// `(backupCount, backups)`, or why the body is not a list answer.
pub fn decode(body: &[u8]) -> Result<(i64, Vec<LibBackup>), String> {
    let answer: Answer = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let total_count = answer.count.ok_or("no backupCount")?;
    if total_count < 0 {
        return Err("negative backupCount".into());
    }
    let backups = answer.list.unwrap_or_default();
    for backup in &backups {
        if backup.id.is_none() {
            return Err("a backup has no id".into());
        }
        if backup
            .strings()
            .iter()
            .any(|v| v.as_deref().is_some_and(|s| s.contains('\0')))
        {
            return Err("a string holds a NUL character".into());
        }
    }
    Ok((
        total_count,
        backups.into_iter().map(Backup::into_lib).collect(),
    ))
}

/// An integer as a JSON number or a string of digits; `null` is absent.
fn tolerant_int<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw<'a> {
        Int(i64),
        Text(&'a str),
        Owned(String),
    }
    let text_to_int = |s: &str| -> Result<i64, D::Error> {
        let digits = s.strip_prefix('-').unwrap_or(s);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(de::Error::custom(format!(
                "expected an integer, got the string {s:?}"
            )));
        }
        s.parse()
            .map_err(|_| de::Error::custom(format!("integer out of range: {s:?}")))
    };
    match Option::<Raw<'de>>::deserialize(deserializer) {
        Ok(None) => Ok(None),
        Ok(Some(Raw::Int(n))) => Ok(Some(n)),
        Ok(Some(Raw::Text(s))) => text_to_int(s).map(Some),
        Ok(Some(Raw::Owned(s))) => text_to_int(&s).map(Some),
        Err(_) => Err(de::Error::custom(
            "expected an integer (a number or a string of digits)",
        )),
    }
}
