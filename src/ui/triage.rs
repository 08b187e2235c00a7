//! Triage hints kept beside the model: what the rules say about each queued item, and
//! which open case or queued item it nearly repeats. An open case is known by its title
//! and by the texts of its items (`case:A-0001:A.1`), so a repost that arrives after its
//! post became a case is matched to that case. Updated with the model's changes,
//! not while drawing. Items are assessed in the order they were received, so the hints
//! after a restart are the ones the console showed before; at start-up the queue waits
//! in a backlog that the event loop works through between frames, so the first frame
//! does not wait for a large queue's hints.

use super::model::Model;
use crate::triage::similar::{Index, signature};
use crate::triage::{Assessment, Matcher, Rule, item_text};
use std::collections::{HashMap, HashSet, VecDeque};

/// The console's triage state.
pub struct Triage {
    pub matcher: Matcher,
    /// Queued items and open cases (`case:` prefix) by signature.
    index: Index,
    /// Rule hints per queued item.
    pub hints: HashMap<String, Assessment>,
    /// The open case or queued item each queued item most resembles, with the score.
    pub similar: HashMap<String, (String, f64)>,
    /// The reverse of `similar`: the queued items that name each item or case, so that
    /// when it leaves their hints follow it into its case or find the next best.
    named_by: HashMap<String, HashSet<String>>,
    cases: HashSet<String>,
    /// The signatures of open cases' items, by index key `case:NO:ID`: kept across a
    /// reset, dropped when the case closes.
    case_items: HashMap<String, crate::triage::similar::Signature>,
    /// Queued items still to assess, in the order they were received.
    backlog: VecDeque<String>,
}

impl Triage {
    pub fn new(rules: Vec<Rule>) -> Triage {
        Triage {
            matcher: Matcher::new(rules),
            index: Index::default(),
            hints: HashMap::new(),
            similar: HashMap::new(),
            named_by: HashMap::new(),
            cases: HashSet::new(),
            case_items: HashMap::new(),
            backlog: VecDeque::new(),
        }
    }

    /// Follows what changed in the model since the last call: items and cases that
    /// left are dropped, and as many items are assessed as arrived — all of them, unless
    /// a backlog from start-up is still being worked through, which goes first.
    pub fn sync(&mut self, model: &mut Model) {
        let arrived = self.take(model);
        self.work(model, arrived);
    }

    /// Starts again on a model loaded anew: everything is assessed afresh, in the order
    /// of arrival, so the hints are those of a console that had seen the whole queue.
    pub fn reset(&mut self, model: &mut Model) {
        self.index = Index::default();
        self.hints.clear();
        self.similar.clear();
        self.named_by.clear();
        self.cases.clear();
        self.backlog.clear();
        for (key, sig) in &self.case_items {
            self.index.insert(key, sig.clone());
        }
        model.touch_all();
        self.take(model);
    }

    /// Takes the model's changes: cases are indexed or dropped and items that left are
    /// dropped at once; items that arrived join the backlog in the order they were
    /// received (after what is already waiting, so the order stays that of arrival).
    /// Returns how many joined.
    pub fn take(&mut self, model: &mut Model) -> usize {
        let (items, cases) = model.take_changes();
        for no in cases {
            let key = format!("case:{no}");
            match model.cases.get(&no) {
                Some(c) if self.cases.insert(no.clone()) => {
                    if let Some(sig) = signature(&c.title) {
                        self.index.insert(&key, sig.clone());
                        // A case back in the open cases (reopened): the items like it
                        // name it again.
                        self.offer(&key, &sig);
                    }
                }
                Some(_) => {}
                None => {
                    self.cases.remove(&no);
                    self.index.remove(&key);
                    let prefix = format!("{key}:");
                    let gone: Vec<String> =
                        self.case_items.keys().filter(|k| k.starts_with(&prefix)).cloned().collect();
                    for k in gone {
                        self.case_items.remove(&k);
                        self.index.remove(&k);
                    }
                    self.repoint(&no, None);
                }
            }
        }
        let mut fresh = Vec::new();
        for id in items {
            match model.items.get(&id) {
                None => {
                    self.hints.remove(&id);
                    self.point(&id, None);
                    // Attached: its text now stands for its case, and hints that named
                    // it name the case.
                    let case = model.cases.values().find(|c| c.items.contains(&id)).map(|c| c.no.clone());
                    let case = case.filter(|no| self.cases.contains(no));
                    if let (Some(no), Some(sig)) = (&case, self.index.get(&id).cloned()) {
                        self.case_item_sig(no, &id, sig);
                    }
                    self.index.remove(&id);
                    self.repoint(&id, case);
                }
                Some(it) if !self.hints.contains_key(&id) => fresh.push((received(it), id)),
                Some(_) => {}
            }
        }
        fresh.sort_unstable();
        fresh.dedup();
        let n = fresh.len();
        self.backlog.extend(fresh.into_iter().map(|(_, id)| id));
        n
    }

