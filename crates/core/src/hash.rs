//! A small string-keyed hash table for deduplicating addresses.
//!
//! `std`'s `HashMap` brings hashbrown (about 7 KiB of WASM) and SipHash, whose
//! hash-flooding defence buys nothing for keys from the user's own message. This
//! table does the one thing CcGuard needs: find-or-insert a `&str`.

/// The Firefox/rustc "Fx" hash: a multiply-rotate per 8-byte word.
///
/// Exposed so that a key looked up in several tables (a recipient's address is, in
/// `seen`, the user's own addresses, the moved Bcc…) is hashed once: see the
/// `_hashed` methods.
pub(crate) fn fx_hash(s: &str) -> u64 {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut h: u64 = 0;
    let mut chunks = s.as_bytes().chunks_exact(8);
    for c in &mut chunks {
        // `try_into` on an 8-byte chunk cannot fail; unlike `copy_from_slice`, it stays a
        // plain load in the size-optimised build instead of a call per word.
        let w = u64::from_le_bytes(c.try_into().unwrap_or_default());
        h = (h.rotate_left(5) ^ w).wrapping_mul(SEED);
    }
    for &b in chunks.remainder() {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(SEED);
    }
    // The table indexes by the low bits, which a multiplicative hash mixes poorly:
    // fold the high bits down (MurmurHash3's finaliser).
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// Distinct strings, each with a value, in insertion order.
#[derive(Debug, Default)]
pub(crate) struct StrTable<'a, V> {
    /// Open addressing with linear probing; 0 is empty, otherwise entry index + 1.
    slots: Vec<u32>,
    entries: Vec<(&'a str, V)>,
}

impl<'a, V> StrTable<'a, V> {
    pub(crate) fn with_capacity(n: usize) -> Self {
        let mut t = StrTable {
            slots: Vec::new(),
            entries: Vec::with_capacity(n),
        };
        t.rehash((n * 2).next_power_of_two().max(16));
        t
    }

    fn rehash(&mut self, size: usize) {
        self.slots = vec![0; size];
        let mask = size - 1;
        for (i, (key, _)) in self.entries.iter().enumerate() {
            let mut at = fx_hash(key) as usize & mask;
            while self.slots[at] != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = i as u32 + 1;
        }
    }

    /// The value for `key`, inserting `make()` first if the key is new; the flag
    /// says whether it was new.
    pub(crate) fn entry(&mut self, key: &'a str, make: impl FnOnce() -> V) -> (&mut V, bool) {
        self.entry_hashed(key, fx_hash(key), make)
    }

    /// [`entry`](Self::entry) with `hash` = `fx_hash(key)` already known.
    pub(crate) fn entry_hashed(
        &mut self,
        key: &'a str,
        hash: u64,
        make: impl FnOnce() -> V,
    ) -> (&mut V, bool) {
        // Keep the load under one half so probe runs stay short.
        if (self.entries.len() + 1) * 2 > self.slots.len() {
            self.rehash((self.slots.len() * 2).max(16));
        }
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            match self.slots[at] {
                0 => break,
                n if self.entries[n as usize - 1].0 == key => {
                    return (&mut self.entries[n as usize - 1].1, false)
                }
                _ => at = (at + 1) & mask,
            }
        }
        self.entries.push((key, make()));
        self.slots[at] = self.entries.len() as u32;
        let last = self.entries.len() - 1;
        (&mut self.entries[last].1, true)
    }

    /// Inserts `key` with `make()` if absent; true if it was absent.
    pub(crate) fn insert(&mut self, key: &'a str, make: impl FnOnce() -> V) -> bool {
        self.entry(key, make).1
    }

    /// [`insert`](Self::insert) with `hash` = `fx_hash(key)` already known.
    pub(crate) fn insert_hashed(
        &mut self,
        key: &'a str,
        hash: u64,
        make: impl FnOnce() -> V,
    ) -> bool {
        self.entry_hashed(key, hash, make).1
    }

    /// Whether `key` is in the table, `hash` being `fx_hash(key)`.
    pub(crate) fn contains_hashed(&self, key: &str, hash: u64) -> bool {
        self.get_hashed(key, hash).is_some()
    }

    pub(crate) fn get(&self, key: &str) -> Option<&V> {
        if self.entries.is_empty() {
            return None;
        }
        self.get_hashed(key, fx_hash(key))
    }

    /// [`get`](Self::get) with `hash` = `fx_hash(key)` already known.
    pub(crate) fn get_hashed(&self, key: &str, hash: u64) -> Option<&V> {
        if self.entries.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            match self.slots[at] {
                0 => return None,
                n if self.entries[n as usize - 1].0 == key => {
                    return Some(&self.entries[n as usize - 1].1)
                }
                _ => at = (at + 1) & mask,
            }
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn into_entries(self) -> Vec<(&'a str, V)> {
        self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_was_inserted_across_growth() {
        let keys: Vec<String> = (0..1000).map(|i| format!("k{i}@x")).collect();
        let mut t: StrTable<'_, u32> = StrTable::with_capacity(0);
        for k in &keys {
            assert!(t.insert(k, || 0));
        }
        for k in &keys {
            assert!(!t.insert(k, || 0));
            assert!(t.contains_hashed(k, fx_hash(k)));
        }
        assert!(t.get("absent").is_none());
        assert_eq!(t.into_entries().len(), 1000);
    }

    #[test]
    fn entry_counts_per_key_in_insertion_order() {
        let mut t = StrTable::with_capacity(4);
        for k in ["b", "a", "b", "b"] {
            *t.entry(k, || 0).0 += 1;
        }
        assert_eq!(t.into_entries(), vec![("b", 3), ("a", 1)]);
    }
}
