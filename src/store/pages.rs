//! Pages: JSON arrays of consecutive numbered records (events by sequence, items by
//! number) under one key each, `family/<console>\0<first number>`. A page is found
//! for a number as the greatest page key at or below it; a new record joins the last
//! page of its console when it continues it and the page is not full (by count or by
//! bytes).

use super::keys;
use super::read::decode;
use super::{Store, StoreError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

/// About how many bytes a record takes in its page.
pub trait Weigh {
    fn weight(&self) -> usize;
}

impl Weigh for crate::domain::codec::Recorded {
    fn weight(&self) -> usize {
        self.raw().len()
    }
}

impl Weigh for crate::domain::item::Item {
    fn weight(&self) -> usize {
        self.fields.title.len() + self.fields.body.len() + 256
    }
}

/// The pages of one family changed by the writer's current group.
pub struct Pages<T> {
    family: &'static [u8],
    /// How many records, and bytes of JSON, a page of this family takes at most.
    limit: (usize, usize),
    touched: BTreeMap<Vec<u8>, Vec<T>>,
    /// Per console, the key of its last page, once [`Pages::add`] has found or made it
    /// in this group: records are added in runs, and finding the last page in the
    /// database for each one cost a sixth of the writer's time.
    tails: std::collections::HashMap<String, Vec<u8>>,
}

impl<T: Serialize + DeserializeOwned + Clone + Weigh> Pages<T> {
    /// The pages of `family`, each of at most `limit` (records, bytes of JSON).
    pub fn new(family: &'static [u8], limit: (usize, usize)) -> Self {
        Pages { family, limit, touched: BTreeMap::new(), tails: Default::default() }
    }

    /// The key of the page that would hold number `n` of `console`.
    pub fn locate(&self, store: &Store, console: &str, n: u64) -> Result<Option<Vec<u8>>, StoreError> {
        let stored = store.page_key(self.family, console, n)?;
        let lo = keys::page_prefix(self.family, console);
        let hi = keys::page(self.family, console, n);
        let pending = self.touched.range(lo..=hi).next_back().map(|(k, _)| k.clone());
        Ok(stored.max(pending))
    }

    /// Reads the page that would hold `n` (pending version first) and applies `f` to it.
    pub fn find<R>(
        &self,
        store: &Store,
        console: &str,
        n: u64,
        f: impl Fn(&[T]) -> Option<R>,
    ) -> Result<Option<R>, StoreError> {
        let Some(k) = self.locate(store, console, n)? else { return Ok(None) };
        if let Some(page) = self.touched.get(&k) {
            return Ok(f(page));
        }
        let page: Vec<T> = store.get_json(&k)?.unwrap_or_default();
        Ok(f(&page))
    }

    /// The page under `key`, loaded for change.
    pub fn get_mut(&mut self, store: &Store, key: &[u8]) -> Result<&mut Vec<T>, StoreError> {
        if !self.touched.contains_key(key) {
            let page: Vec<T> = match store.db.get(key)? {
                Some(v) => decode(key, &v)?,
                None => Vec::new(),
            };
            self.touched.insert(key.to_vec(), page);
        }
        Ok(self.touched.entry(key.to_vec()).or_default())
    }

    /// Adds record number `n` of `console`; `num` reads a record's number.
    pub fn add(
        &mut self,
        store: &Store,
        console: &str,
        n: u64,
        value: T,
        num: impl Fn(&T) -> u64,
    ) -> Result<(), StoreError> {
        let tail = match self.tails.get(console) {
            Some(k) => Some(k.clone()),
            None => self.locate(store, console, u64::MAX)?,
        };
        if let Some(k) = tail {
            let (records, bytes) = self.limit;
            let page = self.get_mut(store, &k)?;
            let room = page.len() < records && page.iter().map(Weigh::weight).sum::<usize>() < bytes;
            if room && page.last().is_some_and(|last| num(last) + 1 == n) {
                page.push(value);
                self.tails.insert(console.to_string(), k);
                return Ok(());
            }
        }
        let k = keys::page(self.family, console, n);
        self.touched.insert(k.clone(), vec![value]);
        self.tails.insert(console.to_string(), k);
        Ok(())
    }

    /// Every changed page, emptying the set.
    pub fn drain(&mut self) -> BTreeMap<Vec<u8>, Vec<T>> {
        self.tails.clear();
        std::mem::take(&mut self.touched)
    }

    pub fn is_empty(&self) -> bool {
        self.touched.is_empty()
    }
}
