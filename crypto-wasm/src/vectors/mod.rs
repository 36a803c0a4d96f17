//! Deterministic test-vector generator (cargo feature `vectors`).
//!
//! Each submodule has `pub fn generate() -> serde_json::Value` that builds one file of
//! `test-vectors/` (Wycheproof shape, `test-vectors/README.md`) from a ChaCha20 generator seeded
//! per file with `SHA-512("BAIOS/v1/test-vectors/" ‖ file name)[0..32]` ([`rng_for`]).
//! Rebuilding a file therefore always gives the same bytes; `tests/vectors.rs` checks that the
//! committed files have not drifted, and re-checks every case.

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha512};

pub mod ed25519;
pub mod hash;
pub mod key_image;
pub mod mlsag;
pub mod pedersen;
pub mod point;
pub mod rangeproof;
pub mod scalar;
pub mod stealth;
pub mod txpow;
pub mod wallet_proofs;

/// Version string written to every file's `generatorVersion`.
pub const GENERATOR_VERSION: &str = "1";

/// A vector file: its name in `test-vectors/` and its generator.
pub type FileGenerator = (&'static str, fn() -> Value);

/// Every generated file, in the order `gen-vectors` writes them.
pub const FILES: &[FileGenerator] = &[
    ("scalar.json", scalar::generate),
    ("point.json", point::generate),
    ("hash_to_scalar.json", hash::generate_hash_to_scalar),
    ("hash_to_point.json", hash::generate_hash_to_point),
    ("pedersen.json", pedersen::generate),
    ("stealth.json", stealth::generate),
    ("key_image.json", key_image::generate),
    ("mlsag.json", mlsag::generate),
    ("rangeproof.json", rangeproof::generate),
    ("txpow.json", txpow::generate),
    ("ed25519.json", ed25519::generate),
    ("subaddress.json", wallet_proofs::generate_subaddress),
    ("wallet_proofs.json", wallet_proofs::generate_wallet_proofs),
];

/// The per-file deterministic generator: ChaCha20 seeded with
/// `SHA-512("BAIOS/v1/test-vectors/" ‖ file)[0..32]`.
pub fn rng_for(file: &str) -> rand_chacha::ChaCha20Rng {
    let h = Sha512::new()
        .chain_update(b"BAIOS/v1/test-vectors/")
        .chain_update(file.as_bytes())
        .finalize();
    let mut seed = [0u8; 32];
    seed.copy_from_slice(&h[..32]);
    crate::rng::seeded_rng(seed)
}

/// Serialises a file exactly as committed: pretty-printed JSON (2-space indent, keys in
/// lexicographic order) and a trailing newline.
pub fn to_pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("serialisable");
    s.push('\n');
    s
}

/// Lowercase hex.
pub fn hx(bytes: impl AsRef<[u8]>) -> String {
    hex::encode(bytes)
}

/// A test case (without `tcId`, assigned by [`file()`]). `error` is the expected §9 code of an
/// invalid case, or `None` for an invalid case that has no code (e.g. an unbalanced
/// transaction, an output that is not ours). `fields` must be a JSON object.
pub fn case(
    comment: &str,
    flags: &[&str],
    valid: bool,
    error: Option<&str>,
    fields: Value,
) -> Value {
    assert!(
        valid || error.is_some() || !flags.is_empty(),
        "invalid case without code needs a flag"
    );
    assert!(!(valid && error.is_some()));
    let mut m: Map<String, Value> = match fields {
        Value::Object(m) => m,
        _ => panic!("fields must be an object"),
    };
    m.insert("comment".into(), json!(comment));
    m.insert("flags".into(), json!(flags));
    m.insert(
        "result".into(),
        json!(if valid { "valid" } else { "invalid" }),
    );
    if let Some(e) = error {
        m.insert("error".into(), json!(e));
    }
    Value::Object(m)
}

/// A test group of `type` with extra group fields (`extra` must be an object or null).
pub fn group(kind: &str, extra: Value, tests: Vec<Value>) -> Value {
    let mut m = match extra {
        Value::Object(m) => m,
        Value::Null => Map::new(),
        _ => panic!("group fields must be an object"),
    };
    m.insert("type".into(), json!(kind));
    m.insert("tests".into(), Value::Array(tests));
    Value::Object(m)
}

/// A whole file: assigns `tcId` 1, 2, … in order and sets `numberOfTests`.
pub fn file(algorithm: &str, header: &[&str], notes: Value, mut groups: Vec<Value>) -> Value {
    let mut id = 0u64;
    for g in &mut groups {
        for t in g["tests"].as_array_mut().expect("tests") {
            id += 1;
            t.as_object_mut()
                .expect("case")
                .insert("tcId".into(), json!(id));
        }
    }
    json!({
        "algorithm": algorithm,
        "generatorVersion": GENERATOR_VERSION,
        "numberOfTests": id,
        "header": header,
        "notes": notes,
        "testGroups": groups,
    })
}
