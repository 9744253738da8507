//! Device signatures over finalised records: the schemes HQ verifies, in one
//! place. Today ECDSA over P-256 with SHA-256, as every browser's WebCrypto
//! makes it with a non-extractable key; SM2 with SM3 (GB/T 32918, GB/T 32905)
//! joins as one more [`Scheme`] when a bureau asks for it — the wire names
//! the scheme, the key table stores it, nothing else changes.

use base64::Engine;
use p256::ecdsa::signature::Verifier;
use p256::pkcs8::DecodePublicKey;
use sha2::{Digest, Sha256};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// ECDSA, curve P-256, SHA-256; signature r ‖ s (64 bytes, IEEE P1363 — WebCrypto's form).
    EcdsaP256Sha256,
}

/// Why a key or a signature is not accepted.
#[derive(Debug, PartialEq, Eq)]
pub enum SigningError {
    UnknownScheme,
    BadKey,
    BadSignature,
}

impl Scheme {
    pub fn parse(name: &str) -> Result<Scheme, SigningError> {
        match name {
            "ECDSA-P256-SHA256" => Ok(Scheme::EcdsaP256Sha256),
            _ => Err(SigningError::UnknownScheme),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::EcdsaP256Sha256 => "ECDSA-P256-SHA256",
        }
    }

    /// Check a public key (SPKI DER) reads as a key of this scheme.
    pub fn check_key(self, spki: &[u8]) -> Result<(), SigningError> {
        match self {
            Scheme::EcdsaP256Sha256 => p256::ecdsa::VerifyingKey::from_public_key_der(spki).map(|_| ()).map_err(|_| SigningError::BadKey),
        }
    }

    /// Whether `signature` is this scheme's signature of `message` under `spki`.
    pub fn verify(self, spki: &[u8], message: &[u8], signature: &[u8]) -> Result<(), SigningError> {
        match self {
            Scheme::EcdsaP256Sha256 => {
                let key = p256::ecdsa::VerifyingKey::from_public_key_der(spki).map_err(|_| SigningError::BadKey)?;
                let sig = p256::ecdsa::Signature::from_slice(signature).map_err(|_| SigningError::BadSignature)?;
                key.verify(message, &sig).map_err(|_| SigningError::BadSignature)
            }
        }
    }
}

/// A key's id: the SHA-256 of its SPKI bytes, in hex (the tablet computes the same).
pub fn key_id(spki: &[u8]) -> String {
    Sha256::digest(spki).iter().map(|b| format!("{b:02x}")).collect()
}

pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(text.trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Signer;
    use p256::pkcs8::EncodePublicKey;

    #[test]
    fn a_signature_verifies_for_its_message_and_key_only() {
        let key = p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
        let spki = key.verifying_key().to_public_key_der().unwrap().into_vec();
        let sig: p256::ecdsa::Signature = key.sign(b"xuncha-record-v1\nid\nabc");
        let scheme = Scheme::parse("ECDSA-P256-SHA256").unwrap();
        assert_eq!(scheme.verify(&spki, b"xuncha-record-v1\nid\nabc", &sig.to_bytes()), Ok(()));
        assert_eq!(scheme.verify(&spki, b"xuncha-record-v1\nid\nabd", &sig.to_bytes()), Err(SigningError::BadSignature));
        let other = p256::ecdsa::SigningKey::from_slice(&[8u8; 32]).unwrap().verifying_key().to_public_key_der().unwrap().into_vec();
        assert_eq!(scheme.verify(&other, b"xuncha-record-v1\nid\nabc", &sig.to_bytes()), Err(SigningError::BadSignature));
        assert_eq!(Scheme::parse("RSA"), Err(SigningError::UnknownScheme));
        assert_eq!(scheme.check_key(b"not a key"), Err(SigningError::BadKey));
    }
}
