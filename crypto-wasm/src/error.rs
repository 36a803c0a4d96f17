//! The crate's single error type.
//!
//! Every rejecting check in the crate returns a [`CryptoError`]. Each variant has a stable
//! string [`code`](CryptoError::code) (listed in `docs/crypto.md` §9) that crosses the
//! WebAssembly boundary unchanged and becomes the `code` of the TypeScript `CryptoError`.

use core::fmt;

/// A typed cryptographic error. `code()` is stable and part of the public interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CryptoError {
    /// A byte string has the wrong length: `what`, the expected and the actual length in bytes.
    InvalidLength {
        /// Name of the offending field.
        what: &'static str,
        /// Expected length in bytes.
        expected: usize,
        /// Actual length in bytes.
        actual: usize,
    },
    /// A scalar encoding is not `< ℓ`.
    NonCanonicalScalar {
        /// Name of the offending field.
        what: &'static str,
    },
    /// A point encoding is not a canonical ristretto255 encoding (RFC 9496 §4.3.1).
    InvalidPoint {
        /// Name of the offending field.
        what: &'static str,
    },
    /// The identity was given where a key, commitment or key image is expected.
    IdentityPoint {
        /// Name of the offending field.
        what: &'static str,
    },
    /// A hash-to-point domain-separation tag is empty or longer than 255 bytes.
    InvalidDst,
    /// A ring size outside `1..=256`.
    RingSize {
        /// The offending size.
        size: usize,
    },
    /// Two ring members are equal.
    DuplicateRingMember {
        /// Index of the first equal member.
        first: usize,
        /// Index of the second equal member.
        second: usize,
    },
    /// The secret index is outside the ring.
    SignerIndex {
        /// The secret index given.
        index: usize,
        /// The ring size.
        size: usize,
    },
    /// The secret keys do not match the ring member at the secret index.
    SignerMismatch,
    /// An MLSAG or Ed25519 signature does not verify.
    InvalidSignature {
        /// Name of the offending field.
        what: &'static str,
    },
    /// A range proof over 0 or more than 16 amounts, or a mismatched count.
    AggregationSize {
        /// The offending size.
        size: usize,
    },
    /// A range proof does not verify or cannot be decoded.
    InvalidRangeProof {
        /// Why the proof was rejected.
        reason: &'static str,
    },
    /// A small-order (weak) Ed25519 public key.
    WeakKey,
    /// The Tx-PoW hash is above the target.
    PowInsufficient,
}

impl CryptoError {
    /// The stable error code, e.g. `"NON_CANONICAL_SCALAR"` (docs/crypto.md §9).
    pub fn code(&self) -> &'static str {
        match self {
            CryptoError::InvalidLength { .. } => "INVALID_LENGTH",
            CryptoError::NonCanonicalScalar { .. } => "NON_CANONICAL_SCALAR",
            CryptoError::InvalidPoint { .. } => "INVALID_POINT",
            CryptoError::IdentityPoint { .. } => "IDENTITY_POINT",
            CryptoError::InvalidDst => "INVALID_DST",
            CryptoError::RingSize { .. } => "RING_SIZE",
            CryptoError::DuplicateRingMember { .. } => "DUPLICATE_RING_MEMBER",
            CryptoError::SignerIndex { .. } => "SIGNER_INDEX",
            CryptoError::SignerMismatch => "SIGNER_MISMATCH",
            CryptoError::InvalidSignature { .. } => "INVALID_SIGNATURE",
            CryptoError::AggregationSize { .. } => "AGGREGATION_SIZE",
            CryptoError::InvalidRangeProof { .. } => "INVALID_RANGE_PROOF",
            CryptoError::WeakKey => "WEAK_KEY",
            CryptoError::PowInsufficient => "POW_INSUFFICIENT",
        }
    }
}

impl fmt::Display for CryptoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.code();
        match self {
            CryptoError::InvalidLength {
                what,
                expected,
                actual,
            } => {
                write!(f, "{code}: {what} must be {expected} bytes, got {actual}")
            }
            CryptoError::NonCanonicalScalar { what } => {
                write!(f, "{code}: {what} is not a canonical scalar (< l)")
            }
            CryptoError::InvalidPoint { what } => {
                write!(f, "{code}: {what} is not a canonical ristretto255 encoding")
            }
            CryptoError::IdentityPoint { what } => write!(f, "{code}: {what} is the identity"),
            CryptoError::InvalidDst => write!(f, "{code}: DST must be 1..=255 bytes"),
            CryptoError::RingSize { size } => write!(f, "{code}: ring size {size} outside 1..=256"),
            CryptoError::DuplicateRingMember { first, second } => {
                write!(f, "{code}: ring members {first} and {second} are equal")
            }
            CryptoError::SignerIndex { index, size } => {
                write!(f, "{code}: secret index {index} outside ring of {size}")
            }
            CryptoError::SignerMismatch => {
                write!(
                    f,
                    "{code}: secret keys do not match the ring member at the secret index"
                )
            }
            CryptoError::InvalidSignature { what } => write!(f, "{code}: {what} does not verify"),
            CryptoError::AggregationSize { size } => {
                write!(f, "{code}: {size} amounts; a range proof covers 1..=16")
            }
            CryptoError::InvalidRangeProof { reason } => write!(f, "{code}: {reason}"),
            CryptoError::WeakKey => write!(f, "{code}: small-order Ed25519 public key"),
            CryptoError::PowInsufficient => write!(f, "{code}: Tx-PoW hash above target"),
        }
    }
}

impl std::error::Error for CryptoError {}

/// Result alias used throughout the crate.
pub type Result<T> = core::result::Result<T, CryptoError>;
