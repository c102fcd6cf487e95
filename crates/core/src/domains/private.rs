//! Consumer mailbox domains (gmail.com, gmx.de, orange.fr…): people there are private
//! individuals, not organisations.
//!
//! The compiled table (format 2, shipped in the XPI as `wasm/private-domains.bin`):
//!
//! ```text
//! "CCPD" 0x02 k:u8 count:u32le  gaps…  crc32:u32le
//! ```
//! The domains' comparable forms are hashed to 32-bit fingerprints, sorted, and the
//! gaps between them Rice-coded (quotient in unary, then `k` bits of remainder, most
//! significant bit first): about 20 bits a domain. The CRC-32 covers every byte before
//! it. No compression library fits: the table must be read as sorted fingerprints, and
//! this code is their whole format.

use crate::address::normalize_domain;
use crate::text::Text;

/// A set of domains, held as sorted 32-bit fingerprints: the 14,000 domains of the
/// shipped list cost 55 KiB of memory, a binary search per lookup, and a chance of about
/// 3 in a million that some other domain is taken for a consumer one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrivateDomains {
    fingerprints: Vec<u32>,
}

/// Why a compiled table was refused. A refused table leaves CcGuard unable to judge
/// (it fails closed), so every way a file can be damaged has its own name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableError {
    /// It does not start with the table's magic bytes and version.
    NotATable,
    /// It ends before all its fingerprints and its checksum.
    Truncated,
    /// Its checksum does not match its contents.
    Checksum,
    /// Bytes follow the checksum, or the gaps do not fill the space before it.
    TrailingData,
    /// It decodes, but lacks the domain every real list has (gmail.com).
    MissingSentinel,
}

impl TableError {
    /// A stable code for the extension, which words it in the user's language.
    pub fn code(self) -> &'static str {
        match self {
            TableError::NotATable => "table-not-a-table",
            TableError::Truncated => "table-truncated",
            TableError::Checksum => "table-checksum",
            TableError::TrailingData => "table-trailing-data",
            TableError::MissingSentinel => "table-missing-sentinel",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            TableError::NotATable => "this is not a CcGuard table of consumer domains (format 2)",
            TableError::Truncated => "the table of consumer domains is cut short",
            TableError::Checksum => "the table of consumer domains is damaged (checksum mismatch)",
            TableError::TrailingData => "the table of consumer domains has unexpected data",
            TableError::MissingSentinel => "the table of consumer domains lacks gmail.com",
        }
    }
}

const MAGIC: &[u8; 5] = b"CCPD\x02";
const HEADER: usize = MAGIC.len() + 5;
const CHECKSUM: usize = 4;
/// A domain every consumer list holds: a table without it is the wrong file.
const SENTINEL: &str = "gmail.com";

impl PrivateDomains {
    /// No consumer domains at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// Domains one per line (blank lines and `#` comments skipped), in any case, Unicode
    /// or punycode.
    pub fn from_lines(lines: &str, text: &dyn Text) -> Self {
        let mut fingerprints: Vec<u32> = lines
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| fingerprint(&normalize_domain(l, text)))
            .collect();
        fingerprints.sort_unstable();
        fingerprints.dedup();
        PrivateDomains { fingerprints }
    }

    /// Reads a compiled table (see the module documentation).
    pub fn from_table(bytes: &[u8]) -> Result<Self, TableError> {
        if bytes.len() < HEADER || !bytes.starts_with(MAGIC) {
            return Err(TableError::NotATable);
        }
        if bytes.len() < HEADER + CHECKSUM {
            return Err(TableError::Truncated);
        }
        let (body, sum) = bytes.split_at(bytes.len() - CHECKSUM);
        if crc32fast::hash(body).to_le_bytes() != sum {
            return Err(TableError::Checksum);
        }
        let k = u32::from(body[MAGIC.len()]);
        let count = u32::from_le_bytes([body[6], body[7], body[8], body[9]]) as usize;
        if k > 31 || count > body.len() * 8 {
            return Err(TableError::NotATable);
        }
        let mut bits = Bits {
            bytes: &body[HEADER..],
            at: 0,
        };
        let mut fingerprints = Vec::with_capacity(count);
        let mut last: u32 = 0;
        for _ in 0..count {
            let mut quotient: u32 = 0;
            while bits.next().ok_or(TableError::Truncated)? {
                quotient = quotient.checked_add(1).ok_or(TableError::NotATable)?;
            }
            let mut remainder: u32 = 0;
            for _ in 0..k {
                remainder = remainder << 1 | u32::from(bits.next().ok_or(TableError::Truncated)?);
            }
            let gap = quotient
                .checked_mul(1 << k)
                .and_then(|q| q.checked_add(remainder))
                .ok_or(TableError::NotATable)?;
            last = last.checked_add(gap).ok_or(TableError::NotATable)?;
            fingerprints.push(last);
        }
        // The gaps end in the last byte before the checksum.
        if bits.at.div_ceil(8) != bits.bytes.len() {
            return Err(TableError::TrailingData);
        }
        let table = PrivateDomains { fingerprints };
        if !table.contains(SENTINEL) {
            return Err(TableError::MissingSentinel);
        }
        Ok(table)
    }

    /// The compiled table (see the module documentation).
    pub fn to_table(&self) -> Vec<u8> {
        let n = self.fingerprints.len().max(1) as u64;
        let mean_gap = (1u64 << 32) / n;
        // At most 31 bits of remainder: the reader refuses more (and a tiny table needs none).
        let k = (63 - mean_gap.max(1).leading_zeros()).min(31);
        let mut out = MAGIC.to_vec();
        out.push(k as u8);
        out.extend_from_slice(&(self.fingerprints.len() as u32).to_le_bytes());
        let mut bits = BitWriter { out, used: 8 };
        let mut last = 0;
        for &f in &self.fingerprints {
            let gap = f - last;
            last = f;
            for _ in 0..gap >> k {
                bits.push(true);
            }
            bits.push(false);
            for b in (0..k).rev() {
                bits.push(gap >> b & 1 == 1);
            }
        }
        let mut out = bits.out;
        let sum = crc32fast::hash(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// `domain` is in comparable form (the domain part of an address key).
    pub fn contains(&self, domain: &str) -> bool {
        self.fingerprints
            .binary_search(&fingerprint(domain))
            .is_ok()
    }

    /// How many distinct fingerprints (domains) the table holds.
    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }
}

