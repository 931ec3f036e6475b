//! The config JSON of `ges_client_new`: arbitrary text must give a client or an
//! INVALID_ARGUMENT error, never a panic; the environment is left out so that a
//! run does not depend on the machine.
#![no_main]

use ges_backups::Config;
use ges_backups::{Client, ErrorKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    match Config::from_json_with_env(json, |_| None) {
        Ok(config) => {
            assert!(config.endpoint.starts_with("http"));
            assert!((1..=1000).contains(&config.page_size));
            assert!((1..=64).contains(&config.max_concurrency));
            // Building the client parses the endpoint and reads `ca_file`; it
            // would also ask the ECS metadata service, which a fuzzer must never
            // reach (it is not on loopback).
            if config.uses_metadata_service() {
                return;
            }
            if let Err(e) = Client::new(config) {
                assert_eq!(e.kind, ErrorKind::InvalidArgument, "{}", e.message);
            }
        }
        Err(e) => assert_eq!(e.kind, ErrorKind::InvalidArgument, "{}", e.message),
    }
});
