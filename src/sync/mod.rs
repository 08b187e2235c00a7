//! Sync between consoles over TCP, and submission from monitoring tools. The protocol
//! is specified in `docs/protocol.md`: length-framed JSON messages, a handshake with
//! protocol version, console id, realm and mutual HMAC-SHA256 challenge-response on
//! the cluster key, then version vectors, catch-up, live events and heartbeats.
//! Uses the desk to read and write; knows nothing of screens.

pub mod client;
mod conn;
mod handshake;
pub mod key;
pub mod limits;
pub mod message;
pub mod node;
pub mod outbox;
mod session;
mod skew;

pub use client::Client;
pub use key::ClusterKey;
pub use message::{MAX_FRAME, Message, PROTOCOL_VERSION, PeerRole};
pub use node::{Node, NodeConfig, PeerStatus};
