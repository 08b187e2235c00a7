//! Near-duplicates in Chinese text: character bigrams, a one-permutation MinHash
//! signature (one hash per bigram, the minimum kept in each of 32 bins), and LSH
//! banding so a new text is compared only with likely matches, not with everything.

// foldhash (seeded per process, like std's) rather than SipHash, which was the largest
// cost of a look-up.
use foldhash::{HashMap, HashSet};

const BINS: usize = 32;
const BANDS: usize = 8;
const ROWS: usize = BINS / BANDS;

/// Two texts at least this similar are near-duplicates.
pub const THRESHOLD: f64 = 0.5;

/// A text's MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature([u64; BINS]);

fn mix(mut x: u64) -> u64 {
    // splitmix64's finaliser: a well-spread 64-bit hash of an integer.
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The signature of `text`, or `None` when it has fewer than four letters to compare.
pub fn signature(text: &str) -> Option<Signature> {
    let chars: Vec<char> = text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    if chars.len() < 4 {
        return None;
    }
    let mut bins = [u64::MAX; BINS];
    for w in chars.windows(2) {
        let h = mix(((w[0] as u64) << 32) | w[1] as u64);
        let b = (h % BINS as u64) as usize;
        bins[b] = bins[b].min(h / BINS as u64);
    }
    // Densify: an empty bin takes the next filled one's value, so sparse texts compare fairly.
    for i in 0..BINS {
        if bins[i] == u64::MAX
            && let Some(j) = (1..BINS).map(|k| (i + k) % BINS).find(|&j| bins[j] != u64::MAX)
        {
            bins[i] = mix(bins[j] ^ i as u64);
        }
    }
    Some(Signature(bins))
}

/// Estimated Jaccard similarity of the two texts' bigram sets, 0.0 to 1.0.
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    a.0.iter().zip(b.0.iter()).filter(|(x, y)| x == y).count() as f64 / BINS as f64
}

fn band_key(s: &Signature, band: usize) -> u64 {
    s.0[band * ROWS..(band + 1) * ROWS].iter().fold(band as u64, |acc, v| mix(acc ^ v))
}

/// Signatures of texts by id, with LSH buckets. Entries live in numbered slots so a
/// look-up compares slot numbers and reads signatures by position, hashing no strings.
#[derive(Debug, Default)]
pub struct Index {
    slots: HashMap<String, u32>,
    /// Per slot: the id and its signature; `None` once removed (the slot is reused).
    entries: Vec<Option<(String, Signature)>>,
    free: Vec<u32>,
    buckets: HashMap<u64, Vec<u32>>,
}

impl Index {
    pub fn insert(&mut self, id: &str, sig: Signature) {
        self.remove(id);
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.entries.push(None);
                (self.entries.len() - 1) as u32
            }
        };
        for b in 0..BANDS {
            self.buckets.entry(band_key(&sig, b)).or_default().push(slot);
        }
        self.entries[slot as usize] = Some((id.to_string(), sig));
        self.slots.insert(id.to_string(), slot);
    }

    pub fn remove(&mut self, id: &str) {
        let Some(slot) = self.slots.remove(id) else { return };
        if let Some((_, sig)) = self.entries[slot as usize].take() {
            for b in 0..BANDS {
                let key = band_key(&sig, b);
                if let Some(v) = self.buckets.get_mut(&key) {
                    v.retain(|&x| x != slot);
                    if v.is_empty() {
                        self.buckets.remove(&key);
                    }
                }
            }
        }
        self.free.push(slot);
    }

    /// Slots sharing a band with `sig`, other than `except`'s, each with its entry
    /// (a slot may come once per shared band).
    fn candidates<'a>(
        &'a self,
        sig: &'a Signature,
        except: &str,
    ) -> impl Iterator<Item = (u32, &'a (String, Signature))> + 'a {
        let skip = self.slots.get(except).copied();
        (0..BANDS)
            .flat_map(move |b| self.buckets.get(&band_key(sig, b)).into_iter().flatten())
            .filter(move |&&slot| Some(slot) != skip)
            .filter_map(|&slot| self.entries[slot as usize].as_ref().map(|e| (slot, e)))
    }

    /// The most similar other entry at or above [`THRESHOLD`], if any (ties: the
    /// smaller id).
    pub fn best(&self, sig: &Signature, except: &str) -> Option<(String, f64)> {
        let mut best: Option<(&str, f64)> = None;
        for (_, (id, other)) in self.candidates(sig, except) {
            let s = similarity(sig, other);
            if s >= THRESHOLD && best.is_none_or(|(bid, bs)| s > bs || (s == bs && id.as_str() < bid)) {
                best = Some((id, s));
            }
        }
        best.map(|(id, s)| (id.to_string(), s))
    }

    /// Every other entry at or above [`THRESHOLD`].
    pub fn similar(&self, sig: &Signature, except: &str) -> Vec<(String, f64)> {
        let mut seen = HashSet::default();
        let mut out = Vec::new();
        for (slot, (id, other)) in self.candidates(sig, except) {
            if seen.insert(slot) {
                let s = similarity(sig, other);
                if s >= THRESHOLD {
                    out.push((id.clone(), s));
                }
            }
        }
        out
    }

    /// The signature stored for an entry.
    pub fn get(&self, id: &str) -> Option<&Signature> {
        let slot = *self.slots.get(id)?;
        self.entries[slot as usize].as_ref().map(|(_, s)| s)
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POST: &str = "网传城关镇第一小学食堂饭菜变质，多名学生腹泻，家长要求学校给说法";
    const REPOST: &str = "转：网传城关镇第一小学食堂饭菜变质，多名学生腹泻，家长要求学校给个说法！";
    const OTHER: &str = "建筑工地拖欠农民工工资三个月，工人聚集在县人社局门口讨薪";

    #[test]
    fn removed_entries_are_not_found_and_their_slots_and_buckets_are_reused_or_dropped() {
        let sig = |t: &str| signature(t).unwrap();
        let mut ix = Index::default();
        ix.insert("A.1", sig(POST));
        ix.insert("A.2", sig(OTHER));
        assert_eq!(ix.best(&sig(REPOST), "A.9").map(|(id, _)| id).as_deref(), Some("A.1"));
        assert!(ix.best(&sig(POST), "A.1").is_none(), "an entry is not its own near-duplicate");
        ix.remove("A.1");
        assert!(ix.best(&sig(REPOST), "A.9").is_none(), "a removed entry is not found");
        assert!(ix.get("A.1").is_none());
        ix.insert("A.3", sig(REPOST));
        assert_eq!(ix.entries.len(), 2, "the freed slot is reused");
        assert_eq!(ix.similar(&sig(POST), "A.0"), vec![("A.3".to_string(), similarity(&sig(POST), &sig(REPOST)))]);
        ix.insert("A.3", sig(OTHER));
        assert_eq!(ix.len(), 2, "inserting again replaces");
        ix.remove("A.2");
        ix.remove("A.3");
        assert!(ix.is_empty() && ix.buckets.is_empty(), "no empty buckets are left behind");
    }
}
