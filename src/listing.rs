//! The data source read: one page, or every backup exactly once (docs/contract.md, "Query").
//!
//! Offset paging is no snapshot, so a full listing reads its pages with one
//! backup of overlap between neighbours and checks, before it answers, that
//! every page reported the same `backupCount`, that each page's first backup is
//! the previous page's last, that no id came twice and that the count adds up.
//! Any change while paging breaks one of those; the listing then starts again, a
//! few times, and then fails with INCONSISTENT rather than answer wrongly.

mod id_set;
mod result_json;

use crate::api::{backups_path, ApiVersion};
use crate::call::Call;
use crate::error::Error;
use crate::log::LogLevel;
use crate::model::{decode_answer, Answer, Backup, Backups, Record, MAX_BODY_BYTES};
use crate::net::target::Target;
use crate::project::Project;
use crate::query::{Filters, Query};
use crate::transport::{BodyBuffer, Request, Transport};
use std::cmp::Ordering as Order;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Full readings of the list before giving up as INCONSISTENT.
const LISTING_ATTEMPTS: u32 = 4;
const RESTART_PAUSE: Duration = Duration::from_millis(50);

/// The data source state: what `ges_list_backups` returns. Serializes as the result JSON.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BackupList {
    pub id: String,
    /// `backupCount` as the service reported it.
    pub total_count: i64,
    pub backups: Vec<Backup>,
}

/// A read of the data source in decoded form: the answers' backups, and which of
/// them make the result, in its order. The C list and the result JSON are built
/// from it without copying strings one by one; `BackupList` is its owned form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listing {
    pub id: String,
    /// `backupCount` as the service reported it.
    pub total_count: i64,
    pub pages: Vec<Backups>,
    /// (page, record) of each backup of the result, in order.
    pub order: Vec<(u32, u32)>,
}

/// Below this share of the decoded backups kept, a listing copies out what it keeps.
const COMPACT_BELOW: usize = 2;
/// Text per buffer when compacting: offsets are 32-bit.
const COMPACT_CHUNK: usize = 1 << 30;

impl Listing {
    /// One answer's backups, in the service's order.
    pub fn of_answer(answer: Answer) -> Listing {
        let len = answer.backups.records.len() as u32;
        Listing {
            id: String::new(),
            total_count: answer.total_count,
            pages: vec![answer.backups],
            order: (0..len).map(|r| (0, r)).collect(),
        }
    }

    /// The result's backups in order, each with the text its strings live in.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&Backups, &Record)> {
        self.order.iter().map(|&(p, r)| {
            let page = &self.pages[p as usize];
            (page, &page.records[r as usize])
        })
    }

    pub fn to_backup_list(&self) -> BackupList {
        BackupList {
            id: self.id.clone(),
            total_count: self.total_count,
            backups: self.iter().map(|(page, r)| page.to_backup(r)).collect(),
        }
    }

    fn record(&self, (p, r): (u32, u32)) -> (&Backups, &Record) {
        let page = &self.pages[p as usize];
        (page, &page.records[r as usize])
    }

    /// `Backup::listing_order` on records: newest first, then by id.
    fn order_of(&self, a: (u32, u32), b: (u32, u32)) -> Order {
        let ((pa, ra), (pb, rb)) = (self.record(a), self.record(b));
        rb.start_timestamp()
            .cmp(&ra.start_timestamp())
            .then_with(|| pa.id(ra).cmp(pb.id(rb)))
    }

    fn sort(&mut self) {
        let mut order = std::mem::take(&mut self.order);
        order.sort_by(|&a, &b| self.order_of(a, b));
        self.order = order;
    }

    fn retain(&mut self, filters: &Filters) {
        // No filter keeps every backup: skip looking at each one after the last page.
        if *filters == Filters::default() {
            return;
        }
        let mut order = std::mem::take(&mut self.order);
        order.retain(|&at| {
            let (page, record) = self.record(at);
            matches(filters, page, record)
        });
        self.order = order;
    }

    /// Keeps the first backup in listing order, as `min_by(Backup::listing_order)`.
    fn keep_most_recent(&mut self) {
        let first = self.order.iter().copied().reduce(|best, next| {
            if self.order_of(next, best) == Order::Less {
                next
            } else {
                best
            }
        });
        self.order = first.into_iter().collect();
    }

    /// After filters kept a small share of the backups, copies out what was kept
    /// so that the rest of the answers' text can be freed.
    fn compact(&mut self) {
        let decoded: usize = self.pages.iter().map(|p| p.records.len()).sum();
        if self.order.len() * COMPACT_BELOW >= decoded {
            return;
        }
        let mut pages: Vec<Backups> = Vec::new();
        let mut order = Vec::with_capacity(self.order.len());
        for &at in &self.order {
            if pages.last().is_none_or(|p| p.text.len() > COMPACT_CHUNK) {
                pages.push(Backups::default());
            }
            let (from, record) = self.record(at);
            let page = pages.len() - 1;
            let to = &mut pages[page];
            let copy = to.copy_record(from, record);
            to.records.push(copy);
            order.push((page as u32, (to.records.len() - 1) as u32));
        }
        self.pages = pages;
        self.order = order;
    }
}

