//! `raw-fetch`: the pages of a full listing fetched without decoding, the way any
//! correct client must at least do it (the first page alone, to learn the count,
//! then the rest with up to `concurrency` requests in flight), plus `repeat` for
//! measuring the emulator's own throughput.

use crate::cpu;
use crate::raw_http::{Connection, Target};
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

pub struct Plan {
    pub total: u64,
    pub page_size: u32,
    pub concurrency: usize,
    pub repeat: usize,
}

#[derive(serde::Serialize)]
pub struct Report {
    pub pages: usize,
    pub bytes: usize,
    pub wall_s: f64,
    pub cpu_s: f64,
}

pub fn run(target: &Target, plan: &Plan) -> io::Result<Report> {
    let rest: Vec<u64> = (1..)
        .map(|k| k * u64::from(plan.page_size))
        .take_while(|&offset| offset < plan.total)
        .collect();
    let (cpu0, wall0) = (cpu::process(), Instant::now());
    let mut first = Connection::open(target)?;
    let mut bytes = 0;
    let mut pages = 0;
    let mut spare = Vec::new();
    for _ in 0..plan.repeat {
        bytes += first.page(target, 0, plan.page_size)?.len();
        pages += 1;
        let (more_pages, more_bytes) = fetch_rest(target, plan, &rest, &mut first, &mut spare)?;
        pages += more_pages;
        bytes += more_bytes;
    }
    Ok(Report {
        pages,
        bytes,
        wall_s: wall0.elapsed().as_secs_f64(),
        cpu_s: (cpu::process() - cpu0).as_secs_f64(),
    })
}

/// The pages after the first, on `first` and up to `concurrency - 1` more
/// connections kept in `spare` across repeats.
fn fetch_rest(
    target: &Target,
    plan: &Plan,
    offsets: &[u64],
    first: &mut Connection,
    spare: &mut Vec<Connection>,
) -> io::Result<(usize, usize)> {
    let workers = plan.concurrency.min(offsets.len()).max(1);
    while spare.len() + 1 < workers {
        spare.push(Connection::open(target)?);
    }
    let next = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    let error: Mutex<Option<io::Error>> = Mutex::new(None);
    let work = |conn: &mut Connection| loop {
        let k = next.fetch_add(1, Ordering::Relaxed);
        let Some(&offset) = offsets.get(k) else {
            return;
        };
        match conn.page(target, offset, plan.page_size) {
            Ok(body) => {
                bytes.fetch_add(body.len(), Ordering::Relaxed);
            }
            Err(e) => {
                error.lock().unwrap().get_or_insert(e);
                return;
            }
        }
    };
    std::thread::scope(|scope| {
        for conn in spare.iter_mut().take(workers - 1) {
            scope.spawn(|| work(conn));
        }
        work(first);
    });
    match error.into_inner().unwrap() {
        Some(e) => Err(e),
        None => Ok((offsets.len(), bytes.into_inner())),
    }
}
