//! The connection flags reach the request, each over the config file and the
//! environment: --endpoint, --project-id, --region, --profile; and
//! --deadline-ms ends a slow listing.

use crate::common::{closed_port, control, emulator, ConfigFile, Run, TempFile};
use ges_emulator::{Dataset, Emulator, EmulatorConfig};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn listed(run: &Run) -> usize {
    let list: Value = serde_json::from_slice(&run.stdout).expect("the result JSON");
    list["backups"].as_array().expect("backups").len()
}

#[test]
fn endpoint_flag_wins_over_the_file_and_ges_endpoint() {
    let emulator = emulator();
    let nowhere = format!("http://127.0.0.1:{}", closed_port());
    let env = [("GES_ENDPOINT", nowhere.as_str())];
    let in_file = ConfigFile::new(&nowhere, json!({}));
    let in_env_only = ConfigFile::new(&nowhere, json!({"endpoint": null}));
    for config in [&in_file, &in_env_only] {
        let without = config.list_with(&env, &[]);
        without.expect_code(3, "the file's or the environment's endpoint");
        assert!(without.stderr.contains(&nowhere[7..]), "{}", without.stderr);
        let with = config.list_with(
            &env,
            &["--endpoint", emulator.base_url(), "--output", "json"],
        );
        with.expect_code(0, "--endpoint");
        assert_eq!(listed(&with), 3);
    }
}

#[test]
fn project_id_flag_wins_over_the_file_and_hw_project_id() {
    // The emulator serves demo-project only: another project gets 404.
    let emulator = emulator();
    let env = [("HW_PROJECT_ID", "env-project")];
    let in_file = ConfigFile::new(emulator.base_url(), json!({"project_id": "file-project"}));
    let in_env_only = ConfigFile::new(emulator.base_url(), json!({"project_id": null}));
    for config in [&in_file, &in_env_only] {
        let without = config.list_with(&env, &["--verbose"]);
        without.expect_code(4, "another project");
        assert!(without.stderr.contains("404"), "{}", without.stderr);
        let with = config.list_with(
            &env,
            &["--project-id", "demo-project", "--output", "json", "-v"],
        );
        with.expect_code(0, "--project-id");
        assert!(
            with.stderr
                .contains("DEBUG GET /v1.0/demo-project/graphs/backups?"),
            "{}",
            with.stderr
        );
        assert_eq!(listed(&with), 3);
    }
}

#[test]
fn region_flag_names_the_project_looked_up_and_the_derived_endpoint() {
    // IAM on the emulator: each region has its project; only the flag's is
    // the one GES serves.
    let emulator = emulator();
    control(
        &emulator,
        "POST",
        "cloud/iam",
        &json!({"projects": {"flag-region-1": ["demo-project"],
                             "file-region-1": ["file-project"],
                             "env-region-1": ["env-project"]}}),
    );
    let env = [("HW_REGION_NAME", "env-region-1")];
    let lookup = json!({"project_id": null, "iam_endpoint": emulator.base_url()});
    let mut in_file = lookup.clone();
    in_file["region"] = json!("file-region-1");
    for config in [lookup, in_file] {
        let config = ConfigFile::new(emulator.base_url(), config);
        config
            .list_with(&env, &[])
            .expect_code(4, "the project of another region");
        let with = config.list_with(&env, &["--region", "flag-region-1", "--output", "json"]);
        with.expect_code(0, "--region");
        assert_eq!(listed(&with), 3);
    }

    // Without an endpoint, the region gives one: its host is in the error of
    // a listing from a domain that never resolves (RFC 6761's .invalid).
    let derived = ConfigFile::new(
        "",
        json!({"endpoint": null, "region": "file-region-1", "cloud": "invalid",
               "connect_timeout_ms": 2000}),
    );
    let unreachable = derived.list_with(&env, &["--region", "flag-region-1"]);
    unreachable.expect_code(3, "an endpoint derived from --region");
    assert!(
        unreachable.stderr.contains("ges.flag-region-1.invalid"),
        "{}",
        unreachable.stderr
    );
}

#[test]
fn profile_flag_selects_a_profile_of_the_shared_config_file() {
    const ACCESS_KEY: &str = "AK-cli-profile";
    const SECRET_KEY: &str = "sk-PROFILE1SECRET";
    const WRONG_KEY: &str = "sk-wrong-PROFILE2SECRET";
    let keyed = Emulator::start(EmulatorConfig {
        access_key: Some(ACCESS_KEY.into()),
        secret_key: Some(SECRET_KEY.into()),
        ..EmulatorConfig::default()
    })
    .unwrap();
    let profile = |name: &str, secret: &str| json!({"name": name, "mode": "AKSK", "accessKeyId": ACCESS_KEY, "secretAccessKey": secret});
    let shared = json!({"current": "current-profile", "profiles": [
        profile("current-profile", WRONG_KEY),
        profile("env-profile", WRONG_KEY),
        profile("file-profile", WRONG_KEY),
        profile("flag-profile", SECRET_KEY),
    ]});
    let shared = TempFile::new("hcloud-config.json", shared.to_string().as_bytes());
    let env = [
        ("HW_SHARED_CONFIG_FILE", shared.arg()),
        ("HW_PROFILE", "env-profile"),
    ];
    let in_file = ConfigFile::new(
        keyed.base_url(),
        json!({"auth_token": null, "profile": "file-profile"}),
    );
    let in_env_only = ConfigFile::new(keyed.base_url(), json!({"auth_token": null}));
    let mut outputs = String::new();
    for config in [&in_file, &in_env_only] {
        let without = config.list_with(&env, &[]);
        without.expect_code(4, "a profile with the wrong secret key");
        let with = config.list_with(&env, &["--profile", "flag-profile", "--output", "json"]);
        with.expect_code(0, "--profile");
        assert_eq!(listed(&with), 3);
        let missing = config.list_with(&env, &["--profile", "no-such-profile"]);
        missing.expect_code(2, "a profile the file does not have");
        assert!(missing.stderr.contains("profile"), "{}", missing.stderr);
        for run in [without, with, missing] {
            outputs += &(run.stdout_text() + &run.stderr);
        }
    }
    for secret in ["PROFILE1SECRET", "PROFILE2SECRET"] {
        assert!(!outputs.contains(secret), "a secret printed:\n{outputs}");
    }
}

#[test]
fn deadline_ms_ends_a_slow_listing_with_status_3() {
    let slow = Emulator::start(EmulatorConfig {
        latency_ms: 3000,
        dataset: Dataset::Generated {
            backups: 30,
            graphs: 2,
            seed: 11,
        },
        ..EmulatorConfig::default()
    })
    .unwrap();
    let config = ConfigFile::new(slow.base_url(), json!({"timeout_ms": 30000}));
    let started = Instant::now();
    let run = config.list(&["--deadline-ms", "400"]);
    let took = started.elapsed();
    run.expect_code(3, "past --deadline-ms");
    assert!(
        run.stderr.contains("deadline_ms (400 ms)"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
    assert!(took < Duration::from_millis(2500), "took {took:?}");

    for (value, why) in [("0", "out of range"), ("-5", "negative")] {
        let bad = config.list(&["--deadline-ms", value]);
        bad.expect_code(2, why);
        assert!(bad.stderr.contains("\"deadline_ms\""), "{}", bad.stderr);
    }
}
