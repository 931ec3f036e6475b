//! The data source read: one page, or every backup exactly once (SPEC 4).
//!
//! Offset paging is no snapshot, so a full listing reads its pages with one
//! backup of overlap between neighbours and checks, before it answers, that
//! every page reported the same `backupCount`, that each page's first backup is
//! the previous page's last, that no id came twice and that the count adds up.
//! Any change while paging breaks one of those; the listing then starts again, a
//! few times, and then fails with INCONSISTENT rather than answer wrongly.

use crate::error::Error;
use crate::model::{Backup, Page};
use crate::query::{Filters, Query};
use crate::transport::{Deadline, Transport};
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Full readings of the list before giving up as INCONSISTENT.
const LISTING_ATTEMPTS: u32 = 4;
const RESTART_PAUSE: Duration = Duration::from_millis(50);
/// Largest `backupCount` a full listing will page through.
const MAX_LISTED_BACKUPS: u64 = 10_000_000;

/// The data source state: what `ges_list_backups` returns. Serializes as the result JSON.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BackupList {
    pub id: String,
    /// `backupCount` as the service reported it.
    pub total_count: i64,
    pub backups: Vec<Backup>,
}

pub fn list_backups(transport: &Transport, query: &Query) -> Result<BackupList, Error> {
    let deadline = Deadline::new(query.deadline);
    let graph_id = query.graph_id.as_deref();
    let (total_count, mut backups) = match query.page {
        Some(page) => {
            let page = transport.fetch_page(graph_id, page.offset, page.limit, &deadline)?;
            (page.total_count, page.backups)
        }
        None => {
            let mut all = fetch_all(transport, graph_id, &deadline)?;
            all.backups.sort_by(Backup::listing_order);
            (all.total_count, all.backups)
        }
    };
    backups.retain(|b| matches(&query.filters, b));
    if query.most_recent {
        backups = backups
            .into_iter()
            .min_by(Backup::listing_order)
            .into_iter()
            .collect();
    }
    Ok(BackupList {
        id: query.id(),
        total_count,
        backups,
    })
}

fn matches(filters: &Filters, backup: &Backup) -> bool {
    let wanted =
        |filter: &Option<String>, value: &Option<String>| filter.is_none() || filter == value;
    wanted(&filters.graph_name, &backup.graph_name)
        && wanted(&filters.backup_id, &backup.id)
        && wanted(&filters.name, &backup.name)
        && wanted(&filters.status, &backup.status)
        && wanted(&filters.backup_method, &backup.backup_method)
}

fn fetch_all(
    transport: &Transport,
    graph_id: Option<&str>,
    deadline: &Deadline,
) -> Result<Page, Error> {
    let mut last_reason = String::new();
    for attempt in 0..LISTING_ATTEMPTS {
        if attempt > 0 {
            if deadline
                .remaining()
                .is_some_and(|left| left < RESTART_PAUSE)
            {
                return Err(deadline.exceeded_error(None));
            }
            std::thread::sleep(RESTART_PAUSE * attempt);
        }
        match read_once(transport, graph_id, deadline)? {
            Ok(page) => return Ok(page),
            Err(reason) => last_reason = reason,
        }
    }
    Err(Error::inconsistent(format!(
        "the backup list kept changing while it was paged through ({LISTING_ATTEMPTS} attempts); last: {last_reason}"
    )))
}

/// Where each page starts: page 0 at 0, then one backup of overlap with the page
/// before (none when pages hold a single backup).
fn page_offsets(total: u64, page_size: u64) -> Vec<u64> {
    let stride = if page_size > 1 { page_size - 1 } else { 1 };
    let mut offsets = vec![0];
    while offsets.last().unwrap() + page_size < total {
        offsets.push(offsets.last().unwrap() + stride);
    }
    offsets
}

/// One reading of the whole list: `Ok(Err(reason))` when it was not consistent.
fn read_once(
    transport: &Transport,
    graph_id: Option<&str>,
    deadline: &Deadline,
) -> Result<Result<Page, String>, Error> {
    let config = transport.config();
    let page_size = config.page_size;
    let first = transport.fetch_page(graph_id, 0, page_size, deadline)?;
    let total = first.total_count as u64;
    if total > MAX_LISTED_BACKUPS {
        // The page plan is sized from the service's count: refuse an absurd one
        // rather than allocate for it.
        return Err(Error::decode(format!(
            "backupCount {total} is beyond the {MAX_LISTED_BACKUPS} backups a full listing reads"
        )));
    }
    let offsets = page_offsets(total, u64::from(page_size));
    let mut pages = Vec::with_capacity(offsets.len());
    pages.push(first);
    pages.extend(fetch_concurrently(
        transport,
        graph_id,
        &offsets[1..],
        page_size,
        config.max_concurrency,
        deadline,
    )?);
    Ok(check_consistency(pages, &offsets, u64::from(page_size)))
}

