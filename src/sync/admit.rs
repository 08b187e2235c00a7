//! Which received events may enter the log. Events a peer wrote itself come over a
//! channel authenticated as that peer (its certificate names it), and are taken as they
//! come. Events of any other console — relayed — wait here, per session, until a signed
//! head of their author covers them: the head names the chain hash of the event at its
//! sequence number, and each waiting event names its predecessor's hash in `prev`, so
//! walking back from the head proves every event down to the first waiting one is the
//! one its author wrote, in order, with none left out. A relay therefore cannot forge,
//! alter, reorder or drop events from the middle; events that contradict a head end
//! the session with the reason, and are never stored. What is below this console's
//! gap-free mark passes through: the store keeps what it holds and records other bytes
//! under a held id as a fork.

use crate::domain::codec::Recorded;
use crate::store::{Fork, Head};
use std::collections::BTreeMap;

/// Why a session's relayed events are refused; the session ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub reason: String,
    /// An event that contradicts its author's signed head: kept as a fork (the head's
    /// hash as the held one), so it is shown as other forks are.
    pub fork: Option<Box<Fork>>,
}

/// Most bytes of relayed events one session keeps waiting for a head; a peer that sends
/// more without one is cut off.
pub const MAX_WAITING: usize = 64 << 20;

/// What this console holds of one console: its newest signed head and its gap-free mark.
#[derive(Debug, Default, Clone)]
pub struct Held {
    pub head: Option<Head>,
    pub upto: u64,
}

/// Relayed events waiting, per session, for their author's signed head.
#[derive(Debug)]
pub struct Admission {
    peer: String,
    waiting: BTreeMap<String, BTreeMap<u64, Recorded>>,
    bytes: usize,
}

impl Admission {
    /// For a session with the console `peer`.
    pub fn new(peer: &str) -> Admission {
        Admission { peer: peer.to_string(), waiting: BTreeMap::new(), bytes: 0 }
    }

    /// Relayed events still waiting for a head.
    pub fn waiting(&self) -> usize {
        self.waiting.values().map(BTreeMap::len).sum()
    }

    /// Takes a batch and the heads that came with it (signatures already checked);
    /// answers with the events that may be stored now, in the order they came. `held`
    /// says what this console holds of a console. An error is the reason to end the
    /// session: events that contradict their author's signed head, or too many waiting.
    pub fn admit(
        &mut self,
        events: Vec<Recorded>,
        heads: &[Head],
        held: &dyn Fn(&str) -> Held,
    ) -> Result<Vec<Recorded>, Refused> {
        let mut out = Vec::new();
        let mut touched: BTreeMap<String, Held> = BTreeMap::new();
        for e in events {
            let id = &e.event().id;
            if id.console == self.peer {
                out.push(e);
                continue;
            }
            let h = touched.entry(id.console.clone()).or_insert_with(|| held(&id.console));
            if id.seq <= h.upto {
                out.push(e);
                continue;
            }
            self.bytes += e.raw().len();
            if let Some(old) = self.waiting.entry(id.console.clone()).or_default().insert(id.seq, e) {
                self.bytes -= old.raw().len();
            }
        }
        for (console, h) in touched {
            let mut offered: Vec<&Head> = heads.iter().filter(|x| x.console == console).collect();
            offered.extend(h.head.as_ref());
            out.extend(self.release(&console, &offered)?);
        }
        if self.bytes > MAX_WAITING {
            let reason = format!(
                "`{}` relayed more than {} MiB of events that no signed head of their author covers",
                self.peer,
                MAX_WAITING >> 20
            );
            return Err(Refused { reason, fork: None });
        }
        Ok(out)
    }

    /// The waiting events of `console` that the best of `heads` covers, checked back
    /// from the head; the rest keep waiting.
    fn release(&mut self, console: &str, heads: &[&Head]) -> Result<Vec<Recorded>, Refused> {
        let Some(waiting) = self.waiting.get_mut(console) else { return Ok(Vec::new()) };
        let Some(head) = heads.iter().filter(|h| waiting.contains_key(&h.seq)).max_by_key(|h| h.seq) else {
            return Ok(Vec::new());
        };
        // Walk back from the head while the waiting events are consecutive.
        let mut expect = head.hash.clone();
        let mut first = head.seq;
        for (&seq, rec) in waiting.range(..=head.seq).rev() {
            if seq != first && seq + 1 != first {
                break;
            }
            if rec.hash() != expect {
                let reason = format!(
                    "`{}` relayed event {console}:{seq}, which is not the one `{console}` signed \
                     (its signed head at {} says otherwise); nothing of it was stored",
                    self.peer, head.seq
                );
                let fork = Fork {
                    event: format!("{console}:{seq}"),
                    held_prev: None,
                    held: Some(expect),
                    got_prev: rec.event().prev.clone(),
                    got: rec.hash(),
                };
                self.waiting.remove(console);
                self.bytes = self.waiting.values().flat_map(BTreeMap::values).map(|r| r.raw().len()).sum();
                return Err(Refused { reason, fork: Some(Box::new(fork)) });
            }
            expect = rec.event().prev.clone().unwrap_or_default();
            first = seq;
        }
        let mut rest = waiting.split_off(&(head.seq + 1));
        std::mem::swap(waiting, &mut rest);
        // `rest` now holds everything up to the head: the covered run, and any older
        // events cut off from it by a gap, which no head can cover any more.
        let covered: Vec<Recorded> = rest.split_off(&first).into_values().collect();
        self.bytes -= covered.iter().chain(rest.values()).map(|r| r.raw().len()).sum::<usize>();
        if waiting.is_empty() {
            self.waiting.remove(console);
        }
        Ok(covered)
    }
}

#[cfg(test)]
#[path = "admit_tests.rs"]
mod tests;
