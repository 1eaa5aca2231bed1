//! Word bigram shingles: a paragraph as the set of its consecutive word pairs, each hashed to 64
//! bits from the seeded xxh3 hashes of its two words. Word pairs keep some word order (a
//! reshuffled bag of the same words is not a copy) and are robust to a few reworded words, which
//! change only the pairs they touch.

use xxhash_rust::xxh3::xxh3_64_with_seed;

const WORD_SEED: u64 = 0x7368_696e_676c_6501;
const BIGRAM_SEED: u64 = 0x7368_696e_676c_6502;

/// Feeds the hash of every bigram of `words` to `sink`, in order and with repeats, and returns
/// the number of words.
pub fn for_each_bigram<'a>(
    words: impl Iterator<Item = &'a [u8]>,
    mut sink: impl FnMut(u64),
) -> usize {
    let mut count = 0;
    let mut previous: Option<u64> = None;
    for word in words {
        count += 1;
        let current = xxh3_64_with_seed(word, WORD_SEED);
        if let Some(previous) = previous {
            sink(bigram_hash(previous, current));
        }
        previous = Some(current);
    }
    count
}

/// The set of bigram hashes of `words`, sorted and without repeats, for an exact Jaccard
/// similarity.
pub fn bigram_set<'a>(words: impl Iterator<Item = &'a [u8]>) -> Vec<u64> {
    let mut set = Vec::new();
    for_each_bigram(words, |hash| set.push(hash));
    set.sort_unstable();
    set.dedup();
    set
}

/// Combines two seeded-xxh3 word hashes into the bigram's hash. The words are already well
/// hashed, so a multiply-xorshift finaliser (order-sensitive through the rotation) is enough and
/// costs a fraction of a second xxh3 call per word.
fn bigram_hash(first: u64, second: u64) -> u64 {
    let mut h = first.rotate_left(31) ^ second ^ BIGRAM_SEED;
    h = (h ^ (h >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^ (h >> 31)
}

/// Jaccard similarity of two sorted, repeat-free sets as `(shared, union)` counts, so callers
/// can compare against a threshold or print a percentage without rounding surprises. Generic
/// so the full 64-bit bigram sets here and the workspace index's compact 32-bit ones share it.
pub fn jaccard_counts<T: Ord + Copy>(a: &[T], b: &[T]) -> (usize, usize) {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (shared, a.len() + b.len() - shared)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str) -> Vec<u64> {
        bigram_set(text.split(' ').map(str::as_bytes))
    }

    #[test]
    fn counts_words_and_yields_one_bigram_per_adjacent_pair() {
        let mut bigrams = Vec::new();
        let count = for_each_bigram("uno dos tres cuatro".split(' ').map(str::as_bytes), |h| {
            bigrams.push(h)
        });
        assert_eq!(count, 4);
        assert_eq!(bigrams.len(), 3);
    }

    #[test]
    fn bigrams_depend_on_word_order() {
        assert_ne!(set("perro muerde hombre"), set("hombre muerde perro"));
    }

    #[test]
    fn a_bigram_is_not_the_concatenation_of_its_words() {
        assert_ne!(set("ab c"), set("a bc"));
    }

    #[test]
    fn repeated_bigrams_count_once() {
        assert_eq!(set("ja ja ja ja").len(), 1);
    }

    #[test]
    fn jaccard_counts_shared_and_union() {
        let a = set("a b c d e");
        let b = set("a b c x e");
        // a-b and b-c are shared; c-d, d-e, c-x, x-e are not.
        assert_eq!(jaccard_counts(&a, &b), (2, 6));
        assert_eq!(jaccard_counts(&a, &a), (4, 4));
        assert_eq!(jaccard_counts::<u64>(&[], &[]), (0, 0));
    }
}
