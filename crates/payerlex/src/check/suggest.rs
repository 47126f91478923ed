//! "Did you mean ...?" for unknown names.

/// The closest candidate to `name`, when one is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A help line naming the closest candidate, or listing a few when none is close.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<String> {
    if let Some(best) = closest(name, candidates.clone()) {
        return Some(format!("did you mean `{best}`?"));
    }
    let mut all: Vec<&str> = candidates.into_iter().collect();
    if all.is_empty() {
        return None;
    }
    all.sort_unstable();
    let shown: Vec<String> = all.iter().take(8).map(|c| format!("`{c}`")).collect();
    Some(format!("known names here: {}", shown.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        assert_eq!(
            closest("three_D", ["three_d", "base_study"]),
            Some("three_d")
        );
        assert_eq!(closest("zzz", ["three_d", "base_study"]), None);
    }
}
