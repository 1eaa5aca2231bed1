//! A multimap from a hash key to the paragraphs that carry it. Nearly every key of a newsroom
//! belongs to one paragraph (a band key of an original paragraph), so a key with one posting
//! costs one small map entry and only keys shared by several paragraphs get a list.

use std::collections::hash_map::Entry;
use std::hash::Hash;

use rustc_hash::FxHashMap;

/// One paragraph of one indexed draft: the draft's slot and the paragraph's position in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Posting {
    pub draft: u32,
    pub paragraph: u32,
}

/// Marks a key whose postings live in the shared lists. No draft gets slot `u32::MAX`.
const SHARED: Posting = Posting {
    draft: u32::MAX,
    paragraph: u32::MAX,
};

pub(crate) struct PostingMap<K> {
    single: FxHashMap<K, Posting>,
    shared: FxHashMap<K, Vec<Posting>>,
}

impl<K> Default for PostingMap<K> {
    fn default() -> Self {
        PostingMap {
            single: FxHashMap::default(),
            shared: FxHashMap::default(),
        }
    }
}

impl<K: Hash + Eq + Copy> PostingMap<K> {
    pub fn insert(&mut self, key: K, posting: Posting) {
        match self.single.entry(key) {
            Entry::Vacant(slot) => {
                slot.insert(posting);
            }
            Entry::Occupied(slot) if *slot.get() == SHARED => {
                self.shared.entry(key).or_default().push(posting)
            }
            Entry::Occupied(mut slot) => {
                let first = slot.insert(SHARED);
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
                let Some(list) = self.shared.get_mut(&key) else {
                    return;
                };
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

/// A set of draft slots, for visiting each draft once while walking postings: a paragraph
/// repeated in thousands of drafts (a standard closing line) has thousands of postings under
/// its fingerprint and under each of its band keys.
pub(crate) struct DraftSet {
    words: Vec<u64>,
    /// The words that hold a bit: clearing the set (once per paragraph looked up) touches only
    /// those, not a word per draft of the workspace.
    touched: Vec<usize>,
}

impl DraftSet {
    /// An empty set for slots `0..slots`.
    pub fn new(slots: usize) -> DraftSet {
        DraftSet {
            words: vec![0; slots.div_ceil(64)],
            touched: Vec::new(),
        }
    }

    /// Adds `draft`; `false` if it was there already. Slots past the set's size are never
    /// added (and reported as present, so they are not visited).
    pub fn insert(&mut self, draft: u32) -> bool {
        let at = draft as usize / 64;
        let Some(word) = self.words.get_mut(at) else {
            return false;
        };
        if *word == 0 {
            self.touched.push(at);
        }
        let bit = 1u64 << (draft % 64);
        let added = *word & bit == 0;
        *word |= bit;
        added
    }

    pub fn contains(&self, draft: u32) -> bool {
        self.words
            .get(draft as usize / 64)
            .is_none_or(|word| word & (1u64 << (draft % 64)) != 0)
    }

    pub fn clear(&mut self) {
        for at in self.touched.drain(..) {
            if let Some(word) = self.words.get_mut(at) {
                *word = 0;
            }
        }
    }

    /// The drafts in the set, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0u32..)
            .step_by(64)
            .zip(&self.words)
            .flat_map(|(base, &word)| {
                let mut rest = word;
                std::iter::from_fn(move || {
                    (rest != 0).then(|| {
                        let bit = rest.trailing_zeros();
                        rest &= rest - 1;
                        base + bit
                    })
                })
            })
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
    fn draft_set_visits_each_draft_once_in_order() {
        let mut set = DraftSet::new(130);
        assert!(set.insert(129));
        assert!(set.insert(3));
        assert!(!set.insert(3));
        assert!(set.contains(129) && !set.contains(4));
        assert_eq!(set.iter().collect::<Vec<_>>(), [3, 129]);
        set.clear();
        assert_eq!(set.iter().count(), 0);
        assert!(!set.insert(500), "out of range is never added");
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
