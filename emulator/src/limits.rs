//! Every size the emulator accepts, in one place: no input, from the command
//! line or the control API, can make it allocate or wait without bound.

/// A control API request body; larger ones get 413.
pub const MAX_CONTROL_BODY: usize = 16 * 1024 * 1024;
/// Backups held at once: `--backups`, `{"generate": N}`, posted arrays and
/// `mutate` all stop here (about 0.7 GB of records).
pub const MAX_BACKUPS: usize = 1_000_000;
/// Text (ids, names, ...) of the backups posted as arrays since the start or
/// the last reset: each body is bounded, this bounds them all.
pub const MAX_POSTED_BYTES: usize = 256 * 1024 * 1024;
/// `--graphs`.
pub const MAX_GRAPHS: usize = 10_000;
/// Faults in the queue, used up or not (`DELETE /__emulator/faults` empties it).
pub const MAX_FAULTS: usize = 10_000;
/// `--latency-ms` and the `delay` and `slow_body` faults: ten minutes.
pub const MAX_DELAY_MS: u64 = 600_000;
/// The `oversize` fault's padded body, built in memory per answer.
pub const MAX_OVERSIZE: usize = 64 * 1024 * 1024;
/// The `mutate` fault's `add`, per request.
pub const MAX_MUTATE_ADD: usize = 10_000;
/// Timestamps of posted backups: 0 to 9999-12-31T23:59:59.999Z, which
/// `startTime`-style dates can show.
pub const MAX_TIMESTAMP_MS: i64 = 253_402_300_799_999;
/// A request body to IAM or pod identity; larger ones get 413.
pub const MAX_API_BODY: usize = 64 * 1024;
/// The control API's picture of IAM (`/__emulator/cloud/iam`): regions, the
/// projects of each, agencies, users, identity providers and the ID tokens
/// each accepts, pod identity tokens.
pub const MAX_REGIONS: usize = 1000;
pub const MAX_PROJECTS_PER_REGION: usize = 100;
pub const MAX_AGENCIES: usize = 1000;
pub const MAX_USERS: usize = 1000;
pub const MAX_IDENTITY_PROVIDERS: usize = 100;
/// ID tokens per identity provider, and pod identity tokens.
pub const MAX_ACCEPTED_TOKENS: usize = 100;
/// Principals in one agency's `assumable_by`.
pub const MAX_PRINCIPALS: usize = 100;
/// Names and ids: regions, projects, domains, agencies, users, providers.
pub const MAX_NAME_LEN: usize = 128;
/// Passwords, ID tokens, pod identity tokens (JWTs can be long).
pub const MAX_SECRET_LEN: usize = 16 * 1024;
/// Any configured lifetime of credentials or tokens: seven days, in ms.
pub const MAX_LIFETIME_MS: u64 = 7 * 86_400_000;
/// ID tokens and pod identity tokens remembered for `GET /__emulator/cloud/stats`.
pub const MAX_RECORDED_TOKENS: usize = 100;
