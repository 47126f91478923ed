//! Reading a JSON object into a map while refusing duplicate keys.
//!
//! serde's maps keep the last value of a repeated key, so `{"x": true, "x": false}` would
//! silently decide on `false`. A claim that states one fact twice is ambiguous and becomes an
//! error record instead (named by the field, never by the key the sender wrote).

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{Deserializer, Error, MapAccess, Visitor};
use serde::Deserialize;

/// `deserialize_with` for a `BTreeMap<String, V>` that rejects a key seen twice.
pub(crate) fn deserialize<'de, D, V>(deserializer: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Unique<V>(std::marker::PhantomData<V>);

    impl<'de, V: Deserialize<'de>> Visitor<'de> for Unique<V> {
        type Value = BTreeMap<String, V>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object whose keys are all different")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((key, value)) = map.next_entry::<String, V>()? {
                if out.insert(key, value).is_some() {
                    return Err(A::Error::custom("a key appears twice"));
                }
            }
            Ok(out)
        }
    }

    deserializer.deserialize_map(Unique(std::marker::PhantomData))
}
