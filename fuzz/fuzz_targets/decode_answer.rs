//! Answer decoding: arbitrary bytes as a list answer body. It must return a page
//! or a DECODE error, never panic, and a page must hold only what C can carry.
//! Differential too: the decoder (a hand-written fast path, serde for the rest)
//! must agree with the plain serde decoder it replaced (`reference_decoder.rs`):
//! the same page, or both refuse (but for JSON arrays, see below).
#![no_main]

#[path = "reference_decoder.rs"]
mod reference;

use ges_backups::model::decode_page;
use ges_backups::{Backup, ErrorKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let decoded = decode_page(body);
    match (&decoded, reference::decode(body)) {
        (Ok(page), Ok((total_count, backups))) => {
            assert_eq!((page.total_count, &page.backups), (total_count, &backups))
        }
        (Ok(_), Err(why)) => panic!("decoded, but the reference refuses it: {why}"),
        // serde's derive reads a struct from a JSON array too (`[3, []]`): the
        // reference accepts that, the decoder rightly refuses it.
        (Err(e), Ok(_)) if e.message.contains("invalid type: sequence") => {}
        (Err(e), Ok(_)) => panic!("the reference decodes it, but: {}", e.message),
        (Err(e), Err(_)) => assert_eq!(e.kind, ErrorKind::Decode, "{}", e.message),
    }
    let Ok(mut page) = decoded else {
        return;
    };
    assert!(page.total_count >= 0);
    for backup in &page.backups {
        assert!(backup.id.is_some(), "a decoded backup always has an id");
        for (field, value) in backup.strings() {
            assert!(
                !value.as_deref().is_some_and(|s| s.contains('\0')),
                "{field} holds a NUL"
            );
        }
    }
    // The listing's sort must be a total order on whatever decodes.
    page.backups.sort_by(Backup::listing_order);
    for pair in page.backups.windows(2) {
        assert_ne!(
            Backup::listing_order(&pair[0], &pair[1]),
            std::cmp::Ordering::Greater
        );
    }
});
