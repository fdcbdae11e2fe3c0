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

/// Feeds `value` into `hasher` the way serde describes it: each string and byte string raw,
/// its length before it; each number as its bytes; each part of a structure behind a tag, and
/// each list, map and structure closed by one. Two different values of one type therefore feed
/// different bytes. Serialising a page's context as JSON into the hash was as dear as all the
/// hashing: escaping every string, formatting every number, one call per few bytes.
pub fn feed_serialized(hasher: &mut Hasher, value: &impl serde::Serialize) -> Result<(), Unhashable> {
    let mut feed = Feed { hasher, buffer: Vec::with_capacity(FEED_BUFFER) };
    value.serialize(&mut feed)?;
    feed.flush();
    Ok(())
}

/// Bytes gathered before they go to the hasher: each call into it costs the same whatever its
/// length, and a context is mostly short strings, tags and lengths.
const FEED_BUFFER: usize = 16 * 1024;

/// Why a value could not be fed (its own `Serialize` refused).
#[derive(Debug)]
pub struct Unhashable(String);

impl std::fmt::Display for Unhashable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unhashable {}

impl serde::ser::Error for Unhashable {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Unhashable(msg.to_string())
    }
}

struct Feed<'h> {
    hasher: &'h mut Hasher,
    buffer: Vec<u8>,
}

impl Feed<'_> {
    fn bytes(&mut self, bytes: &[u8]) {
        if self.buffer.len() + bytes.len() > FEED_BUFFER {
            self.flush();
            if bytes.len() > FEED_BUFFER {
                self.hasher.update(bytes);
                return;
            }
        }
        self.buffer.extend_from_slice(bytes);
    }

    fn flush(&mut self) {
        self.hasher.update(&self.buffer);
        self.buffer.clear();
    }

    fn tag(&mut self, tag: u8) {
        self.buffer.push(tag);
    }

    fn number(&mut self, tag: u8, bytes: &[u8]) {
        self.tag(tag);
        self.bytes(bytes);
    }

    /// A string or byte string: tag, length, bytes.
    fn text(&mut self, tag: u8, bytes: &[u8]) {
        self.number(tag, &(bytes.len() as u64).to_le_bytes());
        self.bytes(bytes);
    }

    fn variant(&mut self, tag: u8, index: u32) {
        self.number(tag, &index.to_le_bytes());
    }

    /// Opens a list (`[`) or a map (`{`), of an enum's variant `index` if it is one.
    fn open(&mut self, variant: Option<u32>, tag: u8) -> &mut Self {
        if let Some(index) = variant {
            self.variant(b'V', index);
        }
        self.tag(tag);
        self
    }
}

type Fed = Result<(), Unhashable>;

/// Serializer methods that hand their number on as a wider one.
macro_rules! widened {
    ($($method:ident($narrow:ty) => $wide_method:ident($wide:ty)),*) => {$(
        fn $method(self, v: $narrow) -> Fed {
            self.$wide_method(<$wide>::from(v))
        }
    )*};
}

/// Serializer methods that open a list or map of an enum's variant.
macro_rules! variant_opens {
    ($($method:ident => $tag:expr),*) => {$(
        fn $method(
            self,
            _name: &'static str,
            index: u32,
            _variant: &'static str,
            _len: usize,
        ) -> Result<Self, Unhashable> {
            Ok(self.open(Some(index), $tag))
        }
    )*};
}

/// Serializer methods that feed their number's bytes behind a tag.
macro_rules! as_bytes {
    ($($method:ident($number:ty) = $tag:expr),*) => {$(
        fn $method(self, v: $number) -> Fed {
            self.number($tag, &v.to_le_bytes());
            Ok(())
        }
    )*};
}

