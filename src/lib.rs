//! ges-backups: a Huawei Cloud GES backups client with a stable C ABI.
pub mod signing;