    /// Assesses and indexes up to `budget` items of the backlog; true while some wait.
    pub fn work(&mut self, model: &Model, budget: usize) -> bool {
        let mut done = 0;
        while done < budget
            && let Some(id) = self.backlog.pop_front()
        {
            let Some(it) = model.items.get(&id) else { continue };
            if self.hints.contains_key(&id) {
                continue;
            }
            done += 1;
            let text = item_text(&it.fields.title, &it.fields.body);
            self.hints.insert(id.clone(), self.matcher.assess(&text));
            if let Some(sig) = signature(&text) {
                let best = self.index.best(&sig, &id);
                self.point(&id, best);
                self.index.insert(&id, sig);
            }
        }
        self.behind()
    }

    /// Indexes the text of item `id`, held by open case `case`, as that case's (at
    /// start-up, for the cases' items the queue no longer holds; when a case is
    /// reopened, for its items). Queued items that resemble it more than what they name
    /// now name the case. A text known already is left as it is.
    pub fn case_item(&mut self, case: &str, id: &str, text: &str) {
        let key = format!("case:{case}:{id}");
        if self.case_items.contains_key(&key) {
            return;
        }
        if let Some(sig) = signature(text) {
            self.case_item_sig(case, id, sig.clone());
            self.offer(&key, &sig);
        }
    }

    /// True when the texts of open case `case`'s items are to be read (it is open here
    /// and none of them is indexed: it was reopened since the console started).
    pub fn wants_texts(&self, case: &str) -> bool {
        let prefix = format!("case:{case}:");
        self.cases.contains(case) && !self.case_items.keys().any(|k| k.starts_with(&prefix))
    }

    /// A case's text just indexed under `key`: the queued items it resembles more than
    /// what their hint names (or that name nothing) name its case. Only towards the
    /// case, so the order of assessment keeps deciding between queued items.
    fn offer(&mut self, key: &str, sig: &crate::triage::similar::Signature) {
        for (id, score) in self.index.similar(sig, key) {
            if id.starts_with("case:") || !self.hints.contains_key(&id) {
                continue;
            }
            if self.similar.get(&id).is_none_or(|(_, now)| score > *now) {
                self.point(&id, Some((key.to_string(), score)));
            }
        }
    }

    fn case_item_sig(&mut self, case: &str, id: &str, sig: crate::triage::similar::Signature) {
        let key = format!("case:{case}:{id}");
        self.index.insert(&key, sig.clone());
        self.case_items.insert(key, sig);
    }

    /// Sets (or, `None`, clears) what `id` most resembles, as an index key (`case:` for
    /// a case), keeping `named_by` in step.
    fn point(&mut self, id: &str, to: Option<(String, f64)>) {
        if let Some((old, _)) = self.similar.remove(id)
            && let Some(set) = self.named_by.get_mut(&old)
        {
            set.remove(id);
            if set.is_empty() {
                self.named_by.remove(&old);
            }
        }
        if let Some((key, score)) = to {
            // `case:A-0001` and `case:A-0001:A.1` both name the case.
            let name = key.strip_prefix("case:").map_or(key.as_str(), |k| k.split(':').next().unwrap_or(k)).to_string();
            self.named_by.entry(name.clone()).or_default().insert(id.to_string());
            self.similar.insert(id.to_string(), (name, score));
        }
    }

    /// `gone` left the index: the items whose hint named it name `case` instead (with
    /// the same score: they resembled its item), or the best match that remains.
    fn repoint(&mut self, gone: &str, case: Option<String>) {
        for src in self.named_by.remove(gone).unwrap_or_default() {
            let Some(&(_, score)) = self.similar.get(&src) else { continue };
            let to = match &case {
                Some(no) => Some((format!("case:{no}"), score)),
                None => self.index.get(&src).and_then(|sig| self.index.best(sig, &src)),
            };
            self.similar.remove(&src);
            self.point(&src, to);
        }
    }

    /// True while queued items wait to be assessed.
    pub fn behind(&self) -> bool {
        !self.backlog.is_empty()
    }

    /// Queued items (and the item itself) that nearly repeat `id`.
    pub fn group(&self, id: &str) -> Vec<String> {
        let Some(sig) = self.index.get(id) else { return vec![id.to_string()] };
        let mut out: Vec<String> =
            self.index.similar(sig, id).into_iter().map(|(x, _)| x).filter(|x| !x.starts_with("case:")).collect();
        out.push(id.to_string());
        out.sort();
        out
    }

    /// The open case an item most resembles, if that is a case.
    pub fn similar_case(&self, id: &str) -> Option<(String, f64)> {
        self.similar.get(id).filter(|(x, _)| self.cases.contains(x)).cloned()
    }
}

/// An item's place in the order of arrival: when it was received, then its console and
/// number (numerically, so `A.9` comes before `A.10`).
fn received(it: &crate::domain::item::Item) -> (chrono::DateTime<chrono::Utc>, String, u64) {
    let (console, n) = it.id.rsplit_once('.').unwrap_or((&it.id, "0"));
    (it.received_at, console.to_string(), n.parse().unwrap_or(0))
}
