//! The claim mix both the benchmark and the instruction counter use: 3D claims hitting each
//! rule, and claims with no 3D line (which a trigger index should make nearly free).

use payerlex::Claim;

const CLAIMS: &[&str] = &[
    r#"{"id":"B1","payer":"bench","patient":"P1","provider":{"npi":"1234567893","role":"professional"},"place_of_service":"11","diagnoses":["S32.401A"],"lines":[{"number":1,"code":"72192","modifiers":["26"],"units":1,"date":"2026-03-02","diagnosis_pointers":[1]},{"number":2,"code":"76377","modifiers":["26"],"units":1,"date":"2026-03-02","diagnosis_pointers":[1]}],"report":{"text":"Volume rendering performed on an independent workstation under concurrent physician supervision."}}"#,
    r#"{"id":"B2","payer":"bench","patient":"P2","provider":{"npi":"1234567893","role":"professional"},"place_of_service":"11","diagnoses":["I71.2"],"lines":[{"number":1,"code":"71275","units":1,"date":"2026-03-02","diagnosis_pointers":[1]},{"number":2,"code":"76377","units":1,"date":"2026-03-02","diagnosis_pointers":[1]}],"report":{"text":"3D images were generated.","facts":{"workstation":true}}}"#,
    r#"{"id":"B3","payer":"bench","patient":"P3","provider":{"npi":"1234567893","role":"professional"},"place_of_service":"11","lines":[{"number":1,"code":"76376","modifiers":["26","TC"],"units":3,"date":"2026-03-02"}]}"#,
    r#"{"id":"B4","payer":"bench","patient":"P4","provider":{"npi":"1234567893","role":"professional"},"place_of_service":"11","lines":[{"number":1,"code":"70450","units":1,"date":"2026-03-02"},{"number":2,"code":"76377","units":1,"date":"2026-03-02"},{"number":3,"code":"76376","units":1,"date":"2026-03-02"}],"report":{"text":"3D images were generated for better visualization."}}"#,
    r#"{"id":"B5","payer":"bench","patient":"P5","provider":{"npi":"1234567893","role":"professional"},"place_of_service":"11","lines":[{"number":1,"code":"99213","units":1,"date":"2026-03-02"},{"number":2,"code":"93000","units":1,"date":"2026-03-02"},{"number":3,"code":"71046","units":1,"date":"2026-03-02"}]}"#,
    r#"{"id":"B6","payer":"bench","patient":"P6","provider":{"npi":"1234567893","role":"professional"},"place_of_service":"11","lines":[{"number":1,"code":"99214","units":1,"date":"2026-03-02"}]}"#,
];

/// The bench claims.
pub fn claims() -> Vec<Claim> {
    CLAIMS
        .iter()
        .filter_map(|c| payerlex::parse_claim(c).ok())
        .collect()
}

/// An engine with the bench policy as pack `bench`.
pub fn engine() -> Option<payerlex::Engine> {
    let pack = payerlex::PackSources::new(
        "bench",
        "id = \"bench\"\nname = \"Benchmark\"\nversion = \"1.0.0\"\neffective = \"2025-01-01\"\npolicies = [\"three_d.policy\"]\n",
    )
    .with_file("three_d.policy", include_str!("three_d.policy"));
    payerlex::Engine::from_sources(&[pack]).ok()
}
