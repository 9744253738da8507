//! Accounts, sign-in and tokens.
//!
//! Sign-in is throttled, never locked: after a few free tries each failure
//! raises a delay (30 s, doubling, at most 15 minutes) on three keys — the login name, the client
//! address, and the (login, device) pair. A device the account has signed in
//! on before is judged by its own key alone, so a stranger guessing a
//! colleague's password cannot keep that colleague's tablet out. Attempts are
//! counted before the password is checked, in one transaction, so parallel
//! guesses are counted too; a name that does not exist is checked against a
//! decoy hash, so it takes as long as one that does.

use std::sync::LazyLock;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};

use super::sql::{Cols, P, R};
use super::{read_user, Role, Store, StoreError, User, LOGIN_LOCK, USER_COLUMNS};

/// Failures allowed per login name (per new device) before delays start.
pub const FREE_FAILURES_PER_LOGIN: i64 = 5;
/// Failures allowed per (login, device) before delays start.
pub const FREE_FAILURES_PER_DEVICE: i64 = 5;
/// Failures allowed per client address (a bureau's tablets may share one).
pub const FREE_FAILURES_PER_CLIENT: i64 = 30;
/// The first delay once a key's free tries are spent; each failure after doubles it.
pub const FIRST_DELAY_SECS: i64 = 30;
/// The longest delay between two tries of one key.
pub const MAX_DELAY_SECS: i64 = 15 * 60;
/// A key quiet this long is forgotten (its row pruned).
pub const FORGET_AFTER_SECS: i64 = 60 * 60;

pub enum LoginOutcome {
    Ok {
        token: String,
        expires_at: i64,
        user: User,
    },
    BadCredentials,
    /// Too many recent failures on one of the attempt's keys: try again after this many seconds.
    Throttled {
        retry_after_secs: i64,
    },
}

/// A token as the admin sees it (never the token itself).
#[derive(Clone, Debug)]
pub struct TokenInfo {
    /// The first 12 hex digits of the token's SHA-256: enough to name it.
    pub id: String,
    pub login: String,
    pub device_id: String,
    pub expires_at: i64,
    pub revoked: bool,
}

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A hash of a random password nobody knows: unknown names are checked against it.
static DECOY_HASH: LazyLock<String> = LazyLock::new(|| {
    let mut secret = [0u8; 32];
    OsRng.fill_bytes(&mut secret);
    hash_password(&sha256_hex(&format!("{secret:?}"))).unwrap_or_default()
});

fn hash_password(password: &str) -> R<String> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt).map_err(StoreError::unavailable)?.to_string())
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// How long a key with `failures` must wait after its last one.
fn delay_secs(failures: i64, free: i64) -> i64 {
    if failures < free {
        return 0;
    }
    FIRST_DELAY_SECS.saturating_mul(1i64 << (failures - free).min(20)).min(MAX_DELAY_SECS)
}

/// One throttled key and its free allowance.
struct Key {
    key: String,
    free: i64,
}

impl Store {
    /// Warm the decoy hash (so the first unknown name is not faster than the rest).
    pub fn prepare_sign_in() {
        LazyLock::force(&DECOY_HASH);
    }

    pub fn create_user(&self, bureau_id: i64, login: &str, password: &str, role: Role, name: &str, certificate_no: Option<&str>) -> R<i64> {
        let hash = hash_password(password)?;
        self.write(None, |tx| {
            tx.int(
                "INSERT INTO users (bureau_id, login, password_hash, role, name, certificate_no) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                &[P::Int(bureau_id), P::Text(login), P::Text(&hash), P::Text(role.as_str()), P::Text(name), P::OptText(certificate_no)],
            )
        })
    }