/// How a full listing pages.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Paging {
    /// The `limit` of each page.
    pub page_size: u32,
    /// Pages fetched at once.
    pub max_concurrency: u32,
    /// The bytes one reading of the list may hold (`max_listing_bytes`).
    pub max_listing_bytes: u64,
}

/// What one reading of the list holds, against `max_listing_bytes`: the
/// decoded pages as they sit in memory, text and records, so that a service
/// that answers more than expected cannot exhaust the caller's memory.
struct Held {
    bytes: AtomicU64,
    max: u64,
}

impl Held {
    fn new(max: u64) -> Held {
        Held {
            bytes: AtomicU64::new(0),
            max,
        }
    }

    /// Counts `answer` in; past the bound, the DECODE error that names it.
    fn take(&self, answer: &Answer) -> Result<(), Error> {
        let size = answer.backups.heap_bytes() + std::mem::size_of::<Answer>() as u64;
        let held = self.bytes.fetch_add(size, Ordering::Relaxed) + size;
        if held > self.max {
            return Err(self.exceeded());
        }
        Ok(())
    }

    /// Refuses a count that could not fit, before a page more is read.
    fn check_count(&self, total: u64) -> Result<(), Error> {
        let least = total.saturating_mul(Backups::MIN_HEAP_BYTES_PER_BACKUP);
        if least > self.max {
            return Err(self.exceeded());
        }
        Ok(())
    }

    fn exceeded(&self) -> Error {
        Error::decode(format!(
            "the backup list takes more than max_listing_bytes ({} bytes) to hold: \
             raise max_listing_bytes, or list less at a time (graph_id; offset and limit)",
            self.max
        ))
    }
}

/// The GES list endpoints as one client reaches them.
pub(crate) struct Service {
    pub transport: Transport,
    pub ges: Target,
    pub project: Project,
    pub api_version: ApiVersion,
    pub paging: Paging,
}

/// The data source read for `query`, in decoded form.
pub(crate) fn read(service: &Service, query: &Query, call: &Call) -> Result<Listing, Error> {
    let graph_id = query.graph_id.as_deref();
    let mut listing = match query.page {
        Some(page) => Listing::of_answer(fetch_answer(
            service,
            &Held::new(service.paging.max_listing_bytes),
            graph_id,
            (page.offset, page.limit),
            call,
            &mut BodyBuffer::default(),
        )?),
        None => {
            let mut all = fetch_all(service, graph_id, call)?;
            all.sort();
            all
        }
    };
    listing.retain(&query.filters);
    if query.most_recent {
        listing.keep_most_recent();
    }
    listing.compact();
    listing.id = query.id();
    Ok(listing)
}

fn matches(filters: &Filters, page: &Backups, record: &Record) -> bool {
    filters
        .set()
        .all(|(field, value)| page.string(record, field) == Some(value))
}

