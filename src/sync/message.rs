//! The messages of the protocol and their encoding: each is one JSON object in one
//! frame (a 4-byte big-endian length, then the bytes). Encoding and decoding sit side
//! by side and are tested against the golden bytes shown in `docs/protocol.md`.

use super::trust::Endorsement;
use crate::config::credential::Credential;
use crate::domain::codec::Recorded;
use crate::domain::command::Command;
use crate::domain::event::Event;
use crate::domain::item::NewItem;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The protocol version this build speaks.
pub const PROTOCOL_VERSION: u32 = 2;

/// Largest frame accepted or sent, in bytes.
pub const MAX_FRAME: usize = 8 * 1024 * 1024;

/// Largest frame accepted before the handshake is done.
pub const MAX_HELLO_FRAME: usize = 4 * 1024;

/// What the connecting side is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeerRole {
    /// A console or hub: replicates events both ways.
    Console,
    /// A monitoring tool or the command line: submits items and commands, receives nothing else.
    Submitter,
}

/// One protocol message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Message {
    /// First message of each side.
    Hello {
        version: u32,
        console: String,
        realm: String,
        role: PeerRole,
        clock_ms: i64,
        /// The event schema this side writes (absent from builds before it was sent: 1).
        #[serde(default = "first_schema")]
        schema: u16,
        /// The authority's endorsement of the sender's name, role, certificate and key.
        endorsement: Endorsement,
    },
    /// The connection is refused, and why; the sender closes it.
    Refuse {
        reason: String,
    },
    /// "I hold everything up to these sequence numbers": send me the rest.
    Want {
        have: BTreeMap<String, u64>,
    },
    /// Events as recorded by the console that made them, in sequence order per console,
    /// and the signed heads that cover them.
    Events {
        events: Vec<Recorded>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        heads: Vec<crate::store::Head>,
    },
    Heartbeat {
        clock_ms: i64,
    },
    /// Items from a submitter, acted on as `operator` once `credential` proves them.
    Submit {
        id: u64,
        operator: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        credential: Option<Credential>,
        items: Vec<NewItem>,
    },
    /// Sent once the submitted items are durable.
    Ack {
        id: u64,
        new: usize,
        duplicates: usize,
        refused: Vec<String>,
    },
    /// A lifecycle command from a submitter (the command line with `--to`), acted on as
    /// `operator` once `credential` proves them.
    Command {
        id: u64,
        operator: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        credential: Option<Credential>,
        command: Command,
    },
    Answer {
        id: u64,
        result: Result<Vec<Event>, String>,
    },
}

impl Message {
    /// The frame payload.
    pub fn encode(&self) -> Result<Vec<u8>, String> {
        serde_json::to_vec(self).map_err(|e| format!("cannot encode a {} message: {e}", self.kind()))
    }

    /// Reads a frame payload; the error says what is wrong with it.
    pub fn decode(b: &[u8]) -> Result<Message, String> {
        #[derive(Deserialize)]
        struct Tag<'a> {
            #[serde(borrow)]
            t: std::borrow::Cow<'a, str>,
        }
        #[derive(Deserialize)]
        struct Events {
            events: Vec<Recorded>,
            #[serde(default)]
            heads: Vec<crate::store::Head>,
        }
        let bad = |e: serde_json::Error| format!("malformed message: {e}");
        // Our own senders put the tag first: read a bulk frame once, not twice.
        if b.starts_with(br#"{"t":"events","#) {
            return serde_json::from_slice::<Events>(b)
                .map(|m| Message::Events { events: m.events, heads: m.heads })
                .map_err(bad);
        }
        // Bulk first: an internally tagged enum would buffer the whole array before
        // reading it; reading the tag, then the struct, reads each event once.
        if serde_json::from_slice::<Tag>(b).map_err(bad)?.t == "events" {
            return serde_json::from_slice::<Events>(b)
                .map(|m| Message::Events { events: m.events, heads: m.heads })
                .map_err(bad);
        }
        serde_json::from_slice(b).map_err(bad)
    }

    /// An `events` payload from recorded events read without decoding: the same bytes
    /// as encoding `Message::Events` of them.
    pub fn events_payload(events: &[crate::store::RawEvent], heads: &[crate::store::Head]) -> Result<Vec<u8>, String> {
        let mut out = br#"{"t":"events","events":["#.to_vec();
        for (i, e) in events.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(e.raw.get().as_bytes());
        }
        out.push(b']');
        if !heads.is_empty() {
            out.extend_from_slice(br#","heads":"#);
            out.extend(serde_json::to_vec(heads).map_err(|e| format!("cannot encode heads: {e}"))?);
        }
        out.push(b'}');
        Ok(out)
    }

    /// The message type, for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Message::Hello { .. } => "hello",
            Message::Refuse { .. } => "refuse",
            Message::Want { .. } => "want",
            Message::Events { .. } => "events",
            Message::Heartbeat { .. } => "heartbeat",
            Message::Submit { .. } => "submit",
            Message::Ack { .. } => "ack",
            Message::Command { .. } => "command",
            Message::Answer { .. } => "answer",
        }
    }
}

