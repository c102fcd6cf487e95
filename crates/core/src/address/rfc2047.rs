//! RFC 2047 encoded words: `=?charset?B|Q?text?=` in display names.
//!
//! Mirrors what Thunderbird shows: adjacent words separated only by whitespace are
//! joined, bytes of adjacent words in one charset are decoded together (senders often
//! split a multi-byte character across two words), and a word in an unknown charset or
//! with a broken base64 payload is left exactly as written.
//!
//! The B and Q decoders are hand-written because they must be as lenient as Thunderbird's
//! (missing padding, stray characters), which a strict base64 crate refuses.

use crate::text::{Decoder, Text};
use std::borrow::Cow;

/// Length of the encoded word starting at the beginning of `s`, if there is one.
///
/// ```text
/// encoded-word = "=?" charset "?" encoding "?" encoded-text "?="
/// encoding     = "B" / "Q"     ; case-insensitive
/// ```
/// Like Thunderbird, charset and text are "anything but `?`", which also admits
/// spaces; what matters is reading real headers the way the user's client does.
fn word_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if !s.starts_with("=?") {
        return None;
    }
    let charset_end = 2 + b[2..].iter().position(|&c| c == b'?')?;
    let enc = *b.get(charset_end + 1)?;
    if !matches!(enc, b'B' | b'b' | b'Q' | b'q') || b.get(charset_end + 2) != Some(&b'?') {
        return None;
    }
    let text_start = charset_end + 3;
    let text_end = text_start + b[text_start..].iter().position(|&c| c == b'?')?;
    if b.get(text_end + 1) != Some(&b'=') {
        return None;
    }
    Some(text_end + 2)
}

fn is_wsp(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Length of the run of encoded words (joined by whitespace) that starts `s`, or 0.
pub(crate) fn encoded_run_len(s: &str) -> usize {
    let mut end = match word_len(s) {
        Some(n) => n,
        None => return 0,
    };
    loop {
        let rest = &s[end..];
        let ws = rest.bytes().take_while(|&b| is_wsp(b)).count();
        match word_len(&rest[ws..]) {
            Some(n) => end += ws + n,
            None => return end,
        }
    }
}

/// Decodes every encoded word in `text`, leaving other text as it is, exactly as
/// Thunderbird's `decodeRFC2047Words` does.
///
/// RFC 2047 §6.2: "any 'linear-white-space' that separates a pair of adjacent
/// 'encoded-word's is ignored". Like Thunderbird, whitespace-only text between the
/// words goes, and the words are decoded as one stream while their charset label stays
/// the same, so a character that a sender split across two words comes out whole. Two
/// exceptions, also Thunderbird's: the stream ends after the last word and after an
/// ISO-2022-JP word that returns to ASCII (`ESC ( B`); and a word in a charset no
/// decoder exists for ends the stream and drops what the stream still held.
pub(crate) fn decode<'a>(text: &'a str, services: &dyn Text) -> Cow<'a, str> {
    if !text.contains("=?") {
        return if text.bytes().all(is_wsp) && !text.is_empty() {
            Cow::Borrowed("")
        } else {
            Cow::Borrowed(text)
        };
    }
    let pieces = split_words(text);
    let last_word = pieces.iter().rposition(|p| p.word);
    let mut out = String::with_capacity(text.len());
    let mut stream: Option<Stream<'_, '_>> = None;
    for (i, piece) in pieces.iter().enumerate() {
        if piece.word {
            if let Some(decoded) =
                decode_word(piece.text, Some(i) == last_word, &mut stream, services)
            {
                out.push_str(&decoded);
                continue;
            }
        } else if piece.text.bytes().all(is_wsp) {
            continue;
        }
        if let Some(mut s) = stream.take() {
            out.push_str(&s.decoder.decode(&[], false));
        }
        out.push_str(piece.text);
    }
    Cow::Owned(out)
}

/// A piece of the text: an encoded word, or the text between two.
struct Piece<'a> {
    text: &'a str,
    word: bool,
}

/// `text` split around its encoded words, as `split(/(=\?[^?]*\?[BQbq]\?[^?]*\?=)/)`.
fn split_words(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let (mut plain_start, mut i) = (0, 0);
    while let Some(at) = text[i..].find("=?").map(|at| i + at) {
        match word_len(&text[at..]) {
            Some(len) => {
                pieces.push(Piece {
                    text: &text[plain_start..at],
                    word: false,
                });
                pieces.push(Piece {
                    text: &text[at..at + len],
                    word: true,
                });
                i = at + len;
                plain_start = i;
            }
            // `=?` is ASCII, so one byte on is still a character boundary.
            None => i = at + 1,
        }
    }
    pieces.push(Piece {
        text: &text[plain_start..],
        word: false,
    });
    pieces
}

/// The decoder of the words decoded so far, and their charset label.
struct Stream<'l, 's> {
    label: &'l str,
    decoder: Box<dyn Decoder + 's>,
}

