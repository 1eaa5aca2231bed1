//! One pass over a paragraph for everything the workspace index keeps about it: the in-draft
//! rules' fingerprint and LSH band keys (built from [`crate::similarity`]'s normaliser,
//! shingles and MinHash, so both agree on what a copy is) and a compact bigram set for the
//! exact similarity of a candidate pair.
//!
//! `similarity::Sketcher` offers the sketch and the bigram set as two calls that normalise the
//! text twice; indexing a whole newsroom does it once here instead.

use crate::similarity::fingerprint::fingerprint;
use crate::similarity::minhash::{BandKeys, SignatureBuilder};
use crate::similarity::normalize::Normalizer;
use crate::similarity::shingles;

/// What the index keeps about one paragraph: hashes and counts, never its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParagraphSketch {
    /// Hash of the normalised text, as `similarity::Sketch::fingerprint`.
    pub fingerprint: u64,
    /// Words of the normalised text, as `similarity::Sketch::words`.
    pub words: u32,
    /// LSH band keys, as `similarity::Sketch::bands`.
    pub bands: Option<BandKeys>,
    /// The word-bigram set, each 64-bit bigram hash cut to its high 32 bits, sorted and without
    /// repeats. Half the memory of the full hashes; two different bigrams of a pair of
    /// paragraphs share a cut hash with probability about 1 in 10⁶, which moves a similarity by
    /// one bigram at most.
    pub bigrams: Box<[u32]>,
}

/// Reusable buffers for sketching many paragraphs without allocating per paragraph (except the
/// bigram set that is kept).
#[derive(Default)]
pub(crate) struct Sketcher {
    normalizer: Normalizer,
    signature: SignatureBuilder,
    bigrams: Vec<u32>,
}

impl Sketcher {
    pub fn sketch(&mut self, paragraph: &str) -> ParagraphSketch {
        self.normalizer.run(paragraph);
        self.bigrams.clear();
        let signature = &mut self.signature;
        let bigrams = &mut self.bigrams;
        let words = shingles::for_each_bigram(self.normalizer.words(), |hash| {
            signature.add(hash);
            bigrams.push(compact(hash));
        });
        self.bigrams.sort_unstable();
        self.bigrams.dedup();
        ParagraphSketch {
            fingerprint: fingerprint(self.normalizer.text()),
            words: u32::try_from(words).unwrap_or(u32::MAX),
            bands: self.signature.finish(),
            bigrams: self.bigrams.as_slice().into(),
        }
    }
}

/// The high half of a bigram hash: the half that MinHash also uses to pick bins, well mixed.
fn compact(hash: u64) -> u32 {
    (hash >> 32) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::similarity;
    use crate::similarity::shingles::jaccard_counts;

    const PARAGRAPH: &str = "El ayuntamiento aprobó ayer, tras tres horas de debate, el “presupuesto” \
        de 2027 con los votos del gobierno municipal y la abstención de la oposición.";

    #[test]
    fn agrees_with_the_in_draft_rules_sketch() {
        let theirs = similarity::Sketcher::new().sketch(PARAGRAPH);
        let ours = Sketcher::default().sketch(PARAGRAPH);
        assert_eq!(ours.fingerprint, theirs.fingerprint);
        assert_eq!(ours.words, theirs.words);
        assert_eq!(ours.bands, theirs.bands);
    }

    #[test]
    fn bigram_set_is_the_rules_set_cut_to_32_bits() {
        let full = similarity::Sketcher::new().bigram_set(PARAGRAPH);
        let mut cut: Vec<u32> = full.iter().map(|&h| compact(h)).collect();
        cut.sort_unstable();
        cut.dedup();
        assert_eq!(
            &*Sketcher::default().sketch(PARAGRAPH).bigrams,
            cut.as_slice()
        );
    }

    #[test]
    fn reusing_the_sketcher_does_not_leak_the_previous_paragraph() {
        let mut sketcher = Sketcher::default();
        sketcher.sketch(PARAGRAPH);
        let short = sketcher.sketch("Hola mundo");
        assert_eq!(short, Sketcher::default().sketch("Hola mundo"));
        assert_eq!(short.bigrams.len(), 1);
    }

    #[test]
    fn jaccard_counts_shared_and_union() {
        assert_eq!(jaccard_counts::<u32>(&[1, 2, 3, 4], &[2, 4, 9]), (2, 5));
        assert_eq!(jaccard_counts::<u32>(&[], &[]), (0, 0));
    }
}
