//! One macro for the serde glue every validated newtype needs.
//!
//! Each validated newtype parses from and prints to a string; writing `FromStr`, `Serialize`
//! and `Deserialize` by hand for each would repeat the same twenty lines. It is exported
//! (hidden from the docs) because `payerlex`'s other fact newtypes (modifiers, NPIs, reason
//! codes...) use it too; it names `serde` through this crate, so a caller needs no `serde`
//! import of its own.

/// Implements `FromStr` (via `parse`), `Serialize` (via `Display`) and `Deserialize` (via
/// `parse`) for a type with `fn parse(&str) -> Result<Self, $error>` and `Display`.
#[doc(hidden)]
#[macro_export]
macro_rules! text_newtype {
    ($type:ty, $error:ty) => {
        impl ::std::str::FromStr for $type {
            type Err = $error;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl $crate::__serde::Serialize for $type {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $type {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let text =
                    <::std::borrow::Cow<'de, str> as $crate::__serde::Deserialize>::deserialize(
                        deserializer,
                    )?;
                Self::parse(&text).map_err(<D::Error as $crate::__serde::de::Error>::custom)
            }
        }
    };
}
