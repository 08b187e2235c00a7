//! How many connections a listener serves at once: at most [`MAX_PER_ADDRESS`] from one
//! source address, so that one address holding idle unauthenticated connections cannot
//! take every slot and lock the consoles and submitters out, and at most a global
//! number in all. Knows addresses and counts, nothing of the protocol.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Connections served at once from one source address; more are closed at once.
pub const MAX_PER_ADDRESS: usize = 8;

/// Why a connection was not admitted; the text is what the peer is told.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Full {
    #[error("too many connections; try again later")]
    All,
    #[error("too many connections from {0} (at most {MAX_PER_ADDRESS} at a time from one address); try again later")]
    Address(IpAddr),
}

/// The connection slots of one listener.
pub struct Limits {
    all: Arc<Semaphore>,
    per_address: usize,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// A connection admitted: its slots are given back when this is dropped.
pub struct Admitted {
    _all: OwnedSemaphorePermit,
    ip: IpAddr,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl Limits {
    /// At most `all` connections at once, and at most `per_address` from one address.
    pub fn new(all: usize, per_address: usize) -> Limits {
        Limits { all: Arc::new(Semaphore::new(all)), per_address, open: Arc::default() }
    }

    /// Takes a slot for a connection from `ip`, or says why there is none.
    pub fn admit(&self, ip: IpAddr) -> Result<Admitted, Full> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if open.get(&ip).is_some_and(|&n| n >= self.per_address) {
            return Err(Full::Address(ip));
        }
        let permit = self.all.clone().try_acquire_owned().map_err(|_| Full::All)?;
        *open.entry(ip).or_insert(0) += 1;
        Ok(Admitted { _all: permit, ip, open: self.open.clone() })
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn one_address_cannot_take_every_slot() {
        let limits = Limits::new(64, MAX_PER_ADDRESS);
        let held: Vec<Admitted> = (0..MAX_PER_ADDRESS).map(|_| limits.admit(ip("10.0.0.1")).unwrap()).collect();
        assert_eq!(limits.admit(ip("10.0.0.1")).err(), Some(Full::Address(ip("10.0.0.1"))));
        let other = limits.admit(ip("10.0.0.2")).expect("another address is still served");
        drop(held.into_iter().next());
        assert!(limits.admit(ip("10.0.0.1")).is_ok(), "a closed connection gives its slot back");
        drop(other);
        assert!(limits.open.lock().unwrap().get(&ip("10.0.0.2")).is_none(), "no entry is kept for a gone address");
    }

    #[test]
    fn the_global_limit_still_holds_and_a_refusal_holds_no_slot() {
        let limits = Limits::new(3, 2);
        let a = [limits.admit(ip("10.0.0.1")).unwrap(), limits.admit(ip("10.0.0.1")).unwrap()];
        let b = limits.admit(ip("10.0.0.2")).unwrap();
        assert_eq!(limits.admit(ip("10.0.0.3")).err(), Some(Full::All));
        assert!(limits.open.lock().unwrap().get(&ip("10.0.0.3")).is_none());
        drop(b);
        let c = limits.admit(ip("10.0.0.3")).unwrap();
        assert_eq!(limits.admit(ip("10.0.0.1")).err(), Some(Full::Address(ip("10.0.0.1"))));
        drop((a, c));
        assert!(limits.open.lock().unwrap().is_empty());
    }
}