/// Fetches the pages at `offsets` with up to `concurrency` requests in flight;
/// the first error stops the others from starting new requests.
fn fetch_concurrently(
    transport: &Transport,
    graph_id: Option<&str>,
    offsets: &[u64],
    page_size: u32,
    concurrency: u32,
    deadline: &Deadline,
) -> Result<Vec<Page>, Error> {
    let results: Vec<Mutex<Option<Page>>> = offsets.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let first_error: Mutex<Option<Error>> = Mutex::new(None);
    let worker = || loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        if index >= offsets.len() || failed.load(Ordering::Relaxed) {
            return;
        }
        match transport.fetch_page(graph_id, offsets[index], page_size, deadline) {
            Ok(page) => *results[index].lock().unwrap() = Some(page),
            Err(e) => {
                failed.store(true, Ordering::Relaxed);
                first_error.lock().unwrap().get_or_insert(e);
                return;
            }
        }
    };
    let workers = (concurrency as usize).min(offsets.len());
    if workers == 1 {
        worker();
    } else if workers > 1 {
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(worker);
            }
        });
    }
    if let Some(e) = first_error.into_inner().unwrap() {
        return Err(e);
    }
    Ok(results
        .into_iter()
        .map(|slot| slot.into_inner().unwrap().expect("every page fetched"))
        .collect())
}

/// Joins the pages into one, or says why they do not describe one list.
fn check_consistency(pages: Vec<Page>, offsets: &[u64], page_size: u64) -> Result<Page, String> {
    let total = pages[0].total_count;
    let overlap = page_size > 1;
    // Sized by what arrived, never by what the service claims.
    let received: usize = pages.iter().map(|p| p.backups.len()).sum();
    let mut seen: HashSet<String> = HashSet::with_capacity(received);
    let mut backups = Vec::with_capacity(received);
    let mut previous_last: Option<String> = None;
    for (k, (page, &offset)) in pages.into_iter().zip(offsets).enumerate() {
        if page.total_count != total {
            return Err(format!(
                "backupCount changed from {total} to {} (page at offset {offset})",
                page.total_count
            ));
        }
        let expected_len = page_size.min((total as u64).saturating_sub(offset));
        if page.backups.len() as u64 != expected_len {
            return Err(format!(
                "page at offset {offset} held {} backups, {expected_len} expected for backupCount {total}",
                page.backups.len()
            ));
        }
        let mut items = page.backups.into_iter();
        if k > 0 && overlap {
            let first = items.next().and_then(|b| b.id);
            if first != previous_last {
                return Err(format!(
                    "the list shifted between the pages before and at offset {offset}"
                ));
            }
        }
        for backup in items {
            let id = backup.id.clone().unwrap_or_default();
            if !seen.insert(id.clone()) {
                return Err(format!("backup {id:?} appeared twice"));
            }
            previous_last = Some(id);
            backups.push(backup);
        }
    }
    if backups.len() as i64 != total {
        return Err(format!(
            "collected {} backups for backupCount {total}",
            backups.len()
        ));
    }
    Ok(Page {
        total_count: total,
        backups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_overlap_by_one() {
        assert_eq!(page_offsets(0, 100), vec![0]);
        assert_eq!(page_offsets(100, 100), vec![0]);
        assert_eq!(page_offsets(101, 100), vec![0, 99]);
        assert_eq!(page_offsets(250, 100), vec![0, 99, 198]);
        assert_eq!(page_offsets(3, 1), vec![0, 1, 2]);
        assert_eq!(page_offsets(5, 2), vec![0, 1, 2, 3]);
    }

    fn page(total: i64, ids: &[&str]) -> Page {
        Page {
            total_count: total,
            backups: ids
                .iter()
                .map(|id| Backup {
                    id: Some(id.to_string()),
                    ..Backup::default()
                })
                .collect(),
        }
    }

    #[test]
    fn consistency_checks() {
        let offsets = [0, 2, 4];
        let ok = check_consistency(
            vec![page(5, &["a", "b", "c"]), page(5, &["c", "d", "e"])],
            &[0, 2],
            3,
        )
        .unwrap();
        assert_eq!(ok.backups.len(), 5);
        let shifted = check_consistency(
            vec![page(5, &["a", "b", "c"]), page(5, &["d", "e"])],
            &[0, 2],
            3,
        );
        assert!(shifted.unwrap_err().contains("held 2"));
        let moved = check_consistency(
            vec![page(5, &["a", "b", "c"]), page(5, &["x", "d", "e"])],
            &[0, 2],
            3,
        );
        assert!(moved.unwrap_err().contains("shifted"));
        let recount = check_consistency(
            vec![page(5, &["a", "b", "c"]), page(6, &["c", "d", "e"])],
            &[0, 2],
            3,
        );
        assert!(recount.unwrap_err().contains("changed"));
        let twice = check_consistency(vec![page(3, &["a", "b", "a"])], &offsets[..1], 3);
        assert!(twice.unwrap_err().contains("twice"));
    }
}
