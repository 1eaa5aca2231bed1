//! Fingerprints: one 64-bit hash of a paragraph's normalised text, so exact duplicates are
//! found by comparing integers and no paragraph text has to be kept around.

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Seeds keep the hash families independent, so a fingerprint never equals a shingle hash or a
/// cache key of the same bytes by construction.
const FINGERPRINT_SEED: u64 = 0x6761_6c6c_6579_0001;
const CONTENT_SEED: u64 = 0x6761_6c6c_6579_0002;

/// Hash of an already normalised paragraph (see [`super::normalize`]).
pub fn fingerprint(normalized: &[u8]) -> u64 {
    xxh3_64_with_seed(normalized, FINGERPRINT_SEED)
}

/// Hash of a paragraph's raw bytes, as they stand in the draft: the key under which its
/// analysis is cached between keystrokes.
pub fn content_key(raw: &str) -> u64 {
    xxh3_64_with_seed(raw.as_bytes(), CONTENT_SEED)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::similarity::normalize::normalize;

    #[test]
    fn equal_after_normalisation_means_equal_fingerprint() {
        let a = normalize("La “carta” de Kim —dijo— llegó.");
        let b = normalize("la \"carta\"  de KIM -dijo- llegó.");
        assert_eq!(fingerprint(a.as_bytes()), fingerprint(b.as_bytes()));
    }

    #[test]
    fn different_text_gets_a_different_fingerprint() {
        assert_ne!(
            fingerprint("la carta llegó".as_bytes()),
            fingerprint("la carta llegó.".as_bytes())
        );
    }

    #[test]
    fn content_key_sees_raw_differences_that_normalisation_hides() {
        assert_ne!(content_key("Hola  mundo"), content_key("hola mundo"));
        assert_eq!(content_key("Hola mundo"), content_key("Hola mundo"));
    }
}