fn first_schema() -> u16 {
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example session of docs/protocol.md, byte for byte.
    #[test]
    fn golden_frames_match_the_protocol_document() {
        let hello = Message::Hello {
            version: 2,
            console: "A".into(),
            realm: "live".into(),
            role: PeerRole::Console,
            clock_ms: 1_782_867_600_000,
            schema: 2,
            endorsement: Endorsement {
                name: "A".into(),
                role: super::super::trust::Role::Console,
                cert: "aa".repeat(32),
                key: "bb".repeat(32),
                sig: "cc".repeat(64),
            },
        };
        let payload = hello.encode().unwrap();
        let want = format!(
            "{{\"t\":\"hello\",\"version\":2,\"console\":\"A\",\"realm\":\"live\",\"role\":\"console\",\"clock_ms\":1782867600000,\"schema\":2,\"endorsement\":{{\"name\":\"A\",\"role\":\"console\",\"cert\":\"{}\",\"key\":\"{}\",\"sig\":\"{}\"}}}}",
            "aa".repeat(32),
            "bb".repeat(32),
            "cc".repeat(64)
        );
        assert_eq!(String::from_utf8(payload.clone()).unwrap(), want);
        assert_eq!(payload.len(), 0x1b3);
        assert_eq!(Message::decode(&payload).unwrap(), hello);
        let w = Message::Want { have: [("A".to_string(), 42u64), ("B".to_string(), 7)].into_iter().collect() };
        assert_eq!(String::from_utf8(w.encode().unwrap()).unwrap(), r#"{"t":"want","have":{"A":42,"B":7}}"#);
        assert_eq!(
            String::from_utf8(Message::Heartbeat { clock_ms: 5 }.encode().unwrap()).unwrap(),
            r#"{"t":"heartbeat","clock_ms":5}"#
        );
    }

    #[test]
    fn the_events_frame_of_the_example_session_matches() {
        use crate::domain::event::{EventBody, EventId};
        let ev = Event {
            id: EventId { console: "A".into(), seq: 1 },
            stamp: crate::domain::hlc::Stamp { ms: 1_782_867_590_000, n: 0 },
            operator: "duty".into(),
            realm: "live".into(),
            v: 2,
            prev: None,
            body: EventBody::ItemReceived {
                id: "A.1".into(),
                item: NewItem {
                    channel: crate::domain::item::Channel::Weibo,
                    title: "网传学校食堂饭菜变质".into(),
                    body: String::new(),
                    url: None,
                    author: None,
                    published_at: None,
                    reach: Some(5200),
                    external_id: Some("w1".into()),
                },
            },
        };
        let events = vec![Recorded::new(ev).unwrap()];
        let payload = Message::Events { events, heads: vec![] }.encode().unwrap();
        assert_eq!(
            String::from_utf8(payload.clone()).unwrap(),
            r#"{"t":"events","events":[{"id":{"console":"A","seq":1},"stamp":{"ms":1782867590000,"n":0},"operator":"duty","realm":"live","v":2,"body":{"type":"item_received","id":"A.1","item":{"channel":"weibo","title":"网传学校食堂饭菜变质","body":"","reach":5200,"external_id":"w1"}}}]}"#
        );
        assert_eq!(payload.len(), 0x11b);
        let refuse =
            Message::Refuse { reason: "realm mismatch: this console is `live`, the peer is `drill:flood`".into() };
        assert_eq!(refuse.encode().unwrap().len(), 0x5b);
    }

    #[test]
    fn events_travel_as_recorded_byte_for_byte() {
        // Recorded by another build with other spacing: relayed unchanged, so its hash
        // chain still holds at the far end.
        let a = r#"{"id":{"console":"B","seq":1},"stamp":{"ms":1000,"n":0},"operator":"duty","realm":"live","v":1,"body":{"type":"note_added","case":"B-0001","text":"第1条"}}"#;
        let b = r#"{ "v":1,"id":{"console":"B","seq":2},"stamp":{"ms":1001,"n":0},"operator":"duty","realm":"live","body":{"type":"note_added","case":"B-0001","text":"第2条"} }"#;
        let payload = format!(r#"{{"t":"events","events":[{a},{b}]}}"#);
        let m = Message::decode(payload.as_bytes()).unwrap();
        let Message::Events { events, .. } = &m else { panic!("{m:?}") };
        assert_eq!(events.iter().map(Recorded::raw).collect::<Vec<_>>(), vec![a, b]);
        assert_eq!(events[1].event().id.seq, 2);
        assert_eq!(m.encode().unwrap(), payload.clone().into_bytes());
        let raws: Vec<crate::store::RawEvent> = [a, b]
            .iter()
            .enumerate()
            .map(|(i, r)| crate::store::RawEvent {
                seq: i as u64 + 1,
                raw: serde_json::value::RawValue::from_string(r.to_string()).unwrap(),
            })
            .collect();
        assert_eq!(Message::events_payload(&raws, &[]).unwrap(), payload.into_bytes());
    }

    #[test]
    fn an_event_of_a_newer_schema_is_named_as_such() {
        let ev = r#"{"id":{"console":"B","seq":1},"stamp":{"ms":1000,"n":0},"operator":"duty","realm":"live","v":9,"body":{"type":"rumour_debunked"}}"#;
        let err = Message::decode(format!(r#"{{"t":"events","events":[{ev}]}}"#).as_bytes()).unwrap_err();
        assert!(err.contains("newer yuqing (schema 9"), "{err}");
    }

    /// The submission frames of docs/protocol.md, byte for byte.
    #[test]
    fn submissions_carry_the_operator_and_their_credential() {
        let command = Message::Command {
            id: 1,
            operator: "chief".into(),
            credential: Some(Credential::Token(format!("yqt_{}", "ab".repeat(32)))),
            command: Command::Escalate { case: "A-0003".into(), reason: "请半小时内回应".into() },
        };
        let want = format!(
            r#"{{"t":"command","id":1,"operator":"chief","credential":{{"token":"yqt_{}"}},"command":{{"cmd":"escalate","case":"A-0003","reason":"请半小时内回应"}}}}"#,
            "ab".repeat(32)
        );
        assert_eq!(String::from_utf8(command.encode().unwrap()).unwrap(), want);
        assert_eq!(Message::decode(want.as_bytes()).unwrap(), command);
        let submit = Message::Submit {
            id: 2,
            operator: "duty".into(),
            credential: Some(Credential::Pin("2468".into())),
            items: vec![],
        };
        let want = r#"{"t":"submit","id":2,"operator":"duty","credential":{"pin":"2468"},"items":[]}"#;
        assert_eq!(String::from_utf8(submit.encode().unwrap()).unwrap(), want);
        assert_eq!(Message::decode(want.as_bytes()).unwrap(), submit);
        // From a submitter that sends none (monitoring tools before TLS): none.
        let bare = r#"{"t":"submit","id":3,"operator":"duty","items":[]}"#;
        let Message::Submit { credential, .. } = Message::decode(bare.as_bytes()).unwrap() else { panic!() };
        assert_eq!(credential, None);
    }

    #[test]
    fn a_malformed_payload_is_an_error_not_a_panic() {
        assert!(Message::decode(b"{\"t\":\"hello\"}").unwrap_err().contains("malformed"));
        assert!(Message::decode(b"\xff\xfe").is_err());
    }
}
