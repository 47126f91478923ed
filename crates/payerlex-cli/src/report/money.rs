//! Dollar amounts for people (`$1,234.56`) and for machines (`"1234.56"`), from exact decimals.
//!
//! Amounts stay `rust_decimal::Decimal` from the input's decimal strings to the output; no
//! float ever touches money. Hand-written because the thousands separator is a few lines and a
//! locale crate would be a large dependency for one format.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serializer;

/// `$1,234.56`: rounded half away from zero to cents, with thousands separators.
pub fn dollars(amount: Decimal) -> String {
    let cents = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.2}", cents.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if cents.is_sign_negative() && !cents.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}${grouped}.{fraction}")
}

/// The exact amount as a decimal string with at least two decimals (`"78.83"`, `"0.00"`).
pub fn decimal_string(amount: Decimal) -> String {
    let mut amount = amount;
    if amount.scale() < 2 {
        amount.rescale(2);
    }
    amount.to_string()
}

/// Serialises an amount as [`decimal_string`] (JSON strings, never numbers).
pub fn serialize_amount<S: Serializer>(amount: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&decimal_string(*amount))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn formats_dollars_with_separators_and_cents() {
        assert_eq!(dollars(dec("0")), "$0.00");
        assert_eq!(dollars(dec("78.83")), "$78.83");
        assert_eq!(dollars(dec("999.995")), "$1,000.00");
        assert_eq!(dollars(dec("1234567.5")), "$1,234,567.50");
        assert_eq!(dollars(dec("-1234.5")), "-$1,234.50");
        assert_eq!(dollars(dec("123456")), "$123,456.00");
        assert_eq!(
            dollars(Decimal::MAX),
            "$79,228,162,514,264,337,593,543,950,335.00"
        );
    }

    #[test]
    fn machine_amounts_keep_every_digit() {
        assert_eq!(decimal_string(dec("0")), "0.00");
        assert_eq!(decimal_string(dec("78.8")), "78.80");
        assert_eq!(decimal_string(dec("0.125")), "0.125");
    }
}
