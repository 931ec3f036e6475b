//! `ges_list_backups` and friends: the listing handed to C as one owned block.

use super::{c_string, fill_out, json_arg, GesCancel, GesClient, GesError};
use crate::error::Error;
use crate::listing::Listing;
use crate::model::{backup_struct, decode_answer, Record, ABSENT};
use crate::query::Query;
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
/// pointers point into. The strings stay where the answers were decoded into
/// (one text buffer per page), so building the list copies no string.
#[repr(C)]
struct OwnedBackupList {
    list: GesBackupList,
    items: Vec<GesBackup>,
    texts: Vec<Vec<u8>>,
    id: CString,
}

impl OwnedBackupList {
    fn new(listing: Listing) -> Box<OwnedBackupList> {
        let items: Vec<GesBackup> = listing
            .iter()
            .map(|(page, record)| c_backup(record, page.text.as_ptr()))
            .collect();
        // Moving a Vec leaves its heap buffer, and so every pointer into it, in place.
        let texts = listing.pages.into_iter().map(|page| page.text).collect();
        let id = c_string(&listing.id);
        let list = GesBackupList {
            items: if items.is_empty() {
                ptr::null()
            } else {
                items.as_ptr()
            },
            len: items.len(),
            total_count: listing.total_count,
            id: id.as_ptr(),
        };
        Box::new(OwnedBackupList {
            list,
            items,
            texts,
            id,
        })
    }
}

/// `record` as C sees it; `text` is the start of the buffer its offsets are in.
#[inline]
fn c_backup(record: &Record, text: *const u8) -> GesBackup {
    backup_struct!(
        GesBackup,
        |field| -> *const c_char {
            match record.string(field) {
                ABSENT => ptr::null(),
                // SAFETY: a record's offsets are inside the text it was decoded into.
                offset => unsafe { text.add(offset as usize).cast() },
            }
        },
        |field| record.int_or_zero(field),
        record.encrypted
    )
}

/// # Safety
/// `client` is NULL or a live client; `query_json` is NULL or a NUL-terminated
/// string; `cancel` is NULL or a live cancel flag.
unsafe fn run_query(
    client: *const GesClient,
    query_json: *const c_char,
    cancel: *const GesCancel,
) -> Result<Listing, Error> {
    let client = client
        .as_ref()
        .ok_or_else(|| Error::invalid("client must not be NULL"))?;
    let query = Query::from_json(json_arg(query_json, "query_json")?)?;
    client
        .inner
        .read(&query, cancel.as_ref().map(GesCancel::token))
}

/// Reads the `ges_backups` data source: the backups the query selects.
///
/// Without `offset`/`limit` in the query, it pages through every backup and
/// returns each exactly once, newest first then by id; with them, exactly that
/// one page in the service's order.
///
/// Parameters:
/// - `client`: a client from `ges_client_new`. Must not be NULL.
/// - `query_json`: a NUL-terminated UTF-8 JSON object of query arguments
///   (docs/contract.md, "Query"), or NULL for `{}`. Read during the call only.
/// - `out`: where the list is written. Must not be NULL.
///
/// Returns: NULL on success, with the list in `*out`. Otherwise an error of any
/// kind but CANCELLED, and NULL in `*out`: never a partial list.
///
/// Ownership: the caller frees the list with `ges_backup_list_free`; every
/// string in it lives until then, also after the client is freed.
/// Thread safety: many threads may call it at once on one client.
#[no_mangle]
pub unsafe extern "C" fn ges_list_backups(
    client: *const GesClient,
    query_json: *const c_char,
    out: *mut *mut GesBackupList,
) -> *mut GesError {
    ges_list_backups_cancellable(client, query_json, ptr::null(), out)
}

