//! What renewal is made of: temporary credentials with their end, the
//! sources that hand out new ones, and credentials in use that can be asked
//! for (what an agency is assumed with).

use super::active::Active;
use super::{Credentials, Secret};
use crate::error::Error;
use std::sync::Arc;
use std::time::SystemTime;

/// Credentials with an end.
pub struct Temporary {
    pub credentials: Credentials,
    pub expires_at: SystemTime,
}

/// A source that hands out new temporary credentials.
pub trait Renewable: Send + Sync {
    /// Fresh credentials; errors name the service asked.
    fn fetch(&self) -> Result<Temporary, Error>;
    /// Secrets the source itself holds (session and ID tokens), to scrub like
    /// the credentials.
    fn secrets(&self) -> Vec<Secret> {
        Vec::new()
    }
}

/// Credentials in use, renewed as they need: `Provider`.
pub trait InUse: Send + Sync {
    /// The credentials to authenticate the next request with.
    fn current(&self) -> Result<Arc<Active>, Error>;
    /// Their secrets, current and just replaced, and their source's.
    fn temporary_secrets(&self) -> Vec<Secret>;
}
