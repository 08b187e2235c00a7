//! The one place events become bytes and bytes become events.
//!
//! An event is kept as it was first written — its JSON bytes — beside its decoded form
//! ([`Recorded`]). The log stores those bytes verbatim, the wire carries them verbatim,
//! and the hash chain (and later signatures) cover them, so a change in how this build
//! serialises an event never breaks a chain written by another build.
//!
//! Reading checks the envelope's schema version `v`: an older shape is brought to the
//! current one by the upcasters, in order; a newer one is refused with
//! [`CodecError::Newer`], never half-read.

use super::event::{Event, SCHEMA_VERSION};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

/// Why bytes are not an event this build can use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    #[error("an event written by a newer yuqing (schema {found}; this build reads up to {SCHEMA_VERSION})")]
    Newer { found: u16 },
    #[error("malformed event: {0}")]
    Malformed(String),
}

/// Brings an event of schema `from` to schema `from + 1`, in place on its JSON.
pub type Upcaster = fn(&mut Value) -> Result<(), CodecError>;

/// `UPCASTERS[i]` turns schema `i + 1` into schema `i + 2`. A build that changes an
/// event's shape, or adds a kind of event older builds cannot read, bumps
/// [`SCHEMA_VERSION`] and appends one here; `tests/fixtures/` keeps logs of every older
/// schema, which must still load.
const UPCASTERS: &[Upcaster] = &[schema_1_to_2, schema_2_to_3, schema_3_to_4, schema_4_to_5];

/// Schema 2 added `console_revoked`; no shape of schema 1 changed.
fn schema_1_to_2(_: &mut Value) -> Result<(), CodecError> {
    Ok(())
}

/// Schema 3 added `session_recorded` and `operator_set`; no shape of schema 2 changed.
fn schema_2_to_3(_: &mut Value) -> Result<(), CodecError> {
    Ok(())
}

/// Schema 4 added `item_restored`, `draft_returned`, `draft_signed_off`,
/// `wording_agreed`, `monitoring_recorded` and `extension_requested`, and optional
/// fields (a draft's `returned`, `counts_from`, `next_due`) whose absence keeps the older
/// meaning; no shape of schema 3 changed.
fn schema_3_to_4(_: &mut Value) -> Result<(), CodecError> {
    Ok(())
}

/// Schema 5 added `item_expired` (and the item status `expired` it folds to); no
/// shape of schema 4 changed.
fn schema_4_to_5(_: &mut Value) -> Result<(), CodecError> {
    Ok(())
}

/// Brings `value` from schema `from` to the current one with `upcasters`.
fn upcast(value: &mut Value, from: u16, upcasters: &[Upcaster]) -> Result<(), CodecError> {
    let current = upcasters.len() as u16 + 1;
    if from > current {
        return Err(CodecError::Newer { found: from });
    }
    for step in upcasters.iter().skip(usize::from(from.max(1)) - 1) {
        step(value)?;
    }
    value["v"] = Value::from(current);
    Ok(())
}

/// Reads one event's JSON, upcasting older shapes.
pub fn decode(raw: &str) -> Result<Event, CodecError> {
    decode_with(raw, UPCASTERS)
}

fn decode_with(raw: &str, upcasters: &[Upcaster]) -> Result<Event, CodecError> {
    let current = upcasters.len() as u16 + 1;
    // The common case first: an event of the current schema decodes directly.
    let direct = serde_json::from_str::<Event>(raw);
    if let Ok(ev) = &direct
        && ev.v == current
    {
        return direct.map_err(|e| CodecError::Malformed(e.to_string()));
    }
    let mut value: Value = serde_json::from_str(raw).map_err(|e| CodecError::Malformed(e.to_string()))?;
    let v = value.get("v").and_then(Value::as_u64).ok_or_else(|| CodecError::Malformed("no schema `v`".into()))?;
    let v = u16::try_from(v).map_err(|_| CodecError::Newer { found: u16::MAX })?;
    if v > current {
        return Err(CodecError::Newer { found: v });
    }
    if v == current {
        // Decoding failed above for another reason than the version: say why.
        return direct.map_err(|e| CodecError::Malformed(e.to_string()));
    }
    upcast(&mut value, v, upcasters)?;
    serde_json::from_value(value).map_err(|e| CodecError::Malformed(e.to_string()))
}

/// Writes an event of this build as JSON bytes.
pub fn encode(ev: &Event) -> Result<Box<RawValue>, CodecError> {
    // Written straight into a raw value: not parsed again to be checked.
    serde_json::value::to_raw_value(ev).map_err(|e| CodecError::Malformed(e.to_string()))
}

/// An event as recorded: the bytes it was first written as, and what they say.
#[derive(Debug, Clone)]
pub struct Recorded {
    raw: Box<RawValue>,
    event: Event,
}

