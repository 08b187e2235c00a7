//! Near-duplicates in Chinese text: character bigrams, a one-permutation MinHash
//! signature (one hash per bigram, the minimum kept in each of 32 bins), and LSH
//! banding so a new text is compared only with likely matches, not with everything.
//! A place guard tells a repost from a look-alike: complaints written from one template
//! about different towns share most bigrams but name different places, so two texts
//! that both name places and share none are not near-duplicates.

// foldhash (seeded per process, like std's) rather than SipHash, which was the largest
// cost of a look-up.
use foldhash::{HashMap, HashSet};

const BINS: usize = 32;
const BANDS: usize = 8;
const ROWS: usize = BINS / BANDS;

/// Two texts at least this similar are near-duplicates.
pub const THRESHOLD: f64 = 0.5;

/// A text's MinHash signature, and the places it names: up to [`PLACES`] hashes of
/// them, sorted, 0 for none (exact enough that two texts about different places never
/// seem to share one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature([u64; BINS], [u32; PLACES]);

/// Places kept per text: a post names a few; more are rarely places.
const PLACES: usize = 8;

/// Characters that end a place name in county writing: 县, 区, 镇, 乡, 村, 街, 路, 巷,
/// 寨, 屯 (沅陵县, 官庄镇, 枫香坪村, 辰州路).
const PLACE_ENDS: &[char] = &['县', '区', '镇', '乡', '村', '街', '路', '巷', '寨', '屯'];

/// Words that begin with a place-ending character but name no place (`三天村民…`).
const NOT_PLACES: &[&str] =
    &["村民", "村里", "村委", "乡亲", "乡下", "路面", "路上", "路过", "路费", "区域", "区别", "县里"];

/// Common words that end with a place-ending character but name no one place (`通组道路`,
/// `小区`, `农村`): in a template sent from many villages they are the same in every copy.
const COMMON_ENDINGS: &[&str] = &[
    "道路", "公路", "马路", "铁路", "线路", "思路", "出路", "小区", "社区", "城区", "景区", "山区", "园区", "片区",
    "辖区", "地区", "校区", "乡镇", "城镇", "集镇", "城乡", "家乡", "老乡", "农村", "乡村", "全村", "本村", "该村",
    "我村", "各村", "全县", "本县", "我县", "该县", "全镇", "本镇", "我镇", "该镇", "各乡", "大街", "上街", "临街",
];

/// The places `chars` names: each place-ending character with the two letters before
/// it (`坪村` + … → `香坪村`), hashed, at most [`PLACES`], sorted. A place-ending
/// character after punctuation (`，村民`), starting a common word (`村民`) or ending
/// one (`道路`) names nothing.
fn places(chars: &[char]) -> [u32; PLACES] {
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let mut found: Vec<u32> = Vec::new();
    // Whether the two letters `pair` are the word `w`.
    let is = |w: &str, pair: [Option<&char>; 2]| w.chars().map(Some).eq(pair.into_iter().map(|c| c.copied()));
    for i in 2..chars.len() {
        if PLACE_ENDS.contains(&chars[i])
            && cjk(chars[i - 1])
            && cjk(chars[i - 2])
            && !NOT_PLACES.iter().any(|w| is(w, [chars.get(i), chars.get(i + 1)]))
            && !COMMON_ENDINGS.iter().any(|w| is(w, [chars.get(i - 1), chars.get(i)]))
        {
            let h = mix(((chars[i - 2] as u64) << 42) ^ ((chars[i - 1] as u64) << 21) ^ chars[i] as u64);
            // Never 0, which marks an empty slot.
            found.push((h >> 32) as u32 | 1);
        }
    }
    found.sort_unstable();
    found.dedup();
    let mut set = [0u32; PLACES];
    for (slot, h) in set.iter_mut().zip(found) {
        *slot = h;
    }
    set
}

/// True when the two sets of places share one.
fn share_a_place(a: &[u32; PLACES], b: &[u32; PLACES]) -> bool {
    a.iter().filter(|&&h| h != 0).any(|h| b.contains(h))
}

fn mix(mut x: u64) -> u64 {
    // splitmix64's finaliser: a well-spread 64-bit hash of an integer.
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The signature of `text`, or `None` when it has fewer than four letters to compare.
pub fn signature(text: &str) -> Option<Signature> {
    // Places are read with punctuation and spaces still in, so `，村民` is no place.
    let raw: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let places = places(&raw);
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
    Some(Signature(bins, places))
}

/// Estimated Jaccard similarity of the two texts' bigram sets, 0.0 to 1.0; 0.0 when
/// both name places and share none (the same template about another place).
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    let names = |p: &[u32; PLACES]| p[0] != 0;
    if names(&a.1) && names(&b.1) && !share_a_place(&a.1, &b.1) {
        return 0.0;
    }
    a.0.iter().zip(b.0.iter()).filter(|(x, y)| x == y).count() as f64 / BINS as f64
}

