//! Near-duplicates in Chinese text: character bigrams, a one-permutation MinHash
//! signature (one hash per bigram, the minimum kept in each of 32 bins), and LSH
//! banding so a new text is compared only with likely matches, not with everything.

use std::collections::HashMap;

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

/// Signatures of texts by id, with LSH buckets.
#[derive(Debug, Default)]
pub struct Index {
    sigs: HashMap<String, Signature>,
    buckets: HashMap<u64, Vec<String>>,
}

impl Index {
    pub fn insert(&mut self, id: &str, sig: Signature) {
        self.remove(id);
        for b in 0..BANDS {
            self.buckets.entry(band_key(&sig, b)).or_default().push(id.to_string());
        }
        self.sigs.insert(id.to_string(), sig);
    }

    pub fn remove(&mut self, id: &str) {
        if let Some(sig) = self.sigs.remove(id) {
            for b in 0..BANDS {
                if let Some(v) = self.buckets.get_mut(&band_key(&sig, b)) {
                    v.retain(|x| x != id);
                }
            }
        }
    }

    /// The most similar other entry at or above [`THRESHOLD`], if any.
    pub fn best(&self, sig: &Signature, except: &str) -> Option<(String, f64)> {
        let mut best: Option<(String, f64)> = None;
        for b in 0..BANDS {
            for id in self.buckets.get(&band_key(sig, b)).into_iter().flatten() {
                if id == except {
                    continue;
                }
                let s = similarity(sig, &self.sigs[id]);
                if s >= THRESHOLD && best.as_ref().is_none_or(|(bid, bs)| s > *bs || (s == *bs && id < bid)) {
                    best = Some((id.clone(), s));
                }
            }
        }
        best
    }

    /// Every other entry at or above [`THRESHOLD`].
    pub fn similar(&self, sig: &Signature, except: &str) -> Vec<(String, f64)> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for b in 0..BANDS {
            for id in self.buckets.get(&band_key(sig, b)).into_iter().flatten() {
                if id != except && seen.insert(id.clone()) {
                    let s = similarity(sig, &self.sigs[id]);
                    if s >= THRESHOLD {
                        out.push((id.clone(), s));
                    }
                }
            }
        }
        out
    }

    /// The signature stored for an entry.
    pub fn get(&self, id: &str) -> Option<&Signature> {
        self.sigs.get(id)
    }

    pub fn len(&self) -> usize {
        self.sigs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sigs.is_empty()
    }
}
