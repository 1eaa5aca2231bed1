//! MinHash signatures and LSH banding, to find near-duplicate paragraphs without comparing all
//! pairs.
//!
//! The signature is made of [`SKETCHES`] independent one-permutation MinHash sketches (Li, Owen
//! & Zhang 2012) of [`SKETCH_BINS`] bins each, with optimal densification (Shrivastava 2017):
//! a shingle hash is spread into one 32-bit word per sketch, whose top bits pick a bin and whose
//! remaining bits compete for that bin's minimum; an empty bin borrows the value of the first
//! filled bin along a fixed pseudo-random probe sequence. Two paragraphs then agree on each bin
//! with probability equal to their Jaccard similarity, at the cost of a few operations per
//! shingle instead of one hash per shingle and permutation. Several small sketches rather than
//! one wide one keep most bins filled for paragraphs of a few dozen words, so densification
//! (the costly part) has little to do.
//!
//! Each sketch's bins are grouped into bands of [`ROWS`]; paragraphs that agree on a whole band
//! become candidate pairs. With 32 bands of 4, a pair at Jaccard 0.6 becomes a candidate with
//! probability 1 - (1 - 0.6^4)^32 ≈ 0.99 (≈ 0.87 at 0.5, ≈ 1 at 0.7 and above), and a pair at
//! 0.05 with probability ≈ 0.0002, so the exact comparison that follows sees few pairs.
//! Thresholds well below 0.5 lose recall.

pub const SKETCHES: usize = 4;
pub const SKETCH_BINS: usize = 32;
pub const ROWS: usize = 4;
pub const BANDS: usize = SKETCHES * SKETCH_BINS / ROWS;

/// One 32-bit key per band: two paragraphs with an equal key in some band are candidates.
pub type BandKeys = [u32; BANDS];

const BIN_BITS: u32 = SKETCH_BINS.trailing_zeros();
const VALUE_MASK: u32 = u32::MAX >> BIN_BITS;
const EMPTY: u32 = u32::MAX;
const PROBE_ATTEMPTS: usize = 16;

/// For each bin, the bins an empty bin looks at in turn. Fixed, so that every paragraph
/// densifies the same way and agreement stays an unbiased estimate of similarity.
static PROBES: [[u8; PROBE_ATTEMPTS]; SKETCH_BINS] = probe_table();

const fn probe_table() -> [[u8; PROBE_ATTEMPTS]; SKETCH_BINS] {
    let mut table = [[0u8; PROBE_ATTEMPTS]; SKETCH_BINS];
    let mut bin = 0;
    while bin < SKETCH_BINS {
        let mut attempt = 0;
        while attempt < PROBE_ATTEMPTS {
            let h = splitmix64(((bin as u64) << 32) | attempt as u64);
            table[bin][attempt] = (h >> (64 - BIN_BITS)) as u8;
            attempt += 1;
        }
        bin += 1;
    }
    table
}

/// Per-band seeds, so that equal rows in two different bands never give equal keys.
static BAND_SEEDS: [u64; BANDS] = band_seeds();

const fn band_seeds() -> [u64; BANDS] {
    let mut seeds = [0u64; BANDS];
    let mut band = 0;
    while band < BANDS {
        seeds[band] = splitmix64(0x6261_6e64_0000_0000 | band as u64);
        band += 1;
    }
    seeds
}

const fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One one-permutation sketch: bin minimums and which bins a shingle reached.
#[derive(Clone, Copy)]
struct Sketch {
    bins: [u32; SKETCH_BINS],
    filled: u32,
}

impl Sketch {
    const EMPTY: Sketch = Sketch {
        bins: [EMPTY; SKETCH_BINS],
        filled: 0,
    };

    #[inline]
    fn add(&mut self, word: u32) {
        let bin = (word >> (32 - BIN_BITS)) as usize & (SKETCH_BINS - 1);
        self.bins[bin] = self.bins[bin].min(word & VALUE_MASK);
        self.filled |= 1 << bin;
    }

    /// Fills every empty bin from its first filled probe. Only bins filled by shingles are
    /// donors (`filled` is not updated), as optimal densification requires.
    fn densify(&mut self) {
        let filled = self.filled;
        let mut empty = !filled;
        while empty != 0 {
            let bin = empty.trailing_zeros() as usize & (SKETCH_BINS - 1);
            empty &= empty - 1;
            let donor = PROBES[bin]
                .iter()
                .map(|&probe| usize::from(probe) & (SKETCH_BINS - 1))
                .find(|&probe| filled & (1 << probe) != 0)
                // Sparse sketches can miss on every probe: fall back to the next filled bin,
                // which is just as fixed a rule.
                .unwrap_or_else(|| {
                    let after = filled.rotate_right(bin as u32 + 1).trailing_zeros() as usize;
                    (bin + 1 + after) & (SKETCH_BINS - 1)
                });
            self.bins[bin] = self.bins[donor];
        }
    }
}

