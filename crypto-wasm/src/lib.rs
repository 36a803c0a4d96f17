//! # baios-crypto
//!
//! The privacy cryptography core of BAIOS Chain. Every consensus-critical cryptographic
//! decision is made here, once; the node, the wallet and light clients call this code through
//! WebAssembly (see [`wasm`]), and the same code is tested natively with `cargo test`.
//!
//! The group is ristretto255 (RFC 9496), a prime-order group: there is no cofactor and no
//! torsion, so the only degenerate element is the identity, which every decoder that expects a
//! key, commitment or key image rejects. The normative specification, with every equation,
//! byte layout and domain-separation tag, is `docs/crypto.md`.
//!
//! Modules, one per construction:
//! - [`encoding`]: canonical scalar and point decoding;
//! - [`hash`]: the one hashing helper, hash-to-scalar and RFC 9380 hash-to-point;
//! - [`pedersen`]: commitments `C = r·G + v·H` and the balance check;
//! - [`stealth`]: CryptoNote dual-key stealth addresses, view tags, amount encryption;
//! - [`mlsag`]: MLSAG ring signatures and key images;
//! - [`ring_cache`]: the bounded cache of decoded ring members used by MLSAG verification;
//! - [`rangeproof`]: aggregated Bulletproofs+ range proofs and batch verification;
//! - [`subaddress`]: subaddresses and accounts (CryptoNote/Monero);
//! - [`proofs`]: tx proofs, signed key images and reserve proofs (two-base Schnorr / DLEQ);
//! - [`txpow`]: transaction proof-of-work;
//! - [`ed25519`]: strict Ed25519 for validator votes;
//! - [`rng`]: injected randomness (OS/JS source, or seeded for test vectors).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod ed25519;
pub mod encoding;
pub mod error;
pub mod hash;
pub mod mlsag;
pub mod pedersen;
pub mod proofs;
pub mod rangeproof;
pub mod ring_cache;
pub mod rng;
pub mod stealth;
pub mod subaddress;
pub mod txpow;
#[cfg(feature = "vectors")]
pub mod vectors;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{CryptoError, Result};
