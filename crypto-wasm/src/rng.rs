//! Injected randomness.
//!
//! Every randomness-consuming API of the crate is generic over
//! [`rand_core::CryptoRng`] (rand_core 0.10), so the caller chooses the source:
//!
//! - [`os_rng`]: the operating system's CSPRNG through `getrandom` 0.4 ([`getrandom::SysRng`]).
//!   On `wasm32-unknown-unknown` getrandom uses the JavaScript `crypto.getRandomValues` source;
//!   in getrandom 0.4 enabling the crate feature `wasm_js` (set in `Cargo.toml` for wasm32) is
//!   sufficient — unlike getrandom 0.3, no `--cfg getrandom_backend="wasm_js"` RUSTFLAG is
//!   needed (getrandom 0.4.3 `src/backends.rs` selects `wasm_js` from the feature alone).
//! - [`seeded_rng`]: ChaCha20 from a 32-byte seed, **only** for deterministic test vectors and
//!   tests. Never use it for real keys.

use rand_core::{SeedableRng, UnwrapErr};

/// The operating-system random source as an infallible [`rand_core::CryptoRng`].
///
/// Wraps [`getrandom::SysRng`] in [`rand_core::UnwrapErr`]: if the system source fails (which
/// getrandom documents as practically impossible after start-up), drawing from it panics
/// instead of returning predictable bytes.
pub fn os_rng() -> UnwrapErr<getrandom::SysRng> {
    UnwrapErr(getrandom::SysRng)
}

/// A deterministic ChaCha20 generator (RFC 8439 stream cipher as a PRNG, `rand_chacha` 0.10)
/// from a 32-byte seed. For test vectors and tests only.
pub fn seeded_rng(seed: [u8; 32]) -> rand_chacha::ChaCha20Rng {
    rand_chacha::ChaCha20Rng::from_seed(seed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::Rng;

    #[test]
    fn seeded_is_deterministic() {
        let mut a = seeded_rng([7; 32]);
        let mut b = seeded_rng([7; 32]);
        assert_eq!(a.next_u64(), b.next_u64());
        let mut c = seeded_rng([8; 32]);
        assert_ne!(a.next_u64(), c.next_u64());
    }

    #[test]
    fn os_rng_produces_distinct_output() {
        let mut r = os_rng();
        let mut x = [0u8; 32];
        let mut y = [0u8; 32];
        r.fill_bytes(&mut x);
        r.fill_bytes(&mut y);
        assert_ne!(x, y);
    }
}
