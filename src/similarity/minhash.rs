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
    // Each pair as `later << 32 | earlier`: sorting plain integers is the fastest order.
    let mut pairs: Vec<u64> = Vec::new();
    let mut buckets = Buckets::with_room_for(count);
    let mut counts = KeyCounts::default();
    for (band, column) in columns.chunks_exact(count.max(1)).enumerate() {
        // Most keys are unique in their band. A small table of counts finds the few that may
        // not be, so only those touch the (larger, slower) bucket table.
        counts.clear();
        let mut repeats = 0;
        for &key in column {
            if counts.count(key) {
                repeats += 1;
            }
        }
        // Keys counted twice are the repeats plus at most one first occurrence each.
        buckets.start_band(band, 2 * repeats);
        for (&key, &(id, _)) in column.iter().zip(items) {
            if !counts.repeated(key) {
                continue;
            }
            if let Some((first, latest)) = buckets.join(key, id) {
                pairs.push(u64::from(id) << 32 | u64::from(first));
                if latest != first {
                    pairs.push(u64::from(id) << 32 | u64::from(latest));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
        .into_iter()
        .map(|pair| (pair as u32, (pair >> 32) as u32))
        .collect()
}

/// Band keys counted by their top [`KeyCounts::BITS`] bits, saturating at two: a key counted
/// once is surely unique in its band, a key counted twice may share its bits with another. Two
/// bits per entry in one 32 KiB table, so both questions cost one access to the fastest cache.
struct KeyCounts {
    words: Vec<u64>,
}

impl KeyCounts {
    const BITS: u32 = 17;

    fn clear(&mut self) {
        self.words.fill(0);
    }

    fn slot(key: u32) -> (usize, u32) {
        let entry = key >> (32 - Self::BITS);
        ((entry / 32) as usize, 2 * (entry % 32))
    }

    /// Counts `key`; returns whether it had been counted before.
    fn count(&mut self, key: u32) -> bool {
        let (word, shift) = Self::slot(key);
        match self.words.get_mut(word) {
            Some(word) => {
                let before = (*word >> shift) & 0b11;
                // 0 -> 1 -> 2, then stays at 2.
                *word |= (before + 1).min(2) << shift;
                before != 0
            }
            None => true,
        }
    }

    /// Whether `key` (or another key with its top bits) was counted more than once.
    fn repeated(&self, key: u32) -> bool {
        let (word, shift) = Self::slot(key);
        self.words
            .get(word)
            .is_none_or(|word| (word >> shift) & 0b10 != 0)
    }
}

impl Default for KeyCounts {
    fn default() -> Self {
        KeyCounts {
            words: vec![0; (1usize << Self::BITS) / 32],
        }
    }
}

/// An open-addressing table from band key to the bucket's first and latest member, reused for
/// every band. Band keys are already hashes, so their low bits index the table directly. Each
/// band uses only as many slots as its keys need, so the table stays small and in cache, and a
/// slot counts only if stamped with the current band, so moving to the next band clears the
/// table without touching it.
struct Buckets {
    slots: Vec<Slot>,
    /// The slots in use for the current band, minus one (a power of two minus one).
    mask: usize,
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
        Buckets {
            slots: vec![Slot::default(); table_size(items)],
            mask: 0,
            stamp: 0,
        }
    }

    /// Starts a band in which at most `keys` keys will join.
    fn start_band(&mut self, band: usize, keys: usize) {
        self.stamp = u32::try_from(band).unwrap_or(u32::MAX - 1) + 1;
        self.mask = table_size(keys).min(self.slots.len()) - 1;
    }

    /// Adds `id` to the bucket of `key`; returns the bucket's first and latest members before
    /// it, if the bucket already had any.
    fn join(&mut self, key: u32, id: u32) -> Option<(u32, u32)> {
        let mut at = key as usize & self.mask;
        for _ in 0..=self.mask {
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
            at = (at + 1) & self.mask;
        }
        None
    }
}

/// Slots for `keys` keys: at most half full, so probe runs stay short.
fn table_size(keys: usize) -> usize {
    (keys * 2).next_power_of_two().max(16)
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