/// As `ges_list_backups`, and cancellable: once `ges_cancel_request(cancel)` is
/// called, from any thread, the call returns a GES_ERROR_KIND_CANCELLED error
/// within 100 ms, starts no new request and abandons those in flight.
///
/// Parameters: as `ges_list_backups`, and
/// - `cancel`: NULL (never cancelled), or a flag from `ges_cancel_new` that
///   stays alive until this call returns. One flag may serve several calls.
///
/// Returns, ownership, thread safety: as `ges_list_backups`.
#[no_mangle]
pub unsafe extern "C" fn ges_list_backups_cancellable(
    client: *const GesClient,
    query_json: *const c_char,
    cancel: *const GesCancel,
    out: *mut *mut GesBackupList,
) -> *mut GesError {
    fill_out(out, || {
        let listing = run_query(client, query_json, cancel)?;
        Ok(Box::into_raw(OwnedBackupList::new(listing)).cast::<GesBackupList>())
    })
}

/// What `ges_list_backups` does with one answer once it has arrived: decode it and
/// build the C list (free it with `ges_backup_list_free`). For `bench/` (W3).
#[doc(hidden)]
pub fn decode_answer_to_c_list(body: &[u8]) -> Result<*mut GesBackupList, Error> {
    let listing = Listing::of_answer(decode_answer(body)?);
    Ok(Box::into_raw(OwnedBackupList::new(listing)).cast::<GesBackupList>())
}

/// Frees a list and every string in it. NULL is ignored.
///
/// Parameters:
/// - `list`: NULL, or a list from `ges_list_backups` or
///   `ges_list_backups_cancellable`, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ges_backup_list_free(list: *mut GesBackupList) {
    if !list.is_null() {
        // SAFETY: the list is the first field of a boxed, repr(C) OwnedBackupList.
        super::no_panic((), || drop(Box::from_raw(list.cast::<OwnedBackupList>())));
    }
}

/// As `ges_list_backups`, with the result as one JSON document:
/// `{"id", "total_count", "backups": [...]}`, absent fields as `null`
/// (docs/contract.md, "Result"). It carries every field of a backup, also
/// fields added after `GesBackup` was frozen.
///
/// Parameters, returns, thread safety: as `ges_list_backups`, with the
/// NUL-terminated UTF-8 string in `*out`.
/// Ownership: the caller frees the string with `ges_string_free`.
#[no_mangle]
pub unsafe extern "C" fn ges_list_backups_json(
    client: *const GesClient,
    query_json: *const c_char,
    out: *mut *mut c_char,
) -> *mut GesError {
    ges_list_backups_json_cancellable(client, query_json, ptr::null(), out)
}

/// As `ges_list_backups_json`, cancellable as `ges_list_backups_cancellable`.
#[no_mangle]
pub unsafe extern "C" fn ges_list_backups_json_cancellable(
    client: *const GesClient,
    query_json: *const c_char,
    cancel: *const GesCancel,
    out: *mut *mut c_char,
) -> *mut GesError {
    fill_out(out, || {
        Ok(c_string(&run_query(client, query_json, cancel)?.to_json()).into_raw())
    })
}

/// Frees a string from `ges_list_backups_json` or
/// `ges_list_backups_json_cancellable`. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn ges_string_free(s: *mut c_char) {
    if !s.is_null() {
        super::no_panic((), || drop(CString::from_raw(s)));
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{FieldKind, FIELDS};

    /// `GesBackup` is frozen: the generated header declares the table's fields,
    /// in its order, with the C type of each kind.
    #[test]
    fn ges_backup_declares_the_tables_fields() {
        let header = include_str!(concat!(env!("OUT_DIR"), "/ges_backups.h"));
        let body = header
            .split_once("typedef struct GesBackup {")
            .and_then(|(_, rest)| rest.split_once("} GesBackup;"))
            .expect("the header declares GesBackup")
            .0;
        let declared: Vec<(String, String)> = body
            .lines()
            .map(str::trim)
            .filter(|line| line.ends_with(';'))
            .map(|line| {
                let (ty, name) = line.trim_end_matches(';').rsplit_once([' ', '*']).unwrap();
                (ty.trim().to_string(), name.to_string())
            })
            .collect();
        let expected: Vec<(String, String)> = FIELDS
            .iter()
            .map(|f| {
                let ty = match f.kind {
                    FieldKind::Str(_) => "const char",
                    FieldKind::Int(_) => "int64_t",
                    FieldKind::Bool => "int8_t",
                };
                (ty.to_string(), f.name.to_string())
            })
            .collect();
        assert_eq!(declared, expected);
    }
}
