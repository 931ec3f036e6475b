//! The query JSON of `ges_list_backups`: arbitrary text must give a query or an
//! INVALID_ARGUMENT error naming what is wrong, never a panic; a query's id is a
//! function of the query.
#![no_main]

use ges_backups::{ErrorKind, Query};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    match Query::from_json(json) {
        Ok(query) => {
            let id = query.id();
            assert_eq!(id.len(), 32);
            assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
            assert_eq!(Query::from_json(json).unwrap().id(), id);
            if let Some(page) = query.page {
                assert!((1..=1000).contains(&page.limit));
            }
        }
        Err(e) => {
            assert_eq!(e.kind, ErrorKind::InvalidArgument);
            assert!(!e.message.is_empty());
        }
    }
});