/// One page, fetched by the transport and decoded here.
fn fetch_answer(
    service: &Service,
    held: &Held,
    graph_id: Option<&str>,
    (offset, limit): (u64, u32),
    call: &Call,
    body: &mut BodyBuffer,
) -> Result<Answer, Error> {
    let project_id = service.project.id(&service.transport, call)?;
    let path = backups_path(service.api_version, &project_id, graph_id);
    let query = [
        ("offset".to_string(), offset.to_string()),
        ("limit".to_string(), limit.to_string()),
    ];
    let request = Request {
        target: &service.ges,
        path: &path,
        query: &query,
        project_id: Some(&project_id),
        body_limit: MAX_BODY_BYTES,
    };
    let reply = service.transport.get_into(call, &request, body)?;
    let answer = decode_answer(body.bytes()).map_err(|mut e| {
        reply.describe(&mut e);
        e
    })?;
    held.take(&answer).map_err(|mut e| {
        reply.describe(&mut e);
        e
    })?;
    Ok(answer)
}

fn fetch_all(service: &Service, graph_id: Option<&str>, call: &Call) -> Result<Listing, Error> {
    let deadline = &call.deadline;
    let mut last_reason = String::new();
    for attempt in 0..LISTING_ATTEMPTS {
        if attempt > 0 {
            if deadline
                .remaining()
                .is_some_and(|left| left < RESTART_PAUSE)
            {
                return Err(deadline.exceeded_error(None));
            }
            call.warn(|| {
                format!(
                    "the backup list changed while it was paged through ({last_reason}): \
                     reading it again (restart {attempt} of {})",
                    LISTING_ATTEMPTS - 1
                )
            });
            call.sleep(RESTART_PAUSE * attempt)?;
        }
        match read_once(service, graph_id, call)? {
            Ok(listing) => {
                call.log.log(LogLevel::Info, || {
                    format!(
                        "listed {} backups in {} pages, {attempt} restarts, {} ms",
                        listing.order.len(),
                        listing.pages.len(),
                        deadline.elapsed().as_millis()
                    )
                });
                return Ok(listing);
            }
            Err(reason) => last_reason = reason,
        }
    }
    Err(Error::inconsistent(format!(
        "the backup list kept changing while it was paged through ({LISTING_ATTEMPTS} attempts); last: {last_reason}"
    )))
}

/// Where each page of a full reading starts: page 0 at 0, then one backup of
/// overlap with the page before (none when pages hold a single backup). The
/// last page always has room for more than the count: were the count too low,
/// it would come back fuller than expected, where a last page filled exactly
/// could not tell. Computed, not stored: the count is the service's word.
#[derive(Clone, Copy, Debug)]
struct PagePlan {
    page_size: u64,
    stride: u64,
    pages: u64,
}

impl PagePlan {
    fn new(total: u64, page_size: u64) -> PagePlan {
        let stride = if page_size > 1 { page_size - 1 } else { 1 };
        let pages = match total.checked_sub(page_size) {
            None => 1,
            Some(beyond_first) => beyond_first / stride + 2,
        };
        PagePlan {
            page_size,
            stride,
            pages,
        }
    }

    fn offset(&self, page: u64) -> u64 {
        page * self.stride
    }
}

/// One reading of the whole list: `Ok(Err(reason))` when it was not consistent.
fn read_once(
    service: &Service,
    graph_id: Option<&str>,
    call: &Call,
) -> Result<Result<Listing, String>, Error> {
    let Paging {
        page_size,
        max_concurrency,
        max_listing_bytes,
    } = service.paging;
    let held = Held::new(max_listing_bytes);
    let first = fetch_answer(
        service,
        &held,
        graph_id,
        (0, page_size),
        call,
        &mut BodyBuffer::default(),
    )?;
    let total = first.total_count as u64;
    held.check_count(total)?;
    let plan = PagePlan::new(total, u64::from(page_size));
    let rest = fetch_concurrently(
        service,
        &held,
        graph_id,
        &plan,
        first.total_count,
        max_concurrency,
        call,
    )?;
    let mut pages = vec![first];
    match rest {
        Ok(rest) => pages.extend(rest),
        Err(reason) => return Ok(Err(reason)),
    }
    Ok(check_consistency(pages, &plan))
}

/// Why a page cannot belong to a list of `total` backups read `page_size` at a
/// time: another count, or another length than its offset gives.
fn contradiction(page: &Answer, offset: u64, page_size: u64, total: i64) -> Option<String> {
    if page.total_count != total {
        return Some(format!(
            "backupCount changed from {total} to {} (page at offset {offset})",
            page.total_count
        ));
    }
    let held = page.backups.records.len() as u64;
    let expected_len = page_size.min((total as u64).saturating_sub(offset));
    (held != expected_len).then(|| {
        format!(
            "page at offset {offset} held {held} backups, {expected_len} expected for backupCount {total}"
        )
    })
}

