//! What makes a decision auditable: an id that names exactly this claim decided by exactly this
//! pack (policies and table data), and the time it was made.
//!
//! The id is deterministic: the same claim (every field, as the JSON contract writes it) decided
//! by the same pack digest always has the same id, so a re-run or a replay finds the decision it
//! repeats, and an id never names two different decisions. The claim is streamed through XXH3
//! (128-bit) as JSON, without building the JSON: the serializer's small writes are gathered in a
//! 512-byte stack buffer and hashed in chunks, and the claim's codes, dates and NPIs print with
//! one `write_str` each, so the id costs no allocation and about as much as deciding a small
//! claim (it is the largest single cost of `Engine::check`; see the README's performance
//! table). It identifies; it is not a signature.
//!
//! [`Engine::check`](crate::Engine::check) is a pure function of the claim, the history and the
//! packs, so it does not read the clock: hosts that record decisions (the CLI, the service)
//! stamp `decided_at` when they do.

use std::fmt;
use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use crate::facts::{Claim, Date};

/// A decision's id: `d-` and 32 hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DecisionId(u128);

impl DecisionId {
    /// A placeholder, overwritten before a decision is returned.
    pub(crate) const NONE: DecisionId = DecisionId(0);

    /// The id of `claim` decided by the pack whose digest is `pack_digest`.
    pub fn of(claim: &Claim, pack_digest: &str) -> Self {
        let mut hasher = HashWriter {
            hasher: Xxh3::new(),
            buffer: [0; HASH_BUFFER],
            len: 0,
        };
        hasher.hasher.update(pack_digest.as_bytes());
        hasher.hasher.update(&[0]);
        // Serialising into a hasher cannot fail for lack of room; a claim that could not be
        // serialised would hash what was written so far, still deterministically.
        let _ = serde_json::to_writer(&mut hasher, claim);
        hasher.flush_buffer();
        Self(hasher.hasher.digest128())
    }
}

/// Bytes gathered on the stack before each hasher update.
const HASH_BUFFER: usize = 512;

/// Feeds the serializer's output to XXH3 in chunks. serde_json writes a claim in dozens of
/// pieces of a few bytes (a quote, a key, a comma); handing each to the streaming hasher costs
/// more than hashing the bytes, so they are gathered in a stack buffer first. The digest is
/// that of the concatenated bytes either way.
struct HashWriter {
    hasher: Xxh3,
    buffer: [u8; HASH_BUFFER],
    len: usize,
}

impl HashWriter {
    fn flush_buffer(&mut self) {
        self.hasher
            .update(self.buffer.get(..self.len).unwrap_or(&[]));
        self.len = 0;
    }
}

impl Write for HashWriter {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        let end = self.len + buf.len();
        match self.buffer.get_mut(self.len..end) {
            Some(room) => {
                room.copy_from_slice(buf);
                self.len = end;
            }
            None => {
                self.flush_buffer();
                match self.buffer.get_mut(..buf.len()) {
                    Some(room) => {
                        room.copy_from_slice(buf);
                        self.len = buf.len();
                    }
                    None => self.hasher.update(buf),
                }
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl fmt::Display for DecisionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "d-{:032x}", self.0)
    }
}

impl Serialize for DecisionId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DecisionId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        text.strip_prefix("d-")
            .filter(|hex| hex.len() == 32)
            .and_then(|hex| u128::from_str_radix(hex, 16).ok())
            .map(Self)
            .ok_or_else(|| serde::de::Error::custom("expected a decision id `d-` + 32 hex digits"))
    }
}

/// A moment, to the millisecond, written as RFC 3339 UTC (`2026-12-04T00:40:45.123Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    millis: i64,
}

impl Timestamp {
    /// Now, by the system clock.
    pub fn now() -> Self {
        let millis = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        Self { millis }
    }

    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub fn from_millis(millis: i64) -> Self {
        Self { millis }
    }

    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub fn millis(self) -> i64 {
        self.millis
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.millis.div_euclid(86_400_000);
        let rest = self.millis.rem_euclid(86_400_000);
        let date = Date::from_ymd(1970, 1, 1)
            .map(|epoch| epoch.add_days(i32::try_from(days).unwrap_or(i32::MAX)))
            .map_or((1970, 1, 1), Date::ymd);
        let (h, m, s, ms) = (
            rest / 3_600_000,
            rest / 60_000 % 60,
            rest / 1000 % 60,
            rest % 1000,
        );
        write!(
            f,
            "{:04}-{:02}-{:02}T{h:02}:{m:02}:{s:02}.{ms:03}Z",
            date.0, date.1, date.2
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        parse_rfc3339(&text).map(Self::from_millis).ok_or_else(|| {
            serde::de::Error::custom("expected a UTC time such as 2026-12-04T00:40:45.123Z")
        })
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.mmm]Z` to milliseconds.
fn parse_rfc3339(text: &str) -> Option<i64> {
    let (date, time) = text.split_once('T')?;
    let time = time.strip_suffix('Z')?;
    let date = Date::parse(date).ok()?;
    let (hms, ms) = time.split_once('.').unwrap_or((time, "0"));
    let mut parts = hms.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (parts.next()??, parts.next()??, parts.next()??);
    let ms: i64 = format!("{ms:0<3}").get(..3)?.parse().ok()?;
    Some(
        i64::from(date.days_since_epoch()) * 86_400_000
            + h * 3_600_000
            + m * 60_000
            + s * 1000
            + ms,
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip_as_rfc3339() {
        let t = Timestamp::from_millis(1_796_344_845_123);
        let text = t.to_string();
        assert_eq!(text, "2026-12-04T00:40:45.123Z");
        assert_eq!(parse_rfc3339(&text), Some(t.millis()));
        assert_eq!(
            Timestamp::from_millis(0).to_string(),
            "1970-01-01T00:00:00.000Z"
        );
    }

    /// The buffered hasher must give exactly the id of hashing the claim's JSON in one piece
    /// (ids are part of the contract), for claims shorter and longer than its buffer.
    #[test]
    fn ids_hash_the_claims_json_whatever_the_buffering() {
        for text_len in [0usize, 10, 300, 511, 512, 513, 2_000] {
            let report_text = "volume rendering on a workstation ".repeat(text_len / 34 + 1);
            let json = format!(
                r#"{{"id":"C1","payer":"p","patient":"P1","provider":{{"npi":"1234567893","role":"professional"}},"place_of_service":"11","diagnoses":["S32.401A"],"lines":[{{"number":1,"code":"76377","modifiers":["26"],"units":1,"date":"2026-03-02","diagnosis_pointers":[1]}}],"report":{{"text":"{}"}}}}"#,
                report_text.get(..text_len).unwrap()
            );
            let claim = crate::parse_claim(&json).unwrap();
            let mut whole = b"sha256:abc".to_vec();
            whole.push(0);
            whole.extend(serde_json::to_vec(&claim).unwrap());
            assert_eq!(
                DecisionId::of(&claim, "sha256:abc").0,
                xxhash_rust::xxh3::xxh3_128(&whole),
                "text of {text_len} bytes"
            );
        }
    }

    #[test]
    fn decision_ids_round_trip() {
        let id = DecisionId(0x1234_5678_9abc_def0_1234_5678_9abc_def0);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"d-123456789abcdef0123456789abcdef0\"");
        assert_eq!(serde_json::from_str::<DecisionId>(&json).unwrap(), id);
    }
}
