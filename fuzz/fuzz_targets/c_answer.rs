//! Arbitrary answers through the C ABI: a tiny HTTP server on loopback answers
//! every list request with the fuzzed status and body, and `ges_list_backups`
//! (paging, consistency checks, the C list) must return a list whose strings C
//! can read, or an error of a documented kind: never a panic, a crash or a hang.
//! Input: byte 0 picks the page size, one-page mode and the JSON result
//! (`ges_list_backups_json`, which must be JSON of the result's shape),
//! byte 1 the status; the rest is the body.
#![no_main]

use ges_backups::ffi::*;
use libfuzzer_sys::fuzz_target;
use std::ffi::CStr;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::ptr;
use std::sync::{Mutex, OnceLock};

/// What the server answers: status and body of the current input.
static ANSWER: Mutex<(u16, Vec<u8>)> = Mutex::new((200, Vec::new()));

const STATUSES: [u16; 8] = [200, 200, 200, 200, 400, 401, 404, 503];

fn serve(stream: TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        // Read one request head (list requests have no body).
        let mut line = String::new();
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) if line == "\r\n" => break,
                Ok(_) => {}
            }
        }
        let (status, body) = ANSWER.lock().unwrap().clone();
        let mut answer = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nX-Request-Id: fuzz\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        // One write: head and body in two would meet Nagle and delayed ACKs.
        answer.extend_from_slice(&body);
        if writer.write_all(&answer).is_err() {
            return;
        }
    }
}

fn base_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = stream.set_nodelay(true);
                std::thread::spawn(move || serve(stream));
            }
        });
        url
    })
}

struct Shared(*mut GesClient);
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

/// One client per page size, made once: the pool keeps the connection alive.
fn client(page_size: usize) -> *const GesClient {
    static CLIENTS: OnceLock<Vec<Shared>> = OnceLock::new();
    CLIENTS.get_or_init(|| {
        (1..=4)
            .map(|size| {
                let config = format!(
                    "{{\"endpoint\": \"{}\", \"project_id\": \"p\", \"auth_token\": \"t\", \
                     \"max_retries\": 0, \"timeout_ms\": 5000, \"page_size\": {size}, \"max_concurrency\": 1}}\0",
                    base_url()
                );
                let mut client = ptr::null_mut();
                let err = unsafe { ges_client_new(config.as_ptr().cast(), &mut client) };
                assert!(err.is_null());
                Shared(client)
            })
            .collect()
    })[page_size - 1]
        .0
}

unsafe fn readable(s: *const std::ffi::c_char) {
    if !s.is_null() {
        assert!(std::str::from_utf8(CStr::from_ptr(s).to_bytes()).is_ok());
    }
}

fuzz_target!(|data: &[u8]| {
    let [mode, status, body @ ..] = data else {
        return;
    };
    *ANSWER.lock().unwrap() = (STATUSES[*status as usize % STATUSES.len()], body.to_vec());
    let page_size = (*mode as usize % 4) + 1;
    // Every page of a listing gets the same answer; one-page mode reads one.
    // The short deadline cuts the pauses between restarts of an inconsistent
    // listing, which would otherwise dominate the run time.
    let query: &CStr = if mode & 0x80 != 0 {
        c"{\"offset\": 0, \"limit\": 3, \"deadline_ms\": 50}"
    } else {
        c"{\"deadline_ms\": 50}"
    };
    if mode & 0x40 != 0 {
        let mut json: *mut std::ffi::c_char = ptr::dangling_mut();
        let err = unsafe { ges_list_backups_json(client(page_size), query.as_ptr(), &mut json) };
        unsafe {
            if err.is_null() {
                let text = CStr::from_ptr(json).to_str().expect("UTF-8");
                let value: serde_json::Value = serde_json::from_str(text).expect("JSON");
                assert!(value["backups"].is_array() && value["total_count"].is_i64());
                assert_eq!(value["id"].as_str().map(str::len), Some(32));
                ges_string_free(json);
            } else {
                assert!(json.is_null());
                let kind = ges_error_kind(err) as u32;
                assert!((1..=5).contains(&kind), "kind {kind}");
                ges_error_free(err);
            }
        }
        return;
    }
    let mut list: *mut GesBackupList = ptr::dangling_mut();
    let err = unsafe { ges_list_backups(client(page_size), query.as_ptr(), &mut list) };
    unsafe {
        if err.is_null() {
            let l = &*list;
            assert!(l.total_count >= 0);
            readable(l.id);
            for i in 0..l.len {
                let b = &*l.items.add(i);
                assert!(!b.id.is_null());
                for s in [
                    b.id,
                    b.name,
                    b.backup_method,
                    b.graph_id,
                    b.graph_name,
                    b.graph_status,
                    b.graph_size_type_index,
                    b.data_store_version,
                    b.arch,
                    b.status,
                    b.start_time,
                    b.end_time,
                ] {
                    readable(s);
                }
                assert!((-1..=1).contains(&b.encrypted));
            }
            ges_backup_list_free(list);
        } else {
            assert!(list.is_null());
            let kind = ges_error_kind(err) as u32;
            assert!(
                (1..=5).contains(&kind),
                "kind {kind}: {:?}",
                CStr::from_ptr(ges_error_message(err))
            );
            readable(ges_error_message(err));
            readable(ges_error_code(err));
            ges_error_free(err);
        }
    }
});