fn band_key(s: &Signature, band: usize) -> u64 {
    s.0[band * ROWS..(band + 1) * ROWS].iter().fold(band as u64, |acc, v| mix(acc ^ v))
}

/// Entries a bucket holds at most. A post reposted 50 000 times fills its buckets
/// with its first reposts; later ones are still found (they match those) and join their
/// group, but are not added, so a look-up compares at most `BANDS × BUCKET` entries
/// however large the storm: no work per pair of items.
pub const BUCKET: usize = 16;

/// One indexed text.
#[derive(Debug)]
struct Entry {
    id: String,
    sig: Signature,
    /// The group of near-duplicates it joined when it was inserted.
    group: u64,
}

/// Signatures of texts by id, with LSH buckets of bounded size and groups of
/// near-duplicates. Entries live in numbered slots so a look-up compares slot numbers
/// and reads signatures by position, hashing no strings.
#[derive(Debug, Default)]
pub struct Index {
    slots: HashMap<String, u32>,
    /// Per slot: the entry; `None` once removed (the slot is reused).
    entries: Vec<Option<Entry>>,
    free: Vec<u32>,
    buckets: HashMap<u64, Vec<u32>>,
    /// Members of each group: an entry joins the group of the most similar entry found
    /// when it is inserted, or starts one.
    groups: HashMap<u64, HashSet<u32>>,
    next_group: u64,
}

