//! Latency delays each answer without holding up the others.

use crate::common::*;
use ges_emulator::EmulatorConfig;
use std::time::{Duration, Instant};

#[test]
fn sixteen_slow_requests_overlap() {
    let emulator = start(EmulatorConfig {
        latency_ms: 200,
        ..EmulatorConfig::default()
    });
    let url = list_url(&emulator, "");
    let started = Instant::now();
    let threads: Vec<_> = (0..16)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                let begun = Instant::now();
                let got = get(&url);
                (got.status, begun.elapsed())
            })
        })
        .collect();
    for thread in threads {
        let (status, took) = thread.join().unwrap();
        assert_eq!(status, 200);
        assert!(
            took >= Duration::from_millis(200),
            "latency applies: {took:?}"
        );
    }
    let total = started.elapsed();
    // Serially this would be 16 x 200 ms = 3.2 s.
    assert!(total < Duration::from_millis(1200), "took {total:?}");
}

#[test]
fn a_delayed_answer_does_not_block_the_control_api() {
    let emulator = start_default();
    let faults = control(&emulator, "faults");
    post(
        &faults,
        &serde_json::json!({"action": {"type": "delay", "ms": 1500}}),
    );
    let url = list_url(&emulator, "");
    let slow = std::thread::spawn(move || get(&url).status);
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    assert_eq!(get(&control(&emulator, "stats")).status, 200);
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(slow.join().unwrap(), 200);
}
