//! The six 3D-rendering rules of payerlex's benchmark policy
//! (`crates/payerlex/benches/support/three_d.policy`) written in Rego, for a same-run
//! comparison with a general policy engine. See `benches/engines.rs`.

/// The rules in Rego v1. A finding is `{"line": N, "rule": NAME, "outcome": "deny"|"review"}`.
pub const THREE_D_REGO: &str = r#"
package claims

three_d := {"76376", "76377"}

base_ranges := [[70450, 70498], [71250, 71275], [72125, 72133], [72191, 72194], [73200, 73206],
  [73700, 73706], [74150, 74178], [70540, 70559], [71550, 71555], [72141, 72159], [72195, 72198],
  [76506, 76999]]

angiography := {"34839", "70496", "70498", "70547", "70548", "70549", "71275", "71555", "72159",
  "72191", "72198", "73206", "73225", "73706", "73725", "74174", "74175", "74185", "75635"}

in_base(code) if {
  n := to_number(code)
  some r in base_ranges
  n >= r[0]
  n <= r[1]
}

has_base(l) if {
  some o in input.lines
  o.date == l.date
  in_base(o.code)
}

workstation_stated if input.report.facts.workstation == true

workstation_stated if {
  not input.report.facts.workstation == false
  text := lower(input.report.text)
  some phrase in ["independent workstation", "dedicated 3d workstation"]
  contains(text, phrase)
}

findings contains {"line": l.number, "rule": "integral-to-angiography", "outcome": "deny"} if {
  some i, l in input.lines
  three_d[l.code]
  some j, o in input.lines
  j != i
  o.date == l.date
  angiography[o.code]
}

findings contains {"line": l.number, "rule": "base-study-required", "outcome": "deny"} if {
  some l in input.lines
  three_d[l.code]
  not has_base(l)
}

findings contains {"line": l.number, "rule": "76376-with-76377", "outcome": "deny"} if {
  some l in input.lines
  l.code == "76376"
  some o in input.lines
  o.date == l.date
  o.code == "76377"
}

findings contains {"line": l.number, "rule": "session-units", "outcome": "deny"} if {
  some l in input.lines
  three_d[l.code]
  sum([o.units | some o in input.lines; o.date == l.date; o.code == l.code]) > 2
}

findings contains {"line": l.number, "rule": "both-components", "outcome": "deny"} if {
  some l in input.lines
  three_d[l.code]
  "26" in l.modifiers
  "TC" in l.modifiers
}

findings contains {"line": l.number, "rule": "workstation", "outcome": "review"} if {
  some l in input.lines
  l.code == "76377"
  input.report
  not workstation_stated
}
"#;
