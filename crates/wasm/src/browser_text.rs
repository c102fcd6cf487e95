//! The browser's own text services behind the core's [`Text`] trait: the `TextDecoder`
//! Thunderbird decodes encoded words with, and the URL parser's mapping of
//! internationalised domains. Every call that can throw is a catching import
//! (`Result` in web-sys), so a JavaScript exception never unwinds through Rust frames.

use ccguard_core::text::{Decoder, Text};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use web_sys::{TextDecodeOptions, TextDecoder, TextDecoderOptions, Url};

/// The services of the page the WASM runs in.
pub struct Browser;

/// Hosts mapped so far: a send to 10,000 people at one internationalised domain asks
/// the URL parser once. Bounded so that a hostile list cannot grow it without end.
const CACHE_MAX: usize = 4096;

thread_local! {
    static HOSTS: RefCell<FxHashMap<String, Option<String>>> = RefCell::default();
}

impl Text for Browser {
    fn decoder(&self, label: &str) -> Option<Box<dyn Decoder + '_>> {
        let options = TextDecoderOptions::new();
        options.set_fatal(false);
        // Throws a RangeError for a label that names no encoding (or the replacement one).
        let decoder = TextDecoder::new_with_label_and_options(label, &options).ok()?;
        Some(Box::new(BrowserDecoder(decoder)))
    }

    fn domain_to_ascii(&self, domain: &str) -> Option<String> {
        if let Some(hit) = HOSTS.with(|h| h.borrow().get(domain).cloned()) {
            return hit;
        }
        // The core hands over only letters, digits, `-`, `.` and non-ASCII text, so the
        // whole string is the URL's host.
        let mapped = Url::new(&format!("http://{domain}/"))
            .ok()
            .map(|url| url.hostname());
        HOSTS.with(|h| {
            let mut hosts = h.borrow_mut();
            if hosts.len() >= CACHE_MAX {
                hosts.clear();
            }
            hosts.insert(domain.to_owned(), mapped.clone());
        });
        mapped
    }
}

struct BrowserDecoder(TextDecoder);

impl Decoder for BrowserDecoder {
    fn decode(&mut self, bytes: &[u8], stream: bool) -> String {
        let options = TextDecodeOptions::new();
        options.set_stream(stream);
        // With `fatal` off, decoding replaces what is malformed and does not throw.
        self.0
            .decode_with_u8_array_and_options(bytes, &options)
            .unwrap_or_default()
    }
}
