//! The text services the core borrows from where it runs.
//!
//! Thunderbird decodes the charsets of encoded words with the browser's `TextDecoder`
//! (Gecko's is encoding_rs) and maps internationalised domains with the URL Standard's
//! UTS #46 processing. The core asks for exactly those two things through [`Text`]: in
//! the add-on the WASM build hands it the browser's own services (web-sys), natively
//! [`Native`] hands it the same Rust crates, so tests, fuzzing and benchmarks run the code
//! paths the browser does rather than partial copies of its tables.

/// What the core needs of the host's text machinery.
pub trait Text {
    /// A `TextDecoder` for the charset `label` (matched as the Encoding Standard says:
    /// trimmed, case-insensitive, a BOM of the same encoding dropped, malformed input
    /// replaced by U+FFFD), or `None` when no `TextDecoder` can be made for it.
    fn decoder(&self, label: &str) -> Option<Box<dyn Decoder + '_>>;

    /// The URL Standard's "domain to ASCII" of a domain holding non-ASCII characters
    /// (UTS #46, non-transitional, not strict), or `None` where a URL host parser would
    /// refuse it.
    fn domain_to_ascii(&self, domain: &str) -> Option<String>;
}

/// One `TextDecoder`: `decode(bytes, stream)` is `TextDecoder.decode(bytes, {stream})`.
/// While `stream` is true an incomplete sequence at the end waits for the next call; a
/// call with `stream` false ends the stream and the decoder starts afresh.
pub trait Decoder {
    fn decode(&mut self, bytes: &[u8], stream: bool) -> String;
}

/// The text services natively: encoding_rs and idna, which the browser's are built on.
#[cfg(feature = "native-text")]
#[derive(Debug, Clone, Copy, Default)]
pub struct Native;

/// The native services, for callers that hold no other.
#[cfg(feature = "native-text")]
pub static NATIVE: Native = Native;

#[cfg(feature = "native-text")]
impl Text for Native {
    fn decoder(&self, label: &str) -> Option<Box<dyn Decoder + '_>> {
        let encoding = encoding_rs::Encoding::for_label(label.as_bytes())?;
        // The replacement encoding exists to neutralise hostile labels; a TextDecoder
        // refuses to be made for it.
        if encoding == encoding_rs::REPLACEMENT {
            return None;
        }
        Some(Box::new(NativeDecoder {
            encoding,
            inner: encoding.new_decoder_with_bom_removal(),
        }))
    }

    fn domain_to_ascii(&self, domain: &str) -> Option<String> {
        idna::domain_to_ascii_cow(domain.as_bytes(), idna::AsciiDenyList::URL)
            .ok()
            .map(|d| d.into_owned())
    }
}

#[cfg(feature = "native-text")]
struct NativeDecoder {
    encoding: &'static encoding_rs::Encoding,
    inner: encoding_rs::Decoder,
}

#[cfg(feature = "native-text")]
impl Decoder for NativeDecoder {
    fn decode(&mut self, bytes: &[u8], stream: bool) -> String {
        let last = !stream;
        let mut out = String::new();
        if let Some(room) = self.inner.max_utf8_buffer_length(bytes.len()) {
            out.reserve(room);
        }
        // With room for the worst case reserved, one call consumes everything; the loop
        // only guards against a decoder that still asks for more.
        let mut rest = bytes;
        loop {
            let (result, read, _) = self.inner.decode_to_string(rest, &mut out, last);
            rest = &rest[read..];
            match result {
                encoding_rs::CoderResult::InputEmpty => break,
                encoding_rs::CoderResult::OutputFull => out.reserve(out.capacity().max(16)),
            }
        }
        if last {
            self.inner = self.encoding.new_decoder_with_bom_removal();
        }
        out
    }
}

#[cfg(all(test, feature = "native-text"))]
mod tests {
    use super::*;

    fn decode(label: &str, bytes: &[u8]) -> Option<String> {
        Some(NATIVE.decoder(label)?.decode(bytes, false))
    }

    #[test]
    fn labels_follow_the_encoding_standard() {
        assert_eq!(decode("ISO-8859-1", &[0x80]).as_deref(), Some("€"));
        assert_eq!(decode(" utf8 ", b"\xEF\xBB\xBFa").as_deref(), Some("a"));
        assert_eq!(decode("iso-2022-kr", b"a"), None);
        assert_eq!(decode("x-unknown", b"a"), None);
    }

    #[test]
    fn a_streamed_character_split_across_calls_is_whole() {
        let mut d = NATIVE.decoder("utf-8").unwrap();
        assert_eq!(d.decode(b"a\xC3", true), "a");
        assert_eq!(d.decode(b"\xA9", false), "é");
        // The stream ended: an incomplete sequence now is an error.
        assert_eq!(d.decode(b"\xC3", false), "\u{FFFD}");
    }

    #[test]
    fn domains_map_as_a_url_host_does() {
        assert_eq!(
            NATIVE.domain_to_ascii("BÜCHER.example").as_deref(),
            Some("xn--bcher-kva.example")
        );
        assert_eq!(
            NATIVE.domain_to_ascii("bücher\u{3002}example").as_deref(),
            Some("xn--bcher-kva.example")
        );
        assert_eq!(NATIVE.domain_to_ascii("bü cher.example"), None);
    }
}
