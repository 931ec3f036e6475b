//! The network floor every host of the client stands on (GES, IAM, the ECS
//! metadata service): one `Target` per host, with the proxy that carries it,
//! the resolver that caches its names and the connector that gives up when its
//! call is cancelled. The config, the credentials and the transport all use it;
//! it uses none of them.

pub(crate) mod base_url;
mod cancellable;
pub mod proxy;
pub(crate) mod refusal;
mod resolver;
pub mod target;
pub(crate) mod tls;
