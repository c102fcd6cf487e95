//! Reads `JSON.stringify(array)` of a recipient field back into Rust strings.
//!
//! Why: handing 10,000 strings over one by one costs a JS call and a UTF-8 encode each;
//! one `JSON.stringify` and one string crossing is several times faster and keeps the
//! `evaluate` budget (5 ms for 10,000 recipients, marshalling included). Only the subset
//! JSON.stringify produces for an array of strings is accepted: anything else (a number,
//! an object where a string should be) is an error, never a guess.

/// Why the text is not a JSON array of strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonStringsError {
    /// Something other than a string stands in the array (a number, object, null…).
    NotAString,
    /// The text is not what JSON.stringify produces for an array.
    Malformed,
}

impl JsonStringsError {
    pub fn message(self) -> &'static str {
        match self {
            JsonStringsError::NotAString => "every recipient must be a string",
            JsonStringsError::Malformed => "the recipient list is not a list of strings",
        }
    }
}

/// `["a","b\"c"]` → `["a", "b\"c"]`.
pub fn parse(text: &str) -> Result<Vec<String>, JsonStringsError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = expect(bytes, 0, b'[')?;
    if bytes.get(i) == Some(&b']') {
        return end(bytes, i + 1, out);
    }
    loop {
        if bytes.get(i) != Some(&b'"') {
            return Err(JsonStringsError::NotAString);
        }
        let (s, next) = string(text, i + 1)?;
        out.push(s);
        match bytes.get(next) {
            Some(b',') => i = next + 1,
            Some(b']') => return end(bytes, next + 1, out),
            _ => return Err(JsonStringsError::Malformed),
        }
    }
}

fn expect(bytes: &[u8], at: usize, what: u8) -> Result<usize, JsonStringsError> {
    if bytes.get(at) == Some(&what) {
        Ok(at + 1)
    } else {
        Err(JsonStringsError::Malformed)
    }
}

fn end(bytes: &[u8], at: usize, out: Vec<String>) -> Result<Vec<String>, JsonStringsError> {
    if at == bytes.len() {
        Ok(out)
    } else {
        Err(JsonStringsError::Malformed)
    }
}

/// One string body starting after its opening quote; returns it and the index after the
/// closing quote. Unescaped runs are copied as slices, so plain addresses cost one copy.
fn string(text: &str, start: usize) -> Result<(String, usize), JsonStringsError> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut run = start;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                out.push_str(&text[run..i]);
                return Ok((out, i + 1));
            }
            b'\\' => {
                out.push_str(&text[run..i]);
                let (ch, next) = escape(text, i + 1)?;
                out.push(ch);
                i = next;
                run = i;
            }
            _ => i += 1,
        }
    }
    Err(JsonStringsError::Malformed)
}

fn escape(text: &str, at: usize) -> Result<(char, usize), JsonStringsError> {
    let simple = match text.as_bytes().get(at) {
        Some(b'"') => '"',
        Some(b'\\') => '\\',
        Some(b'/') => '/',
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'n') => '\n',
        Some(b'r') => '\r',
        Some(b't') => '\t',
        Some(b'u') => return unicode_escape(text, at + 1),
        _ => return Err(JsonStringsError::Malformed),
    };
    Ok((simple, at + 1))
}

/// `\uXXXX`, with surrogate pairs joined. A lone surrogate (which JS strings may hold and
/// JSON.stringify escapes) becomes U+FFFD, as TextEncoder would make it.
fn unicode_escape(text: &str, at: usize) -> Result<(char, usize), JsonStringsError> {
    let first = hex4(text, at)?;
    if (0xD800..0xDC00).contains(&first) && text.get(at + 4..at + 6) == Some("\\u") {
        let second = hex4(text, at + 6)?;
        if (0xDC00..0xE000).contains(&second) {
            let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
            return Ok((char::from_u32(c).unwrap_or('\u{FFFD}'), at + 10));
        }
    }
    Ok((char::from_u32(first).unwrap_or('\u{FFFD}'), at + 4))
}

fn hex4(text: &str, at: usize) -> Result<u32, JsonStringsError> {
    text.get(at..at + 4)
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .ok_or(JsonStringsError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_json_stringify_writes_for_recipient_pills() {
        assert_eq!(
            parse(r#"["Ann <a@x.example>","\"Doe, Jane\" <j@y.example>"]"#).unwrap(),
            vec!["Ann <a@x.example>", "\"Doe, Jane\" <j@y.example>"]
        );
        assert_eq!(parse("[]").unwrap(), Vec::<String>::new());
        assert_eq!(parse(r#"[""]"#).unwrap(), vec![""]);
    }

    #[test]
    fn decodes_every_escape_including_surrogate_pairs() {
        assert_eq!(
            parse(r#"["a\\b\"c\/\n\t\u00e9\ud83d\ude00"]"#).unwrap(),
            vec!["a\\b\"c/\n\té😀"]
        );
        assert_eq!(parse(r#"["\ud800x"]"#).unwrap(), vec!["\u{FFFD}x"]);
    }

    #[test]
    fn raw_utf8_passes_through() {
        assert_eq!(
            parse(r#"["山田 <y@例子.广告>"]"#).unwrap(),
            vec!["山田 <y@例子.广告>"]
        );
    }

    #[test]
    fn anything_but_a_string_in_the_list_is_refused() {
        for text in [r#"[1]"#, r#"["a",null]"#, r#"[{"id":"x"}]"#, r#"[["a"]]"#] {
            assert_eq!(parse(text), Err(JsonStringsError::NotAString), "{text}");
        }
    }

    #[test]
    fn malformed_text_is_refused_not_guessed() {
        for text in [
            "",
            "[",
            r#"["a""#,
            r#"["a"] "#,
            r#""a""#,
            r#"["\x"]"#,
            r#"["\u12"]"#,
            r#"["a",]"#,
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn reads_back_any_list_of_strings_a_json_writer_wrote(list: Vec<String>) {
            let text = serde_json::to_string(&list).unwrap();
            proptest::prop_assert_eq!(parse(&text).unwrap(), list);
        }

        #[test]
        fn never_panics_on_any_text(text: String) {
            let _ = parse(&text);
        }
    }
}
