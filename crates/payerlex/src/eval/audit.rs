//! What makes a decision auditable: an id that names exactly this claim decided by exactly this
//! pack (policies and table data), and the time it was made.
//!
//! The id is deterministic: the same claim (every field) decided by the same pack digest
//! always has the same id, so a re-run or a replay finds the decision it repeats, and an id
//! never names two different decisions. The claim's fields are gathered as they are held and
//! hashed with XXH3 (128-bit), without serialising the claim ([`super::claim_digest`]): hashing its JSON
//! was most of the cost of `Engine::check`. It identifies; it is not a signature.
//!
//! [`Engine::check`](crate::Engine::check) is a pure function of the claim, the history and the
//! packs, so it does not read the clock: hosts that record decisions (the CLI, the service)
//! stamp `decided_at` when they do.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::claim_digest::DecisionKey;
use crate::facts::{Claim, Date};

/// A decision's id: `d-` and 32 hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DecisionId(u128);

impl DecisionId {
    /// A placeholder, overwritten before a decision is returned.
    pub(crate) const NONE: DecisionId = DecisionId(0);

    /// The id of `claim` decided by the pack whose digest is `pack_digest`.
    pub fn of(claim: &Claim, pack_digest: &str) -> Self {
        Self::keyed(claim, &DecisionKey::cached(pack_digest))
    }

    /// The id of `claim` decided by the pack whose digest's key is `key` (the engine keeps
    /// each pack's key, so the digest is not hashed again per claim).
    pub(crate) fn keyed(claim: &Claim, key: &DecisionKey) -> Self {
        Self(super::claim_digest::claim_digest(claim, key))
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

    fn claim(text_len: usize) -> Claim {
        let report_text = "volume rendering on a workstation ".repeat(text_len / 34 + 1);
        let json = format!(
            r#"{{"id":"C1","payer":"p","patient":"P1","provider":{{"npi":"1234567893","role":"professional"}},"place_of_service":"11","diagnoses":["S32.401A"],"lines":[{{"number":1,"code":"76377","modifiers":["26"],"units":1,"date":"2026-03-02","diagnosis_pointers":[1]}}],"report":{{"text":"{}"}}}}"#,
            report_text.get(..text_len).unwrap()
        );
        crate::parse_claim(&json).unwrap()
    }

    /// The same claim and digest give the same id, through the buffer's edges; another
    /// digest or report text gives another.
    #[test]
    fn ids_are_deterministic_and_see_the_digest_and_long_fields() {
        let mut seen = std::collections::BTreeSet::new();
        for text_len in [0usize, 10, 300, 511, 512, 513, 2_000] {
            let id = DecisionId::of(&claim(text_len), "sha256:abc");
            assert_eq!(id, DecisionId::of(&claim(text_len), "sha256:abc"));
            assert_ne!(id, DecisionId::of(&claim(text_len), "sha256:abd"));
            assert!(seen.insert(id.0), "text of {text_len} bytes");
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
