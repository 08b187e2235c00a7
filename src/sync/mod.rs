//! Sync between consoles over TLS 1.3 with mutual authentication, and submission from
//! monitoring tools. The protocol is specified in `docs/protocol.md`: length-framed JSON
//! messages, a handshake with protocol version, name, realm and the cluster authority's
//! endorsement, then version vectors, catch-up, live events and heartbeats.
//! Uses the desk to read and write; knows nothing of screens.

pub mod admit;
pub mod client;
mod conn;
mod handshake;
pub mod limits;
pub mod message;
pub mod node;
pub mod outbox;
mod session;
mod skew;
pub mod trust;

pub use client::Client;
pub use message::{MAX_FRAME, Message, PROTOCOL_VERSION, PeerRole};
pub use node::{Node, NodeConfig, PeerStatus};
