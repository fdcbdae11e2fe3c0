//! The one hash hocso uses: to know that something is unchanged since the last build (the output
//! manifest, each page's inputs, the search words, the compressed-copy, image and audio caches)
//! and to give published CSS and JS a name that changes with their bytes.
//!
//! XXH3 with 128 bits. A cold build of 10,000 lessons hashes about 400 MB (every page written,
//! every page's inputs, every lesson's text for the search index): with BLAKE3 that was 7–8% of
//! the build's CPU, with XXH3 it is a small fraction of it. XXH3 is not cryptographic: someone
//! who edits the site's sources could craft two files with the same digest, but such a person can
//! publish whatever they like anyway; by accident, two different inputs meeting among the
//! millions a site ever hashes is as likely as not at all (2⁻¹²⁸ per pair).

/// What a digest is: 16 bytes, in the order of the usual XXH128 hex form.
pub type Digest = [u8; 16];

/// The digest of `bytes`.
pub fn of(bytes: &[u8]) -> Digest {
    xxhash_rust::xxh3::xxh3_128(bytes).to_be_bytes()
}

/// A digest of many pieces fed one after another (the same as [`of`] their concatenation).
#[derive(Clone, Default)]
pub struct Hasher(xxhash_rust::xxh3::Xxh3);

impl Hasher {
    pub fn new() -> Hasher {
        Hasher::default()
    }

    pub fn update(&mut self, bytes: &[u8]) -> &mut Hasher {
        self.0.update(bytes);
        self
    }

    /// The digest of everything fed so far (more may still be fed).
    pub fn finish(&self) -> Digest {
        self.0.digest128().to_be_bytes()
    }

    /// Feeds everything `reader` gives, a piece at a time.
    pub fn update_reader(&mut self, mut reader: impl std::io::Read) -> std::io::Result<&mut Hasher> {
        std::io::copy(&mut reader, self)?;
        Ok(self)
    }
}

impl std::io::Write for Hasher {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The digest as 32 lower-case hex digits.
pub fn hex(digest: &Digest) -> String {
    format!("{:032x}", u128::from_be_bytes(*digest))
}

/// Reads [`hex`] back: exactly 32 hex digits (either case), nothing else.
pub fn from_hex(text: &str) -> Option<Digest> {
    if text.len() != 32 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u128::from_str_radix(text, 16).ok().map(u128::to_be_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_values_and_pieces() {
        // XXH3-128 of nothing, as the reference implementation prints it.
        assert_eq!(hex(&of(b"")), "99aa06d3014798d86001c324468d497f");
        let mut h = Hasher::new();
        h.update(b"xin ").update("chào".as_bytes());
        assert_eq!(h.finish(), of("xin chào".as_bytes()));
        assert_ne!(of(b"a"), of(b"b"));
        let mut r = Hasher::new();
        assert!(r.update_reader("xin chào".as_bytes()).is_ok());
        assert_eq!(r.finish(), of(b"xin ch\xc3\xa0o"));
    }

    #[test]
    fn hex_is_strict() {
        assert_eq!(from_hex(&"A".repeat(32)), Some([0xaa; 16]));
        for bad in
            ["", "0", &"0".repeat(31), &"0".repeat(33), &format!("+{}", "0".repeat(31)), &"g".repeat(32)]
        {
            assert_eq!(from_hex(bad), None, "{bad:?}");
        }
        // 32 bytes but not 32 characters.
        assert_eq!(from_hex(&format!("{}ả", "0".repeat(29))), None);
    }

    proptest! {
        #[test]
        fn hex_round_trips(bytes in proptest::array::uniform16(any::<u8>())) {
            prop_assert_eq!(from_hex(&hex(&bytes)), Some(bytes));
        }

        #[test]
        fn from_hex_never_panics(text in ".{0,40}") {
            let _ = from_hex(&text);
        }
    }
}
