//! An index of a fixed set of drafts, built all at once to look those same drafts up: what
//! `galley check` needs, where every draft is both indexed and checked and nothing changes
//! afterwards.
//!
//! A key (fingerprint or LSH band key) that only one paragraph of the set carries can match
//! nothing, and nearly every key of a newsroom is such a key. So the keys are counted first, by
//! sorting them in parallel, and only those carried by two or more paragraphs get postings:
//! the maps stay small enough to live in cache, which makes building and looking up several
//! times faster than the general [`Index`], whose postings must cover every key for later
//! changes.

use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::index::{DraftInfo, Index, LoadedDraft};
use crate::config::Config;
use crate::draft::Draft;
use crate::finding::Finding;

/// The workspace index of a fixed set of drafts, for looking up those drafts only.
pub struct BatchIndex {
    index: Index,
}

impl BatchIndex {
    /// Indexes `drafts` (later drafts replace earlier ones under the same path).
    pub fn new(drafts: Vec<LoadedDraft>) -> BatchIndex {
        let fingerprints = shared(
            drafts
                .par_iter()
                .flat_map_iter(|d| d.keys().map(|(fingerprint, _)| fingerprint))
                .collect(),
        );
        let bands = shared(
            drafts
                .par_iter()
                .flat_map_iter(|d| d.keys().flat_map(|(_, bands)| bands.iter().copied()))
                .collect(),
        );
        let mut index = Index::new();
        for loaded in drafts {
            index.put_where(
                loaded,
                |fingerprint| fingerprints.contains(&fingerprint),
                |band| bands.contains(&band),
            );
        }
        BatchIndex { index }
    }

    /// The `cross-draft-duplicate` findings of one of the indexed drafts, as
    /// [`Index::cross_draft_findings`] gives them.
    pub fn cross_draft_findings(
        &self,
        path: &Path,
        text: &str,
        draft: &Draft,
        config: &Config,
    ) -> Vec<Finding> {
        self.index.cross_draft_findings(path, text, draft, config)
    }

    pub fn draft_info(&self, path: &Path) -> Option<&DraftInfo> {
        self.index.draft_info(path)
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
}

/// The keys that occur more than once.
fn shared<K: Ord + Copy + Send + std::hash::Hash + Eq>(mut keys: Vec<K>) -> FxHashSet<K> {
    keys.par_sort_unstable();
    keys.windows(2)
        .filter(|pair| pair[0] == pair[1])
        .map(|pair| pair[0])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_repeated_keys_are_shared() {
        let found = shared(vec![5u32, 1, 9, 5, 7, 1, 5]);
        assert_eq!(found, FxHashSet::from_iter([1, 5]));
        assert!(shared(Vec::<u64>::new()).is_empty());
    }
}