/// Decodes one encoded word into the stream; `None` when Thunderbird shows it as written.
fn decode_word<'l, 's>(
    word: &'l str,
    last: bool,
    stream: &mut Option<Stream<'l, 's>>,
    services: &'s dyn Text,
) -> Option<String> {
    // A word is `=?charset?e?text?=`; charset and text hold no `?`.
    let mut parts = word[2..word.len() - 2].split('?');
    let (charset, encoding, text) = (parts.next()?, parts.next()?, parts.next()?);
    // RFC 2231 §5: `charset*language`; the language does not matter for display.
    let label = charset.split('*').next().unwrap_or(charset);
    let bytes = match encoding {
        "B" | "b" => decode_b(text)?,
        "Q" | "q" => decode_q(text),
        _ => return None,
    };
    let mut out = String::new();
    if stream.as_ref().is_some_and(|s| s.label != label) {
        if let Some(mut s) = stream.take() {
            out = s.decoder.decode(&[], false);
        }
    }
    if stream.is_none() {
        // Thunderbird loses `out` here too: the flushed text of a stream ended by a word
        // in an unknown charset is not shown.
        let decoder = services.decoder(label)?;
        *stream = Some(Stream { label, decoder });
    }
    let s = stream.as_mut()?;
    let back_to_ascii = label.eq_ignore_ascii_case("iso-2022-jp") && bytes.ends_with(b"\x1B(B");
    out.push_str(&s.decoder.decode(&bytes, !(last || back_to_ascii)));
    Some(out)
}

fn b64_value(c: u8) -> Option<u32> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    } as u32)
}

/// The "B" encoding (RFC 2047 §4.1, base64), as lenient as Thunderbird: anything
/// but the base64 alphabet, `=` and spaces makes the word invalid; `=` inside the
/// text is ignored; the text is cut to whole 4-character quanta, padding included.
fn decode_b(text: &str) -> Option<Vec<u8>> {
    if !text
        .bytes()
        .all(|c| c == b' ' || c == b'=' || b64_value(c).is_some())
    {
        return None;
    }
    // Drop spaces and any `=` run that is followed by more data.
    let mut clean: Vec<u8> = text.bytes().filter(|&c| c != b' ').collect();
    let mut k = 0;
    let mut kept = 0;
    while k < clean.len() {
        if clean[k] == b'=' && clean[k..].iter().any(|&c| c != b'=') {
            k += 1;
            continue;
        }
        clean[kept] = clean[k];
        kept += 1;
        k += 1;
    }
    clean.truncate(kept - kept % 4);
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    for quantum in clean.chunks(4) {
        let digits: Vec<u32> = quantum.iter().filter_map(|&c| b64_value(c)).collect();
        let mut n = 0u32;
        for (k, d) in digits.iter().enumerate() {
            n |= d << (18 - 6 * k);
        }
        for k in 0..digits.len() * 6 / 8 {
            out.push((n >> (16 - 8 * k)) as u8);
        }
    }
    Some(out)
}

fn hex_value(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// The "Q" encoding (RFC 2047 §4.2): `_` is a space, `=XX` a byte; a malformed `=`
/// stays literal except at the very end, where it is dropped.
fn decode_q(text: &str) -> Vec<u8> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'_' => out.push(b' '),
            b'=' => {
                if let (Some(h), Some(l)) = (
                    b.get(i + 1).and_then(|&c| hex_value(c)),
                    b.get(i + 2).and_then(|&c| hex_value(c)),
                ) {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                if b[i + 1..].iter().all(|&c| c == b' ' || c == b'\t') {
                    break;
                }
                out.push(b'=');
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

#[cfg(all(test, feature = "native-text"))]
mod tests {
    use super::*;
    use crate::text::NATIVE;

    fn decode(text: &str) -> Cow<'_, str> {
        super::decode(text, &NATIVE)
    }

    #[test]
    fn utf8_base64_word_is_decoded() {
        assert_eq!(decode("=?UTF-8?B?w6k=?="), "é");
    }

    #[test]
    fn latin1_q_word_is_decoded() {
        assert_eq!(decode("=?ISO-8859-1?Q?Andr=E9_X?="), "André X");
    }

    #[test]
    fn whitespace_between_adjacent_words_is_dropped() {
        assert_eq!(decode("=?UTF-8?Q?a?= \t =?UTF-8?Q?b?="), "ab");
    }

    #[test]
    fn a_character_split_across_two_words_is_joined() {
        assert_eq!(decode("=?UTF-8?Q?=C3?= =?UTF-8?Q?=A9?="), "é");
    }

    #[test]
    fn unknown_charset_is_left_raw() {
        assert_eq!(decode("=?x-unknown?Q?a?="), "=?x-unknown?Q?a?=");
    }

    #[test]
    fn incomplete_base64_quantum_is_dropped() {
        assert_eq!(decode("=?UTF-8?B?w6k?="), "");
    }

    #[test]
    fn extra_base64_padding_is_tolerated() {
        assert_eq!(decode("=?UTF-8?B?YQ===?="), "a");
        // Thunderbird drops the inner padding and decodes what remains.
        assert_eq!(decode("=?UTF-8?B?YQ==YQ==?="), "a\u{6}\u{10}");
    }

    #[test]
    fn invalid_base64_alphabet_leaves_word_raw() {
        assert_eq!(decode("=?UTF-8?B?w6k!?="), "=?UTF-8?B?w6k!?=");
    }

    #[test]
    fn run_length_covers_words_joined_by_whitespace_only() {
        assert_eq!(encoded_run_len("=?a?Q?b?= =?a?Q?c?= x"), 19);
        assert_eq!(encoded_run_len("=?a?X?b?="), 0);
    }
}