    /// Check a password and issue a token for one device (see the module's
    /// note for the throttling). `client` is the caller's address.
    pub fn login(&self, login: &str, password: &str, device_id: &str, client: &str, now: i64, ttl_secs: i64) -> R<LoginOutcome> {
        let found = self.read(|tx| {
            let sql = format!("SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.login = ?1");
            let Some(row) = tx.row(&sql, &[P::Text(login)])? else {
                return Ok(None);
            };
            let mut cols = Cols::new(row);
            let user = read_user(&mut cols)?;
            let hash = cols.text()?;
            let known_device = tx.int("SELECT COUNT(*) FROM tokens WHERE user_id = ?1 AND device_id = ?2", &[P::Int(user.id), P::Text(device_id)])? > 0;
            Ok(Some((user, hash, known_device)))
        })?;
        let device_key = Key { key: format!("device:{login}\n{device_id}"), free: FREE_FAILURES_PER_DEVICE };
        let keys = match &found {
            // The account holder's own tablet: only its own failures slow it down.
            Some((_, _, true)) => vec![device_key],
            _ => vec![Key { key: format!("login:{login}"), free: FREE_FAILURES_PER_LOGIN }, Key { key: format!("client:{client}"), free: FREE_FAILURES_PER_CLIENT }, device_key],
        };
        if let Some(retry_after_secs) = self.count_attempt(&keys, now)? {
            return Ok(LoginOutcome::Throttled { retry_after_secs });
        }
        // Argon2 takes a while on purpose: outside any transaction. An unknown
        // name or a disabled account costs the same check.
        let hash = found.as_ref().map_or(DECOY_HASH.as_str(), |(_, h, _)| h.as_str());
        let verified = verify_password(hash, password);
        let Some((user, _, _)) = found.filter(|(u, _, _)| verified && !u.disabled) else {
            return Ok(LoginOutcome::BadCredentials);
        };
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let expires_at = now.saturating_add(ttl_secs);
        self.write(Some(LOGIN_LOCK), |tx| {
            tx.exec(
                "INSERT INTO tokens (token_sha256, user_id, device_id, expires_at) VALUES (?1, ?2, ?3, ?4)",
                &[P::Text(&sha256_hex(&token)), P::Int(user.id), P::Text(device_id), P::Int(expires_at)],
            )?;
            // The holder got in: their name's and device's failures are forgiven;
            // the client's attempt is taken back (its other failures stay).
            for k in &keys {
                if k.key.starts_with("client:") {
                    tx.exec("DELETE FROM login_throttle WHERE key = ?1 AND failures <= 1", &[P::Text(&k.key)])?;
                    tx.exec("UPDATE login_throttle SET failures = failures - 1 WHERE key = ?1", &[P::Text(&k.key)])?;
                } else {
                    tx.exec("DELETE FROM login_throttle WHERE key = ?1", &[P::Text(&k.key)])?;
                }
            }
            Ok(())
        })?;
        Ok(LoginOutcome::Ok { token, expires_at, user })
    }

    /// Count an attempt on every key, in one transaction, before the password
    /// is checked (a success takes it back); or, if any key must still wait,
    /// count nothing and say how long.
    fn count_attempt(&self, keys: &[Key], now: i64) -> R<Option<i64>> {
        self.write(Some(LOGIN_LOCK), |tx| {
            tx.exec("DELETE FROM login_throttle WHERE last_at < ?1", &[P::Int(now - FORGET_AFTER_SECS)])?;
            let mut wait = 0;
            for k in keys {
                if let Some(row) = tx.row("SELECT failures, last_at FROM login_throttle WHERE key = ?1", &[P::Text(&k.key)])? {
                    let mut cols = Cols::new(row);
                    let (failures, last_at) = (cols.int()?, cols.int()?);
                    wait = wait.max(last_at + delay_secs(failures, k.free) - now);
                }
            }
            if wait > 0 {
                return Ok(Some(wait));
            }
            for k in keys {
                tx.exec(
                    "INSERT INTO login_throttle (key, failures, last_at) VALUES (?1, 1, ?2)
                     ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures + 1, last_at = excluded.last_at",
                    &[P::Text(&k.key), P::Int(now)],
                )?;
            }
            Ok(None)
        })
    }

