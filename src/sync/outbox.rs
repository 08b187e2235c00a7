//! What to send a peer next: the events we hold beyond what it holds, console by
//! console in sequence order, read from the log as recorded, in batches bounded in
//! bytes (so an item of any allowed size replicates, and a frame stays far below the
//! frame limit). The sender only splits log pages into their events; it never decodes
//! them (the receiver does). Used by every session and by the deterministic simulation, so the
//! simulation replicates through the production path.

use crate::store::{Head, RawEvent, Store, StoreError};
use std::collections::BTreeMap;

/// Bytes of recorded events per `events` message: far below [`super::MAX_FRAME`], and
/// at least one event whatever its size.
pub const BATCH_BYTES: usize = 1 << 20;

/// A version vector: per console, every event up to this sequence number.
pub type Vector = BTreeMap<String, u64>;

/// Events of one console for a peer, and that console's signed head when they reach it.
pub type Batch = (Vec<RawEvent>, Option<Head>);

/// The next batch for a peer that holds `theirs`, out of what we hold (`ours`, our
/// gap-free vector); `None` when it has everything. Advances `theirs` past the batch.
pub fn next_batch(
    store: &Store,
    ours: &Vector,
    theirs: &mut Vector,
    budget: usize,
) -> Result<Option<Batch>, StoreError> {
    for (console, &upto) in ours {
        let have = theirs.get(console).copied().unwrap_or(0);
        if have >= upto {
            continue;
        }
        // The head is read first, and the batch reaches at least to it: a head is
        // written in the same commit as the events it covers, so they are in the log
        // even when `ours` was read before that commit. Receivers store relayed events
        // only once a head covers them, so a head left behind would hold them back.
        let head = store.head(console)?;
        let upto = head.as_ref().map_or(upto, |h| h.seq.max(upto));
        let batch = store.log_from(console, have + 1, upto, budget)?;
        match batch.last() {
            Some(last) => {
                theirs.insert(console.clone(), last.seq);
                // The console's signed head goes along once the batch reaches it.
                let head = head.filter(|h| h.seq <= last.seq);
                return Ok(Some((batch, head)));
            }
            // Held as gap-free yet not readable: skip rather than spin; `verify` reports it.
            None => {
                tracing::error!("console {console}: events {}..={upto} are counted but not in the log", have + 1);
                theirs.insert(console.clone(), upto);
            }
        }
    }
    Ok(None)
}

/// Events `theirs` lacks from `ours`.
pub fn missing(theirs: &Vector, ours: &Vector) -> u64 {
    ours.iter().map(|(c, n)| n.saturating_sub(theirs.get(c).copied().unwrap_or(0))).sum()
}
