//! Record ids are made on the device, offline, as UUID v7 (RFC 9562): a
//! millisecond timestamp then random bits, so ids sort by creation time and
//! two tablets never collide. The randomness and the clock are passed in so
//! the core stays pure (the wasm edge uses `crypto.getRandomValues`).

/// A UUID v7 from a Unix time in milliseconds and 10 random bytes.
pub fn uuid_v7(unix_ms: u64, random: [u8; 10]) -> String {
    let mut b = [0u8; 16];
    b[..6].copy_from_slice(&unix_ms.to_be_bytes()[2..8]);
    b[6..].copy_from_slice(&random);
    b[6] = 0x70 | (b[6] & 0x0f); // version 7
    b[8] = 0x80 | (b[8] & 0x3f); // RFC variant
    let hex: String = b.iter().map(|x| format!("{:02x}", x)).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// Is `s` a UUID in the canonical hyphenated form (any version; either case)?
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Is `s` a SHA-256 digest as 64 lowercase hex digits (how attachments are named)?
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v7_layout() {
        let id = uuid_v7(0x0189_0a1b_2c3d, [0xff; 10]);
        assert_eq!(id, "01890a1b-2c3d-7fff-bfff-ffffffffffff");
        assert!(is_uuid(&id));
    }

    #[test]
    fn v7_sorts_by_time() {
        assert!(uuid_v7(1_700_000_000_000, [0xff; 10]) < uuid_v7(1_700_000_000_001, [0; 10]));
    }

    #[test]
    fn rejects_non_uuids() {
        assert!(!is_uuid("01890a1b2c3d7fffbfffffffffffffff"));
        assert!(!is_uuid("01890a1b-2c3d-7fff-bfff-fffffffffffg"));
        assert!(!is_uuid(""));
    }
}
