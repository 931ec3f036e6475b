//! `ges_list_backups` and friends: the listing handed to C as one owned block.

use super::{c_string, fill_out, json_arg, GesClient, GesError};
use crate::error::Error;
use crate::listing::BackupList;
use crate::model::Backup;
use std::ffi::{c_char, CString};
use std::ptr;

/// One backup. Strings are NULL when the service left the field out; integers are
/// then 0. All strings live until `ges_backup_list_free` of the list holding them.
#[repr(C)]
pub struct GesBackup {
    pub id: *const c_char,
    pub name: *const c_char,
    /// "auto" | "manual"
    pub backup_method: *const c_char,
    pub graph_id: *const c_char,
    pub graph_name: *const c_char,
    pub graph_status: *const c_char,
    pub graph_size_type_index: *const c_char,
    pub data_store_version: *const c_char,
    pub arch: *const c_char,
    /// "backing_up" | "success" | "failed"
    pub status: *const c_char,
    /// Milliseconds since the Unix epoch.
    pub start_timestamp: i64,
    pub start_time: *const c_char,
    pub end_timestamp: i64,
    pub end_time: *const c_char,
    /// MB.
    pub size: i64,
    /// Seconds.
    pub duration: i64,
    /// 1 true, 0 false, -1 absent.
    pub encrypted: i8,
}

/// The result of `ges_list_backups`: `len` backups at `items`, newest first then
/// by id (in the service's order for a one-page query).
#[repr(C)]
pub struct GesBackupList {
    pub items: *const GesBackup,
    pub len: usize,
    /// backupCount as the service reported it.
    pub total_count: i64,
    /// The data source id: equal queries give equal ids.
    pub id: *const c_char,
}

/// What `*out` really points at: the public header first, then the storage its
/// pointers point into. Every string lives in one arena, so a list is three
/// allocations however many backups it holds.
#[repr(C)]
struct OwnedBackupList {
    list: GesBackupList,
    items: Vec<GesBackup>,
    arena: Vec<u8>,
}

/// Where a string sits in the arena.
#[derive(Clone, Copy)]
struct Slot(Option<usize>);

impl OwnedBackupList {
    fn new(result: &BackupList) -> Box<OwnedBackupList> {
        let strings_len: usize = result
            .backups
            .iter()
            .flat_map(|b| b.strings())
            .map(|(_, s)| s.as_ref().map_or(0, |s| s.len() + 1))
            .sum();
        let mut arena = Vec::with_capacity(strings_len + result.id.len() + 1);
        let mut put = |s: Option<&str>| {
            Slot(s.map(|s| {
                let at = arena.len();
                arena.extend_from_slice(s.as_bytes());
                arena.push(0);
                at
            }))
        };
        let id_slot = put(Some(&result.id));
        let slots: Vec<[Slot; 12]> = result
            .backups
            .iter()
            .map(|b| b.strings().map(|(_, s)| put(s.as_deref())))
            .collect();

        // The arena is complete and never grows again: its addresses are final.
        let base = arena.as_ptr();
        let at = |slot: Slot| -> *const c_char {
            // SAFETY: each offset was recorded inside the arena's bytes.
            slot.0
                .map_or(ptr::null(), |offset| unsafe { base.add(offset).cast() })
        };
        let items: Vec<GesBackup> = result
            .backups
            .iter()
            .zip(&slots)
            .map(|(b, s)| c_backup(b, s.map(at)))
            .collect();
        let list = GesBackupList {
            items: if items.is_empty() {
                ptr::null()
            } else {
                items.as_ptr()
            },
            len: items.len(),
            total_count: result.total_count,
            id: at(id_slot),
        };
        Box::new(OwnedBackupList { list, items, arena })
    }
}

fn c_backup(b: &Backup, s: [*const c_char; 12]) -> GesBackup {
    GesBackup {
        id: s[0],
        name: s[1],
        backup_method: s[2],
        graph_id: s[3],
        graph_name: s[4],
        graph_status: s[5],
        graph_size_type_index: s[6],
        data_store_version: s[7],
        arch: s[8],
        status: s[9],
        start_timestamp: b.start_timestamp.unwrap_or(0),
        start_time: s[10],
        end_timestamp: b.end_timestamp.unwrap_or(0),
        end_time: s[11],
        size: b.size.unwrap_or(0),
        duration: b.duration.unwrap_or(0),
        encrypted: b.encrypted.map_or(-1, i8::from),
    }
}

/// # Safety
/// `client` is NULL or a live client; `query_json` is NULL or a NUL-terminated string.
unsafe fn run_query(
    client: *const GesClient,
    query_json: *const c_char,
) -> Result<BackupList, Error> {
    let client = client
        .as_ref()
        .ok_or_else(|| Error::invalid("client must not be NULL"))?;
    let query = json_arg(query_json, "query_json")?;
    client.inner.list_backups_json_query(query)
}

/// Reads the `ges_backups` data source: the query JSON (NULL means `{}`) selects the
/// backups; without `offset`/`limit` it pages through every backup. On success writes
/// the list to `*out` and returns NULL; free the list with `ges_backup_list_free`.
/// On failure writes NULL to `*out` (when `out` is not NULL) and returns an error
/// to free with `ges_error_free`. Safe to call concurrently on one client.
///
/// # Safety
/// `client` is NULL or a live client; `query_json` is NULL or a NUL-terminated
/// string; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn ges_list_backups(
    client: *const GesClient,
    query_json: *const c_char,
    out: *mut *mut GesBackupList,
) -> *mut GesError {
    fill_out(out, || {
        let result = run_query(client, query_json)?;
        Ok(Box::into_raw(OwnedBackupList::new(&result)).cast::<GesBackupList>())
    })
}

/// Frees a list and every string in it; NULL is ignored.
///
/// # Safety
/// `list` is NULL or a list from `ges_list_backups`, freed once.
#[no_mangle]
pub unsafe extern "C" fn ges_backup_list_free(list: *mut GesBackupList) {
    if !list.is_null() {
        // SAFETY: the list is the first field of a boxed, repr(C) OwnedBackupList.
        super::no_panic((), || drop(Box::from_raw(list.cast::<OwnedBackupList>())));
    }
}

/// As `ges_list_backups`, with the result as one JSON string (SPEC 4; absent fields
/// are null) written to `*out`; free it with `ges_string_free`.
///
/// # Safety
/// As `ges_list_backups`.
#[no_mangle]
pub unsafe extern "C" fn ges_list_backups_json(
    client: *const GesClient,
    query_json: *const c_char,
    out: *mut *mut c_char,
) -> *mut GesError {
    fill_out(out, || {
        Ok(c_string(&run_query(client, query_json)?.to_json()).into_raw())
    })
}

/// Frees a string from `ges_list_backups_json`; NULL is ignored.
///
/// # Safety
/// `s` is NULL or a string from this library, freed once.
#[no_mangle]
pub unsafe extern "C" fn ges_string_free(s: *mut c_char) {
    if !s.is_null() {
        super::no_panic((), || drop(CString::from_raw(s)));
    }
}