/// FNV-1a with MurmurHash3's finaliser, high half: a fingerprint is all there is of a
/// domain here, so it must not collide on similar short strings (`posteo.af` and
/// `posteo.is`), as a fast table hash may.
fn fingerprint(domain: &str) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in domain.as_bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    (h >> 32) as u32
}

struct Bits<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Bits<'_> {
    fn next(&mut self) -> Option<bool> {
        let byte = self.bytes.get(self.at / 8)?;
        let bit = byte >> (7 - self.at % 8) & 1 == 1;
        self.at += 1;
        Some(bit)
    }
}

struct BitWriter {
    out: Vec<u8>,
    /// Bits used in the last byte (8: start a new one).
    used: u32,
}

impl BitWriter {
    fn push(&mut self, bit: bool) {
        if self.used == 8 {
            self.out.push(0);
            self.used = 0;
        }
        if let (true, Some(last)) = (bit, self.out.last_mut()) {
            *last |= 0x80 >> self.used;
        }
        self.used += 1;
    }
}

#[cfg(all(test, feature = "native-text"))]
mod tests {
    use super::*;
    use crate::text::NATIVE;

    fn table() -> PrivateDomains {
        PrivateDomains::from_lines(
            "# comment\nGMail.com\n\n  gmx.de \nxn--bcher-kva.example\ngmail.com\n",
            &NATIVE,
        )
    }

    #[test]
    fn the_private_table_finds_its_domains_in_any_form() {
        let t = table();
        assert_eq!(t.len(), 3);
        assert!(t.contains("gmail.com"));
        assert!(t.contains("gmx.de"));
        assert!(t.contains(&normalize_domain("bücher.example", &NATIVE)));
        assert!(!t.contains("gmx.net"));
        assert!(!t.contains("mail.gmail.com"));
        assert!(!PrivateDomains::none().contains("gmail.com"));
    }

    #[test]
    fn a_compiled_table_reads_back_exactly() {
        let t = table();
        assert_eq!(PrivateDomains::from_table(&t.to_table()), Ok(t));
    }

    #[test]
    fn every_single_flipped_bit_is_refused() {
        let bytes = table().to_table();
        for i in 0..bytes.len() * 8 {
            let mut broken = bytes.clone();
            broken[i / 8] ^= 0x80 >> (i % 8);
            assert!(PrivateDomains::from_table(&broken).is_err(), "bit {i}");
        }
    }

    #[test]
    fn trailing_data_a_cut_and_a_table_without_gmail_are_refused() {
        let bytes = table().to_table();
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(PrivateDomains::from_table(&longer).is_err());
        for cut in 0..bytes.len() {
            assert!(PrivateDomains::from_table(&bytes[..cut]).is_err(), "{cut}");
        }
        let without = PrivateDomains::from_lines("gmx.de\nweb.de", &NATIVE).to_table();
        assert_eq!(
            PrivateDomains::from_table(&without),
            Err(TableError::MissingSentinel)
        );
    }
}
