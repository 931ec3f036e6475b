//! `max_connections`: one client shared by many threads keeps its sockets (and
//! so its answer buffers) within the bound, whatever each call's concurrency.

use crate::common::*;
use serde_json::{json, Value};

/// Connections the emulator accepted since the last reset: the client's own
/// (the test's control calls reuse one connection opened before the reset).
fn client_connections(emu: &Emu) -> u64 {
    emu.control("GET", "stats", None)["connections"]
        .as_u64()
        .expect("the emulator counts connections")
}

/// 24 threads, 2 listings each, 4 pages in flight per call, on one client.
fn run_shared(emu: &Emu, client_config: Value) -> u64 {
    emu.control("POST", "reset", None);
    let client = emu.client(client_config);
    std::thread::scope(|s| {
        for _ in 0..24 {
            s.spawn(|| {
                for _ in 0..2 {
                    assert_eq!(client.list(&json!({})).unwrap().backups.len(), 400);
                }
            });
        }
    });
    drop(client);
    client_connections(emu)
}

#[test]
fn a_shared_client_never_holds_more_connections_than_its_bound() {
    let mut config = generated(400, 4);
    config.latency_ms = 20;
    let emu = emulator(config);
    let bounded = run_shared(
        &emu,
        json!({"page_size": 50, "max_concurrency": 4, "max_connections": 4}),
    );
    let unbounded = run_shared(
        &emu,
        json!({"page_size": 50, "max_concurrency": 4, "max_connections": 256}),
    );
    println!("connections opened: {bounded} with max_connections 4, {unbounded} with 256");
    assert!(bounded <= 4, "{bounded} connections opened");
    assert!(
        unbounded > 8,
        "the test does not load the client: {unbounded}"
    );
}

#[test]
fn max_connections_is_checked() {
    let emu = emulator(Default::default());
    for bad in [json!(0), json!(257), json!("8"), json!(2.5)] {
        let err = CClient::new(&emu.config_with(json!({"max_connections": bad})))
            .err()
            .unwrap();
        assert!(err.message.contains("max_connections"), "{}", err.message);
    }
}
