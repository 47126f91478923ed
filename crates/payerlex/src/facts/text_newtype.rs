//! One macro for the serde glue every validated newtype needs.
//!
//! Each fact newtype parses from and prints to a string; writing `FromStr`, `TryFrom<String>`,
//! `Serialize` and `Deserialize` by hand for each would repeat the same twenty lines.

/// Implements `FromStr`, `Serialize` (via `Display`) and `Deserialize` (via `parse`).
macro_rules! text_newtype {
    ($type:ty, $error:ty) => {
        impl std::str::FromStr for $type {
            type Err = $error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Self::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use text_newtype;
