//! Lowercasing for address comparison without the full Unicode case tables.
//!
//! `char::to_lowercase` pulls about 11 KiB of tables into the WASM; these ranges
//! cover the scripts of nearly all real addresses (Latin, Greek, Cyrillic and
//! fullwidth Latin). Uppercase letters of other scripts compare case-sensitively,
//! which is harmless: IDNA U-labels are lowercase by definition.

/// The simple lowercase mapping of `c` for the covered ranges; `c` otherwise.
pub(crate) fn lower(c: char) -> char {
    let u = c as u32;
    let even_up = |lo: u32, hi: u32| (lo..=hi).contains(&u) && u % 2 == 0;
    let odd_up = |lo: u32, hi: u32| (lo..=hi).contains(&u) && u % 2 == 1;
    let mapped = match u {
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE => u + 0x20,
        0x130 => 0x69,
        0x178 => 0xFF,
        _ if even_up(0x100, 0x12F) || even_up(0x132, 0x137) || even_up(0x14A, 0x177) => u + 1,
        _ if odd_up(0x139, 0x148) || odd_up(0x179, 0x17E) => u + 1,
        0x386 => 0x3AC,
        0x388..=0x38A => u + 0x25,
        0x38C => 0x3CC,
        0x38E..=0x38F => u + 0x3F,
        0x391..=0x3A1 | 0x3A3..=0x3AB => u + 0x20,
        0x400..=0x40F => u + 0x50,
        0x410..=0x42F => u + 0x20,
        _ if even_up(0x460, 0x481) || even_up(0x48A, 0x4BF) => u + 1,
        0x1E9E => 0xDF,
        _ if even_up(0x1E00, 0x1E95) || even_up(0x1EA0, 0x1EFF) => u + 1,
        0xFF21..=0xFF3A => u + 0x20,
        _ => u,
    };
    char::from_u32(mapped).unwrap_or(c)
}

/// Appends `s` lowercased to `out`.
pub(crate) fn push_lower(out: &mut String, s: &str) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| b.to_ascii_lowercase() as char));
    } else {
        out.extend(s.chars().map(lower));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covered_scripts_agree_with_the_standard_library() {
        let ranges = [0x41..0x250u32, 0x370..0x500, 0x1E00..0x1F00, 0xFF00..0xFF60];
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            let std: Vec<char> = c.to_lowercase().collect();
            if std.len() == 1 && lower(c) != c {
                assert_eq!(lower(c), std[0], "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn common_uppercase_letters_are_lowered() {
        let mut s = String::new();
        push_lower(&mut s, "BÜCHER ΑΘΗΝΑ МОСКВА ŁÓDŹ ＡＢＣ");
        assert_eq!(s, "bücher αθηνα москва łódź ａｂｃ");
    }
}