impl<'f, 'h> serde::Serializer for &'f mut Feed<'h> {
    type Ok = ();
    type Error = Unhashable;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    /// Nobody reads what is fed, so a value with a costly readable form and a compact one feeds
    /// the compact one: a page's body as its digest, a QR code as what it is drawn from.
    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_bool(self, v: bool) -> Fed {
        self.number(b'b', &[u8::from(v)]);
        Ok(())
    }
    // Every integer as its widest kind, so 7u8 and 7u64 feed alike (as they print alike).
    widened!(
        serialize_i8(i8) => serialize_i64(i64),
        serialize_i16(i16) => serialize_i64(i64),
        serialize_i32(i32) => serialize_i64(i64),
        serialize_u8(u8) => serialize_u64(u64),
        serialize_u16(u16) => serialize_u64(u64),
        serialize_u32(u32) => serialize_u64(u64),
        serialize_f32(f32) => serialize_f64(f64)
    );
    as_bytes!(
        serialize_i64(i64) = b'i',
        serialize_i128(i128) = b'I',
        serialize_u64(u64) = b'u',
        serialize_u128(u128) = b'U'
    );
    fn serialize_f64(self, v: f64) -> Fed {
        self.number(b'f', &v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Fed {
        self.number(b'c', &u32::from(v).to_le_bytes());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Fed {
        self.text(b's', v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Fed {
        self.text(b'B', v);
        Ok(())
    }
    fn serialize_none(self) -> Fed {
        self.tag(b'n');
        Ok(())
    }
    fn serialize_some<T: ?Sized + serde::Serialize>(self, value: &T) -> Fed {
        self.tag(b'S');
        value.serialize(self)
    }
    fn serialize_unit(self) -> Fed {
        self.tag(b'0');
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Fed {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, index: u32, _variant: &'static str) -> Fed {
        self.variant(b'v', index);
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + serde::Serialize>(self, _name: &'static str, value: &T) -> Fed {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + serde::Serialize>(
        self,
        _name: &'static str,
        index: u32,
        _variant: &'static str,
        value: &T,
    ) -> Fed {
        self.variant(b'V', index);
        value.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, Unhashable> {
        Ok(self.open(None, b'['))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self, Unhashable> {
        Ok(self.open(None, b'['))
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self, Unhashable> {
        Ok(self.open(None, b'['))
    }
    variant_opens!(serialize_tuple_variant => b'[', serialize_struct_variant => b'{');
    fn serialize_map(self, _len: Option<usize>) -> Result<Self, Unhashable> {
        Ok(self.open(None, b'{'))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self, Unhashable> {
        Ok(self.open(None, b'{'))
    }
}

/// The parts serde tells apart as lists (sequences, tuples, tuple structs and variants) are fed
/// alike: each element behind its own tag, then `]`.
macro_rules! list_like {
    ($($part:ident :: $element:ident),*) => {$(
        impl serde::ser::$part for &mut Feed<'_> {
            type Ok = ();
            type Error = Unhashable;
            fn $element<T: ?Sized + serde::Serialize>(&mut self, value: &T) -> Fed {
                value.serialize(&mut **self)
            }
            fn end(self) -> Fed {
                self.tag(b']');
                Ok(())
            }
        }
    )*};
}

list_like!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// A map's keys and values, each behind its own tag; `}` ends it.
impl serde::ser::SerializeMap for &mut Feed<'_> {
    type Ok = ();
    type Error = Unhashable;
    fn serialize_key<T: ?Sized + serde::Serialize>(&mut self, key: &T) -> Fed {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: ?Sized + serde::Serialize>(&mut self, value: &T) -> Fed {
        value.serialize(&mut **self)
    }
    fn end(self) -> Fed {
        self.tag(b'}');
        Ok(())
    }
}

/// Structures (and structure variants) as maps of their fields' names to their values.
macro_rules! struct_like {
    ($($part:ident),*) => {$(
        impl serde::ser::$part for &mut Feed<'_> {
            type Ok = ();
            type Error = Unhashable;
            fn serialize_field<T: ?Sized + serde::Serialize>(&mut self, key: &'static str, value: &T) -> Fed {
                self.text(b's', key.as_bytes());
                value.serialize(&mut **self)
            }
            fn end(self) -> Fed {
                self.tag(b'}');
                Ok(())
            }
        }
    )*};
}

struct_like!(SerializeStruct, SerializeStructVariant);

/// The digest as 32 lower-case hex digits.
pub fn hex(digest: &Digest) -> String {
    let mut out = String::with_capacity(32);
    push_hex(&mut out, digest);
    out
}

/// Appends [`hex`] of `digest` to `out`.
pub fn push_hex(out: &mut String, digest: &Digest) {
    use std::fmt::Write as _;
    let _ = write!(out, "{:032x}", u128::from_be_bytes(*digest));
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

    fn fed(value: &impl serde::Serialize) -> Digest {
        let mut h = Hasher::new();
        assert!(feed_serialized(&mut h, value).is_ok());
        h.finish()
    }

    #[derive(serde::Serialize)]
    struct Page<'a> {
        title: &'a str,
        summary: Option<&'a str>,
        steps: Vec<&'a str>,
        #[serde(flatten)]
        more: std::collections::BTreeMap<&'a str, u32>,
    }

    #[test]
    fn values_that_differ_feed_different_bytes() {
        let page = |title, summary, steps: &[&'static str], more: &[(&'static str, u32)]| {
            fed(&Page { title, summary, steps: steps.to_vec(), more: more.iter().copied().collect() })
        };
        let base = page("Mã QR", Some("Quét"), &["a", "b"], &[("x", 1)]);
        assert_eq!(base, page("Mã QR", Some("Quét"), &["a", "b"], &[("x", 1)]));
        // A string's length comes first: the same letters split differently differ.
        assert_ne!(base, page("Mã QR", Some("Quét"), &["ab", ""], &[("x", 1)]));
        assert_ne!(base, page("Mã QR", Some("Quét"), &["a", "b", ""], &[("x", 1)]));
        assert_ne!(base, page("Mã QR", None, &["a", "b"], &[("x", 1)]));
        assert_ne!(base, page("Mã QR", Some(""), &["a", "b"], &[("x", 1)]));
        assert_ne!(base, page("Mã QR", Some("Quét"), &["a", "b"], &[("x", 2)]));
        assert_ne!(base, page("Mã QR", Some("Quét"), &["a", "b"], &[]));
        assert_ne!(base, page("Mã QR ", Some("Quét"), &["a", "b"], &[("x", 1)]));
        assert_ne!(fed(&(1u8, 2u8)), fed(&(2u8, 1u8)));
        assert_ne!(fed(&vec![vec![1], vec![]]), fed(&vec![vec![], vec![1]]));
        assert_ne!(fed(&1.0f64), fed(&1u64));
        assert_eq!(fed(&7u8), fed(&7u64), "integers feed as their widest kind");
        #[derive(serde::Serialize)]
        enum Kind {
            A,
            B(u8),
            C(u8, u8),
            D { x: u8 },
        }
        let kinds = [Kind::A, Kind::B(1), Kind::C(1, 0), Kind::D { x: 1 }].map(|k| fed(&k));
        for (i, a) in kinds.iter().enumerate() {
            for b in &kinds[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_ne!(fed(&Kind::C(1, 2)), fed(&Kind::C(2, 1)));
        // Long strings go to the hasher past the buffer, with the same result.
        let long = "á".repeat(FEED_BUFFER);
        assert_ne!(fed(&long), fed(&format!("{long}a")));
        assert_eq!(fed(&[long.as_str(), "x"]), fed(&[long.as_str(), "x"]));
    }

    #[test]
    fn a_value_that_refuses_is_an_error() {
        struct Refuses;
        impl serde::Serialize for Refuses {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("no"))
            }
        }
        let mut h = Hasher::new();
        assert_eq!(feed_serialized(&mut h, &(1, Refuses)).map_err(|e| e.to_string()), Err("no".to_owned()));
    }

    proptest! {
        /// Different lists of strings never feed the same bytes (JSON of them compared).
        #[test]
        fn lists_of_strings_feed_apart(a in proptest::collection::vec(".{0,4}", 0..4), b in proptest::collection::vec(".{0,4}", 0..4)) {
            prop_assert_eq!(fed(&a) == fed(&b), a == b);
        }

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
