//! The packs the load test serves: the shipped packs as they are (A), the same with the
//! medicare pack's version bumped (B, so every pack extending it gets a new digest too), and
//! a broken variant (a rule that does not parse). The served folder is rewritten in place
//! between reloads, never during one: only the load test reloads.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Which packs are in the served folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    A,
    B,
    Broken,
}

/// The served folder and the digests the two good variants compile to.
pub struct Packs {
    pub dir: PathBuf,
    medicare_manifest: String,
    rendering_policy: String,
    /// pack id -> the digests of A and B.
    pub digests: BTreeMap<String, BTreeSet<String>>,
    /// The digests of variant A (for counting which engine decided).
    pub digests_a: BTreeSet<String>,
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

impl Packs {
    /// Copies `shipped` into `dir` and compiles both good variants with the library to learn
    /// their digests independently of the service.
    pub fn new(shipped: &Path, dir: &Path) -> Result<Self, Box<dyn std::error::Error>> {
        copy_tree(shipped, dir)?;
        let medicare_manifest = std::fs::read_to_string(dir.join("medicare/pack.toml"))?;
        let rendering_policy = std::fs::read_to_string(dir.join("medicare/3d-rendering.policy"))?;
        let mut packs = Self {
            dir: dir.to_path_buf(),
            medicare_manifest,
            rendering_policy,
            digests: BTreeMap::new(),
            digests_a: BTreeSet::new(),
        };
        for variant in [Variant::A, Variant::B] {
            packs.write(variant)?;
            let engine = payerlex::Engine::load(dir).map_err(|e| e.render())?;
            for pack in engine.packs() {
                let digest = pack.policy().digest.to_string();
                if variant == Variant::A {
                    packs.digests_a.insert(digest.clone());
                }
                packs
                    .digests
                    .entry(pack.id().to_owned())
                    .or_default()
                    .insert(digest);
            }
        }
        packs.write(Variant::A)?;
        if packs.digests.values().any(|d| d.len() != 2) {
            return Err("variants A and B do not differ in every pack's digest".into());
        }
        Ok(packs)
    }

    /// Rewrites the served folder as `variant`.
    pub fn write(&self, variant: Variant) -> std::io::Result<()> {
        let manifest = match variant {
            Variant::B => bump_patch(&self.medicare_manifest),
            _ => self.medicare_manifest.clone(),
        };
        let policy = match variant {
            Variant::Broken => format!(
                "{}\nrule broken-on-purpose\n  when line.code in\n",
                self.rendering_policy
            ),
            _ => self.rendering_policy.clone(),
        };
        std::fs::write(self.dir.join("medicare/pack.toml"), manifest)?;
        std::fs::write(self.dir.join("medicare/3d-rendering.policy"), policy)
    }
}

/// The manifest with its `version = "X.Y.Z"` line at Z + 1 (still matching the `^X.Y`
/// requirement of the packs that extend it).
fn bump_patch(manifest: &str) -> String {
    manifest
        .lines()
        .map(|line| {
            let version = line
                .strip_prefix("version = \"")
                .and_then(|rest| rest.strip_suffix('"'))
                .and_then(|v| v.rsplit_once('.'))
                .and_then(|(head, patch)| Some((head, patch.parse::<u64>().ok()?)));
            match version {
                Some((head, patch)) => format!("version = \"{head}.{}\"", patch + 1),
                None => line.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
