//! Marks the tests on the shared CMS Blue Button files as ignored (with the reason) when the
//! files are absent, so a missing data set shows as "ignored", never as a pass. With
//! `PAYERLEX_REQUIRE_SHARED=1` they are never ignored, and fail when the files are missing.

use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let data = Path::new(&manifest).join("../../../shared/data/cms-bfd-fhir/v2");
    println!("cargo::rustc-check-cfg=cfg(bfd_data_absent)");
    println!("cargo::rerun-if-env-changed=PAYERLEX_REQUIRE_SHARED");
    println!("cargo::rerun-if-changed={}", data.display());
    println!("cargo::rerun-if-changed=build.rs");
    let required = std::env::var("PAYERLEX_REQUIRE_SHARED").as_deref() == Ok("1");
    if !data.is_dir() && !required {
        println!("cargo::rustc-cfg=bfd_data_absent");
    }
}