impl Recorded {
    /// Records an event made here.
    pub fn new(event: Event) -> Result<Recorded, CodecError> {
        Ok(Recorded { raw: encode(&event)?, event })
    }

    /// Reads an event from its recorded bytes.
    pub fn from_raw(raw: Box<RawValue>) -> Result<Recorded, CodecError> {
        let event = decode(raw.get())?;
        Ok(Recorded { raw, event })
    }

    pub fn event(&self) -> &Event {
        &self.event
    }

    pub fn into_event(self) -> Event {
        self.event
    }

    /// The recorded JSON.
    pub fn raw(&self) -> &str {
        self.raw.get()
    }

    /// The chain hash: SHA-256 of the recorded bytes, hex. The next event of the same
    /// console carries it as `prev`.
    pub fn hash(&self) -> String {
        hash_bytes(self.raw.get().as_bytes())
    }
}

/// SHA-256 of `b`, lower-case hex.
pub fn hash_bytes(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

impl PartialEq for Recorded {
    fn eq(&self, other: &Self) -> bool {
        self.raw.get() == other.raw.get()
    }
}

impl Serialize for Recorded {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Recorded {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        Recorded::from_raw(raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{EventBody, EventId};
    use crate::domain::hlc::Stamp;

    fn note(v: u16) -> Event {
        Event {
            id: EventId { console: "A".into(), seq: 1 },
            stamp: Stamp { ms: 1_782_867_590_000, n: 0 },
            operator: "duty".into(),
            realm: "live".into(),
            v,
            prev: None,
            body: EventBody::NoteAdded { case: "A-0001".into(), text: "已电话核实".into() },
        }
    }

    #[test]
    fn recorded_bytes_are_kept_verbatim_and_hashed_as_kept() {
        // Spacing and key order another build might write: kept as they are.
        let raw = r#"{"v":2, "id":{"console":"A","seq":1},"stamp":{"ms":1782867590000,"n":0},"operator":"duty","realm":"live","body":{"type":"note_added","case":"A-0001","text":"已电话核实"}}"#;
        let r = Recorded::from_raw(RawValue::from_string(raw.to_string()).unwrap()).unwrap();
        assert_eq!(r.event(), &note(SCHEMA_VERSION));
        assert_eq!(r.raw(), raw);
        assert_eq!(r.hash(), hash_bytes(raw.as_bytes()));
        assert_ne!(r.hash(), Recorded::new(note(SCHEMA_VERSION)).unwrap().hash(), "a re-serialisation differs");
        // Schema 1 is read through the upcasters, its bytes kept as they were.
        let old = raw.replace(r#""v":2"#, r#""v":1"#);
        let r1 = Recorded::from_raw(RawValue::from_string(old.clone()).unwrap()).unwrap();
        assert_eq!((r1.event(), r1.raw()), (&note(SCHEMA_VERSION), old.as_str()));
        let page = serde_json::to_string(&vec![r.clone()]).unwrap();
        assert_eq!(page, format!("[{raw}]"));
        let back: Vec<Recorded> = serde_json::from_str(&page).unwrap();
        assert_eq!(back, vec![r]);
    }

    #[test]
    fn a_newer_schema_is_refused_by_name_not_half_read() {
        let mut v = serde_json::to_value(note(1)).unwrap();
        v["v"] = 7.into();
        v["body"]["type"] = "rumour_debunked".into();
        assert_eq!(decode(&v.to_string()), Err(CodecError::Newer { found: 7 }));
        let err = decode(r#"{"v":1,"id":{}}"#).unwrap_err();
        assert!(matches!(err, CodecError::Malformed(_)), "{err}");
    }

    #[test]
    fn older_shapes_are_upcast_in_order() {
        // A made-up history: schema 1 called the note `words`, schema 2 renamed it to
        // `text`, schema 3 (current here) added nothing but must still pass through.
        fn rename(v: &mut Value) -> Result<(), CodecError> {
            let body = v.get_mut("body").and_then(Value::as_object_mut).ok_or(CodecError::Malformed("body".into()))?;
            let words = body.remove("words").ok_or(CodecError::Malformed("no words".into()))?;
            body.insert("text".into(), words);
            Ok(())
        }
        fn nothing(_: &mut Value) -> Result<(), CodecError> {
            Ok(())
        }
        let mut old = serde_json::to_value(note(1)).unwrap();
        let text = old["body"].as_object_mut().unwrap().remove("text").unwrap();
        old["body"]["words"] = text;
        let ev = decode_with(&old.to_string(), &[rename, nothing]).unwrap();
        assert_eq!(ev, note(3));
        assert_eq!(decode_with(&serde_json::to_string(&note(3)).unwrap(), &[rename, nothing]).unwrap(), note(3));
        assert_eq!(
            decode_with(&serde_json::to_string(&note(4)).unwrap(), &[rename, nothing]),
            Err(CodecError::Newer { found: 4 })
        );
    }
}
