//! Triage hints kept beside the model: what the rules say about each queued item, and
//! which open case or queued item it nearly repeats. Updated with the model's changes,
//! not while drawing.

use super::model::Model;
use crate::triage::similar::{Index, signature};
use crate::triage::{Assessment, Matcher, Rule, item_text};
use std::collections::{HashMap, HashSet};

/// The console's triage state.
pub struct Triage {
    pub matcher: Matcher,
    /// Queued items and open cases (`case:` prefix) by signature.
    index: Index,
    /// Rule hints per queued item.
    pub hints: HashMap<String, Assessment>,
    /// The open case or queued item each queued item most resembles, with the score.
    pub similar: HashMap<String, (String, f64)>,
    cases: HashSet<String>,
}

impl Triage {
    pub fn new(rules: Vec<Rule>) -> Triage {
        Triage {
            matcher: Matcher::new(rules),
            index: Index::default(),
            hints: HashMap::new(),
            similar: HashMap::new(),
            cases: HashSet::new(),
        }
    }

    /// Brings the hints up to date with what changed in the model since the last call:
    /// items that arrived are assessed and indexed, items and cases that left dropped.
    pub fn sync(&mut self, model: &mut Model) {
        let (items, cases) = model.take_changes();
        for no in cases {
            let key = format!("case:{no}");
            match model.cases.get(&no) {
                Some(c) if self.cases.insert(no.clone()) => {
                    if let Some(sig) = signature(&c.title) {
                        self.index.insert(&key, sig);
                    }
                }
                Some(_) => {}
                None => {
                    self.cases.remove(&no);
                    self.index.remove(&key);
                }
            }
        }
        for id in items {
            let Some(it) = model.items.get(&id) else {
                self.hints.remove(&id);
                self.similar.remove(&id);
                self.index.remove(&id);
                continue;
            };
            if self.hints.contains_key(&id) {
                continue;
            }
            let text = item_text(&it.fields.title, &it.fields.body);
            self.hints.insert(id.clone(), self.matcher.assess(&text));
            if let Some(sig) = signature(&text) {
                if let Some((other, score)) = self.index.best(&sig, &id) {
                    self.similar.insert(id.clone(), (other.trim_start_matches("case:").to_string(), score));
                }
                self.index.insert(&id, sig);
            }
        }
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