/// Fetches the pages of `plan` after the first with up to `concurrency`
/// requests in flight; the first error stops the others from starting new
/// requests, and so does the first page that contradicts the count
/// (`Ok(Err(reason))`): a count far off must not cost the thousands of requests
/// it would plan. What is kept grows with the pages received, never with the
/// count the service claims.
fn fetch_concurrently(
    service: &Service,
    held: &Held,
    graph_id: Option<&str>,
    plan: &PagePlan,
    total: i64,
    concurrency: u32,
    call: &Call,
) -> Result<Result<Vec<Answer>, String>, Error> {
    let received: Mutex<Vec<(u64, Answer)>> = Mutex::new(Vec::new());
    let next = AtomicU64::new(1);
    let failed = AtomicBool::new(false);
    let first_error: Mutex<Option<Error>> = Mutex::new(None);
    let first_contradiction: Mutex<Option<String>> = Mutex::new(None);
    let page_size = plan.page_size as u32;
    let worker = || {
        let mut body = BodyBuffer::default();
        loop {
            let page = next.fetch_add(1, Ordering::Relaxed);
            if page >= plan.pages || failed.load(Ordering::Relaxed) {
                return;
            }
            let offset = plan.offset(page);
            match fetch_answer(
                service,
                held,
                graph_id,
                (offset, page_size),
                call,
                &mut body,
            ) {
                Ok(answer) => {
                    if let Some(why) = contradiction(&answer, offset, plan.page_size, total) {
                        failed.store(true, Ordering::Relaxed);
                        first_contradiction.lock().unwrap().get_or_insert(why);
                        return;
                    }
                    received.lock().unwrap().push((page, answer));
                }
                Err(e) => {
                    failed.store(true, Ordering::Relaxed);
                    first_error.lock().unwrap().get_or_insert(e);
                    return;
                }
            }
        }
    };
    let workers = (plan.pages - 1).min(u64::from(concurrency)) as usize;
    if workers > 0 {
        // The calling thread is one of the workers.
        std::thread::scope(|scope| {
            for _ in 1..workers {
                scope.spawn(worker);
            }
            worker();
        });
    }
    if let Some(e) = first_error.into_inner().unwrap() {
        return Err(e);
    }
    if let Some(why) = first_contradiction.into_inner().unwrap() {
        return Ok(Err(why));
    }
    let mut received = received.into_inner().unwrap();
    received.sort_unstable_by_key(|(page, _)| *page);
    assert_eq!(received.len() as u64, plan.pages - 1, "every page fetched");
    Ok(Ok(received.into_iter().map(|(_, answer)| answer).collect()))
}