impl Index {
    pub fn insert(&mut self, id: &str, sig: Signature) {
        self.remove(id);
        let group = match self.best_slot(&sig, None) {
            Some((slot, _)) => self.entries[slot as usize].as_ref().map_or(0, |e| e.group),
            None => {
                self.next_group += 1;
                self.next_group
            }
        };
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.entries.push(None);
                (self.entries.len() - 1) as u32
            }
        };
        for b in 0..BANDS {
            let bucket = self.buckets.entry(band_key(&sig, b)).or_default();
            if bucket.len() < BUCKET {
                bucket.push(slot);
            }
        }
        self.groups.entry(group).or_default().insert(slot);
        self.entries[slot as usize] = Some(Entry { id: id.to_string(), sig, group });
        self.slots.insert(id.to_string(), slot);
    }

    pub fn remove(&mut self, id: &str) {
        let Some(slot) = self.slots.remove(id) else { return };
        if let Some(e) = self.entries[slot as usize].take() {
            for b in 0..BANDS {
                let key = band_key(&e.sig, b);
                if let Some(v) = self.buckets.get_mut(&key) {
                    v.retain(|&x| x != slot);
                    if v.is_empty() {
                        self.buckets.remove(&key);
                    }
                }
            }
            if let Some(members) = self.groups.get_mut(&e.group) {
                members.remove(&slot);
                if members.is_empty() {
                    self.groups.remove(&e.group);
                }
            }
        }
        self.free.push(slot);
    }

    /// Slots sharing a band with `sig`, other than `except`, each with its entry (a slot
    /// may come once per shared band).
    fn candidates<'a>(
        &'a self,
        sig: &'a Signature,
        except: Option<u32>,
    ) -> impl Iterator<Item = (u32, &'a Entry)> + 'a {
        (0..BANDS)
            .flat_map(move |b| self.buckets.get(&band_key(sig, b)).into_iter().flatten())
            .filter(move |&&slot| Some(slot) != except)
            .filter_map(|&slot| self.entries[slot as usize].as_ref().map(|e| (slot, e)))
    }

    /// The most similar candidate at or above [`THRESHOLD`] (ties: the smaller id).
    fn best_slot(&self, sig: &Signature, except: Option<u32>) -> Option<(u32, f64)> {
        let mut best: Option<(u32, &str, f64)> = None;
        for (slot, e) in self.candidates(sig, except) {
            let s = similarity(sig, &e.sig);
            if s >= THRESHOLD && best.is_none_or(|(_, bid, bs)| s > bs || (s == bs && e.id.as_str() < bid)) {
                best = Some((slot, &e.id, s));
            }
        }
        best.map(|(slot, _, s)| (slot, s))
    }

    /// The most similar other entry at or above [`THRESHOLD`], if any (ties: the
    /// smaller id). Looks only in the buckets, so it costs the same however many
    /// near-duplicates are indexed.
    pub fn best(&self, sig: &Signature, except: &str) -> Option<(String, f64)> {
        let (slot, s) = self.best_slot(sig, self.slots.get(except).copied())?;
        self.entries[slot as usize].as_ref().map(|e| (e.id.clone(), s))
    }

    /// Every other entry at or above [`THRESHOLD`]: those in its buckets, and the
    /// members of the group `except` belongs to (which hold the near-duplicates the
    /// full buckets did not take). Costs the size of that group.
    pub fn similar(&self, sig: &Signature, except: &str) -> Vec<(String, f64)> {
        let skip = self.slots.get(except).copied();
        let group = skip
            .and_then(|slot| self.entries[slot as usize].as_ref())
            .and_then(|e| self.groups.get(&e.group))
            .into_iter()
            .flatten()
            .filter_map(|&slot| self.entries[slot as usize].as_ref().map(|e| (slot, e)));
        let mut seen = HashSet::default();
        let mut out = Vec::new();
        for (slot, e) in self.candidates(sig, skip).chain(group) {
            if Some(slot) != skip && seen.insert(slot) {
                let s = similarity(sig, &e.sig);
                if s >= THRESHOLD {
                    out.push((e.id.clone(), s));
                }
            }
        }
        out
    }

    /// The signature stored for an entry.
    pub fn get(&self, id: &str) -> Option<&Signature> {
        let slot = *self.slots.get(id)?;
        self.entries[slot as usize].as_ref().map(|e| &e.sig)
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
    fn places_are_the_two_letters_before_a_place_ending_and_not_after_punctuation() {
        let set = |t: &str| places(&t.chars().collect::<Vec<_>>());
        assert_eq!(set("枫香坪村的水"), set("在枫香坪村"), "the same place, wherever it stands");
        assert_ne!(set("枫香坪村"), set("胡家溪村"));
        assert_eq!(set("三天，村民生活"), [0; PLACES], "村 after a comma names no place");
        assert_eq!(set("村"), [0; PLACES]);
        assert_eq!(set("村里通组道路年久失修，小区和农村"), [0; PLACES], "common words name no place");
        let (a, b) =
            (signature("枫香坪村停水三天村民生活困难").unwrap(), signature("胡家溪村停水三天村民生活困难").unwrap());
        assert_eq!(similarity(&a, &b), 0.0, "the same complaint about another village");
        let c = signature("转发：枫香坪村停水三天村民生活困难！").unwrap();
        assert!(similarity(&a, &c) >= THRESHOLD, "a repost names the same village");
        // One template from several villages (the tester's): a common word (道路) in every
        // copy is no place they share.
        let from = |town: &str, village: &str| {
            format!(
                "我是{town}{village}村民，村里通组道路年久失修，雨天泥泞不堪，村民出行困难，学生上学不便，希望政府尽快安排硬化。"
            )
        };
        let villages = [("官庄镇", "长坪村"), ("凉水井镇", "清水村"), ("麻溪铺镇", "杨柳村"), ("筲箕湾镇", "桃坪村")];
        let sigs: Vec<Signature> = villages.iter().map(|(t, v)| signature(&from(t, v)).unwrap()).collect();
        for (i, a) in sigs.iter().enumerate() {
            for b in &sigs[i + 1..] {
                assert_eq!(similarity(a, b), 0.0, "different villages' own requests");
            }
        }
        let again = signature(&format!("转发 {}", from("官庄镇", "长坪村"))).unwrap();
        assert!(similarity(&sigs[0], &again) >= THRESHOLD, "a repost of one of them still matches it");
    }

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
        assert!(ix.is_empty() && ix.buckets.is_empty() && ix.groups.is_empty(), "nothing empty is left behind");
    }

    #[test]
    fn a_storm_of_reposts_keeps_buckets_bounded_and_is_grouped_whole() {
        let mut ix = Index::default();
        for i in 0..2_000 {
            ix.insert(&format!("A.{i}"), signature(&format!("{REPOST}{}", i % 3)).unwrap());
        }
        ix.insert("B.1", signature(OTHER).unwrap());
        assert!(ix.buckets.values().all(|b| b.len() <= BUCKET), "buckets stay bounded");
        assert!(ix.candidates(&signature(&format!("{REPOST}0")).unwrap(), None).count() <= BANDS * BUCKET);
        let sig = signature(POST).unwrap();
        assert!(ix.best(&sig, "A.0").is_some());
        let group = ix.similar(ix.get("A.1999").unwrap(), "A.1999");
        assert_eq!(group.len(), 1_999, "every other repost, though most are in no bucket");
        ix.remove("A.1999");
        assert_eq!(ix.similar(ix.get("A.5").unwrap(), "A.5").len(), 1_998);
    }
}
