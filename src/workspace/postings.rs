//! A multimap from a hash key to the paragraphs that carry it. Nearly every key of a newsroom
//! belongs to one paragraph (a band key of an original paragraph), so a key with one posting
//! costs one small map entry and only keys shared by several paragraphs get a list.

use std::hash::Hash;

use rustc_hash::FxHashMap;

/// One paragraph of one indexed draft: the draft's slot and the paragraph's position in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Posting {
    pub draft: u32,
    pub paragraph: u32,
}

/// Marks a key whose postings live in the shared lists. No draft gets slot `u32::MAX`.
const SHARED: Posting = Posting { draft: u32::MAX, paragraph: u32::MAX };

pub(crate) struct PostingMap<K> {
    single: FxHashMap<K, Posting>,
    shared: FxHashMap<K, Vec<Posting>>,
}

impl<K> Default for PostingMap<K> {
    fn default() -> Self {
        PostingMap { single: FxHashMap::default(), shared: FxHashMap::default() }
    }
}

impl<K: Hash + Eq + Copy> PostingMap<K> {
    pub fn insert(&mut self, key: K, posting: Posting) {
        match self.single.get_mut(&key) {
            None => {
                self.single.insert(key, posting);
            }
            Some(slot) if *slot == SHARED => self.shared.entry(key).or_default().push(posting),
            Some(slot) => {
                let first = std::mem::replace(slot, SHARED);
                self.shared.insert(key, vec![first, posting]);
            }
        }
    }

    /// Removes one occurrence of `posting` under `key`, if there.
    pub fn remove(&mut self, key: K, posting: Posting) {
        match self.single.get(&key) {
            Some(&slot) if slot == posting => {
                self.single.remove(&key);
            }
            Some(&SHARED) => {
                let Some(list) = self.shared.get_mut(&key) else { return };
                if let Some(at) = list.iter().position(|p| *p == posting) {
                    list.swap_remove(at);
                }
                match list.as_slice() {
                    [] => {
                        self.shared.remove(&key);
                        self.single.remove(&key);
                    }
                    [last] => {
                        let last = *last;
                        self.shared.remove(&key);
                        self.single.insert(key, last);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// The postings under `key`, in no particular order.
    pub fn get(&self, key: K) -> &[Posting] {
        match self.single.get(&key) {
            None => &[],
            Some(slot) if *slot == SHARED => self.shared.get(&key).map_or(&[], Vec::as_slice),
            Some(slot) => std::slice::from_ref(slot),
        }
    }

    pub fn reserve(&mut self, additional: usize) {
        self.single.reserve(additional);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(draft: u32, paragraph: u32) -> Posting {
        Posting { draft, paragraph }
    }

    fn sorted(map: &PostingMap<u64>, key: u64) -> Vec<Posting> {
        let mut list = map.get(key).to_vec();
        list.sort();
        list
    }

    #[test]
    fn keeps_one_posting_inline_and_several_in_a_list() {
        let mut map = PostingMap::default();
        map.insert(7, p(0, 1));
        assert_eq!(map.get(7), [p(0, 1)]);
        map.insert(7, p(2, 0));
        map.insert(7, p(3, 4));
        assert_eq!(sorted(&map, 7), [p(0, 1), p(2, 0), p(3, 4)]);
        assert!(map.get(8).is_empty());
    }

    #[test]
    fn removing_down_to_one_posting_moves_it_back_inline() {
        let mut map = PostingMap::default();
        map.insert(7, p(0, 1));
        map.insert(7, p(2, 0));
        map.remove(7, p(0, 1));
        assert_eq!(map.get(7), [p(2, 0)]);
        assert!(map.shared.is_empty());
        map.remove(7, p(2, 0));
        assert!(map.get(7).is_empty());
        assert!(map.single.is_empty());
    }

    #[test]
    fn removing_an_absent_posting_changes_nothing() {
        let mut map = PostingMap::default();
        map.insert(7, p(0, 1));
        map.remove(7, p(5, 5));
        map.remove(9, p(0, 1));
        assert_eq!(map.get(7), [p(0, 1)]);
    }

    #[test]
    fn a_posting_inserted_twice_is_removed_once_per_removal() {
        let mut map = PostingMap::default();
        map.insert(7, p(1, 1));
        map.insert(7, p(1, 1));
        map.remove(7, p(1, 1));
        assert_eq!(map.get(7), [p(1, 1)]);
    }
}