    /// The account and device behind a live token (not expired, not revoked,
    /// the account not disabled).
    pub fn authenticate(&self, token: &str, now: i64) -> R<Option<(User, String)>> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, t.device_id FROM tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_sha256 = ?1 AND t.revoked = 0 AND t.expires_at > ?2 AND u.disabled = 0"
        );
        self.read(|tx| {
            let Some(row) = tx.row(&sql, &[P::Text(&sha256_hex(token)), P::Int(now)])? else {
                return Ok(None);
            };
            let mut cols = Cols::new(row);
            Ok(Some((read_user(&mut cols)?, cols.text()?)))
        })
    }

    /// Sign a token out.
    pub fn revoke(&self, token: &str) -> R<()> {
        self.write(None, |tx| tx.exec("UPDATE tokens SET revoked = 1 WHERE token_sha256 = ?1", &[P::Text(&sha256_hex(token))]))?;
        Ok(())
    }

    /// Every token, or one login's, newest expiry first.
    pub fn tokens(&self, login: Option<&str>) -> R<Vec<TokenInfo>> {
        self.read(|tx| {
            let base = "SELECT t.token_sha256, u.login, t.device_id, t.expires_at, t.revoked FROM tokens t JOIN users u ON u.id = t.user_id";
            let rows = match login {
                Some(l) => tx.rows(&format!("{base} WHERE u.login = ?1 ORDER BY t.expires_at DESC"), &[P::Text(l)])?,
                None => tx.rows(&format!("{base} ORDER BY u.login, t.expires_at DESC"), &[])?,
            };
            rows.into_iter()
                .map(|row| {
                    let mut cols = Cols::new(row);
                    let id = cols.text()?.chars().take(12).collect();
                    Ok(TokenInfo { id, login: cols.text()?, device_id: cols.text()?, expires_at: cols.int()?, revoked: cols.int()? != 0 })
                })
                .collect()
        })
    }

    /// Revoke a login's tokens — all, or one device's, or the one whose id
    /// (from [`Store::tokens`]) is given; how many were live.
    pub fn revoke_tokens(&self, login: &str, device: Option<&str>, id: Option<&str>) -> R<u64> {
        self.write(None, |tx| {
            let user = tx.row("SELECT id FROM users WHERE login = ?1", &[P::Text(login)])?.ok_or_else(|| StoreError::corrupt(format!("no account {login:?}")))?;
            let user = Cols::new(user).int()?;
            // Built per case: PostgreSQL cannot type a parameter that is only ever compared with NULL.
            let mut sql = String::from("UPDATE tokens SET revoked = 1 WHERE user_id = ?1 AND revoked = 0");
            let mut params = vec![P::Int(user)];
            if let Some(d) = device {
                params.push(P::Text(d));
                sql.push_str(&format!(" AND device_id = ?{}", params.len()));
            }
            let prefix = id.map(|i| format!("{}%", i.replace(['%', '_'], "")));
            if let Some(p) = &prefix {
                params.push(P::Text(p));
                sql.push_str(&format!(" AND token_sha256 LIKE ?{}", params.len()));
            }
            tx.exec(&sql, &params)
        })
    }

    /// Disable (or enable again) an account; disabling revokes its tokens.
    /// False when there is no such account.
    pub fn set_disabled(&self, login: &str, disabled: bool) -> R<bool> {
        self.write(None, |tx| {
            let n = tx.exec("UPDATE users SET disabled = ?1 WHERE login = ?2", &[P::Int(disabled as i64), P::Text(login)])?;
            if n > 0 && disabled {
                tx.exec("UPDATE tokens SET revoked = 1 WHERE user_id = (SELECT id FROM users WHERE login = ?1)", &[P::Text(login)])?;
            }
            Ok(n > 0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (Store, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("xuncha-accounts-{}-{:?}", std::process::id(), std::thread::current().id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open_sqlite(&dir.join("t.sqlite")).unwrap();
        let bureau = store.create_bureau("局").unwrap();
        store.create_user(bureau, "li", "correct horse 9", Role::Officer, "李", Some("B")).unwrap();
        (store, dir)
    }

    fn throttle_rows(store: &Store) -> i64 {
        store.read(|tx| tx.int("SELECT COUNT(*) FROM login_throttle", &[])).unwrap()
    }

    #[test]
    fn failures_are_forgotten_after_an_hour_of_quiet_and_their_rows_pruned() {
        let (store, dir) = store();
        let t0 = 1_800_000_000;
        for i in 0..FREE_FAILURES_PER_LOGIN {
            assert!(matches!(store.login("li", "wrong", "dev", "10.0.0.1", t0 + i, 60).unwrap(), LoginOutcome::BadCredentials));
        }
        assert!(matches!(store.login("li", "correct horse 9", "dev", "10.0.0.1", t0 + 10, 60).unwrap(), LoginOutcome::Throttled { .. }));
        assert_eq!(throttle_rows(&store), 3, "login, client and device keys");
        // An unknown name leaves a row like a known one, and both are pruned after the quiet hour.
        assert!(matches!(store.login("nobody", "x", "dev2", "10.0.0.2", t0 + 11, 60).unwrap(), LoginOutcome::BadCredentials));
        let later = t0 + 11 + FORGET_AFTER_SECS + 1;
        assert!(matches!(store.login("li", "correct horse 9", "dev", "10.0.0.1", later, 60).unwrap(), LoginOutcome::Ok { .. }));
        assert_eq!(throttle_rows(&store), 0, "stale rows are gone, and a success clears its own");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn delays_start_after_the_free_tries_double_and_stop_at_the_cap() {
        assert_eq!((0..5).map(|f| delay_secs(f, 5)).collect::<Vec<_>>(), vec![0; 5]);
        assert_eq!((5..9).map(|f| delay_secs(f, 5)).collect::<Vec<_>>(), vec![30, 60, 120, 240]);
        assert_eq!(delay_secs(25, 5), MAX_DELAY_SECS);
        assert_eq!(delay_secs(i64::MAX, 5), MAX_DELAY_SECS);
    }
}

/// An account as the bureau's staff see it, with the devices it signed in on.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountInfo {
    pub login: String,
    pub name: String,
    pub role: &'static str,
    pub certificate_no: Option<String>,
    pub disabled: bool,
    pub devices: Vec<DeviceInfo>,
}

/// One device an account signed in on.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceInfo {
    pub device_id: String,
    /// Tokens still usable (not revoked, not expired).
    pub live_tokens: i64,
    /// When its newest token expires (UTC seconds).
    pub last_expires_at: i64,
    /// Its signing keys are revoked: its signatures are refused.
    pub revoked: bool,
}

/// Why a staff change to an account was not made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountRefusal {
    /// No such account in this bureau (another bureau's reads the same).
    NoSuchAccount,
    /// Staff may not lock themselves out.
    OwnAccount,
    /// The login is taken.
    LoginTaken,
}

impl Store {
    /// The bureau's accounts, each with its devices.
    pub fn bureau_accounts(&self, bureau_id: i64, now: i64) -> R<Vec<AccountInfo>> {
        self.read(|tx| {
            let users = tx.rows(&format!("SELECT {USER_COLUMNS} FROM users u WHERE u.bureau_id = ?1 ORDER BY u.role, u.login"), &[P::Int(bureau_id)])?;
            let mut out = Vec::new();
            for row in users {
                let user = read_user(&mut Cols::new(row))?;
                let devices = tx.rows(
                    "SELECT t.device_id, CAST(SUM(CASE WHEN t.revoked = 0 AND t.expires_at > ?2 THEN 1 ELSE 0 END) AS BIGINT), MAX(t.expires_at),
                            (SELECT COUNT(*) FROM device_keys k WHERE k.device_id = t.device_id AND k.bureau_id = ?3 AND k.revoked_at IS NOT NULL)
                     FROM tokens t WHERE t.user_id = ?1 GROUP BY t.device_id ORDER BY MAX(t.expires_at) DESC",
                    &[P::Int(user.id), P::Int(now), P::Int(bureau_id)],
                )?;
                let devices = devices
                    .into_iter()
                    .map(|r| {
                        let mut c = Cols::new(r);
                        Ok(DeviceInfo { device_id: c.text()?, live_tokens: c.int()?, last_expires_at: c.int()?, revoked: c.int()? > 0 })
                    })
                    .collect::<R<Vec<_>>>()?;
                out.push(AccountInfo { login: user.login, name: user.name, role: user.role.as_str(), certificate_no: user.certificate_no, disabled: user.disabled, devices });
            }
            Ok(out)
        })
    }

    /// Whether HQ has any account at all (first run: none).
    pub fn has_accounts(&self) -> R<bool> {
        self.read(|tx| Ok(tx.int("SELECT COUNT(*) FROM users", &[])? > 0))
    }

    /// Whether `login` is an account of the bureau.
    fn in_bureau(&self, bureau_id: i64, login: &str) -> R<bool> {
        self.read(|tx| Ok(tx.int("SELECT COUNT(*) FROM users WHERE login = ?1 AND bureau_id = ?2", &[P::Text(login), P::Int(bureau_id)])? > 0))
    }

    /// Staff make an account in their own bureau.
    pub fn staff_create_user(&self, bureau_id: i64, login: &str, password: &str, role: Role, name: &str, certificate_no: Option<&str>) -> R<Result<(), AccountRefusal>> {
        let taken = self.read(|tx| Ok(tx.int("SELECT COUNT(*) FROM users WHERE login = ?1", &[P::Text(login)])? > 0))?;
        if taken {
            return Ok(Err(AccountRefusal::LoginTaken));
        }
        self.create_user(bureau_id, login, password, role, name, certificate_no)?;
        Ok(Ok(()))
    }

    /// Staff disable or enable an account of their bureau (never their own).
    pub fn staff_set_disabled(&self, staff: &User, login: &str, disabled: bool) -> R<Result<(), AccountRefusal>> {
        if !self.in_bureau(staff.bureau_id, login)? {
            return Ok(Err(AccountRefusal::NoSuchAccount));
        }
        if login == staff.login {
            return Ok(Err(AccountRefusal::OwnAccount));
        }
        self.set_disabled(login, disabled)?;
        Ok(Ok(()))
    }

    /// Staff set a new password for an account of their bureau; its devices must sign in again.
    pub fn staff_reset_password(&self, staff: &User, login: &str, password: &str) -> R<Result<(), AccountRefusal>> {
        if !self.in_bureau(staff.bureau_id, login)? {
            return Ok(Err(AccountRefusal::NoSuchAccount));
        }
        let hash = hash_password(password)?;
        self.write(None, |tx| {
            tx.exec("UPDATE users SET password_hash = ?1 WHERE login = ?2", &[P::Text(&hash), P::Text(login)])?;
            if login != staff.login {
                tx.exec("UPDATE tokens SET revoked = 1 WHERE user_id = (SELECT id FROM users WHERE login = ?1)", &[P::Text(login)])?;
            }
            Ok(())
        })?;
        Ok(Ok(()))
    }

    /// Staff revoke a device of their bureau (a lost tablet): its tokens stop
    /// working and its signing keys are revoked, so what it signs from now on is
    /// refused. Returns (tokens, keys) revoked; `None` if no account of the
    /// bureau ever signed in on it, or it is the one the caller is using.
    pub fn staff_revoke_device(&self, staff: &User, own_device: &str, device_id: &str, now: xuncha::time::Timestamp) -> R<Option<(u64, u64)>> {
        if device_id == own_device {
            return Ok(None);
        }
        self.write(Some(staff.bureau_id), |tx| {
            let ours = tx.int("SELECT COUNT(*) FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.device_id = ?1 AND u.bureau_id = ?2", &[P::Text(device_id), P::Int(staff.bureau_id)])?;
            if ours == 0 {
                return Ok(None);
            }
            let tokens = tx.exec(
                "UPDATE tokens SET revoked = 1 WHERE device_id = ?1 AND revoked = 0 AND user_id IN (SELECT id FROM users WHERE bureau_id = ?2)",
                &[P::Text(device_id), P::Int(staff.bureau_id)],
            )?;
            let keys = tx.exec(
                "UPDATE device_keys SET revoked_at = ?1 WHERE device_id = ?2 AND bureau_id = ?3 AND revoked_at IS NULL",
                &[P::Text(&now.to_rfc3339()), P::Text(device_id), P::Int(staff.bureau_id)],
            )?;
            Ok(Some((tokens, keys)))
        })
    }
}