/// Joins the pages into one listing, or says why they do not describe one list.
fn check_consistency(pages: Vec<Answer>, plan: &PagePlan) -> Result<Listing, String> {
    let total = pages[0].total_count;
    let page_size = plan.page_size;
    let overlap = page_size > 1;
    // Sized by what arrived, never by what the service claims.
    let received: usize = pages.iter().map(|p| p.backups.records.len()).sum();
    let mut seen = id_set::with_capacity(received);
    let mut order = Vec::with_capacity(received);
    let mut previous_last: Option<&str> = None;
    for (k, page) in pages.iter().enumerate() {
        let offset = plan.offset(k as u64);
        if let Some(why) = contradiction(page, offset, page_size, total) {
            return Err(why);
        }
        let backups = &page.backups;
        let mut items = backups.records.iter().enumerate();
        if k > 0 && overlap {
            let first = items.next().map(|(_, r)| backups.id(r));
            if first != previous_last {
                return Err(format!(
                    "the list shifted between the pages before and at offset {offset}"
                ));
            }
        }
        for (r, record) in items {
            let id = backups.id(record);
            if !seen.insert(id) {
                return Err(format!("backup {id:?} appeared twice"));
            }
            previous_last = Some(id);
            order.push((k as u32, r as u32));
        }
    }
    if order.len() as i64 != total {
        return Err(format!(
            "collected {} backups for backupCount {total}",
            order.len()
        ));
    }
    drop(seen);
    Ok(Listing {
        id: String::new(),
        total_count: total,
        pages: pages.into_iter().map(|p| p.backups).collect(),
        order,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StrField;

    fn offsets(total: u64, page_size: u64) -> Vec<u64> {
        let plan = PagePlan::new(total, page_size);
        (0..plan.pages).map(|p| plan.offset(p)).collect()
    }

    #[test]
    fn pages_overlap_by_one() {
        assert_eq!(offsets(0, 100), vec![0]);
        assert_eq!(offsets(99, 100), vec![0]);
        // A count that ends a page exactly gets one page more, to see past it.
        assert_eq!(offsets(100, 100), vec![0, 99]);
        assert_eq!(offsets(101, 100), vec![0, 99]);
        assert_eq!(offsets(199, 100), vec![0, 99, 198]);
        assert_eq!(offsets(250, 100), vec![0, 99, 198]);
        assert_eq!(offsets(3, 1), vec![0, 1, 2, 3]);
        assert_eq!(offsets(5, 2), vec![0, 1, 2, 3, 4]);
        // The plan of an absurd count costs nothing until pages arrive.
        assert_eq!(PagePlan::new(u64::MAX / 2, 1).pages, u64::MAX / 2 + 1);
    }

    fn page(total: i64, ids: &[&str]) -> Answer {
        let mut backups = Backups::default();
        for id in ids {
            let mut record = Record::EMPTY;
            record.set_string(StrField::Id, backups.push_str(id), id.len());
            backups.records.push(record);
        }
        Answer {
            total_count: total,
            backups,
        }
    }

    #[test]
    fn consistency_checks() {
        let plan = PagePlan::new(5, 3);
        let ok = check_consistency(
            vec![page(5, &["a", "b", "c"]), page(5, &["c", "d", "e"])],
            &plan,
        )
        .unwrap();
        assert_eq!(ok.order.len(), 5);
        let shifted =
            check_consistency(vec![page(5, &["a", "b", "c"]), page(5, &["d", "e"])], &plan);
        assert!(shifted.unwrap_err().contains("held 2"));
        let moved = check_consistency(
            vec![page(5, &["a", "b", "c"]), page(5, &["x", "d", "e"])],
            &plan,
        );
        assert!(moved.unwrap_err().contains("shifted"));
        let recount = check_consistency(
            vec![page(5, &["a", "b", "c"]), page(6, &["c", "d", "e"])],
            &plan,
        );
        assert!(recount.unwrap_err().contains("changed"));
        let twice = check_consistency(vec![page(3, &["a", "b", "a"])], &PagePlan::new(3, 3));
        assert!(twice.unwrap_err().contains("twice"));
    }

    #[test]
    fn sorts_filters_and_compacts_like_the_owned_listing() {
        let body = br#"{"backupCount": 5, "backupList": [
            {"id": "c", "startTimestamp": 5, "status": "success", "name": "n"},
            {"id": "a", "startTimestamp": 5, "status": "failed"},
            {"id": "b", "startTimestamp": 9, "status": "success", "encrypted": true},
            {"id": "d", "status": "success", "size": 3},
            {"id": "e", "startTimestamp": 7, "status": "failed"}]}"#;
        let answer = crate::model::decode_answer(body).unwrap();
        let owned: Vec<Backup> = crate::model::decode_page(body).unwrap().backups;

        let mut listing = Listing::of_answer(answer);
        listing.sort();
        let mut expected = owned.clone();
        expected.sort_by(Backup::listing_order);
        assert_eq!(listing.to_backup_list().backups, expected);

        let filters = Query::from_json(r#"{"status": "success"}"#)
            .unwrap()
            .filters;
        listing.retain(&filters);
        listing.compact();
        expected.retain(|b| b.status.as_deref() == Some("success"));
        assert_eq!(listing.to_backup_list().backups, expected);

        listing.keep_most_recent();
        listing.compact();
        assert_eq!(listing.pages.len(), 1);
        assert_eq!(listing.pages[0].records.len(), 1);
        assert_eq!(listing.to_backup_list().backups, expected[..1]);
    }
}
