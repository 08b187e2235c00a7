//! Who a console is, and who may talk to it. A deployment has one small **cluster
//! authority** (an ed25519 key and a self-signed certificate, made once by `yuqing
//! cluster init`). It enrolls each console or monitoring tool under a short name: a key
//! pair of its own, a certificate signed by the authority (for mutually authenticated
//! TLS 1.3), and an **endorsement** — the authority's signature over the name, the role,
//! the certificate's fingerprint and the public key — all in one credentials file.
//!
//! A console *is* its certificate: TLS proves the peer holds the key of a certificate
//! the authority signed, and the endorsement sent inside the channel binds that exact
//! certificate to a name and a role. A name is therefore never a claim, and the same
//! endorsement lets any console check, through any relay, that history signed with that
//! key was written by that name.

mod authority;
mod credentials;
mod endorsement;
mod tls;

pub use authority::{Authority, check_name};
pub use credentials::{Credentials, Role};
pub use endorsement::{Endorsement, fingerprint};
pub use tls::{Tls, TlsError};
