// The consumer-domain table's format 2 (crates/core/src/domains/private.rs), written again
// in JavaScript from its documentation, to make well-formed tables the shipped one is not:
//
//   "CCPD" 0x02 k:u8 count:u32le  gaps (Rice: quotient in unary, k bits of remainder, MSB first)  crc32:u32le
//
// Only the tests use it: one table that lacks gmail.com, one of a few domains, one whose
// gaps leave a byte over. The fingerprint is checked against the shipped table (gmail.com
// must be in it), so a change of hash in the core shows here as a failed check, not as
// tests that pass for the wrong reason.

const MAGIC = [0x43, 0x43, 0x50, 0x44, 0x02];
const HEADER = MAGIC.length + 5;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (IEEE), as crc32fast computes it. */
export function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const M64 = (1n << 64n) - 1n;

/** FNV-1a 64 with MurmurHash3's finaliser, high half (`fingerprint` in private.rs). */
export function fingerprint(domain) {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(domain)) h = ((h ^ BigInt(b)) * 0x100000001b3n) & M64;
  h ^= h >> 33n;
  h = (h * 0xff51afd7ed558ccdn) & M64;
  h ^= h >> 33n;
  h = (h * 0xc4ceb9fe1a85ec53n) & M64;
  h ^= h >> 33n;
  return Number(h >> 32n);
}

/** The sorted fingerprints of a table (no checks: the core does those). */
export function decode(bytes) {
  const k = bytes[MAGIC.length];
  const count = new DataView(bytes.buffer, bytes.byteOffset + 6, 4).getUint32(0, true);
  const body = bytes.subarray(HEADER, bytes.length - 4);
  let at = 0;
  const bit = () => (body[at >> 3] >> (7 - (at++ & 7))) & 1;
  const out = [];
  let last = 0;
  for (let i = 0; i < count; i++) {
    let q = 0;
    while (bit()) q++;
    let r = 0;
    for (let j = 0; j < k; j++) r = r * 2 + bit();
    last += q * 2 ** k + r;
    out.push(last);
  }
  return out;
}

/**
 * A table of these fingerprints, as `to_table` writes it; `extra` bytes go after the gaps
 * and before the checksum (which covers them).
 */
export function encode(fingerprints, { extra = [] } = {}) {
  const sorted = [...new Set(fingerprints)].sort((a, b) => a - b);
  const meanGap = 2 ** 32 / Math.max(1, sorted.length);
  const k = Math.floor(Math.log2(Math.max(1, meanGap)));
  const bits = [];
  let last = 0;
  for (const f of sorted) {
    const gap = f - last;
    last = f;
    for (let q = Math.floor(gap / 2 ** k); q > 0; q--) bits.push(1);
    bits.push(0);
    for (let j = k - 1; j >= 0; j--) bits.push(Math.floor(gap / 2 ** j) & 1);
  }
  const gaps = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((b, i) => { gaps[i >> 3] |= b << (7 - (i & 7)); });
  const head = new Uint8Array(HEADER);
  head.set(MAGIC);
  head[MAGIC.length] = k;
  new DataView(head.buffer).setUint32(6, sorted.length, true);
  return withChecksum(Uint8Array.from([...head, ...gaps, ...extra]));
}

/** `body` followed by its CRC-32 (little-endian). */
export function withChecksum(body) {
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  new DataView(out.buffer).setUint32(body.length, crc32(body), true);
  return out;
}

/** The table without its checksum. */
export const bodyOf = (table) => table.subarray(0, table.length - 4);
