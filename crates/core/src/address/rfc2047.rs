//! RFC 2047 encoded words: `=?charset?B|Q?text?=` in display names.
//!
//! Mirrors what Thunderbird shows: adjacent words separated only by whitespace are
//! joined, bytes of adjacent words in one charset are decoded together (senders often
//! split a multi-byte character across two words), and a word in an unknown charset or
//! with a broken base64 payload is left exactly as written.

use super::charset::Charset;
use crate::sub;
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
        let rest = sub(s, end..);
        let ws = rest.bytes().take_while(|&b| is_wsp(b)).count();
        match word_len(sub(rest, ws..)) {
            Some(n) => end += ws + n,
            None => return end,
        }
    }
}

/// A decoded word waiting to be joined with the next one of the same charset.
struct Pending<'a> {
    label: &'a str,
    charset: Charset,
    bytes: Vec<u8>,
}

/// Decodes every encoded word in `text`, leaving other text as it is.
///
/// RFC 2047 §6.2: "any 'linear-white-space' that separates a pair of adjacent
/// 'encoded-word's is ignored".
pub(crate) fn decode(text: &str) -> Cow<'_, str> {
    // A byte search rather than `str::contains`, whose substring searcher costs
    // about 2 KiB of WASM for this one call.
    if !text.as_bytes().windows(2).any(|w| w == b"=?") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut pending: Option<Pending<'_>> = None;
    let mut plain_start = 0;
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        let word = if bytes[i] == b'=' {
            word_len(sub(text, i..))
        } else {
            None
        };
        let Some(len) = word else {
            i += 1;
            continue;
        };
        let raw = sub(text, i..i + len);
        let between = sub(text, plain_start..i);
        let decoded = decode_word(raw);
        if !between.bytes().all(is_wsp) {
            flush(&mut out, &mut pending);
            out.push_str(between);
        }
        match decoded {
            Some((label, charset, bytes)) => match &mut pending {
                Some(p) if p.label == label => p.bytes.extend_from_slice(&bytes),
                _ => {
                    flush(&mut out, &mut pending);
                    pending = Some(Pending {
                        label,
                        charset,
                        bytes,
                    });
                }
            },
            None => {
                flush(&mut out, &mut pending);
                out.push_str(raw);
            }
        }
        i += len;
        plain_start = i;
    }
    flush(&mut out, &mut pending);
    let tail = sub(text, plain_start..);
    if !tail.bytes().all(is_wsp) {
        out.push_str(tail);
    }
    Cow::Owned(out)
}

fn flush(out: &mut String, pending: &mut Option<Pending<'_>>) {
    if let Some(p) = pending.take() {
        p.charset.decode_into(&p.bytes, out);
    }
}

/// Splits and decodes one encoded word; `None` when Thunderbird would show it raw.
fn decode_word(word: &str) -> Option<(&str, Charset, Vec<u8>)> {
    let inner = word.get(2..word.len() - 2)?;
    let mut parts = inner.splitn(3, '?');
    let charset_field = parts.next()?;
    let encoding = parts.next()?;
    let text = parts.next()?;
    // RFC 2231 §5: `charset*language`; the language is irrelevant for display.
    let label = charset_field.split('*').next().unwrap_or(charset_field);
    let charset = Charset::from_label(label)?;
    let bytes = match encoding {
        "B" | "b" => decode_b(text)?,
        "Q" | "q" => decode_q(text),
        _ => return None,
    };
    Some((label, charset, bytes))
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

#[cfg(test)]
mod tests {
    use super::*;

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