/// Accumulates a MinHash signature from shingle hashes.
#[derive(Clone)]
pub struct SignatureBuilder {
    sketches: [Sketch; SKETCHES],
}

impl Default for SignatureBuilder {
    fn default() -> Self {
        SignatureBuilder {
            sketches: [Sketch::EMPTY; SKETCHES],
        }
    }
}

impl SignatureBuilder {
    /// Adds one shingle hash (a well-mixed 64-bit hash).
    #[inline]
    pub fn add(&mut self, shingle: u64) {
        // Four independent 32-bit words: the shingle's two halves and those of one re-mix.
        let more = splitmix64(shingle);
        let [a, b, c, d] = &mut self.sketches;
        a.add(shingle as u32);
        b.add((shingle >> 32) as u32);
        c.add(more as u32);
        d.add((more >> 32) as u32);
    }

    /// The band keys of the signature, or `None` when no shingle was added; resets the builder.
    pub fn finish(&mut self) -> Option<BandKeys> {
        if self.sketches[0].filled == 0 {
            return None;
        }
        let mut keys = [0u32; BANDS];
        let mut key_slots = keys.iter_mut().zip(&BAND_SEEDS);
        for sketch in &mut self.sketches {
            sketch.densify();
            for rows in sketch.bins.chunks_exact(ROWS) {
                if let Some((key, seed)) = key_slots.next() {
                    *key = band_key(*seed, rows);
                }
            }
        }
        *self = SignatureBuilder::default();
        Some(keys)
    }
}

/// A band's rows folded to 32 bits with a multiply-xorshift mix.
fn band_key(seed: u64, rows: &[u32]) -> u32 {
    let mut h = seed;
    for pair in rows.chunks(2) {
        let low = u64::from(pair.first().copied().unwrap_or(EMPTY));
        let high = u64::from(pair.get(1).copied().unwrap_or(EMPTY));
        h = (h ^ (low | (high << 32))).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        h ^= h >> 29;
    }
    (h.wrapping_mul(0xBF58_476D_1CE4_E5B9) >> 32) as u32
}

/// Pairs `(earlier, later)` of items that agree on at least one band, sorted by `later` then
/// `earlier`, without repeats. `items` must be in ascending id order.
///
/// Within a band every member of a bucket has the same key, so pairing each new member with
/// the bucket's first and its latest member is enough to reach the original of a copy and the
/// nearest link of a chain of rewrites, without the quadratic cost of all pairs in a big bucket.
pub fn candidate_pairs(items: &[(u32, &BandKeys)]) -> Vec<(u32, u32)> {
    // Band-major copy of the keys: each band's pass then reads one small contiguous column
    // instead of striding through every signature.
    let count = items.len();
    let mut columns = vec![0u32; count * BANDS];
    for (row, (_, keys)) in items.iter().enumerate() {
        for (band, &key) in keys.iter().enumerate() {
            if let Some(cell) = columns.get_mut(band * count + row) {
                *cell = key;
            }
        }
    }
    let mut pairs = Vec::new();
    let mut buckets = Buckets::with_room_for(count);
    let mut seen = BitSet::default();
    let mut repeated = BitSet::default();
    for (band, column) in columns.chunks_exact(count.max(1)).enumerate() {
        // Most keys are unique in their band. Two small bitmaps find the few that may not be,
        // so only those touch the (larger, slower) bucket table.
        seen.clear();
        repeated.clear();
        for &key in column {
            if seen.insert(key) {
                repeated.insert(key);
            }
        }
        buckets.start_band(band);
        for (&key, &(id, _)) in column.iter().zip(items) {
            if !repeated.contains(key) {
                continue;
            }
            if let Some((first, latest)) = buckets.join(key, id) {
                pairs.push((first, id));
                if latest != first {
                    pairs.push((latest, id));
                }
            }
        }
    }
    pairs.sort_unstable_by_key(|&(earlier, later)| (later, earlier));
    pairs.dedup();
    pairs
}

/// A set of band keys by their top [`BitSet::BITS`] bits: a key not in it is surely absent,
/// a key in it may share its bits with another. 32 KiB, so it stays in the fastest caches.
struct BitSet {
    words: Vec<u64>,
}

