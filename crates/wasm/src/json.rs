//! Results out as JSON text, which the caller turns into plain objects with one
//! `JSON.parse`.
//!
//! Replaces serde-wasm-bindgen's serializer, which builds each object field by field
//! across the boundary: its generic code per result type, and the hash map with which it
//! caches field names, cost 8.3 KiB more WASM than this writer (measured after wasm-opt). The objects are the ones
//! `Serializer::json_compatible()` made: maps as plain objects, `None` as `null`.
//!
//! Only what CcGuard's results hold is written: booleans, integers, strings, sequences,
//! maps with string keys, structs and unit variants. Anything else (floats, bytes,
//! data-carrying enum variants) is refused rather than written some way the extension
//! was never tested with.

use serde::ser::{self, Serialize};
use std::fmt;

/// The value as JSON text.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut out = Writer(String::with_capacity(1024));
    value.serialize(&mut out)?;
    Ok(out.0)
}

/// A value of a kind CcGuard never returns.
#[derive(Debug)]
pub struct Error(&'static str);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(_: T) -> Self {
        // Formatting the message would link more of `core::fmt` for a path never taken.
        Error("a value could not be written")
    }
}

struct Writer(String);

impl Writer {
    fn integer(&mut self, n: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut n = n;
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        for &d in &digits[at..] {
            self.0.push(char::from(d));
        }
    }

    fn string(&mut self, s: &str) {
        self.0.push('"');
        let mut run = 0;
        for (i, &b) in s.as_bytes().iter().enumerate() {
            let escape = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                0..=0x1F => "\\u00",
                _ => continue,
            };
            // `i` is an ASCII byte, so a char boundary.
            self.0.push_str(s.get(run..i).unwrap_or_default());
            self.0.push_str(escape);
            if b < 0x20 {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                self.0.push(char::from(HEX[usize::from(b >> 4)]));
                self.0.push(char::from(HEX[usize::from(b & 0xF)]));
            }
            run = i + 1;
        }
        self.0.push_str(s.get(run..).unwrap_or_default());
        self.0.push('"');
    }
}

/// A sequence, map or struct being written: whether an element came before.
pub struct Compound<'w> {
    writer: &'w mut Writer,
    first: bool,
}

impl Compound<'_> {
    fn separate(&mut self) {
        if !std::mem::take(&mut self.first) {
            self.writer.0.push(',');
        }
    }

    fn key(&mut self, key: &str) {
        self.separate();
        self.writer.string(key);
        self.writer.0.push(':');
    }
}

const UNSUPPORTED: Error = Error("CcGuard returns no value of this kind");

impl<'w> ser::Serializer for &'w mut Writer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'w>;
    type SerializeTuple = Compound<'w>;
    type SerializeTupleStruct = Compound<'w>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = Compound<'w>;
    type SerializeStruct = Compound<'w>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.0.push_str(if v { "true" } else { "false" });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        if v < 0 {
            self.0.push('-');
        }
        self.integer(v.unsigned_abs());
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }

    fn serialize_f32(self, _: f32) -> Result<(), Error> {
        Err(UNSUPPORTED)
    }

    fn serialize_f64(self, _: f64) -> Result<(), Error> {
        Err(UNSUPPORTED)
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v);
        Ok(())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(UNSUPPORTED)
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.0.push_str("null");
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.string(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(UNSUPPORTED)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'w>, Error> {
        self.0.push('[');
        Ok(Compound {
            writer: self,
            first: true,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'w>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'w>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(UNSUPPORTED)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'w>, Error> {
        self.0.push('{');
        Ok(Compound {
            writer: self,
            first: true,
        })
    }

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'w>, Error> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(UNSUPPORTED)
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.separate();
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), Error> {
        self.writer.0.push(']');
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.separate();
        let start = self.writer.0.len();
        key.serialize(&mut *self.writer)?;
        // Object keys are strings; serde-wasm-bindgen refused the others too.
        if self.writer.0.as_bytes().get(start) != Some(&b'"') {
            return Err(Error("a map key is not a string"));
        }
        self.writer.0.push(':');
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), Error> {
        self.writer.0.push('}');
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.key(key);
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), Error> {
        ser::SerializeMap::end(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ccguard_core::{evaluate, parse_address_list, Message, Policy, PrivateDomains};

    /// Our text reads back as the value serde_json makes of the same result.
    fn same_as_serde_json<T: Serialize>(value: &T) {
        let ours: serde_json::Value = serde_json::from_str(&to_string(value).unwrap()).unwrap();
        assert_eq!(ours, serde_json::to_value(value).unwrap());
    }

    #[test]
    fn results_read_back_as_serde_json_writes_them() {
        same_as_serde_json(&Policy::default());
        same_as_serde_json(&parse_address_list(
            "\"Q\\\"t\" <a@x>, g: b@y;, \u{1}\t\u{7f}é <c@z>, -1",
        ));
        let message = Message {
            from: "Ann <ann@shop.example>".to_owned(),
            cc: vec!["x@a.example", "y@b.example", "z@shop.example", "bad <"].into(),
            ..Message::default()
        };
        let verdict = evaluate(&message, &Policy::default(), &PrivateDomains::none());
        same_as_serde_json(&verdict);
        same_as_serde_json(&(
            "\u{0}\u{1f}\"\\/",
            u64::MAX,
            i64::MIN,
            -0i32,
            Some(()),
            None::<u8>,
        ));
    }
}
