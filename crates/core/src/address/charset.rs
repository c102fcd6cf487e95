//! The few legacy charsets CcGuard decodes in encoded words.
//!
//! Full charset tables would blow the WASM size budget; these cover the bulk of real
//! Western mail. Labels follow the WHATWG Encoding Standard that Thunderbird uses, in
//! which `us-ascii` and `iso-8859-1` both mean windows-1252.

/// A charset CcGuard can decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Charset {
    Utf8,
    Windows1252,
    Iso8859_15,
}

/// windows-1252 for 0x80..=0x9F; zero means "undefined, decode as the C1 control".
const CP1252_HIGH: [u16; 32] = [
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
    0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
];

/// `String::from_utf8_lossy` appended to `out`: each maximal invalid sequence
/// becomes one U+FFFD. Built on `str::from_utf8`, which the WASM has anyway, rather
/// than on the ~1 KiB of `Utf8Chunks`.
fn push_utf8_lossy(mut bytes: &[u8], out: &mut String) {
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => return out.push_str(s),
            Err(e) => {
                let (valid, rest) = bytes.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                out.push('\u{FFFD}');
                match e.error_len() {
                    Some(n) => bytes = rest.get(n..).unwrap_or_default(),
                    None => return,
                }
            }
        }
    }
}

impl Charset {
    /// Resolves a MIME charset label, case-insensitively.
    pub(crate) fn from_label(label: &str) -> Option<Charset> {
        let label = label.trim_ascii();
        const UTF8: &[&str] = &[
            "utf-8",
            "utf8",
            "unicode-1-1-utf-8",
            "unicode11utf8",
            "unicode20utf8",
            "x-unicode20utf8",
        ];
        const CP1252: &[&str] = &[
            "us-ascii",
            "ascii",
            "ansi_x3.4-1968",
            "iso-8859-1",
            "iso8859-1",
            "iso88591",
            "iso_8859-1",
            "iso_8859-1:1987",
            "latin1",
            "l1",
            "cp1252",
            "windows-1252",
            "x-cp1252",
            "cp819",
            "ibm819",
            "iso-ir-100",
            "csisolatin1",
        ];
        const LATIN9: &[&str] = &[
            "iso-8859-15",
            "iso8859-15",
            "iso885915",
            "iso_8859-15",
            "csisolatin9",
            "l9",
            "latin-9",
        ];
        let is = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(label));
        if is(UTF8) {
            Some(Charset::Utf8)
        } else if is(CP1252) {
            Some(Charset::Windows1252)
        } else if is(LATIN9) {
            Some(Charset::Iso8859_15)
        } else {
            None
        }
    }

    /// Appends the text of `bytes`; malformed input becomes U+FFFD, never an error.
    pub(crate) fn decode_into(self, bytes: &[u8], out: &mut String) {
        match self {
            Charset::Utf8 => push_utf8_lossy(bytes, out),
            Charset::Windows1252 => out.extend(bytes.iter().map(|&b| cp1252(b))),
            Charset::Iso8859_15 => out.extend(bytes.iter().map(|&b| latin9(b))),
        }
    }
}

fn cp1252(b: u8) -> char {
    if (0x80..0xA0).contains(&b) {
        match CP1252_HIGH[(b - 0x80) as usize] {
            0 => b as char,
            u => char::from_u32(u as u32).unwrap_or('\u{FFFD}'),
        }
    } else {
        b as char
    }
}

/// ISO-8859-15 is Latin-1 with eight code points replaced, the euro sign among them.
fn latin9(b: u8) -> char {
    match b {
        0xA4 => '€',
        0xA6 => 'Š',
        0xA8 => 'š',
        0xB4 => 'Ž',
        0xB8 => 'ž',
        0xBC => 'Œ',
        0xBD => 'œ',
        0xBE => 'Ÿ',
        _ => b as char,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lossy_utf8_is_std_from_utf8_lossy() {
        let cases: [&[u8]; 9] = [
            b"",
            b"plain",
            "J\u{fc}rgen \u{5c71}\u{1F600}".as_bytes(),
            b"\xff",
            b"a\xc3",
            b"a\xe5\xb1b\xf0\x9f\x98",
            b"\xed\xa0\x80x",
            b"\xc0\xafz\x80\x80",
            b"\xf4\x90\x80\x80\xc3\xa9",
        ];
        for b in cases {
            let mut out = String::from(">");
            push_utf8_lossy(b, &mut out);
            assert_eq!(out, format!(">{}", String::from_utf8_lossy(b)), "{b:?}");
        }
    }

    fn decode(c: Charset, b: &[u8]) -> String {
        let mut s = String::new();
        c.decode_into(b, &mut s);
        s
    }

    #[test]
    fn iso_8859_1_label_means_windows_1252() {
        assert_eq!(
            Charset::from_label("ISO-8859-1"),
            Some(Charset::Windows1252)
        );
        assert_eq!(decode(Charset::Windows1252, &[0x80, 0xE9]), "€é");
    }

    #[test]
    fn latin9_has_the_euro_at_a4() {
        assert_eq!(decode(Charset::Iso8859_15, &[0xA4]), "€");
    }

    #[test]
    fn invalid_utf8_becomes_replacement_character() {
        assert_eq!(decode(Charset::Utf8, &[0xE2, 0x82]), "\u{FFFD}");
    }
}