impl BitSet {
    const BITS: u32 = 18;

    fn clear(&mut self) {
        self.words.fill(0);
    }

    /// Adds `key`; returns whether it was (possibly) there already.
    fn insert(&mut self, key: u32) -> bool {
        let bit = key >> (32 - Self::BITS);
        match self.words.get_mut((bit / 64) as usize) {
            Some(word) => {
                let mask = 1u64 << (bit % 64);
                let present = *word & mask != 0;
                *word |= mask;
                present
            }
            None => true,
        }
    }

    fn contains(&self, key: u32) -> bool {
        let bit = key >> (32 - Self::BITS);
        self.words
            .get((bit / 64) as usize)
            .is_none_or(|word| word & (1u64 << (bit % 64)) != 0)
    }
}

impl Default for BitSet {
    fn default() -> Self {
        BitSet {
            words: vec![0; (1usize << Self::BITS) / 64],
        }
    }
}

/// An open-addressing table from band key to the bucket's first and latest member, reused for
/// every band. Band keys are already hashes, so their low bits index the table directly; a
/// slot counts only if stamped with the current band, so moving to the next band clears the
/// table without touching it.
struct Buckets {
    slots: Vec<Slot>,
    stamp: u32,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    stamp: u32,
    key: u32,
    first: u32,
    latest: u32,
}

impl Buckets {
    fn with_room_for(items: usize) -> Self {
        // At most half full, so probe runs stay short.
        let size = (items * 2).next_power_of_two().max(16);
        Buckets {
            slots: vec![Slot::default(); size],
            stamp: 0,
        }
    }

    fn start_band(&mut self, band: usize) {
        self.stamp = u32::try_from(band).unwrap_or(u32::MAX - 1) + 1;
    }

    /// Adds `id` to the bucket of `key`; returns the bucket's first and latest members before
    /// it, if the bucket already had any.
    fn join(&mut self, key: u32, id: u32) -> Option<(u32, u32)> {
        let mask = self.slots.len() - 1;
        let mut at = key as usize & mask;
        for _ in 0..self.slots.len() {
            let slot = self.slots.get_mut(at)?;
            if slot.stamp != self.stamp {
                *slot = Slot {
                    stamp: self.stamp,
                    key,
                    first: id,
                    latest: id,
                };
                return None;
            }
            if slot.key == key {
                let before = (slot.first, slot.latest);
                slot.latest = id;
                return Some(before);
            }
            at = (at + 1) & mask;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_of(shingles: impl IntoIterator<Item = u64>) -> Option<BandKeys> {
        let mut builder = SignatureBuilder::default();
        for s in shingles {
            builder.add(splitmix64(s));
        }
        builder.finish()
    }

    fn agreeing_bands(a: &BandKeys, b: &BandKeys) -> usize {
        a.iter().zip(b).filter(|(x, y)| x == y).count()
    }

    #[test]
    fn no_shingles_means_no_signature() {
        assert_eq!(keys_of([]), None);
    }

    #[test]
    fn equal_sets_agree_on_every_band_in_any_order() {
        let a = keys_of(0..40).unwrap();
        let b = keys_of((0..40).rev()).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn builder_resets_after_finish() {
        let mut builder = SignatureBuilder::default();
        builder.add(splitmix64(1));
        builder.finish();
        assert_eq!(builder.finish(), None);
    }

    #[test]
    fn similar_sets_share_bands_and_disjoint_sets_do_not() {
        // 36 of 44 shingles shared: Jaccard 36/52 ≈ 0.69.
        let a = keys_of(0..44).unwrap();
        let b = keys_of((0..36).chain(1000..1008)).unwrap();
        let c = keys_of(5000..5044).unwrap();
        assert!(agreeing_bands(&a, &b) >= 2, "{}", agreeing_bands(&a, &b));
        assert_eq!(agreeing_bands(&a, &c), 0);
    }

    #[test]
    fn a_single_shingle_fills_every_bin() {
        let one = keys_of([7]).unwrap();
        assert_eq!(one, keys_of([7, 7, 7]).unwrap());
    }

    #[test]
    fn candidate_pairs_link_copies_to_the_first_and_latest_member() {
        let same = keys_of(0..30).unwrap();
        let other = keys_of(100..130).unwrap();
        let items = [(0, &same), (1, &other), (2, &same), (3, &same)];
        assert_eq!(candidate_pairs(&items), vec![(0, 2), (0, 3), (2, 3)]);
    }
}
