//! Text similarity for paragraphs: normalisation, fingerprints for exact duplicates, word
//! bigram shingles and MinHash/LSH for near duplicates. A paragraph is reduced once to a small
//! [`Sketch`] of integers, which is all the duplicate rules need and what the analyser caches
//! between keystrokes.

pub mod fingerprint;
pub mod minhash;
pub mod normalize;
pub mod shingles;

use minhash::{BandKeys, SignatureBuilder};
use normalize::Normalizer;

/// What the duplicate rules know about one paragraph: no text, only hashes and a word count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sketch {
    /// Hash of the normalised text: equal fingerprints are exact duplicates.
    pub fingerprint: u64,
    /// Words in the normalised text (runs of letters and digits).
    pub words: u32,
    /// LSH band keys of the word-bigram MinHash signature; `None` with fewer than two words.
    pub bands: Option<BandKeys>,
}

/// Reusable buffers for sketching many paragraphs without allocating per paragraph.
#[derive(Default)]
pub struct Sketcher {
    normalizer: Normalizer,
    signature: SignatureBuilder,
}

impl Sketcher {
    pub fn new() -> Self {
        Sketcher::default()
    }

    /// Sketches one paragraph's raw text.
    pub fn sketch(&mut self, paragraph: &str) -> Sketch {
        self.normalizer.run(paragraph);
        let signature = &mut self.signature;
        let words = shingles::for_each_bigram(self.normalizer.words(), |hash| signature.add(hash));
        Sketch {
            fingerprint: fingerprint::fingerprint(self.normalizer.text()),
            words: u32::try_from(words).unwrap_or(u32::MAX),
            bands: self.signature.finish(),
        }
    }

    /// The sorted, repeat-free word-bigram set of one paragraph's raw text, for an exact
    /// similarity once LSH has proposed a pair.
    pub fn bigram_set(&mut self, paragraph: &str) -> Vec<u64> {
        self.normalizer.run(paragraph);
        shingles::bigram_set(self.normalizer.words())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sketches_of_differently_typed_copies_are_equal() {
        let mut sketcher = Sketcher::new();
        let a = sketcher.sketch("Putin celebró la “amistad invencible” entre Moscú y Pyongyang.");
        let b =
            sketcher.sketch("putin  celebró la \"amistad invencible\" entre MOSCÚ y Pyongyang.");
        assert_eq!(a, b);
        assert_eq!(a.words, 9);
    }

    #[test]
    fn one_word_has_no_band_keys() {
        let mut sketcher = Sketcher::new();
        assert_eq!(sketcher.sketch("Hola").bands, None);
        assert!(sketcher.sketch("Hola mundo").bands.is_some());
    }
}
