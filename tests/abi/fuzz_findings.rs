//! One regression test per finding of the fuzz targets (fuzz/), with the input
//! cut down to what matters. The README's Reliability section lists them.

use ges_backups::model::decode_page;
use ges_backups::ErrorKind;

/// decode_answer (its first differential check, against a re-encoding through
/// serde_json's Value): what an unknown field holds is skipped, as serde_json
/// skips it, without checking invalid UTF-8, lone surrogate escapes or numbers
/// beyond f64, none of which a Value can hold. Judged harmless and kept: the
/// page is the one without that field, and a kept string with the same bytes is
/// refused.
#[test]
fn what_an_unknown_field_holds_is_skipped_but_never_kept() {
    let without = decode_page(br#"{"backupCount": 1, "backupList": [{"id": "a"}]}"#).unwrap();
    for unknown in [&b"\"x\xC63\""[..], br#""\udeee""#, b"54E777", b"-1e999"] {
        let mut body = br#"{"backupCount": 1, "backupList": [{"id": "a", "novel": "#.to_vec();
        body.extend_from_slice(unknown);
        body.extend_from_slice(b"}]}");
        assert_eq!(
            decode_page(&body).unwrap(),
            without,
            "{}",
            String::from_utf8_lossy(&body)
        );
    }
    let kept = b"{\"backupCount\": 1, \"backupList\": [{\"id\": \"a\", \"name\": \"x\xC63\"}]}";
    assert_eq!(decode_page(kept).unwrap_err().kind, ErrorKind::Decode);
}

/// decode_answer, differential check against the serde-derive decoder the
/// library had before: that one read a JSON array as a struct, so `[3, []]`
/// passed as an answer (3 backups, none listed) and `["a"]` as a backup. The
/// current decoder refuses both; so it stays.
#[test]
fn a_json_array_is_neither_an_answer_nor_a_backup() {
    for body in [
        &b"[3, []]"[..],
        br#"{"backupCount": 1, "backupList": [["a"]]}"#,
    ] {
        let err = decode_page(body).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Decode);
        assert!(err.message.contains("sequence"), "{}", err.message);
    }
}
