//! HQ over real HTTP: a real `xuncha-hq` process, a real SQLite file — or,
//! when `XUNCHA_TEST_PG_ADMIN_URL` names a PostgreSQL server (as
//! `scripts/test.sh` does), the same suite on a fresh PostgreSQL database per
//! test.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};
use xuncha::sync::content_sha256;

struct Hq {
    child: Child,
    url: String,
    dir: PathBuf,
    /// Officer 陈某 (certificate 35010019001, on the fixture's visits), bureau 1.
    officer: String,
    /// Staff of bureau 1.
    staff: String,
}

const PASSWORD: &str = "correct horse 9";

/// How HQ is told where its data lives for a test whose data directory is
/// `dir`: the directory alone (SQLite), or also a PostgreSQL database named
/// after it, made on first use.
fn database_args(dir: &std::path::Path) -> Vec<String> {
    let mut args = vec!["--data-dir".to_string(), dir.display().to_string()];
    let Ok(admin_url) = std::env::var("XUNCHA_TEST_PG_ADMIN_URL") else {
        return args;
    };
    let name = format!("xt_{}", dir.file_name().unwrap().to_string_lossy().replace(|c: char| !c.is_ascii_alphanumeric(), "_"));
    let marker = dir.join("pg-database");
    if !marker.exists() {
        let out = Command::new("psql").arg(&admin_url).args(["-v", "ON_ERROR_STOP=1", "-qc", &format!("CREATE DATABASE {name}")]).output().expect("psql runs");
        assert!(out.status.success(), "create database: {}", String::from_utf8_lossy(&out.stderr));
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(&marker, &name).unwrap();
    }
    let (base, _) = admin_url.rsplit_once('/').expect("a URL ending in /database");
    args.extend(["--database-url".to_string(), format!("{base}/{name}")]);
    args
}

fn admin_command(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xuncha-hq")).arg("admin").args(database_args(dir)).args(args).output().unwrap()
}

/// Bureau 1: chen (officer, on the fixture visits), li (officer, not on them), staff1,
/// wu (an officer account without a certificate), wild (a certificate with LIKE's wildcards).
/// Bureau 2: zhao (officer), staff2.
fn set_up_accounts(dir: &std::path::Path) {
    let admin = |args: &[&str]| {
        let out = admin_command(dir, args);
        assert!(out.status.success(), "admin {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let b1 = admin(&["create-bureau", "鼓楼区市场监督管理局"]);
    let b2 = admin(&["create-bureau", "台江区市场监督管理局"]);
    for (b, login, role, cert) in [
        (&b1, "chen", "officer", "35010019001"),
        (&b1, "li", "officer", "35010019999"),
        (&b1, "staff1", "staff", ""),
        (&b1, "wu", "officer", ""),
        (&b1, "wild", "officer", "3501001900_"),
        (&b2, "zhao", "officer", "35020000001"),
        (&b2, "staff2", "staff", ""),
    ] {
        let mut args = vec!["create-user", "--bureau", b, "--login", login, "--role", role, "--password", PASSWORD];
        if !cert.is_empty() {
            args.extend(["--certificate", cert]);
        }
        admin(&args);
    }
}

impl Hq {
    fn start_in(dir: PathBuf) -> Hq {
        Hq::start_with(dir, &[])
    }

    fn start_with(dir: PathBuf, extra: &[&str]) -> Hq {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xuncha-hq"))
            .args(["--listen", "127.0.0.1:0"])
            .args(extra)
            .args(database_args(&dir))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("HQ starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let url = line.split_whitespace().find(|w| w.starts_with("http://")).expect("HQ says where it listens").to_string();
        let mut hq = Hq { child, url, dir, officer: String::new(), staff: String::new() };
        hq.officer = hq.login("chen").expect("chen signs in");
        hq.staff = hq.login("staff1").expect("staff1 signs in");
        hq
    }

    fn start() -> Hq {
        let dir = std::env::temp_dir().join(format!("xuncha-hq-test-{}-{}", std::process::id(), rand_suffix()));
        set_up_accounts(&dir);
        Hq::start_in(dir)
    }

    fn login(&self, login: &str) -> Option<String> {
        let (status, resp) = self.post_as(None, "/api/v1/auth/login", &json!({ "login": login, "password": PASSWORD, "deviceId": "tablet-1" }).to_string());
        (status == 200).then(|| resp["token"].as_str().unwrap().to_string())
    }

    /// kill -9: no chance to flush or shut down cleanly.
    fn kill(mut self) -> PathBuf {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        let dir = self.dir.clone();
        std::mem::forget(self);
        dir
    }

    /// As the officer.
    fn post(&self, path: &str, body: &str) -> (u16, Value) {
        self.post_as(Some(&self.officer.clone()), path, body)
    }

    fn post_as(&self, token: Option<&str>, path: &str, body: &str) -> (u16, Value) {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let mut req = agent.post(&format!("{}{path}", self.url)).header("content-type", "application/json");
        if let Some(t) = token {
            req = req.header("authorization", &format!("Bearer {t}"));
        }
        let signed = match token {
            Some(t) if path == "/api/v1/sync/push" => signed_push(&self.url, t, body),
            _ => body.to_string(),
        };
        let mut resp = req.send(signed.as_str()).expect("HQ answers");
        let status = resp.status().as_u16();
        let text = resp.body_mut().with_config().limit(64 << 20).read_to_string().unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    fn push(&self, changes: Vec<Value>) -> (u16, Value) {
        self.post("/api/v1/sync/push", &json!({ "protocolVersion": 1, "deviceId": "tablet-1", "changes": changes }).to_string())
    }

    fn pull(&self, cursor: Option<&str>, limit: u32) -> (u16, Value) {
        self.post("/api/v1/sync/pull", &json!({ "protocolVersion": 1, "cursor": cursor, "limit": limit }).to_string())
    }
}

impl Drop for Hq {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

fn fixture() -> Value {
    serde_json::from_str(include_str!("../../tests/fixtures/visit_complete.json")).unwrap()
}

fn visit(n: u32) -> Value {
    let mut v = fixture();
    // (a range apart from the fixture's item ids, which the core keeps unique within a visit)
    v["id"] = json!(format!("01900000-0000-7000-8000-0001{:08}", n));
    v
}

/// A visit still being written (a draft may change; a finalised one may not).
fn draft_visit(n: u32) -> Value {
    let mut v = visit(n);
    v["status"] = json!("draft");
    v.as_object_mut().unwrap().remove("finalisedAt");
    v
}

fn rev(n: u32) -> String {
    format!("01900000-0000-7000-9000-0000{:08}", n)
}

fn change(record: &Value, base: Option<String>, revision: String) -> Value {
    json!({ "kind": "visit", "id": record["id"], "baseRevision": base, "revision": revision, "sha256": content_sha256(record), "record": record })
}

/// The device key of a token: each signed-in session signs with its own
/// (made from the token here; the tablet makes a non-extractable one).
fn session_key(token: &str) -> p256::ecdsa::SigningKey {
    use sha2::Digest;
    p256::ecdsa::SigningKey::from_slice(&sha2::Sha256::digest(format!("test key {token}").as_bytes())).unwrap()
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Register the session's key with HQ (once per HQ and token), as the tablet
/// does at sign-in; `None` if HQ refuses (a revoked or made-up token: its push is then sent unsigned).
fn register_session_key(url: &str, token: &str) -> Option<String> {
    use p256::pkcs8::EncodePublicKey;
    static DONE: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());
    let spki = session_key(token).verifying_key().to_public_key_der().unwrap().into_vec();
    let key_id: String = {
        use sha2::Digest;
        sha2::Sha256::digest(&spki).iter().map(|b| format!("{b:02x}")).collect()
    };
    let mut done = DONE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if !done.iter().any(|(u, t)| u == url && t == token) {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let body = json!({ "algorithm": "ECDSA-P256-SHA256", "publicKey": base64(&spki) }).to_string();
        let resp = agent.post(&format!("{url}/api/v1/devices/keys")).header("content-type", "application/json").header("authorization", &format!("Bearer {token}")).send(body.as_str()).ok()?;
        if resp.status().as_u16() != 200 {
            return None;
        }
        done.push((url.to_string(), token.to_string()));
    }
    Some(key_id)
}

/// The signature a tablet puts on a finalised record's change.
fn signature_for(url: &str, token: &str, id: &str, sha256: &str) -> Value {
    use p256::ecdsa::signature::Signer;
    let key_id = register_session_key(url, token).expect("HQ registers the session's key");
    let sig: p256::ecdsa::Signature = session_key(token).sign(xuncha::sync::signed_message(id, sha256).as_bytes());
    json!({ "keyId": key_id, "algorithm": "ECDSA-P256-SHA256", "value": base64(&sig.to_bytes()) })
}

/// A push body as a tablet sends it: every finalised record signed by the
/// session's key (a body that is not a push, or a change already signed, is left as it is).
fn signed_push(url: &str, token: &str, body: &str) -> String {
    let Ok(mut push) = serde_json::from_str::<Value>(body) else { return body.to_string() };
    let Some(changes) = push.get_mut("changes").and_then(Value::as_array_mut) else { return body.to_string() };
    for c in changes.iter_mut() {
        if c["record"]["status"] == "finalised" && c.get("signature").is_none() && c["id"].is_string() && c["sha256"].is_string() {
            if register_session_key(url, token).is_none() {
                return body.to_string();
            }
            c["signature"] = signature_for(url, token, c["id"].as_str().unwrap(), c["sha256"].as_str().unwrap());
        }
    }
    push.to_string()
}

fn statuses(resp: &Value) -> Vec<String> {
    resp["results"].as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap().to_string()).collect()
}

#[test]
fn push_then_pull_round_trip() {
    let hq = Hq::start();
    let (a, b) = (visit(1), visit(2));
    let (status, resp) = hq.push(vec![change(&a, None, rev(1)), change(&b, None, rev(2))]);
    assert_eq!(status, 200, "{resp}");
    assert_eq!(statuses(&resp), vec!["accepted", "accepted"]);
    let (status, page) = hq.pull(None, 1);
    assert_eq!(status, 200);
    assert_eq!(page["changes"].as_array().unwrap().len(), 1);
    assert_eq!(page["more"], json!(true));
    let (_, page2) = hq.pull(page["nextCursor"].as_str(), 10);
    assert_eq!(page2["changes"][0]["id"], b["id"]);
    assert_eq!(page2["more"], json!(false));
    // what comes back is what was sent, hash and all
    assert_eq!(content_sha256(&page2["changes"][0]["record"]), content_sha256(&b));
    let (_, empty) = hq.pull(page2["nextCursor"].as_str(), 10);
    assert_eq!(empty["changes"].as_array().unwrap().len(), 0);
}

#[test]
fn a_replay_is_a_no_op_with_the_same_answer() {
    let hq = Hq::start();
    let v = visit(1);
    let c = change(&v, None, rev(1));
    assert_eq!(statuses(&hq.push(vec![c.clone()]).1), vec!["accepted"]);
    // the acknowledgement was lost; the tablet sends again
    assert_eq!(statuses(&hq.push(vec![c.clone(), c]).1), vec!["alreadyApplied", "alreadyApplied"]);
    let (_, page) = hq.pull(None, 100);
    assert_eq!(page["changes"].as_array().unwrap().len(), 1, "no duplicate");
}

#[test]
fn a_stale_base_is_a_conflict_and_both_versions_are_kept() {
    let hq = Hq::start();
    let draft = draft_visit(1);
    assert_eq!(statuses(&hq.push(vec![change(&draft, None, rev(1))]).1), vec!["accepted"]);
    let mut tablet_a = draft.clone();
    tablet_a["notes"] = json!("甲补记");
    assert_eq!(statuses(&hq.push(vec![change(&tablet_a, Some(rev(1)), rev(2))]).1), vec!["accepted"]);
    let mut tablet_b = draft.clone();
    tablet_b["notes"] = json!("乙补记");
    let (_, resp) = hq.push(vec![change(&tablet_b, Some(rev(1)), rev(3))]);
    assert_eq!(statuses(&resp), vec!["conflict"]);
    assert_eq!(resp["results"][0]["currentRevision"], json!(rev(2)));
    // replaying the conflicting change gets the same answer
    assert_eq!(statuses(&hq.push(vec![change(&tablet_b, Some(rev(1)), rev(3))]).1), vec!["conflict"]);
    let (_, health) = hq.stats();
    assert_eq!((health["records"].as_i64(), health["conflicts"].as_i64()), (Some(1), Some(1)));

    // Staff compare and take tablet B's version: written as the next revision, the conflict settled once.
    let id = draft["id"].as_str().unwrap().to_string();
    let staff = hq.staff.clone();
    let path = format!("/api/v1/staff/records/{id}/conflicts/{}", rev(3));
    assert_eq!(hq.post_as(Some(&hq.officer.clone()), &path, r#"{"take":true}"#).0, 403, "officers settle nothing here");
    assert_eq!(hq.post_as(Some(&staff), &format!("/api/v1/staff/records/{id}/conflicts/{}", rev(9)), r#"{"take":true}"#).1["code"], json!("NO_SUCH_CONFLICT"));
    let staff2 = hq.login("staff2").unwrap();
    assert_eq!(hq.post_as(Some(&staff2), &path, r#"{"take":true}"#).1["code"], json!("NO_SUCH_CONFLICT"), "another bureau's conflict is not there");
    let (status, taken) = hq.post_as(Some(&staff), &path, r#"{"take":true}"#);
    assert_eq!((status, taken["resolution"].as_str(), taken["written"]["status"].as_str()), (200, Some("taken"), Some("accepted")), "{taken}");
    let (_, trail) = hq.get_as(Some(&staff), &format!("/api/v1/staff/records/{id}/revisions"));
    let revisions = trail["revisions"].as_array().unwrap();
    assert_eq!((revisions.len(), revisions.last().unwrap()["record"]["notes"].clone()), (3, json!("乙补记")), "B's version is current, A's kept in the trail");
    assert_eq!((trail["conflicts"][0]["resolution"].as_str(), trail["conflicts"][0]["resolvedAt"].is_string()), (Some("taken"), true));
    assert_eq!(hq.post_as(Some(&staff), &path, r#"{"take":false}"#).1["code"], json!("ALREADY_RESOLVED"));
    assert_eq!(hq.stats().1["conflicts"].as_i64(), Some(0), "a settled conflict is no longer counted");

    // A conflict over a finalised version is settled on the tablet: here only the current may be kept.
    let mut finalised = visit(77);
    let base = change(&draft_visit(77), None, rev(70));
    assert_eq!(statuses(&hq.push(vec![base]).1), vec!["accepted"]);
    let mut other = draft_visit(77);
    other["notes"] = json!("另一台");
    assert_eq!(statuses(&hq.push(vec![change(&other, Some(rev(70)), rev(71))]).1), vec!["accepted"]);
    finalised["notes"] = json!("定稿");
    assert_eq!(statuses(&hq.push(vec![change(&finalised, Some(rev(70)), rev(72))]).1), vec!["conflict"]);
    let fpath = format!("/api/v1/staff/records/{}/conflicts/{}", finalised["id"].as_str().unwrap(), rev(72));
    assert_eq!(hq.post_as(Some(&staff), &fpath, r#"{"take":true}"#).1["code"], json!("CANNOT_TAKE"));
    assert_eq!(hq.post_as(Some(&staff), &fpath, r#"{"take":false}"#).1["resolution"], json!("kept"));
}

impl Hq {
    /// The bureau's counts, as its staff.
    fn stats(&self) -> (u16, Value) {
        self.get_as(Some(&self.staff), "/api/v1/stats")
    }

    fn get_as(&self, token: Option<&str>, path: &str) -> (u16, Value) {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let mut req = agent.get(&format!("{}{path}", self.url));
        if let Some(t) = token {
            req = req.header("authorization", &format!("Bearer {t}"));
        }
        let mut resp = req.call().unwrap();
        (resp.status().as_u16(), serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap_or(Value::Null))
    }
}

#[test]
fn a_bad_record_is_rejected_alone() {
    let hq = Hq::start();
    let good = visit(1);
    let mut bad = visit(2);
    let first = bad["officers"][0].clone();
    bad["officers"] = json!([first]);
    let mut tampered = change(&visit(3), None, rev(3));
    tampered["record"]["notes"] = json!("改过");
    let (status, resp) = hq.push(vec![change(&bad, None, rev(2)), change(&good, None, rev(1)), tampered]);
    assert_eq!(status, 200);
    assert_eq!(statuses(&resp), vec!["rejected", "accepted", "rejected"]);
    assert_eq!(resp["results"][0]["problems"][0]["code"], json!("TOO_FEW_OFFICERS"));
    assert_eq!(resp["results"][2]["problems"][0]["code"], json!("BAD_HASH"));
    let (_, page) = hq.pull(None, 100);
    assert_eq!(page["changes"].as_array().unwrap().len(), 1, "only the good record is stored");
}

#[test]
fn a_finalised_record_cannot_be_changed() {
    let hq = Hq::start();
    let v = visit(1);
    hq.push(vec![change(&v, None, rev(1))]);
    let mut edited = v.clone();
    edited["notes"] = json!("事后修改");
    let (_, resp) = hq.push(vec![change(&edited, Some(rev(1)), rev(2))]);
    assert_eq!(statuses(&resp), vec!["rejected"]);
    assert_eq!(resp["results"][0]["problems"][0]["code"], json!("STATUS_CHANGE"));
}

#[test]
fn bad_input_gets_a_4xx_with_a_json_error() {
    let hq = Hq::start();
    let cases: Vec<(&str, String, u16, &str)> = vec![
        ("/api/v1/sync/push", "{ not json".into(), 400, "MALFORMED_JSON"),
        ("/api/v1/sync/push", "[]".into(), 422, "BAD_SHAPE"),
        ("/api/v1/sync/push", json!({ "protocolVersion": "1", "deviceId": "t", "changes": [] }).to_string(), 422, "BAD_SHAPE"),
        ("/api/v1/sync/push", json!({ "protocolVersion": 1, "deviceId": "t", "changes": [], "x": 1 }).to_string(), 422, "BAD_SHAPE"),
        ("/api/v1/sync/push", json!({ "protocolVersion": 2, "deviceId": "t", "changes": [] }).to_string(), 400, "PROTOCOL_VERSION"),
        ("/api/v1/sync/push", json!({ "protocolVersion": 1, "deviceId": " ", "changes": [] }).to_string(), 422, "BAD_SHAPE"),
        ("/api/v1/sync/pull", json!({ "protocolVersion": 1, "cursor": "abc" }).to_string(), 400, "BAD_CURSOR"),
        ("/api/v1/sync/pull", json!({ "protocolVersion": 1, "cursor": "s-5" }).to_string(), 400, "BAD_CURSOR"),
        ("/api/v1/nothing", "{}".into(), 404, "NOT_FOUND"),
        ("/api/v1/auth/login", json!({ "login": "chen" }).to_string(), 422, "BAD_SHAPE"),
    ];
    for (path, body, want_status, want_code) in cases {
        let (status, resp) = hq.post(path, &body);
        assert_eq!((status, resp["code"].as_str()), (want_status, Some(want_code)), "{path} {}", &body[..body.len().min(80)]);
        assert!(resp["message"]["zh"].as_str().is_some_and(|m| !m.is_empty()), "a message in Chinese");
    }
    // A body declared larger than the limit is refused before it is read.
    let (status, resp) = hq.raw_oversize_push(17 << 20);
    assert_eq!((status, resp["code"].as_str()), (413, Some("BODY_TOO_LARGE")));
    let (_, health) = hq.stats();
    assert_eq!(health["changes"], json!(0), "nothing was written");
}

impl Hq {
    /// A request over a raw socket that declares `len` bytes and sends only the
    /// start: what HQ answers (read fully before it closes the connection).
    fn raw_oversize_push(&self, len: usize) -> (u16, Value) {
        use std::io::{Read, Write};
        let addr = self.url.trim_start_matches("http://");
        let mut sock = std::net::TcpStream::connect(addr).unwrap();
        let head = format!(
            "POST /api/v1/sync/push HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n{{\"protocolVersion\":1",
            self.officer
        );
        sock.write_all(head.as_bytes()).unwrap();
        sock.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
        let mut answer = Vec::new();
        let _ = sock.read_to_end(&mut answer);
        let text = String::from_utf8_lossy(&answer);
        let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let body = text.split("\r\n\r\n").nth(1).unwrap_or("");
        (status, serde_json::from_str(body).unwrap_or(Value::Null))
    }
}

/// kill -9 at a moment HQ itself announces (a test hook: inside a push's
/// transaction, every change written, none committed), so that the same point is
/// hit in debug and release builds alike: a push committed before is all there,
/// the killed one not at all, and the device's retry completes it, once.
#[test]
fn killed_inside_a_push_nothing_partial_and_the_retry_completes() {
    const COMMITTED: u32 = 300;
    const KILLED: u32 = 900;
    let dir = std::env::temp_dir().join(format!("xuncha-hq-test-{}-{}", std::process::id(), rand_suffix()));
    set_up_accounts(&dir);
    let mut child = Command::new(env!("CARGO_BIN_EXE_xuncha-hq"))
        .args(["--listen", "127.0.0.1:0"])
        .args(database_args(&dir))
        .env("XUNCHA_TEST_PAUSE_PUSH_OVER", (COMMITTED + 1).to_string())
        .env("XUNCHA_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap().to_string();
    // HQ's standard error, line by line: the hook says when it has paused.
    let (paused_tx, paused) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for l in BufReader::new(stderr).lines().map_while(Result::ok) {
            if l.contains("test hook: paused inside a push") {
                let _ = paused_tx.send(l);
            }
        }
    });
    let mut hq = Hq { child, url, dir, officer: String::new(), staff: String::new() };
    hq.officer = hq.login("chen").unwrap();
    hq.staff = hq.login("staff1").unwrap();
    let changes = |range: std::ops::RangeInclusive<u32>| -> Vec<Value> { range.map(|n| change(&visit(n), None, rev(n))).collect() };
    assert_eq!(statuses(&hq.push(changes(1..=COMMITTED)).1).iter().filter(|s| *s == "accepted").count(), COMMITTED as usize);
    let (url, token) = (hq.url.clone(), hq.officer.clone());
    let body = signed_push(&url, &token, &json!({ "protocolVersion": 1, "deviceId": "tablet-1", "changes": changes(COMMITTED + 1..=COMMITTED + KILLED) }).to_string());
    let sender = std::thread::spawn(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(std::time::Duration::from_secs(120))).build().into();
        agent.post(&format!("{url}/api/v1/sync/push")).header("content-type", "application/json").header("authorization", &format!("Bearer {token}")).send(body.as_str()).map(|r| r.status().as_u16())
    });
    let said = paused.recv_timeout(std::time::Duration::from_secs(120)).expect("HQ reaches the hook inside the push");
    assert!(said.contains(&format!("{KILLED} changes")), "{said}");
    let dir = hq.kill();
    assert!(sender.join().unwrap().is_err(), "the device got no answer: it will retry");
    // Restart on the same data: the committed push whole, the killed one not at all.
    let hq = Hq::start_in(dir);
    let (_, before) = hq.stats();
    assert_eq!((before["records"].as_i64(), before["changes"].as_i64()), (Some(COMMITTED as i64), Some(COMMITTED as i64)), "nothing partial: {before}");
    // The device retries everything it has not seen acknowledged (and, to be sure, the rest).
    let (status, resp) = hq.push(changes(1..=COMMITTED + KILLED));
    assert_eq!(status, 200);
    let st = statuses(&resp);
    assert_eq!(st.iter().filter(|s| *s == "alreadyApplied").count(), COMMITTED as usize);
    assert_eq!(st.iter().filter(|s| *s == "accepted").count(), KILLED as usize);
    let (_, after) = hq.stats();
    assert_eq!((after["records"].as_i64(), after["changes"].as_i64()), (Some((COMMITTED + KILLED) as i64), Some((COMMITTED + KILLED) as i64)), "every record exactly once");
}

#[test]
fn the_auth_matrix() {
    let hq = Hq::start();
    let v = visit(1);
    let push_body = json!({ "protocolVersion": 1, "deviceId": "tablet-1", "changes": [change(&v, None, rev(1))] }).to_string();
    let pull_body = json!({ "protocolVersion": 1 }).to_string();

    // No token, a made-up token: 401 on every sync endpoint; nothing written.
    for token in [None, Some("0".repeat(64).as_str())] {
        for path in ["/api/v1/sync/push", "/api/v1/sync/pull"] {
            let (status, resp) = hq.post_as(token, path, if path.ends_with("push") { &push_body } else { &pull_body });
            assert_eq!((status, resp["code"].as_str()), (401, Some("UNAUTHENTICATED")), "{path} with {token:?}");
        }
    }
    assert_eq!(hq.get_as(None, "/api/v1/stats").0, 401);
    // Wrong password.
    let (status, resp) = hq.post_as(None, "/api/v1/auth/login", &json!({ "login": "chen", "password": "wrong password", "deviceId": "t" }).to_string());
    assert_eq!((status, resp["code"].as_str()), (401, Some("BAD_CREDENTIALS")));

    // The officer on the visit writes it; another officer of the bureau may not.
    let li = hq.login("li").unwrap();
    let (_, resp) = hq.post_as(Some(&li), "/api/v1/sync/push", &push_body);
    assert_eq!((resp["results"][0]["status"].as_str(), resp["results"][0]["reason"].as_str()), (Some("rejected"), Some("FORBIDDEN")));
    let (_, resp) = hq.post_as(Some(&hq.officer.clone()), "/api/v1/sync/push", &push_body);
    assert_eq!(resp["results"][0]["status"], json!("accepted"));
    // Staff may write the bureau's visits (here: the same finalised content again, a no-op);
    // officers do not write lab results.
    let (_, resp) = hq.post_as(Some(&hq.staff.clone()), "/api/v1/sync/push", &push_body.replace(&rev(1), &rev(9)));
    assert_eq!(resp["results"][0]["status"], json!("alreadyApplied"), "{resp}");
    let mut follow_up: Value = serde_json::from_str(include_str!("../../tests/fixtures/follow_up_complete.json")).unwrap();
    follow_up["visitId"] = v["id"].clone();
    let fu_change = json!({ "kind": "sampleFollowUp", "id": follow_up["id"], "revision": rev(50), "sha256": content_sha256(&follow_up), "record": follow_up });
    let fu_body = json!({ "protocolVersion": 1, "deviceId": "hq-desk", "changes": [fu_change] }).to_string();
    let (_, resp) = hq.post(&"/api/v1/sync/push", &fu_body);
    assert_eq!(resp["results"][0]["reason"], json!("FORBIDDEN"), "an officer cannot enter lab results");
    let (_, resp) = hq.post_as(Some(&hq.staff.clone()), "/api/v1/sync/push", &fu_body);
    assert_eq!(resp["results"][0]["status"], json!("accepted"), "staff enter lab results: {resp}");

    // Reads: the officer sees their visit and its lab result; the other officer neither; staff both.
    let ids = |token: &str| -> Vec<String> {
        let (_, page) = hq.post_as(Some(token), "/api/v1/sync/pull", &pull_body);
        page["changes"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(ids(&hq.officer), vec!["visit", "sampleFollowUp"]);
    assert!(ids(&li).is_empty());
    assert_eq!(ids(&hq.staff), vec!["visit", "sampleFollowUp"]);
    // Another bureau sees nothing, and cannot touch bureau 1's records.
    let staff2 = hq.login("staff2").unwrap();
    assert!(ids(&staff2).is_empty());
    assert_eq!(hq.get_as(Some(&staff2), "/api/v1/stats").1["records"], json!(0));
    let zhao = hq.login("zhao").unwrap();
    let mut taken = v.clone();
    taken["officers"][0]["certificateNo"] = json!("35020000001");
    let (_, resp) = hq.post_as(Some(&zhao), "/api/v1/sync/push", &json!({ "protocolVersion": 1, "deviceId": "t2", "changes": [change(&taken, Some(rev(1)), rev(60))] }).to_string());
    assert_eq!(resp["results"][0]["reason"], json!("FORBIDDEN"), "a record id of another bureau");
    assert_eq!(hq.get_as(Some(&hq.officer.clone()), "/api/v1/stats").0, 403, "stats are for staff");

    // Sign-out revokes the token.
    let (status, _) = hq.post_as(Some(&li), "/api/v1/auth/logout", "{}");
    assert_eq!(status, 200);
    assert_eq!(hq.post_as(Some(&li), "/api/v1/sync/pull", &pull_body).0, 401);
}

#[test]
fn failed_logins_are_rate_limited_and_tokens_expire() {
    let dir = std::env::temp_dir().join(format!("xuncha-hq-test-{}-{}", std::process::id(), rand_suffix()));
    set_up_accounts(&dir);
    let hq = Hq::start_with(dir, &["--token-ttl-secs", "2"]);
    for _ in 0..5 {
        let (status, _) = hq.post_as(None, "/api/v1/auth/login", &json!({ "login": "li", "password": "guess", "deviceId": "t" }).to_string());
        assert_eq!(status, 401);
    }
    let (status, resp) = hq.post_as(None, "/api/v1/auth/login", &json!({ "login": "li", "password": PASSWORD, "deviceId": "t" }).to_string());
    assert_eq!((status, resp["code"].as_str()), (429, Some("TOO_MANY_ATTEMPTS")), "even the right password, for a while");
    assert!(hq.login("chen").is_some(), "other accounts are not affected");
    // A two-second token works at once, and not three seconds later.
    let token = hq.login("chen").unwrap();
    assert_eq!(hq.post_as(Some(&token), "/api/v1/sync/pull", &json!({ "protocolVersion": 1 }).to_string()).0, 200);
    std::thread::sleep(std::time::Duration::from_millis(3100));
    assert_eq!(hq.post_as(Some(&token), "/api/v1/sync/pull", &json!({ "protocolVersion": 1 }).to_string()).0, 401);
}

#[test]
fn staff_get_figures_report_deadlines_and_csv_from_the_core() {
    let hq = Hq::start();
    let (v1, mut v2, v3) = (visit(1), visit(2), visit(3));
    v2["instrumentChecks"][0]["weighings"][0]["readingG"] = json!(10015);
    let (_, resp) = hq.push(vec![change(&v1, None, rev(1)), change(&v2, None, rev(2)), change(&v3, None, rev(3))]);
    assert_eq!(statuses(&resp), vec!["accepted"; 3]);
    // Staff enter the lab result of V1's sample (毒死蜱 over its limit).
    let mut fu: Value = serde_json::from_str(include_str!("../../tests/fixtures/follow_up_complete.json")).unwrap();
    fu["visitId"] = v1["id"].clone();
    fu.as_object_mut().unwrap().remove("disposal"); // not yet disposed: an open deadline
    let body = json!({ "protocolVersion": 1, "deviceId": "desk", "changes": [{ "kind": "sampleFollowUp", "id": fu["id"], "revision": rev(10), "sha256": content_sha256(&fu), "record": fu }] });
    assert_eq!(statuses(&hq.post_as(Some(&hq.staff.clone()), "/api/v1/sync/push", &body.to_string()).1), vec!["accepted"]);

    let (status, out) = hq.get_as(Some(&hq.staff), "/api/v1/staff/summary?period=2026-Q1&asOf=2026-04-20");
    assert_eq!(status, 200, "{out}");
    let f = &out["summary"]["figures"];
    // Hand count: 3 visits of one operator by two officers each; a scale beyond its MPE (V2), a failed test item (V1).
    assert_eq!((f["visits"].as_i64(), f["operators"].as_i64(), f["officerDeployments"].as_i64(), f["violations"].as_i64()), (Some(3), Some(1), Some(6), Some(2)));
    assert_eq!((f["metrology"]["failed"].as_i64(), f["sampling"]["failed"].as_i64(), f["sampling"]["batches"].as_i64()), (Some(1), Some(1), Some(3)));
    assert!(out["report"]["total"]["zh"].as_str().unwrap().starts_with("2026年第一季度（统计截至2026年4月20日），共出动执法人员6人次，检查经营主体3家次（1家）"));

    let (_, dl) = hq.get_as(Some(&hq.staff), "/api/v1/staff/deadlines?asOf=2026-04-20");
    let kinds: Vec<&str> = dl["deadlines"].as_array().unwrap().iter().map(|d| d["deadline"]["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"disposal") && kinds.contains(&"rectification"), "{kinds:?} {dl}");
    let dues: Vec<&str> = dl["deadlines"].as_array().unwrap().iter().map(|d| d["deadline"]["due"].as_str().unwrap()).collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1]), "soonest first");

    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut resp = agent.get(&format!("{}/api/v1/staff/findings.csv?asOf=2026-04-20", hq.url)).header("authorization", &format!("Bearer {}", hq.staff)).call().unwrap();
    assert_eq!(resp.headers().get("content-type").unwrap(), "text/csv; charset=utf-8");
    let csv = resp.body_mut().read_to_string().unwrap();
    assert!(csv.starts_with('\u{feff}') && csv.contains("MET.SCALE_MPE") && csv.contains("SAMP.TEST_ITEM_FAILED"));

    // A scope: one officer nobody has, no visits; one kind of check, its figures only.
    let scoped = |q: &str| hq.get_as(Some(&hq.staff), &format!("/api/v1/staff/summary?period=2026-Q1&asOf=2026-04-20&{q}")).1["summary"]["figures"].clone();
    assert_eq!(scoped("officer=nobody")["visits"], 0);
    let metrology = scoped("kind=metrology");
    assert_eq!((metrology["metrology"]["failed"].as_i64(), metrology["sampling"]["batches"].as_i64()), (Some(1), Some(0)), "{metrology}");
    assert_eq!(hq.get_as(Some(&hq.staff), "/api/v1/staff/summary?kind=fish").1["code"], "BAD_QUERY");

    // Staff only; parameters checked.
    assert_eq!(hq.get_as(Some(&hq.officer), "/api/v1/staff/summary?period=2026").0, 403);
    assert_eq!(hq.get_as(None, "/api/v1/staff/summary").0, 401);
    for (path, code) in [("/api/v1/staff/summary?period=2026-H3", "BAD_PERIOD"), ("/api/v1/staff/summary?asOf=tomorrow", "BAD_DATE"), ("/api/v1/staff/deadlines?colour=red", "BAD_QUERY")] {
        let (status, e) = hq.get_as(Some(&hq.staff), path);
        assert_eq!((status, e["code"].as_str()), (400, Some(code)), "{path}");
    }
    // Another bureau's staff see none of it.
    let staff2 = hq.login("staff2").unwrap();
    assert_eq!(hq.get_as(Some(&staff2), "/api/v1/staff/summary?period=2026&asOf=2026-04-20").1["summary"]["figures"]["visits"], json!(0));
}

/// Each visit's digest is made when the visit, a follow-up or a rectification
/// of it is accepted, served page by page after a cursor, made again under a
/// newly published rulebook; HQ's figures are their sum, equal to the core
/// evaluating every record it holds.
#[test]
fn digests_follow_every_change_and_the_figures_are_their_sum() {
    let hq = Hq::start();
    let staff = hq.staff.clone();
    let (v1, mut v2, v3) = (visit(1), visit(2), visit(3));
    v2["instrumentChecks"][0]["weighings"][0]["readingG"] = json!(10015);
    let (_, resp) = hq.push(vec![change(&v1, None, rev(1)), change(&v2, None, rev(2)), change(&v3, None, rev(3))]);
    assert_eq!(statuses(&resp), vec!["accepted"; 3]);
    let page = |after: i64| hq.get_as(Some(&staff), &format!("/api/v1/staff/digests?after={after}&limit=2")).1;
    let first = page(0);
    assert_eq!((first["digests"].as_array().unwrap().len(), first["more"].as_bool()), (2, Some(true)), "{first}");
    assert_eq!(first["rulebook"], xuncha::Rulebook::builtin().version);
    let second = page(first["next"].as_i64().unwrap());
    assert_eq!((second["digests"].as_array().unwrap().len(), second["more"].as_bool()), (1, Some(false)));
    let cursor = second["next"].as_i64().unwrap();
    assert_eq!(page(cursor)["digests"], json!([]), "nothing new");
    // HQ now holds the bureau's digests in memory; what changes next must still reach its figures.
    let with_result = || hq.get_as(Some(&staff), "/api/v1/staff/summary?period=2026-Q1&asOf=2026-04-20").1["summary"]["figures"]["sampling"]["withResult"].clone();
    assert_eq!(with_result(), json!(0));
    // A lab result of V1's sample: V1's digest, and only it, comes again, with the result in.
    let mut fu: Value = serde_json::from_str(include_str!("../../tests/fixtures/follow_up_complete.json")).unwrap();
    fu["visitId"] = v1["id"].clone();
    let body = json!({ "protocolVersion": 1, "deviceId": "desk", "changes": [{ "kind": "sampleFollowUp", "id": fu["id"], "revision": rev(10), "sha256": content_sha256(&fu), "record": fu }] });
    assert_eq!(statuses(&hq.post_as(Some(&staff), "/api/v1/sync/push", &body.to_string()).1), vec!["accepted"]);
    let after_lab = page(cursor);
    let changed = after_lab["digests"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{after_lab}");
    assert_eq!((changed[0]["id"].clone(), changed[0]["samples"][0]["hasResult"].clone()), (v1["id"].clone(), json!(true)));
    assert_eq!(with_result(), json!(1), "the held digests were brought up to date");
    // HQ's figures (the digests' sum) are the core's full evaluation of what HQ holds.
    let records: Vec<Value> = hq.post_as(Some(&staff), "/api/v1/sync/pull", &json!({ "protocolVersion": 1 }).to_string()).1["changes"].as_array().unwrap().iter().map(|c| c.clone()).collect();
    let visits: Vec<xuncha::Visit> = records.iter().filter(|c| c["kind"] == "visit").filter_map(|c| xuncha::decode::decode_trusted(c["record"].clone())).collect();
    let follow_ups: Vec<xuncha::sampling::SampleFollowUp> = records.iter().filter(|c| c["kind"] == "sampleFollowUp").filter_map(|c| xuncha::decode::decode_trusted(c["record"].clone())).collect();
    for (q, period, as_of, group_by) in
        [("period=2026-Q1&asOf=2026-04-20", "2026-Q1", "2026-04-20", None), ("period=2026&asOf=2027-01-31&groupBy=kind", "2026", "2027-01-31", Some(xuncha::summary::GroupBy::Kind))]
    {
        let served = hq.get_as(Some(&staff), &format!("/api/v1/staff/summary?{q}")).1["summary"].clone();
        let query = xuncha::SummaryQuery { period: period.into(), scope: Default::default(), as_of: as_of.parse().unwrap(), group_by, top: None };
        let full = xuncha::summarise(&visits, &follow_ups, &[], &query, xuncha::Rulebook::builtin()).unwrap();
        assert_eq!(served, serde_json::to_value(&full).unwrap(), "{q}");
        assert!(full.figures.visits == 3 && full.figures.violations > 0, "{q}: something to count");
    }
    // A rulebook published: every digest is made again under it, and a cache learns to start again.
    // (Here a scale beyond its MPE becomes a matter for a case: V2's finding is one to open now.)
    let cases = || hq.get_as(Some(&staff), "/api/v1/staff/summary?period=2026-Q1&asOf=2026-04-20").1["summary"]["figures"]["casesToOpen"].clone();
    assert_eq!(cases(), json!(0));
    let mut book: Value = serde_json::from_str(include_str!("../../src/rules/rulebook.json")).unwrap();
    book["version"] = json!("2027.2.1");
    book["rules"].as_array_mut().unwrap().iter_mut().find(|r| r["code"] == "MET.SCALE_MPE").unwrap()["measures"].as_array_mut().unwrap().push(json!("openCase"));
    assert_eq!(hq.post_as(Some(&staff), "/api/v1/staff/rulebooks", &book.to_string()).0, 200);
    let all = hq.get_as(Some(&staff), "/api/v1/staff/digests").1;
    assert_eq!(all["rulebook"], "2027.2.1");
    assert!(all["digests"].as_array().unwrap().iter().all(|d| d["rulebook"] == "2027.2.1"), "{all}");
    assert_eq!(cases(), json!(1), "the figures HQ holds follow the new rulebook");
    // Staff only; parameters checked; another bureau has none of them.
    assert_eq!(hq.get_as(Some(&hq.officer), "/api/v1/staff/digests").0, 403);
    assert_eq!(hq.get_as(Some(&staff), "/api/v1/staff/digests?after=x").1["code"], "BAD_QUERY");
    let staff2 = hq.login("staff2").unwrap();
    assert_eq!(hq.get_as(Some(&staff2), "/api/v1/staff/digests").1["digests"], json!([]));
}

#[test]
fn the_openapi_document_is_true() {
    let hq = Hq::start();
    let (status, doc) = hq.get_as(None, "/api/v1/openapi.json");
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], json!("3.1.0"));
    let paths = doc["paths"].as_object().unwrap();
    // Every route the server registers is documented…
    let source = include_str!("../src/api/mod.rs");
    let routed: Vec<&str> = source.split(".route(\"").skip(1).map(|r| r.split('"').next().unwrap()).collect();
    assert!(routed.len() >= 10);
    for r in &routed {
        assert!(paths.contains_key(*r), "{r} is routed but not documented");
    }
    // …and every documented operation exists (not 404/405), with its documented security.
    for (path, ops) in paths {
        assert!(routed.contains(&path.as_str()), "{path} is documented but not routed");
        for (method, op) in ops.as_object().unwrap() {
            let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
            let url = format!("{}{path}", hq.url).replace("{sha256}", &"0".repeat(64)).replace("{id}", &rev(1)).replace("{login}", "chen").replace("{device}", "tablet-1");
            let mut resp = match method.as_str() {
                "get" => agent.get(&url).call().unwrap(),
                "post" => agent.post(&url).header("content-type", "application/json").send("{}").unwrap(),
                "put" => agent.put(&url).header("content-type", "image/png").send("x").unwrap(),
                other => panic!("unexpected method {other}"),
            };
            let status = resp.status().as_u16();
            // A 404 of the route's own (an unknown plan) is an answer; the router's NOT_FOUND is not.
            let code = serde_json::from_str::<Value>(&resp.body_mut().read_to_string().unwrap_or_default()).ok().and_then(|b| b["code"].as_str().map(String::from));
            assert!(!(status == 404 && code.as_deref() == Some("NOT_FOUND")) && status != 405, "{method} {path} answers {status} {code:?}");
            if op.get("security").is_some() {
                assert_eq!(status, 401, "{method} {path} needs a token");
            }
        }
    }
    // The documented shapes are the real ones.
    let required = |schema: &str| -> Vec<String> {
        let mut r: Vec<String> = doc["components"]["schemas"][schema]["required"].as_array().unwrap().iter().map(|k| k.as_str().unwrap().to_string()).collect();
        r.sort();
        r
    };
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let (_, pushed) = hq.push(vec![change(&visit(1), None, rev(1))]);
    assert_eq!(keys(&pushed), required("PushResponse"));
    assert!(required("ChangeResult").iter().all(|k| pushed["results"][0].get(k).is_some()));
    let (_, pulled) = hq.pull(None, 5);
    assert_eq!(keys(&pulled), required("PullResponse"));
    assert_eq!(keys(&pulled["changes"][0]), required("PulledChange"));
    assert_eq!(keys(&hq.get_as(None, "/api/v1/health").1), required("Health"));
    let (_, e) = hq.post("/api/v1/sync/push", "{ bad");
    assert_eq!(keys(&e), required("Error"));
}

impl Hq {
    fn put_attachment(&self, token: Option<&str>, sha256: &str, media_type: &str, bytes: &[u8]) -> (u16, Value) {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let mut req = agent.put(&format!("{}/api/v1/attachments/{sha256}", self.url)).header("content-type", media_type);
        if let Some(t) = token {
            req = req.header("authorization", &format!("Bearer {t}"));
        }
        let mut resp = req.send(bytes).expect("HQ answers");
        (resp.status().as_u16(), serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap_or(Value::Null))
    }

    fn missing(&self, token: &str) -> Vec<String> {
        let (status, m) = self.get_as(Some(token), "/api/v1/attachments/missing");
        assert_eq!(status, 200, "{m}");
        m["missing"].as_array().unwrap().iter().map(|x| x["sha256"].as_str().unwrap()[..4].to_string()).collect()
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    xuncha::sync::sha256_of_bytes(bytes)
}

#[test]
fn attachments_by_hash_verified_idempotent_and_missing_ones_known() {
    let hq = Hq::start();
    // A visit listing a photo of ours besides the fixture's two images.
    let photo: Vec<u8> = [0xFF, 0xD8, 0xFF, 0xE0].into_iter().chain((0..50_000u32).map(|i| (i * 7 % 251) as u8)).collect();
    let page = b"<html><script>alert(document.cookie)</script></html>".to_vec();
    let photo_hash = sha256_hex(&photo);
    let mut v = visit(1);
    v["attachments"].as_array_mut().unwrap().push(json!({ "sha256": photo_hash, "mediaType": "image/jpeg", "sizeBytes": photo.len() }));
    // The record arrives before its photos: HQ says which it lacks.
    let (_, resp) = hq.push(vec![change(&v, None, rev(1))]);
    assert_eq!(statuses(&resp), vec!["accepted"]);
    let mut told: Vec<String> = resp["results"][0]["missingAttachments"].as_array().unwrap().iter().map(|h| h.as_str().unwrap().to_string()).collect();
    told.sort();
    let mut listed = vec!["a".repeat(64), "b".repeat(64), photo_hash.clone()];
    listed.sort();
    assert_eq!(told, listed);
    assert_eq!(hq.missing(&hq.staff.clone()).len(), 3);
    assert_eq!(hq.missing(&hq.officer.clone()).len(), 3);

    // Refused, and nothing stored: damaged bytes, a bad name, a type that is no photo, too large, no token.
    let mut damaged = photo.clone();
    damaged[10] ^= 1;
    let officer = hq.officer.clone();
    for (token, hash, media, bytes, status, code) in [
        (Some(officer.as_str()), photo_hash.as_str(), "image/jpeg", damaged.clone(), 422, Some("HASH_MISMATCH")),
        (Some(officer.as_str()), "ABC", "image/jpeg", photo.clone(), 400, Some("BAD_HASH")),
        (Some(officer.as_str()), photo_hash.as_str(), "text/html", photo.clone(), 415, Some("BAD_MEDIA_TYPE")),
        (None, photo_hash.as_str(), "image/jpeg", photo.clone(), 401, Some("UNAUTHENTICATED")),
        // what the bytes are decides, not what the sender says
        (Some(officer.as_str()), sha256_hex(&page).as_str(), "image/jpeg", page.clone(), 415, Some("CONTENT_NOT_TYPE")),
        (Some(officer.as_str()), photo_hash.as_str(), "image/png", photo.clone(), 415, Some("CONTENT_NOT_TYPE")),
    ] {
        let (got, e) = hq.put_attachment(token, hash, media, &bytes);
        assert_eq!((got, e["code"].as_str()), (status, code), "{media} {hash}");
    }
    let big = vec![7u8; 9 << 20];
    let (got, e) = hq.put_attachment(Some(&officer), &sha256_hex(&big), "image/jpeg", &big);
    assert_eq!((got, e["code"].as_str()), (413, Some("ATTACHMENT_TOO_LARGE")));
    assert_eq!(hq.missing(&officer).len(), 3);

    // Stored once; sending it again (a lost acknowledgement) changes nothing.
    assert_eq!(hq.put_attachment(Some(&officer), &photo_hash, "image/jpeg", &photo), (201, json!({ "status": "stored" })));
    assert_eq!(hq.put_attachment(Some(&officer), &photo_hash, "image/jpeg; charset=binary", &photo), (200, json!({ "status": "alreadyStored" })));
    assert_eq!(hq.missing(&officer), vec!["aaaa", "bbbb"]);
    // A refusal's recording (MediaRecorder's WebM) is taken as audio or video; as a photo it is not.
    let recording: Vec<u8> = [0x1A, 0x45, 0xDF, 0xA3].into_iter().chain((0..20_000u32).map(|i| (i * 13 % 251) as u8)).collect();
    assert_eq!(hq.put_attachment(Some(&officer), &sha256_hex(&recording), "image/jpeg", &recording).0, 415);
    assert_eq!(hq.put_attachment(Some(&officer), &sha256_hex(&recording), "audio/webm;codecs=opus", &recording), (201, json!({ "status": "stored" })));
    assert_eq!(hq.put_attachment(Some(&officer), &sha256_hex(&recording), "video/webm", &recording), (200, json!({ "status": "alreadyStored" })));
    let (_, replay) = hq.push(vec![change(&v, None, rev(1))]);
    assert_eq!(replay["results"][0]["missingAttachments"], json!(["a".repeat(64), "b".repeat(64)]), "a replay says what is still missing");

    // Read back whole, by the bureau only.
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut resp = agent.get(&format!("{}/api/v1/attachments/{photo_hash}", hq.url)).header("authorization", &format!("Bearer {}", hq.staff)).call().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers().get("content-type").unwrap(), "image/jpeg");
    assert_eq!(resp.headers().get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(resp.body_mut().with_config().limit(1 << 20).read_to_vec().unwrap(), photo);
    let staff2 = hq.login("staff2").unwrap();
    assert_eq!(hq.get_as(Some(&staff2), &format!("/api/v1/attachments/{photo_hash}")), (404, hq.get_as(Some(&staff2), &format!("/api/v1/attachments/{}", "c".repeat(64))).1));
    assert!(hq.missing(&staff2).is_empty(), "another bureau's gaps are not theirs");
    // The other officer of the bureau (not on the visit) is not told to upload its photos, nor may read them.
    let li = hq.login("li").unwrap();
    assert!(hq.missing(&li).is_empty());
    let status_for = |token: &str| agent.get(&format!("{}/api/v1/attachments/{photo_hash}", hq.url)).header("authorization", &format!("Bearer {token}")).call().unwrap().status().as_u16();
    assert_eq!(status_for(&li), 404, "a photo of a visit li is not on");
    assert_eq!(status_for(&officer), 200, "the officer on the visit reads it");
    // Another bureau uploading the same bytes learns nothing of bureau 1's copy.
    assert_eq!(hq.put_attachment(Some(&staff2), &photo_hash, "image/jpeg", &photo), (201, json!({ "status": "stored" })));
}

#[test]
fn a_published_rulebook_reaches_devices_on_their_next_pull() {
    let hq = Hq::start();
    let pull = |known: Option<&str>| hq.post("/api/v1/sync/pull", &json!({ "protocolVersion": 1, "rulebookVersion": known }).to_string()).1;
    assert!(pull(None).get("rulebook").is_none(), "nothing published: the devices keep their own");
    // An unusable rulebook is refused whole, before any device could get it.
    let mut book: Value = serde_json::from_str(include_str!("../../src/rules/rulebook.json")).unwrap();
    let file = hq.dir.join("rulebook.json");
    book["rules"][0]["versions"] = json!([]);
    std::fs::write(&file, book.to_string()).unwrap();
    let out = admin_command(&hq.dir, &["publish-rulebook", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least one version"), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(pull(None).get("rulebook").is_none());
    // A good one (a new version, one parameter changed) goes out with the pull until the device runs it.
    let mut book: Value = serde_json::from_str(include_str!("../../src/rules/rulebook.json")).unwrap();
    book["version"] = json!("2026.12.1-test");
    std::fs::write(&file, book.to_string()).unwrap();
    let out = admin_command(&hq.dir, &["publish-rulebook", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got = pull(Some("2026.11.1"));
    assert_eq!(got["rulebook"]["version"], json!("2026.12.1-test"));
    // What the device gets is a rulebook the core loads.
    let loaded = xuncha::Rulebook::from_json(&got["rulebook"].to_string()).expect("loads");
    assert_eq!(loaded.rules().count(), xuncha::Rulebook::builtin().rules().count());
    assert!(pull(Some("2026.12.1-test")).get("rulebook").is_none(), "not again once the device runs it");
}

#[test]
fn staff_enter_a_lab_result_and_the_officer_gets_it_on_the_next_pull() {
    let hq = Hq::start();
    let v = visit(1);
    assert_eq!(statuses(&hq.push(vec![change(&v, None, rev(1))]).1), vec!["accepted"]);
    let (_, first) = hq.pull(None, 100);
    let cursor = first["nextCursor"].as_str().unwrap().to_string();
    let mut fu: Value = serde_json::from_str(include_str!("../../tests/fixtures/follow_up_complete.json")).unwrap();
    fu["visitId"] = v["id"].clone();
    fu.as_object_mut().unwrap().remove("disposal");
    // Officers do not enter lab results.
    let (status, _) = hq.post("/api/v1/staff/follow-ups", &fu.to_string());
    assert_eq!(status, 403);
    let (status, r) = hq.post_as(Some(&hq.staff.clone()), "/api/v1/staff/follow-ups", &fu.to_string());
    assert_eq!((status, r["status"].as_str()), (200, Some("accepted")), "{r}");
    // Later the disposal is entered: a new revision of the same record.
    let mut disposed: Value = serde_json::from_str(include_str!("../../tests/fixtures/follow_up_complete.json")).unwrap();
    disposed["visitId"] = v["id"].clone();
    let (_, r2) = hq.post_as(Some(&hq.staff.clone()), "/api/v1/staff/follow-ups", &disposed.to_string());
    assert_eq!(r2["status"], json!("accepted"), "{r2}");
    // A follow-up with errors is rejected with its problem codes, and nothing is written.
    let mut bad = disposed.clone();
    bad["visitId"] = json!("not-a-visit");
    let (_, r3) = hq.post_as(Some(&hq.staff.clone()), "/api/v1/staff/follow-ups", &bad.to_string());
    assert_eq!(r3["status"], json!("rejected"));
    assert!(!r3["problems"].as_array().unwrap().is_empty());
    // The officer's next pull brings the follow-up as it is now (with the disposal);
    // staff read both steps in its audit trail.
    let (_, page) = hq.pull(Some(&cursor), 100);
    let got: Vec<&Value> = page["changes"].as_array().unwrap().iter().collect();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["kind"], json!("sampleFollowUp"));
    assert_eq!(content_sha256(&got[0]["record"]), content_sha256(&disposed));
    assert_eq!(got[0]["revision"].as_str(), r2["revision"].as_str());
    let (_, trail) = hq.get_as(Some(&hq.staff), &format!("/api/v1/staff/records/{}/revisions", fu["id"].as_str().unwrap()));
    let steps: Vec<&str> = trail["revisions"].as_array().unwrap().iter().map(|r| r["revision"].as_str().unwrap()).collect();
    assert_eq!(steps, vec![r["revision"].as_str().unwrap(), r2["revision"].as_str().unwrap()]);
}

/// A device pulls each record at its current revision: an older one, which
/// could overwrite newer work on the tablet, never comes back (whatever the
/// page size); a record changed after the device's cursor comes again. Every
/// step stays readable to staff, conflicts included — and to no one else.
#[test]
fn a_pull_brings_each_record_as_it_is_now_and_staff_read_every_step() {
    let hq = Hq::start();
    let mut draft = draft_visit(1);
    let other = visit(2);
    let mut steps = Vec::new();
    for (n, note) in [(10, "一"), (11, "二"), (12, "三")] {
        draft["notes"] = json!(note);
        let base = steps.last().cloned();
        assert_eq!(statuses(&hq.push(vec![change(&draft, base, rev(n))]).1), vec!["accepted"]);
        steps.push(rev(n));
    }
    hq.push(vec![change(&other, None, rev(20))]);
    // A tablet that already holds 三 must not be sent 一 or 二, in pages of one or of many.
    for limit in [1, 100] {
        let mut cursor: Option<String> = None;
        let mut got = Vec::new();
        loop {
            let (_, page) = hq.pull(cursor.as_deref(), limit);
            got.extend(page["changes"].as_array().unwrap().iter().map(|c| (c["id"].as_str().unwrap().to_string(), c["revision"].as_str().unwrap().to_string())));
            cursor = Some(page["nextCursor"].as_str().unwrap().to_string());
            if page["more"] == json!(false) {
                break;
            }
        }
        assert_eq!(got, vec![(draft["id"].as_str().unwrap().to_string(), rev(12)), (other["id"].as_str().unwrap().to_string(), rev(20))], "limit {limit}");
    }
    // Changed after the cursor: it comes again, as it is now.
    let (_, caught_up) = hq.pull(None, 100);
    let cursor = caught_up["nextCursor"].as_str().unwrap().to_string();
    draft["notes"] = json!("四");
    hq.push(vec![change(&draft, Some(rev(12)), rev(13))]);
    let (_, again) = hq.pull(Some(&cursor), 100);
    assert_eq!(again["changes"].as_array().unwrap().len(), 1);
    assert_eq!(again["changes"][0]["revision"], json!(rev(13)));
    // A second tablet's stale edit: a conflict, kept beside the trail.
    draft["notes"] = json!("乙");
    assert_eq!(statuses(&hq.push(vec![change(&draft, Some(rev(11)), rev(14))]).1), vec!["conflict"]);
    let path = format!("/api/v1/staff/records/{}/revisions", draft["id"].as_str().unwrap());
    let (status, trail) = hq.get_as(Some(&hq.staff), &path);
    assert_eq!(status, 200, "{trail}");
    let accepted: Vec<(&str, Option<&str>, &str)> =
        trail["revisions"].as_array().unwrap().iter().map(|r| (r["revision"].as_str().unwrap(), r["baseRevision"].as_str(), r["record"]["notes"].as_str().unwrap())).collect();
    let (r10, r11, r12, r13) = (rev(10), rev(11), rev(12), rev(13));
    assert_eq!(accepted, vec![(r10.as_str(), None, "一"), (r11.as_str(), Some(r10.as_str()), "二"), (r12.as_str(), Some(r11.as_str()), "三"), (r13.as_str(), Some(r12.as_str()), "四")]);
    assert_eq!(trail["revisions"][0]["deviceId"], json!("tablet-1"));
    assert_eq!(trail["conflicts"][0]["revision"], json!(rev(14)));
    assert_eq!(trail["conflicts"][0]["currentRevision"], json!(rev(13)));
    assert_eq!(trail["conflicts"][0]["record"]["notes"], json!("乙"));
    // Staff only, and their own bureau only.
    assert_eq!(hq.get_as(Some(&hq.officer), &path).0, 403);
    let staff2 = hq.login("staff2").unwrap();
    let (status, e) = hq.get_as(Some(&staff2), &path);
    assert_eq!((status, e["code"].as_str()), (404, Some("NO_SUCH_RECORD")));
    assert_eq!(hq.get_as(None, &path).0, 401);
}

/// The scale-out shape: two HQ processes on one database (PostgreSQL in the
/// suite's second run; two processes on one SQLite file in the first).
/// Devices push to either — half the batches to both at once — while a device
/// pulls small pages from either: every record reaches the puller exactly
/// once, none skipped by the cursor.
#[test]
fn two_hq_processes_on_one_database_lose_and_duplicate_nothing() {
    const DEVICES: u32 = 4;
    const BATCHES: u32 = 8;
    const PER_BATCH: u32 = 15;
    let a = Hq::start();
    let b = Hq::start_in(a.dir.clone());
    let urls = [a.url.clone(), b.url.clone()];
    let token = a.officer.clone();
    let post = |url: &str, path: &str, body: String| -> Value {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let body = signed_push(url, &token, &body);
        let mut resp = agent.post(&format!("{url}{path}")).header("authorization", &format!("Bearer {token}")).header("content-type", "application/json").send(body.as_str()).unwrap();
        assert_eq!(resp.status().as_u16(), 200);
        serde_json::from_str(&resp.body_mut().with_config().limit(64 << 20).read_to_string().unwrap()).unwrap()
    };
    let done = std::sync::atomic::AtomicBool::new(false);
    let seen = std::thread::scope(|scope| {
        let pushers: Vec<_> = (0..DEVICES)
            .map(|d| {
                let (urls, post) = (&urls, &post);
                scope.spawn(move || {
                    for k in 0..BATCHES {
                        let changes: Vec<Value> = (0..PER_BATCH).map(|i| d * 1000 + k * 100 + i + 1).map(|n| change(&visit(n), None, rev(n))).collect();
                        let body = json!({ "protocolVersion": 1, "deviceId": format!("tablet-{d}"), "changes": changes }).to_string();
                        let first = post(&urls[(d + k) as usize % 2], "/api/v1/sync/push", body.clone());
                        assert!(statuses(&first).iter().all(|s| s == "accepted"), "{first}");
                        if k % 2 == 0 {
                            // The acknowledgement was lost; the device retries on the other server.
                            let again = post(&urls[(d + k + 1) as usize % 2], "/api/v1/sync/push", body);
                            assert!(statuses(&again).iter().all(|s| s == "alreadyApplied"), "{again}");
                        }
                    }
                })
            })
            .collect();
        let puller = scope.spawn(|| {
            let mut seen: Vec<String> = Vec::new();
            let mut cursor: Option<String> = None;
            for turn in 0.. {
                let finished = done.load(std::sync::atomic::Ordering::SeqCst);
                let page = post(&urls[turn % 2], "/api/v1/sync/pull", json!({ "protocolVersion": 1, "cursor": cursor, "limit": 7 }).to_string());
                seen.extend(page["changes"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()));
                cursor = Some(page["nextCursor"].as_str().unwrap().to_string());
                if finished && page["more"] == json!(false) {
                    break;
                }
            }
            seen
        });
        for p in pushers {
            p.join().unwrap();
        }
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        puller.join().unwrap()
    });
    let total = (DEVICES * BATCHES * PER_BATCH) as usize;
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), total, "none skipped by the cursor");
    assert_eq!(seen.len(), total, "none pulled twice");
    assert_eq!(a.stats().1["records"], json!(total));
    assert_eq!(b.stats().1["changes"], json!(total), "one change per record in the log");
}

/// Benchmark (ignored; run by `make bench`): a demo bureau-year (BENCH_VISITS,
/// default 100,000 visits of the last twelve months) written through the
/// store's write path; then HQ's figures summed from its digests next to a
/// full evaluation of the same records (`admin check-digests`, one process),
/// the summary endpoint over HTTP, and a first download of every digest.
#[test]
#[ignore]
fn figures_benchmark() {
    let visits: usize = std::env::var("BENCH_VISITS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    // HQ serves the bench site (the core with the generator), so a browser on HQ's origin can load it.
    let bench_site = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/bench-site"));
    let dir = std::env::temp_dir().join(format!("xuncha-hq-bench-{}-{}", std::process::id(), rand_suffix()));
    set_up_accounts(&dir);
    let hq = if bench_site.join("pkg/xuncha.js").exists() { Hq::start_with(dir, &["--site", bench_site.to_str().unwrap()]) } else { Hq::start_in(dir) };
    let t = std::time::Instant::now();
    let out = admin_command(&hq.dir, &["seed-demo", "--visits", &visits.to_string()]);
    let seeded = t.elapsed().as_secs_f64();
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{said}{}", String::from_utf8_lossy(&out.stderr));
    let written = said.split('(').nth(1).and_then(|x| x.split(' ').next()).unwrap_or("?").to_string();
    let password = said.lines().find(|l| l.contains("demo-clerk")).unwrap().rsplit(" / ").next().unwrap().trim().to_string();
    let today = chrono::Utc::now().date_naive();
    let period = format!("{}/{}", today - chrono::Days::new(365), today);
    println!("| seed the demo bureau-year through the write path ({written} records: visits, follow-ups, re-inspections; each judged, signed, chained, its digest made) | {seeded:.0} s | |");

    // Native, one process: the old path (read and evaluate every record) and the digests' sum.
    let check = admin_command(&hq.dir, &["check-digests", "--period", &period, "--as-of", &today.to_string()]);
    let report = String::from_utf8_lossy(&check.stdout).to_string();
    assert!(check.status.success(), "{report}");
    let line = report.lines().find(|l| l.starts_with("bureau 3:")).unwrap();
    let ms = |label: &str| -> f64 { line.split(label).nth(1).unwrap().trim().split(' ').next().unwrap().parse().unwrap() };
    let (summed, held, full) = (ms("summed in"), ms("(held:"), ms("full evaluation in"));
    let digests: String = line.split(':').nth(1).unwrap().trim().split(' ').next().unwrap().to_string();
    println!("| HQ, native: full evaluation of every record (read, decode, evaluate, count; today's path) | {full:.0} ms | 1.00 |");
    println!("| HQ, native: the stored digests read, parsed, held in an index and summed — equal figures ({digests}) | {summed:.0} ms | {:.3} |", summed / full);
    println!("| HQ, native: summed again from the index held | {held:.0} ms | {:.3} |", held / full);

    let (status, resp) = hq.post_as(None, "/api/v1/auth/login", &json!({ "login": "demo-clerk", "password": password, "deviceId": "bench" }).to_string());
    assert_eq!(status, 200, "{resp}");
    let token = resp["token"].as_str().unwrap().to_string();
    let timed = |path: &str| -> f64 {
        let mut times: Vec<f64> = (0..6)
            .map(|_| {
                let t = std::time::Instant::now();
                let (status, _) = hq.get_as(Some(&token), path);
                assert_eq!(status, 200, "{path}");
                t.elapsed().as_secs_f64() * 1000.0
            })
            .skip(1)
            .collect();
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        times[times.len() / 2]
    };
    let by_month = timed(&format!("/api/v1/staff/summary?period={period}&asOf={today}&groupBy=month"));
    let by_market = timed(&format!("/api/v1/staff/summary?period={period}&asOf={today}&groupBy=officer&kind=sampling"));
    println!("| HQ summary endpoint over HTTP, the twelve months by month (median of 5; the bureau's digests held in memory after the first) | {by_month:.0} ms | {:.3} |", by_month / full);
    println!("| … sampling only, by officer (another query: nothing cached between) | {by_market:.0} ms | {:.3} |", by_market / full);

    // A console's first download: every page of digests, plain and gzipped.
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    for gzip in [false, true] {
        let t = std::time::Instant::now();
        let (mut after, mut bytes, mut pages) = (0i64, 0usize, 0);
        loop {
            let mut req = agent.get(&format!("{}/api/v1/staff/digests?after={after}&limit=20000", hq.url)).header("authorization", &format!("Bearer {token}"));
            if gzip {
                req = req.header("accept-encoding", "gzip");
            }
            let mut resp = req.call().unwrap();
            let body = resp.body_mut().with_config().limit(1 << 30).read_to_vec().unwrap();
            bytes += body.len();
            pages += 1;
            let text = if gzip {
                let mut s = String::new();
                std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut s).unwrap();
                s
            } else {
                String::from_utf8(body).unwrap()
            };
            let head: Value = serde_json::from_str(&text).unwrap();
            after = head["next"].as_i64().unwrap();
            if !head["more"].as_bool().unwrap() {
                break;
            }
        }
        let secs = t.elapsed().as_secs_f64();
        println!("| first download of every digest over HTTP ({pages} pages{}) | {:.0} ms | {:.1} MB |", if gzip { ", gzip" } else { "" }, secs * 1000.0, bytes as f64 / 1e6);
    }
    // The same in Chromium, as the console does it: fetched (gzipped) and held in the DigestSet.
    if bench_site.join("pkg/xuncha.js").exists() {
        let js = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/js"));
        let out = Command::new("node").current_dir(&js).args(["bench/download.mjs", &hq.url, &token]).output().expect("node runs");
        print!("{}", String::from_utf8_lossy(&out.stdout));
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
    }
}

/// Benchmark (figures, not a pass/fail on time): `make bench`, or
/// `cargo test -p xuncha-hq --release --test http -- --ignored --nocapture ingest`.
#[test]
#[ignore]
fn ingest_benchmark() {
    let hq = Hq::start();
    // Generated visits, each with the bench officer on it (the account may only write its own).
    let data = xuncha::dataset::generate(2026, 12_000, 2025); // a past year: HQ refuses visits dated after its clock
    let mut visits: Vec<Value> = data
        .visits
        .iter()
        .filter(|v| v.status == Some(xuncha::visit::RecordStatus::Finalised) && v.amends.is_none())
        .map(|v| {
            let mut j = serde_json::to_value(v).unwrap();
            j["officers"][0]["certificateNo"] = json!("35010019001");
            j
        })
        .collect();
    let n = 10_000;
    visits.truncate(n + 8 * 25 * 4);
    let (ingest, rest) = visits.split_at(n);
    let batch = 200;
    // The tablets' side (their hashes, the request bodies) is made before the clock starts: HQ's work is timed.
    let bodies: Vec<String> = ingest
        .chunks(batch)
        .enumerate()
        .map(|(b, chunk)| {
            let changes: Vec<Value> = chunk.iter().enumerate().map(|(i, v)| change(v, None, rev((b * batch + i) as u32 + 1))).collect();
            json!({ "protocolVersion": 1, "deviceId": "tablet-1", "changes": changes }).to_string()
        })
        .collect();
    let t = std::time::Instant::now();
    let mut accepted = 0;
    for (b, body) in bodies.iter().enumerate() {
        let (status, resp) = hq.post("/api/v1/sync/push", body);
        assert_eq!(status, 200);
        accepted += statuses(&resp).iter().filter(|s| *s == "accepted").count();
        if let Some(r) = resp["results"].as_array().unwrap().iter().find(|r| r["status"] != json!("accepted")) {
            if b < 3 {
                eprintln!("not accepted: {r}");
            }
        }
    }
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(accepted, n, "every generated record is valid and accepted");
    println!("| ingest {n} records in batches of {batch} (each re-validated and judged alone; one fsynced transaction per push) | {:.1} s | {:.0} records/s |", secs, n as f64 / secs);

    // Concurrent devices: 8 threads, each pushing 4 batches of 25 new records; latency per request.
    let url = hq.url.clone();
    let token = hq.officer.clone();
    let chunks: Vec<Vec<Value>> = rest.chunks(25).map(|c| c.to_vec()).collect();
    let per_device: Vec<Vec<String>> = (0..8)
        .map(|d| {
            let mine = chunks.iter().skip(d).step_by(8);
            mine.enumerate()
                .map(|(k, chunk)| {
                    let changes: Vec<Value> = chunk.iter().enumerate().map(|(i, v)| change(v, None, rev(900_000 + (d * 1000 + k * 100 + i) as u32))).collect();
                    json!({ "protocolVersion": 1, "deviceId": format!("tablet-{d}"), "changes": changes }).to_string()
                })
                .collect()
        })
        .collect();
    let t = std::time::Instant::now();
    let handles: Vec<_> = per_device
        .into_iter()
        .map(|bodies| {
            let (url, token) = (url.clone(), token.clone());
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
                let mut lat = Vec::new();
                for body in &bodies {
                    let t = std::time::Instant::now();
                    let resp =
                        agent.post(&format!("{url}/api/v1/sync/push")).header("authorization", &format!("Bearer {token}")).header("content-type", "application/json").send(body.as_str()).unwrap();
                    assert_eq!(resp.status().as_u16(), 200);
                    lat.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                lat
            })
        })
        .collect();
    let mut lat: Vec<f64> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    let wall = t.elapsed().as_secs_f64();
    lat.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p).round() as usize];
    println!("| 8 devices × 4 pushes of 25 records ({} requests) | p50 {:.0} ms, p99 {:.0} ms per request | {:.0} records/s overall |", lat.len(), pct(0.5), pct(0.99), (lat.len() * 25) as f64 / wall);
}

// ---- HQ judges every write against what it already holds (issue 11) ----------

fn follow_up_for(visit: &Value) -> Value {
    let mut fu: Value = serde_json::from_str(include_str!("../../tests/fixtures/follow_up_complete.json")).unwrap();
    fu["visitId"] = visit["id"].clone();
    fu
}

impl Hq {
    fn push_as(&self, token: &str, changes: Vec<Value>) -> Value {
        let (status, resp) = self.post_as(Some(token), "/api/v1/sync/push", &json!({ "protocolVersion": 1, "deviceId": "tablet-x", "changes": changes }).to_string());
        assert_eq!(status, 200, "{resp}");
        resp["results"][0].clone()
    }

    fn trail(&self, id: &Value) -> Vec<String> {
        let (_, t) = self.get_as(Some(&self.staff), &format!("/api/v1/staff/records/{}/revisions", id.as_str().unwrap()));
        t["revisions"].as_array().map(|r| r.iter().map(|x| x["revision"].as_str().unwrap().to_string()).collect()).unwrap_or_default()
    }

    fn sampling_figures(&self) -> Value {
        let (_, s) = self.get_as(Some(&self.staff), "/api/v1/staff/summary?period=2026&asOf=2026-12-01");
        s["summary"]["figures"]["sampling"].clone()
    }
}

fn refused(result: &Value, reason: &str) {
    assert_eq!((result["status"].as_str(), result["reason"].as_str()), (Some("rejected"), Some(reason)), "{result}");
    assert!(result.get("currentRevision").is_none(), "a refusal never tells the current revision: {result}");
}

/// The holes found by attacking HQ, each closed: kinds never change under an
/// id, drafts belong to the officers on HQ's revision, amendments to the
/// original's officers, follow-ups to staff and only under follow-up ids, and
/// a lab result never disappears.
#[test]
fn writes_are_judged_against_what_hq_holds() {
    let hq = Hq::start();
    let (chen, li, staff) = (hq.officer.clone(), hq.login("li").unwrap(), hq.staff.clone());
    let v = visit(1);
    assert_eq!(hq.push_as(&chen, vec![change(&v, None, rev(1))])["status"], json!("accepted"));
    let fu = follow_up_for(&v);
    let (_, entered) = hq.post_as(Some(&staff), "/api/v1/staff/follow-ups", &fu.to_string());
    assert_eq!(entered["status"], json!("accepted"), "{entered}");
    let before = hq.sampling_figures();
    assert_eq!(before["failed"].as_i64(), Some(1), "{before}");

    // 1. The officer cannot erase a failing lab result by pushing a visit under its id.
    let mut over = draft_visit(2);
    over["id"] = fu["id"].clone();
    refused(&hq.push_as(&chen, vec![change(&over, entered["revision"].as_str().map(String::from), rev(2))]), "FORBIDDEN");
    assert_eq!(hq.sampling_figures(), before, "the figures still count the failed result");
    assert_eq!(hq.trail(&fu["id"]).len(), 1);

    // 2. A colleague cannot take over a draft by naming themselves — with or without its revision.
    let draft = draft_visit(3);
    assert_eq!(hq.push_as(&chen, vec![change(&draft, None, rev(3))])["status"], json!("accepted"));
    let mut taken = draft.clone();
    taken["officers"][0]["certificateNo"] = json!("35010019999");
    refused(&hq.push_as(&li, vec![change(&taken, None, rev(4))]), "FORBIDDEN");
    refused(&hq.push_as(&li, vec![change(&taken, Some(rev(3)), rev(5))]), "FORBIDDEN");
    let mut edited = draft.clone();
    edited["notes"] = json!("陈某继续填写");
    assert_eq!(hq.push_as(&chen, vec![change(&edited, Some(rev(3)), rev(6))])["status"], json!("accepted"), "chen's next edit is no conflict");
    assert_eq!(hq.trail(&draft["id"]), vec![rev(3), rev(6)]);

    // 3. An officer not on a finalised visit cannot amend it away; one on it can.
    let mut amendment = visit(4);
    amendment["amends"] = json!({ "originalId": v["id"], "reason": "更正笔误" });
    let mut by_li = amendment.clone();
    by_li["officers"][0]["certificateNo"] = json!("35010019999");
    refused(&hq.push_as(&li, vec![change(&by_li, None, rev(7))]), "FORBIDDEN");
    assert_eq!(hq.push_as(&chen, vec![change(&amendment, None, rev(8))])["status"], json!("accepted"));

    // 4. Staff cannot overwrite a draft visit with a follow-up.
    let mut onto_draft = follow_up_for(&v);
    onto_draft["id"] = draft["id"].clone();
    let (_, r) = hq.post_as(Some(&staff), "/api/v1/staff/follow-ups", &onto_draft.to_string());
    refused(&r, "FORBIDDEN");
    assert_eq!(hq.trail(&draft["id"]), vec![rev(3), rev(6)]);

    // A lab result, once entered, changes only by a later staff revision — it never disappears.
    let mut without = fu.clone();
    without.as_object_mut().unwrap().remove("labResult");
    without.as_object_mut().unwrap().remove("disposal");
    let (_, r) = hq.post_as(Some(&staff), "/api/v1/staff/follow-ups", &without.to_string());
    refused(&r, "LAB_RESULT_REMOVED");
    let mut corrected = fu.clone();
    corrected["labResult"]["reportNo"] = json!("JC2026-0456-更正");
    let (_, r) = hq.post_as(Some(&staff), "/api/v1/staff/follow-ups", &corrected.to_string());
    assert_eq!(r["status"], json!("accepted"), "{r}");
    // A follow-up of another bureau's visit is as unknown as one of no visit.
    let staff2 = hq.login("staff2").unwrap();
    let (_, r) = hq.post_as(Some(&staff2), "/api/v1/staff/follow-ups", &follow_up_for(&draft).to_string().replace("000000000051", "000000000052"));
    refused(&r, "UNKNOWN_VISIT");
}

/// A record far beyond any real visit is refused from its size alone, and
/// the answer stays small.
#[test]
fn an_absurd_record_is_refused_small() {
    let hq = Hq::start();
    // Shaped to cost memory: refused at the door, before any of it is parsed.
    let mut v = visit(1);
    v["priceChecks"] = Value::Array(vec![json!({}); 200_000]);
    let (status, e) = hq.push(vec![change(&v, None, rev(1))]);
    assert_eq!((status, e["code"].as_str()), (422, Some("TOO_MANY_ENTRIES")), "{e}");
    // Past the door but beyond any real visit: the core refuses it unread, alone.
    v["priceChecks"] = Value::Array(vec![json!({}); 1_500]);
    let (status, resp) = hq.push(vec![change(&v, None, rev(1))]);
    assert_eq!(status, 200);
    let r = &resp["results"][0];
    assert_eq!(r["status"], json!("rejected"));
    assert_eq!(r["problems"][0]["code"], json!("TOO_LARGE"), "{}", r["problems"][0]);
    assert!(resp.to_string().len() < 4096, "the answer is {} bytes", resp.to_string().len());
    // Many small faults: counted, at most 200 listed.
    let mut v = visit(2);
    v["priceChecks"] = Value::Array((0..900).map(|i| json!({ "id": format!("bad-{i}"), "price": "x" })).collect());
    let (_, resp) = hq.push(vec![change(&v, None, rev(2))]);
    let problems = resp["results"][0]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 200);
    assert_eq!(problems.last().unwrap()["code"], json!("MORE_PROBLEMS"));
}

/// Nobody can keep the account holder out: guesses, even in parallel, are
/// counted before they are checked and slow down only the guesser's keys.
#[test]
fn sign_in_is_throttled_not_locked_and_guesses_are_all_counted() {
    let hq = Hq::start();
    let attempt = |login: &str, password: &str, device: &str| hq.post_as(None, "/api/v1/auth/login", &json!({ "login": login, "password": password, "deviceId": device }).to_string());
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let guesses: Vec<_> = (0..40).map(|i| s.spawn(move || attempt("chen", &format!("guess {i}"), "stranger").0)).collect();
        guesses.into_iter().map(|g| g.join().unwrap()).collect()
    });
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!(checked, 5, "only the free tries are checked: {statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 35);
    let (status, e) = attempt("chen", "guess 41", "stranger");
    assert_eq!((status, e["code"].as_str()), (429, Some("TOO_MANY_ATTEMPTS")));
    // chen's own tablet (signed in before) still gets in, at once.
    let (status, _) = attempt("chen", PASSWORD, "tablet-1");
    assert_eq!(status, 200, "the holder's device is never locked out");
    // An unknown name is answered like a known one: same code, and not in a blink.
    let time = |login: &str| {
        let t = std::time::Instant::now();
        let (status, e) = attempt(login, "wrong password", &format!("probe-{login}"));
        assert_eq!((status, e["code"].as_str()), (401, Some("BAD_CREDENTIALS")), "{login}");
        t.elapsed()
    };
    let (known, unknown) = (time("li"), time("nobody-here"));
    assert!(unknown * 3 > known, "an unknown name took {unknown:?}, a known one {known:?}: names are enumerable");
}

fn admin_ok(dir: &std::path::Path, args: &[&str]) -> String {
    let out = admin_command(dir, args);
    assert!(out.status.success(), "admin {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The audit trail names the device the token was issued to, not what a push
/// claims; admins list and revoke tokens and disable accounts.
#[test]
fn tokens_are_bound_to_their_device_and_admins_revoke_them() {
    let hq = Hq::start();
    let v = visit(1);
    let (_, resp) = hq.post("/api/v1/sync/push", &json!({ "protocolVersion": 1, "deviceId": "forged-device", "changes": [change(&v, None, rev(1))] }).to_string());
    assert_eq!(statuses(&resp), vec!["accepted"]);
    let (_, trail) = hq.get_as(Some(&hq.staff), &format!("/api/v1/staff/records/{}/revisions", v["id"].as_str().unwrap()));
    assert_eq!(trail["revisions"][0]["deviceId"], json!("tablet-1"));

    let listed = admin_ok(&hq.dir, &["list-tokens", "--login", "chen"]);
    assert!(listed.lines().any(|l| l.contains("\tchen\ttablet-1\t") && l.ends_with("live")), "{listed}");
    assert!(!listed.contains(&hq.officer), "the token itself is never shown");
    assert!(admin_ok(&hq.dir, &["revoke-tokens", "--login", "chen", "--device", "tablet-1"]).contains("revoked 1"));
    assert_eq!(hq.pull(None, 10).0, 401);
    assert!(admin_ok(&hq.dir, &["list-tokens", "--login", "chen"]).lines().any(|l| l.ends_with("revoked")));

    let li = hq.login("li").unwrap();
    admin_ok(&hq.dir, &["disable-user", "--login", "li"]);
    assert_eq!(hq.post_as(Some(&li), "/api/v1/sync/pull", &json!({ "protocolVersion": 1 }).to_string()).0, 401);
    assert!(hq.login("li").is_none(), "a disabled account cannot sign in");
    admin_ok(&hq.dir, &["enable-user", "--login", "li"]);
    assert!(hq.login("li").is_some());
}

/// Bad text is a 4xx on both databases (PostgreSQL cannot hold a NUL); an
/// account without a certificate pulls nothing, and a certificate is matched
/// exactly (no wildcards).
#[test]
fn bad_text_is_a_4xx_and_officers_are_matched_exactly() {
    let hq = Hq::start();
    assert_eq!(statuses(&hq.push(vec![change(&visit(1), None, rev(1))]).1), vec!["accepted"]);
    let (status, e) = hq.post("/api/v1/sync/push", &json!({ "protocolVersion": 1, "deviceId": "tab\u{0}let", "changes": [] }).to_string());
    assert_eq!((status, e["code"].as_str()), (422, Some("BAD_SHAPE")));
    let (status, _) = hq.post_as(None, "/api/v1/auth/login", &json!({ "login": "ch\u{0}en", "password": PASSWORD, "deviceId": "t" }).to_string());
    assert_eq!(status, 422);
    assert_eq!(hq.get_as(Some(&hq.staff), "/api/v1/staff/records/%00/revisions").0, 404);
    let mut bad_ids = change(&visit(2), Some("base\u{0}".into()), rev(2));
    bad_ids["revision"] = json!("r\u{0}");
    let (status, resp) = hq.push(vec![bad_ids]);
    assert_eq!((status, resp["results"][0]["status"].as_str()), (200, Some("rejected")), "{resp}");
    let mut nul_officer = visit(3);
    nul_officer["officers"][1]["certificateNo"] = json!("3501\u{0}");
    let (status, resp) = hq.push(vec![change(&nul_officer, None, rev(3))]);
    assert_eq!(status, 200, "{resp}");

    let wu = hq.login("wu").unwrap();
    let (status, page) = hq.post_as(Some(&wu), "/api/v1/sync/pull", &json!({ "protocolVersion": 1 }).to_string());
    assert_eq!((status, page["changes"].as_array().map(Vec::len)), (200, Some(0)), "an account without a certificate is on no visit");
    let wild = hq.login("wild").unwrap();
    let (_, page) = hq.post_as(Some(&wild), "/api/v1/sync/pull", &json!({ "protocolVersion": 1 }).to_string());
    assert_eq!(page["changes"].as_array().map(Vec::len), Some(0), "3501001900_ is not 35010019001");
    let mut by_wild = visit(4);
    by_wild["officers"][0]["certificateNo"] = json!("3501001900_");
    assert_eq!(hq.push_as(&wild, vec![change(&by_wild, None, rev(4))])["status"], json!("accepted"));
    let (_, page) = hq.pull(None, 100);
    assert!(page["changes"].as_array().unwrap().iter().all(|c| c["id"] != by_wild["id"]), "chen does not get wild's visit");
}

/// What the API document promises about limits and shapes.
#[test]
fn limits_and_shapes_are_as_documented() {
    let hq = Hq::start();
    let pull = |limit: &str| hq.post("/api/v1/sync/pull", &format!("{{\"protocolVersion\": 1, \"limit\": {limit}}}"));
    assert_eq!(pull("1001").0, 422, "a limit above 1000 is refused, not quietly capped");
    assert_eq!(pull("0").0, 422);
    assert_eq!(pull("675.0").0, 200, "675.0 is the integer 675");
    for body in ["[null,null]", "{}", "{\"id\": 5}", "{\"id\": \"not-a-uuid\"}"] {
        let (status, e) = hq.post_as(Some(&hq.staff.clone()), "/api/v1/staff/follow-ups", body);
        assert_eq!((status, e["code"].as_str()), (422, Some("BAD_SHAPE")), "{body}");
    }
    // A token life that would overflow is refused at start, not made into dead tokens.
    let out = Command::new(env!("CARGO_BIN_EXE_xuncha-hq")).args(["--token-ttl-secs", "9223372036854775807"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--token-ttl-secs"));
}

/// The site is served precompressed, cached by kind, with security headers
/// and a request id on every response.
#[test]
fn the_site_is_served_compressed_cached_and_with_security_headers() {
    let dir = std::env::temp_dir().join(format!("xuncha-hq-test-{}-{}", std::process::id(), rand_suffix()));
    set_up_accounts(&dir);
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("assets")).unwrap();
    std::fs::write(site.join("index.html"), "<!doctype html><title>巡查</title>").unwrap();
    std::fs::write(site.join("assets/app-1a2b3c.js"), "console.log('plain')").unwrap();
    std::fs::write(site.join("assets/app-1a2b3c.js.br"), "brotli bytes").unwrap();
    std::fs::write(site.join("assets/app-1a2b3c.js.gz"), "gzip bytes").unwrap();
    let hq = Hq::start_with(dir, &["--site", site.to_str().unwrap()]);
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let get = |path: &str, encoding: &str| {
        let mut r = agent.get(&format!("{}{path}", hq.url)).header("accept-encoding", encoding).call().unwrap();
        let headers = r.headers().clone();
        (headers, r.body_mut().read_to_string().unwrap_or_default())
    };
    let (h, body) = get("/assets/app-1a2b3c.js", "br, gzip");
    assert_eq!((h.get("content-encoding").map(|v| v.to_str().unwrap()), body.as_str()), (Some("br"), "brotli bytes"));
    assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
    let (h, _) = get("/assets/app-1a2b3c.js", "gzip");
    assert_eq!(h.get("content-encoding").map(|v| v.to_str().unwrap()), Some("gzip"));
    let (h, _) = get("/", "identity");
    assert_eq!(h["cache-control"], "no-cache");
    for (name, value) in [("x-content-type-options", "nosniff"), ("x-frame-options", "DENY"), ("referrer-policy", "no-referrer")] {
        assert_eq!(h[name], value, "{name}");
    }
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(h.get("x-request-id").is_some_and(|v| v.len() >= 32));
    let (h, _) = get("/api/v1/health", "identity");
    assert!(h.get("x-request-id").is_some() && h.get("content-security-policy").is_some());
}

/// One structured line per request, with its id, method, path and status —
/// and never a token or a password (they travel in headers and bodies, which
/// are not logged).
#[test]
fn each_request_is_logged_once_with_its_id_and_no_secret() {
    let dir = std::env::temp_dir().join(format!("xuncha-hq-test-{}-{}", std::process::id(), rand_suffix()));
    set_up_accounts(&dir);
    let log_path = dir.join("hq.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_xuncha-hq"))
        .args(["--listen", "127.0.0.1:0"])
        .args(database_args(&dir))
        .env("XUNCHA_LOG", "info")
        .env("XUNCHA_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap().to_string();
    let hq = Hq { child, url, dir, officer: String::new(), staff: String::new() };
    let token = hq.login("chen").unwrap();
    let (status, _) = hq.post_as(Some(&token), "/api/v1/sync/pull", &json!({ "protocolVersion": 1 }).to_string());
    assert_eq!(status, 200);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(!log.contains(&token) && !log.contains(PASSWORD), "a secret in the log:\n{log}");
    let lines: Vec<Value> = log.lines().filter_map(|l| serde_json::from_str(l).ok()).filter(|l: &Value| l["span"]["name"] == json!("request")).collect();
    let seen: Vec<(String, i64)> = lines.iter().map(|l| (l["span"]["path"].as_str().unwrap().to_string(), l["fields"]["status"].as_i64().unwrap())).collect();
    assert_eq!(seen, vec![("/api/v1/auth/login".to_string(), 200), ("/api/v1/sync/pull".to_string(), 200)], "{log}");
    assert!(lines.iter().all(|l| l["span"]["id"].as_str().is_some_and(|id| id.len() >= 32)), "{log}");
}

/// HQ's peak memory (VmHWM) for the worst pushes at the body limit, against
/// a realistic push of the same size in the same process (figures for
/// BENCHMARKS.md, not pass/fail):
/// `cargo test --release -p xuncha-hq --test http worst_request -- --ignored --nocapture`
#[test]
#[ignore]
fn worst_request_memory() {
    let hq = Hq::start();
    let peak = || -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", hq.child.id())).unwrap();
        status.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)).unwrap().parse::<u64>().unwrap() / 1024
    };
    let send = |body: String| -> (u16, usize, f64) {
        let t = std::time::Instant::now();
        let (status, resp) = hq.post("/api/v1/sync/push", &body);
        (status, resp.to_string().len(), t.elapsed().as_secs_f64())
    };
    let limit = 16 << 20;
    let at_rest = peak();
    // Realistic: as many fixture visits as fit under the limit (≈ the largest honest push).
    let one = change(&visit(1), None, rev(1)).to_string().len();
    let n = ((limit - 100) / (one + 1)).min(2000) as u32;
    let realistic = json!({ "protocolVersion": 1, "deviceId": "t", "changes": (0..n).map(|i| change(&visit(10_000 + i), None, rev(10_000 + i))).collect::<Vec<_>>() }).to_string();
    let (s1, r1, t1) = send(realistic.clone());
    let after_realistic = peak();
    // Worst the door lets through: one visit of nested lists of empty entries, each list
    // under the 2,000-entry limit, just under 2,000,000 entries (commas and brackets) in all.
    let mut v = visit(2);
    let empties = 1_999 * 480;
    v["notes"] = Value::Array(vec![Value::Array(vec![json!({}); 1_999]); 480]);
    let worst = json!({ "protocolVersion": 1, "deviceId": "t", "changes": [change(&v, None, rev(2))] }).to_string();
    let (s2, r2, t2) = send(worst.clone());
    let after_worst = peak();
    // Beyond the door: 5.6 million empty entries in 16 MiB, refused unparsed.
    let mut v = visit(3);
    v["priceChecks"] = Value::Array(vec![json!({}); (limit - 4096) / 3]);
    let refused = json!({ "protocolVersion": 1, "deviceId": "t", "changes": [change(&v, None, rev(3))] }).to_string();
    let (s3, r3, t3) = send(refused.clone());
    let after_refused = peak();
    println!("HQ peak memory (VmHWM), one process: at rest {at_rest} MiB");
    println!("  realistic push: {n} visits, {:.1} MiB body → {s1}, {r1} B answer, {t1:.2} s; peak {after_realistic} MiB", realistic.len() as f64 / 1048576.0);
    println!("  worst push past the door: 1 visit of {empties} empty entries, {:.1} MiB body → {s2}, {r2} B answer, {t2:.2} s; peak {after_worst} MiB", worst.len() as f64 / 1048576.0);
    println!("  refused at the door: {:.1} MiB of empty entries → {s3}, {r3} B answer, {t3:.2} s; peak {after_refused} MiB", refused.len() as f64 / 1048576.0);
    println!("  ratio worst / realistic peak: {:.2}", after_worst as f64 / after_realistic as f64);
}

/// Nothing of one bureau shows in another's answers: a photo another bureau
/// holds is still missing for this one, and conflicts are counted per bureau.
#[test]
fn bureaus_see_only_their_own_photos_and_counts() {
    let hq = Hq::start();
    let (zhao, staff2) = (hq.login("zhao").unwrap(), hq.login("staff2").unwrap());
    // Bureau 2 holds a photo; bureau 1's visit lists the same bytes: bureau 1 must still upload them.
    let photo: Vec<u8> = [0xFF, 0xD8, 0xFF, 0xE1].into_iter().chain(b"bureau two's photo".iter().copied()).collect();
    let hash = sha256_hex(&photo);
    assert_eq!(hq.put_attachment(Some(&staff2), &hash, "image/jpeg", &photo).0, 201);
    let mut v = visit(1);
    v["attachments"].as_array_mut().unwrap().push(json!({ "sha256": hash, "mediaType": "image/jpeg", "sizeBytes": photo.len() }));
    let (_, resp) = hq.push(vec![change(&v, None, rev(1))]);
    let told: Vec<&str> = resp["results"][0]["missingAttachments"].as_array().unwrap().iter().map(|h| h.as_str().unwrap()).collect();
    assert!(told.contains(&hash.as_str()), "bureau 2's copy does not count for bureau 1: {told:?}");
    assert!(hq.missing(&hq.staff.clone()).contains(&hash[..4].to_string()));
    // A conflict in bureau 2 is bureau 2's alone.
    let mut draft = draft_visit(2);
    draft["officers"][0]["certificateNo"] = json!("35020000001");
    assert_eq!(hq.push_as(&zhao, vec![change(&draft, None, rev(2))])["status"], json!("accepted"));
    draft["notes"] = json!("一");
    assert_eq!(hq.push_as(&zhao, vec![change(&draft, Some(rev(2)), rev(3))])["status"], json!("accepted"));
    draft["notes"] = json!("二");
    assert_eq!(hq.push_as(&zhao, vec![change(&draft, Some(rev(2)), rev(4))])["status"], json!("conflict"));
    assert_eq!(hq.get_as(Some(&staff2), "/api/v1/stats").1["conflicts"], json!(1));
    let (_, mine) = hq.get_as(Some(&hq.staff.clone()), "/api/v1/stats");
    assert_eq!((mine["records"].as_i64(), mine["conflicts"].as_i64()), (Some(1), Some(0)), "{mine}");
}

/// The public page a printed document's QR code opens: whether HQ holds the
/// finalised record the document rests on, and nothing more.
#[test]
fn a_documents_qr_code_is_verified_against_the_record_hq_holds() {
    let hq = Hq::start();
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let page = |query: &str| -> (u16, String) {
        let mut resp = agent.get(&format!("{}/verify{query}", hq.url)).call().unwrap();
        assert_eq!(resp.headers().get("content-type").unwrap(), "text/html; charset=utf-8");
        (resp.status().as_u16(), resp.body_mut().read_to_string().unwrap())
    };
    let (finalised, draft) = (visit(1), draft_visit(2));
    let (_, resp) = hq.push(vec![change(&finalised, None, rev(1)), change(&draft, None, rev(2))]);
    assert_eq!(statuses(&resp), vec!["accepted", "accepted"]);
    let id = finalised["id"].as_str().unwrap();
    let sha = content_sha256(&finalised);

    // Genuine: the bureau and the time of finalising, and none of the record.
    let (status, html) = page(&format!("?v={id}&h={sha}"));
    assert_eq!(status, 200);
    assert!(html.contains("data-matches=\"true\"") && html.contains("鼓楼区市场监督管理局") && html.contains("2026年03月10日 11时00分"), "{html}");
    assert!(!html.contains("福州某某生鲜超市") && !html.contains("91350100M000100Y43"), "the page shows nothing of the record");

    // Forged: a changed record's hash, a draft, an unknown record — all read the same.
    let mut altered = finalised.clone();
    altered["priceChecks"][0]["chargedPrice"] = json!(15.0);
    let draft_id = draft["id"].as_str().unwrap();
    for query in [format!("?v={id}&h={}", content_sha256(&altered)), format!("?v={draft_id}&h={}", content_sha256(&draft)), format!("?v={}&h={sha}", rev(9))] {
        let (status, html) = page(&query);
        assert_eq!(status, 200, "{query}");
        assert!(html.contains("data-matches=\"false\"") && !html.contains("鼓楼区"), "{query}: {html}");
    }
    // A damaged code, or markup in it: refused, nothing echoed.
    for query in ["", "?v=1&h=2", "?v=%3Cscript%3E&h=x"] {
        let (status, html) = page(query);
        assert_eq!(status, 400, "{query}");
        assert!(!html.contains("<script>"), "{query}");
    }
}

/// Document templates are published like the rulebook: checked whole by the core
/// (a template lacking what the law requires is refused, by name), then sent
/// with each pull until the device runs them.
#[test]
fn published_document_templates_reach_devices_on_their_next_pull() {
    let hq = Hq::start();
    let pull = |known: Option<&str>| hq.post("/api/v1/sync/pull", &json!({ "protocolVersion": 1, "templatesVersion": known }).to_string()).1;
    assert!(pull(None).get("templates").is_none(), "nothing published: the devices keep the built-in ones");
    let file = hq.dir.join("templates.json");
    let mut set: Value = serde_json::from_str(include_str!("../../src/documents/templates.json")).unwrap();
    set["templates"][0]["documents"]["onSiteRecord"]["elements"].as_array_mut().unwrap().retain(|e| e["element"] != "party.confirmation");
    std::fs::write(&file, set.to_string()).unwrap();
    let out = admin_command(&hq.dir, &["publish-templates", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("party.confirmation") && said.contains("第四十三条"), "{said}");
    assert!(pull(None).get("templates").is_none());

    // A province's own 现场笔录, from a day on.
    let mut set: Value = serde_json::from_str(include_str!("../../src/documents/templates.json")).unwrap();
    set["version"] = json!("2026-12-02-fj");
    let mut province = set["templates"][0].clone();
    province["region"] = json!("福建省");
    province["documents"]["onSiteRecord"]["title"] = json!({ "zh": "现场检查笔录", "en": "On-site inspection record" });
    set["templates"].as_array_mut().unwrap().push(province);
    std::fs::write(&file, set.to_string()).unwrap();
    let out = admin_command(&hq.dir, &["publish-templates", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got = pull(None);
    assert_eq!(got["templates"]["version"], json!("2026-12-02-fj"));
    let loaded = xuncha::documents::TemplateSet::from_json(&got["templates"].to_string()).expect("the device can load them");
    assert_eq!(loaded.templates.len(), 2);
    assert!(pull(Some("2026-12-02-fj")).get("templates").is_none(), "not again once the device runs them");
    let again = admin_command(&hq.dir, &["publish-templates", file.to_str().unwrap()]);
    assert!(!again.status.success(), "a version is published once");
}

/// HQ makes a finalised visit's documents for its archive with the same core as
/// the tablet: the same documents, issued in the bureau's name.
#[test]
fn hq_makes_the_same_documents_as_the_tablet_for_its_archive() {
    let hq = Hq::start();
    let mut v = visit(1);
    v["notice"] = json!({ "credentialsShown": true, "rightsTold": true, "recusalRequested": false });
    v["samples"][0]["sealView"] = json!("noObjection");
    v["priceChecks"][1]["tagPresent"] = json!(false);
    let draft = draft_visit(2);
    assert_eq!(statuses(&hq.push(vec![change(&v, None, rev(1)), change(&draft, None, rev(2))]).1), vec!["accepted", "accepted"]);
    let id = v["id"].as_str().unwrap();
    let path = format!("/api/v1/staff/records/{id}/documents");

    let (status, got) = hq.get_as(Some(&hq.staff.clone()), &path);
    assert_eq!(status, 200, "{got}");
    let day = "2026-03-10".parse().unwrap();
    let eval = xuncha::evaluate_visit_json(v.clone(), vec![], xuncha::Rulebook::builtin(), day).unwrap();
    let issuer = xuncha::documents::Issuer { bureau: Some("鼓楼区市场监督管理局".into()), region: None };
    let want = xuncha::documents::make_documents(&v, &eval, xuncha::documents::TemplateSet::builtin(), &issuer).unwrap();
    assert_eq!(got, serde_json::to_value(&want).unwrap());
    let kinds: Vec<&str> = got["documents"].as_array().unwrap().iter().map(|d| d["key"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["onSiteRecord", "correctionOrder", "samplingRecord/0", "sealLabel/0", "deliveryReceipt"]);
    assert_eq!(got["documents"][0]["recordSha256"], json!(content_sha256(&v)), "the archive copy rests on the record HQ holds");

    // Staff of the bureau only; a draft has none; another bureau's record is as absent as none.
    assert_eq!(hq.get_as(Some(&hq.officer.clone()), &path).0, 403);
    let staff2 = hq.login("staff2").unwrap();
    assert_eq!(hq.get_as(Some(&staff2), &path).0, 404);
    assert_eq!(hq.get_as(Some(&hq.staff.clone()), &format!("/api/v1/staff/records/{}/documents", draft["id"].as_str().unwrap())).1["code"], json!("NOT_FINALISED"));
    assert_eq!(hq.get_as(Some(&hq.staff.clone()), "/api/v1/staff/records/not-an-id/documents").0, 404);
    assert_eq!(hq.get_as(Some(&hq.staff.clone()), &format!("{path}?colour=red")).1["code"], json!("BAD_QUERY"));
}

// ---- evidence: device signatures, the chain, leased document numbers (issue 12) ----

/// Run SQL on the test's database, whichever it is (to play an intruder with database access).
fn tamper(dir: &std::path::Path, sql: &str) {
    match std::env::var("XUNCHA_TEST_PG_ADMIN_URL") {
        Ok(admin_url) => {
            let name = std::fs::read_to_string(dir.join("pg-database")).unwrap();
            let (base, _) = admin_url.rsplit_once('/').unwrap();
            let out = Command::new("psql").arg(format!("{base}/{name}")).args(["-v", "ON_ERROR_STOP=1", "-qc", sql]).output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
        Err(_) => {
            rusqlite::Connection::open(dir.join("xuncha.sqlite")).unwrap().execute_batch(sql).unwrap();
        }
    }
}

fn reason(resp: &Value) -> String {
    resp["results"][0]["reason"].as_str().unwrap_or("").to_string()
}

#[test]
fn a_finalised_record_is_accepted_only_with_its_devices_signature() {
    let hq = Hq::start();
    // Unsigned (an old app, or a forger without the device's key).
    let mut unsigned = change(&visit(1), None, rev(1));
    unsigned["signature"] = Value::Null;
    let (_, resp) = hq.push(vec![unsigned]);
    assert_eq!((statuses(&resp)[0].as_str(), reason(&resp).as_str()), ("rejected", "SIGNATURE_MISSING"), "{resp}");
    assert!(resp["results"][0]["message"]["zh"].as_str().unwrap().contains("签名"));
    // A draft needs none: it is not evidence yet.
    assert_eq!(statuses(&hq.push(vec![change(&draft_visit(2), None, rev(2))]).1), vec!["accepted"]);

    // Signed, then changed: the hash is recomputed, the signature is of the old one.
    let original = visit(3);
    let mut signed = change(&original, None, rev(3));
    signed["signature"] = signature_for(&hq.url, &hq.officer, original["id"].as_str().unwrap(), signed["sha256"].as_str().unwrap());
    let mut altered = original.clone();
    altered["notes"] = json!("改过的笔录");
    let mut forged = change(&altered, None, rev(3));
    forged["signature"] = signed["signature"].clone();
    let (_, resp) = hq.push(vec![forged]);
    assert_eq!(reason(&resp), "SIGNATURE_INVALID", "{resp}");
    // The genuine one goes in.
    assert_eq!(statuses(&hq.push(vec![signed.clone()]).1), vec!["accepted"]);

    // A key HQ never registered (another device's, made up).
    let mut stranger = change(&visit(4), None, rev(4));
    stranger["signature"] = json!({ "keyId": "ab".repeat(32), "algorithm": "ECDSA-P256-SHA256", "value": signed["signature"]["value"] });
    assert_eq!(reason(&hq.push(vec![stranger]).1), "SIGNATURE_UNKNOWN_KEY");
    // Another bureau's officer on this device cannot borrow chen's key.
    let zhao = hq.login("zhao").unwrap();
    let mut zhaos = visit(5);
    zhaos["officers"][0]["certificateNo"] = json!("35020000001");
    let mut theirs = change(&zhaos, None, rev(5));
    theirs["signature"] = signature_for(&hq.url, &hq.officer, zhaos["id"].as_str().unwrap(), theirs["sha256"].as_str().unwrap());
    assert_eq!(reason(&hq.push_as(&zhao, vec![theirs]).pipe(|r| json!({ "results": [r] }))), "SIGNATURE_UNKNOWN_KEY");

    // The device is revoked: what it signs from now on is refused; what HQ holds stays.
    let out = admin_command(&hq.dir, &["revoke-device", "--device", "tablet-1"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(reason(&hq.push(vec![change(&visit(6), None, rev(6))]).1), "SIGNATURE_KEY_REVOKED");
    assert_eq!(statuses(&hq.push(vec![signed]).1), vec!["alreadyApplied"]);
}

trait Pipe: Sized {
    fn pipe<T>(self, f: impl FnOnce(Self) -> T) -> T {
        f(self)
    }
}
impl Pipe for Value {}

#[test]
fn hq_chains_what_it_accepts_per_bureau_and_a_changed_entry_breaks_the_chain() {
    let hq = Hq::start();
    for n in 1..=3 {
        assert_eq!(statuses(&hq.push(vec![change(&visit(n), None, rev(n))]).1), vec!["accepted"]);
    }
    // A draft and a replay add nothing to the chain.
    hq.push(vec![change(&draft_visit(9), None, rev(9))]);
    hq.push(vec![change(&visit(1), None, rev(1))]);
    let check = |bureau: &str| admin_command(&hq.dir, &["check-chain", "--bureau", bureau]);
    let out = check("1");
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success() && said.contains("holds: 3 entries"), "{said}{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&check("2").stdout).contains("holds: 0 entries"));
    // Someone with the database rewrites what HQ accepted for the second record.
    tamper(&hq.dir, &format!("UPDATE ledger SET record_sha256 = '{}' WHERE bureau_id = 1 AND seq = 2", "0".repeat(64)));
    let out = check("1");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("BROKEN at entry 2"), "{}", String::from_utf8_lossy(&out.stderr));
}

fn numbered(n: u32, serials: &[(&str, i64)]) -> Value {
    let mut v = visit(n);
    v["documentNumbers"] = serials.iter().map(|(doc, serial)| json!({ "document": doc, "prefix": "鼓市监", "year": 2026, "serial": serial })).collect();
    v
}

#[test]
fn document_numbers_come_from_leased_blocks_and_are_never_used_twice() {
    let hq = Hq::start();
    let out = admin_command(&hq.dir, &["set-document-prefix", "--bureau", "1", "--prefix", "鼓市监"]);
    assert!(out.status.success());
    let lease = |token: &str, count: i64| hq.post_as(Some(token), "/api/v1/devices/numbers", &json!({ "year": 2026, "count": count }).to_string());
    // Two tablets lease ahead: their blocks never overlap, whoever asks first.
    let li = hq.login("li").unwrap();
    let (status, a) = lease(&hq.officer, 3);
    assert_eq!(status, 200, "{a}");
    let (_, b) = lease(&li, 3);
    assert_eq!((a["prefix"].as_str(), a["first"].as_i64(), a["last"].as_i64()), (Some("鼓市监"), Some(1), Some(3)));
    assert_eq!((b["first"].as_i64(), b["last"].as_i64()), (Some(4), Some(6)));
    // Another bureau counts its own.
    let zhao = hq.login("zhao").unwrap();
    assert_eq!(lease(&zhao, 2).1["first"], 1);
    assert_eq!(lease(&hq.officer, 0).0, 422);

    assert_eq!(statuses(&hq.push(vec![change(&numbered(1, &[("onSiteRecord", 2), ("correctionOrder", 3)]), None, rev(1))]).1), vec!["accepted"]);
    // The same number on another record (a restored backup, a copied tablet): refused.
    let (_, resp) = hq.push(vec![change(&numbered(2, &[("onSiteRecord", 3)]), None, rev(2))]);
    assert_eq!(reason(&resp), "DOCUMENT_NUMBER_TAKEN", "{resp}");
    // A number HQ never leased.
    assert_eq!(reason(&hq.push(vec![change(&numbered(3, &[("onSiteRecord", 99)]), None, rev(3))]).1), "DOCUMENT_NUMBER_NOT_LEASED");
    // A replay of the first is still answered as before.
    assert_eq!(statuses(&hq.push(vec![change(&numbered(1, &[("onSiteRecord", 2), ("correctionOrder", 3)]), None, rev(1))]).1), vec!["alreadyApplied"]);
    // And a visit numbering one document twice is a data problem, found by the core.
    let (_, resp) = hq.push(vec![change(&numbered(4, &[("onSiteRecord", 5), ("correctionOrder", 5)]), None, rev(4))]);
    assert_eq!(resp["results"][0]["problems"][0]["code"], "DUPLICATE", "{resp}");
}

fn delivery_for(visit: &Value, n: u32) -> Value {
    json!({
        "schemaVersion": 1,
        "id": format!("01900000-0000-7000-8000-0002{:08}", n),
        "visitId": visit["id"],
        "deliveries": [{ "document": "correctionOrder", "method": "direct", "deliveredAt": "2026-03-10T10:30:00+08:00", "recipient": "林某" }]
    })
}

fn delivery_change(record: &Value, base: Option<String>, revision: String) -> Value {
    json!({ "kind": "delivery", "id": record["id"], "baseRevision": base, "revision": revision, "sha256": content_sha256(record), "record": record })
}

#[test]
fn documents_handed_over_are_marked_by_an_officer_on_the_visit_and_reach_the_devices() {
    let hq = Hq::start();
    let v = visit(1);
    assert_eq!(statuses(&hq.push(vec![change(&v, None, rev(1))]).1), vec!["accepted"]);
    // An officer of the bureau not on the visit may not mark its documents.
    let li = hq.login("li").unwrap();
    let d = delivery_for(&v, 1);
    assert_eq!(hq.push_as(&li, vec![delivery_change(&d, None, rev(2))])["reason"], "FORBIDDEN");
    // The officer on it may; marking another document is a new revision.
    assert_eq!(statuses(&hq.push(vec![delivery_change(&d, None, rev(3))]).1), vec!["accepted"]);
    let mut more = d.clone();
    more["deliveries"].as_array_mut().unwrap().push(json!({ "document": "samplingRecord/0", "method": "electronic", "deliveredAt": "2026-03-10T10:40:00+08:00", "address": "lin@example.cn" }));
    // Electronic delivery without the confirmed address is a data problem, found by the core at HQ too.
    let (_, resp) = hq.push(vec![delivery_change(&more, Some(rev(3)), rev(4))]);
    assert_eq!((statuses(&resp)[0].as_str(), resp["results"][0]["problems"][0]["path"].as_str()), ("rejected", Some("/deliveries/1/addressConfirmed")), "{resp}");
    more["deliveries"][1]["addressConfirmed"] = json!(true);
    assert_eq!(statuses(&hq.push(vec![delivery_change(&more, Some(rev(3)), rev(5))]).1), vec!["accepted"]);
    // Staff may mark one for a visit of the bureau; for a visit HQ does not hold, they are told so.
    let stray = delivery_for(&visit(99), 2);
    assert_eq!(hq.push_as(&hq.staff.clone(), vec![delivery_change(&stray, None, rev(6))])["reason"], "UNKNOWN_VISIT");
    // The officer's devices get it with the visit.
    let (_, pulled) = hq.pull(None, 100);
    let kinds: Vec<&str> = pulled["changes"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["visit", "delivery"]);
    assert_eq!(pulled["changes"][1]["record"]["deliveries"].as_array().unwrap().len(), 2);
}

#[test]
fn staff_manage_their_bureaus_accounts_and_devices_and_only_theirs() {
    let hq = Hq::start();
    // The clerk at a desk of their own, not on the officer's tablet.
    let staff = hq.login_on("staff1", "desk-1").unwrap();
    let (status, list) = hq.get_as(Some(&staff), "/api/v1/staff/accounts");
    assert_eq!(status, 200, "{list}");
    let logins: Vec<&str> = list["accounts"].as_array().unwrap().iter().map(|a| a["login"].as_str().unwrap()).collect();
    assert!(logins.contains(&"chen") && logins.contains(&"staff1") && !logins.contains(&"zhao"), "{logins:?}");
    let chen = list["accounts"].as_array().unwrap().iter().find(|a| a["login"] == "chen").unwrap();
    assert_eq!(chen["devices"][0]["deviceId"], "tablet-1");
    // Officers cannot.
    assert_eq!(hq.get_as(Some(&hq.officer.clone()), "/api/v1/staff/accounts").0, 403);

    let create = |body: Value| hq.post_as(Some(&staff), "/api/v1/staff/accounts", &body.to_string());
    assert_eq!(create(json!({ "login": "sun", "name": "孙某", "role": "officer", "password": PASSWORD })).1["code"], "CERTIFICATE_REQUIRED");
    assert_eq!(create(json!({ "login": "sun", "name": "孙某", "role": "officer", "certificateNo": "35010019005", "password": "short" })).1["code"], "WEAK_PASSWORD");
    assert_eq!(create(json!({ "login": "sun", "name": "孙某", "role": "officer", "certificateNo": "35010019005", "password": PASSWORD })).0, 201);
    assert_eq!(create(json!({ "login": "zhao", "name": "x", "role": "staff", "password": PASSWORD })).1["code"], "LOGIN_TAKEN");
    // The document's 200 characters count what was sent (a CR and 200 characters is 201, trimmed or not).
    let long_login = format!("\r{}", "a".repeat(200));
    assert_eq!(create(json!({ "login": long_login, "name": "x", "role": "staff", "password": PASSWORD })).0, 422);
    assert_eq!(create(json!({ "login": "长".repeat(200), "name": "x", "role": "staff", "password": PASSWORD })).0, 201, "200 characters, 600 bytes");
    let sun = hq.login("sun").expect("the new account signs in");

    // Disabled: its session ends; staff cannot disable themselves; another bureau's staff cannot touch it.
    let staff2 = hq.login_on("staff2", "desk-2").unwrap();
    assert_eq!(hq.post_as(Some(&staff2), "/api/v1/staff/accounts/sun/disable", "{}").1["code"], "NO_SUCH_ACCOUNT");
    assert_eq!(hq.post_as(Some(&staff), "/api/v1/staff/accounts/sun/disable", "{}").0, 200);
    assert_eq!(hq.get_as(Some(&sun), "/api/v1/health").0, 200);
    assert_eq!(hq.pull_as(&sun), 401);
    assert!(hq.login("sun").is_none());
    assert_eq!(hq.post_as(Some(&staff), "/api/v1/staff/accounts/staff1/disable", "{}").1["code"], "OWN_ACCOUNT");
    assert_eq!(hq.post_as(Some(&staff), "/api/v1/staff/accounts/sun/enable", "{}").0, 200);
    assert!(hq.login("sun").is_some());

    // A new password: the old sessions end.
    let li = hq.login("li").unwrap();
    assert_eq!(hq.post_as(Some(&staff), "/api/v1/staff/accounts/li/password", &json!({ "password": "a new horse 10" }).to_string()).0, 200);
    assert_eq!(hq.pull_as(&li), 401);

    // A lost tablet: revoked, its session ends and what it signed is refused from now on.
    assert_eq!(statuses(&hq.push(vec![change(&visit(1), None, rev(1))]).1), vec!["accepted"]);
    let (status, resp) = hq.post_as(Some(&staff), "/api/v1/staff/devices/tablet-1/revoke", "{}");
    assert_eq!(status, 200, "{resp}");
    assert_eq!(resp["keys"], 1);
    assert_eq!(hq.pull_as(&hq.officer.clone()), 401);
    let again = hq.login("chen").unwrap();
    let mut late = change(&visit(2), None, rev(2));
    late["signature"] = signature_for(&hq.url, &hq.officer, visit(2)["id"].as_str().unwrap(), late["sha256"].as_str().unwrap());
    assert_eq!(hq.push_as(&again, vec![late])["reason"], "SIGNATURE_KEY_REVOKED");
    // Another bureau's staff cannot revoke this bureau's devices.
    assert_eq!(hq.post_as(Some(&staff2), "/api/v1/staff/devices/tablet-1/revoke", "{}").0, 404);
}

impl Hq {
    fn login_on(&self, login: &str, device: &str) -> Option<String> {
        let (status, resp) = self.post_as(None, "/api/v1/auth/login", &json!({ "login": login, "password": PASSWORD, "deviceId": device }).to_string());
        (status == 200).then(|| resp["token"].as_str().unwrap().to_string())
    }

    fn pull_as(&self, token: &str) -> u16 {
        self.post_as(Some(token), "/api/v1/sync/pull", &json!({ "protocolVersion": 1 }).to_string()).0
    }
}

/// A fresh HQ with no accounts prints a one-time link; its code makes the
/// first bureau and staff account once, and no wrong code ever does.
#[test]
fn a_first_run_makes_the_bureau_and_its_first_staff_account_once() {
    let dir = std::env::temp_dir().join(format!("xuncha-hq-first-{}-{}", std::process::id(), rand_suffix()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_xuncha-hq")).args(["--listen", "127.0.0.1:0"]).args(database_args(&dir)).stdout(Stdio::piped()).spawn().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let (mut first, mut second) = (String::new(), String::new());
    out.read_line(&mut first).unwrap();
    out.read_line(&mut second).unwrap();
    let url = first.split_whitespace().find(|w| w.starts_with("http://")).unwrap().to_string();
    let link = second.split_whitespace().find(|w| w.starts_with("http://")).expect("the first-run link is printed");
    assert!(link.starts_with(&format!("{url}/staff/#/setup?code=")), "{link}");
    let code = link.rsplit('=').next().unwrap();
    let hq = Hq { child, url, dir, officer: String::new(), staff: String::new() };
    let setup = |code: &str| hq.post_as(None, "/api/v1/setup", &json!({ "code": code, "bureau": "鼓楼区市场监督管理局", "login": "lin", "name": "林某", "password": PASSWORD }).to_string());
    assert_eq!(setup(&"0".repeat(32)).1["code"], "SETUP_CLOSED");
    assert_eq!(setup(code).0, 201);
    assert_eq!(setup(code).1["code"], "SETUP_CLOSED", "used once");
    let token = hq.login("lin").expect("the first staff account signs in");
    let (status, accounts) = hq.get_as(Some(&token), "/api/v1/staff/accounts");
    assert_eq!((status, accounts["accounts"][0]["role"].as_str()), (200, Some("staff")));
}

/// The CLI a third party runs: the published inputs, the seed and its
/// commitment give the published draw; a seed that does not match is refused.
#[test]
fn the_draw_cli_reruns_the_published_draw() {
    let inputs = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/draw_inputs.json");
    let seed = "5f0c1d2e3a4b69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";
    let run = |commitment: &str| Command::new(env!("CARGO_BIN_EXE_xuncha-hq")).args(["draw", "run", "--inputs", inputs, "--seed", seed, "--commitment", commitment]).output().unwrap();
    let out = run(&xuncha::draw::commitment(seed));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), include_str!("../../tests/golden/draw.json"));
    let out = run(&"0".repeat(64));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("commitment"));
}

fn rectification_change(record: &Value, revision: String) -> Value {
    json!({ "kind": "rectification", "id": record["id"], "revision": revision, "sha256": content_sha256(record), "record": record })
}

#[test]
fn rectifications_are_recorded_by_the_officer_or_closed_by_staff_and_counted() {
    let hq = Hq::start();
    let mut v = visit(1);
    v["instrumentChecks"][0]["weighings"][0]["readingG"] = json!(10015); // a scale beyond its MPE: ordered corrected
    assert_eq!(statuses(&hq.push(vec![change(&v, None, rev(1))]).1), vec!["accepted"]);
    let open = |as_of: &str| -> Vec<Value> {
        let (_, dl) = hq.get_as(Some(&hq.staff), &format!("/api/v1/staff/deadlines?asOf={as_of}"));
        dl["deadlines"].as_array().unwrap().iter().filter(|d| d["deadline"]["kind"] == "rectification").map(|d| d["deadline"].clone()).collect()
    };
    let ordered = open("2026-03-11");
    assert!(!ordered.is_empty(), "the visit orders a rectification");
    let (code, path, due) = (ordered[0]["code"].clone(), ordered[0]["path"].clone(), ordered[0]["due"].as_str().unwrap().to_string());
    let figures = |as_of: &str| hq.get_as(Some(&hq.staff), &format!("/api/v1/staff/summary?period=2026&asOf={as_of}")).1["summary"]["figures"]["rectification"].clone();
    assert_eq!(figures("2026-03-11")["onTime"], 0);

    // An officer of the bureau not on the visit may not record its re-inspection; the officer on it may.
    let recheck = json!({ "schemaVersion": 1, "id": "01900000-0000-7000-8000-000300000001", "visitId": v["id"], "method": "onSite", "checkedOn": "2026-03-12",
        "items": [{ "findingCode": code, "path": path, "outcome": "rectified", "note": "已更换合格电子秤" }] });
    let li = hq.login("li").unwrap();
    assert_eq!(hq.push_as(&li, vec![rectification_change(&recheck, rev(2))])["reason"], "FORBIDDEN");
    assert_eq!(statuses(&hq.push(vec![rectification_change(&recheck, rev(3))]).1), vec!["accepted"]);
    // Counted on time, and its deadline is met: off the board.
    let f = figures(&due);
    assert_eq!(ordered.len(), 1, "{ordered:?}");
    assert_eq!((f["ordered"].as_i64(), f["onTime"].as_i64(), f["open"].as_i64()), (Some(1), Some(1), Some(0)), "{f}");
    assert!(!open(&due).iter().any(|d| d["code"] == code && d["path"] == path));

    // Staff close another visit's on documents: the reason is required, found by the core at HQ; closed late here.
    let mut w = visit(2);
    w["instrumentChecks"][0]["weighings"][0]["readingG"] = json!(10015);
    assert_eq!(statuses(&hq.push(vec![change(&w, None, rev(4))]).1), vec!["accepted"]);
    let late = (due.parse::<chrono::NaiveDate>().unwrap() + chrono::Days::new(1)).to_string();
    let mut closing = json!({ "schemaVersion": 1, "id": "01900000-0000-7000-8000-000300000002", "visitId": w["id"], "method": "documentary", "checkedOn": late,
        "items": [{ "findingCode": code, "path": path, "outcome": "rectified" }] });
    let (status, resp) = hq.post_as(Some(&hq.staff.clone()), "/api/v1/staff/rectifications", &closing.to_string());
    assert_eq!((status, resp["status"].as_str(), resp["problems"][0]["path"].as_str()), (200, Some("rejected"), Some("/reason")), "{resp}");
    closing["reason"] = json!("当事人提交了新的检定证书（编号 JD-2026-0312）");
    let (_, resp) = hq.post_as(Some(&hq.staff.clone()), "/api/v1/staff/rectifications", &closing.to_string());
    assert_eq!(resp["status"], "accepted", "{resp}");
    let f = figures(&late);
    assert_eq!((f["ordered"].as_i64(), f["onTime"].as_i64(), f["late"].as_i64()), (Some(2), Some(1), Some(1)), "{f}");
    // Another bureau's staff cannot close this bureau's rectifications; officers cannot use the staff path.
    let staff2 = hq.login("staff2").unwrap();
    let stray = json!({ "schemaVersion": 1, "id": "01900000-0000-7000-8000-000300000003", "visitId": v["id"], "method": "documentary", "checkedOn": "2026-03-13", "reason": "材料", "items": [{ "findingCode": code, "path": path, "outcome": "rectified" }] });
    assert_eq!(hq.post_as(Some(&staff2), "/api/v1/staff/rectifications", &stray.to_string()).1["reason"], "UNKNOWN_VISIT");
    assert_eq!(hq.post_as(Some(&hq.officer.clone()), "/api/v1/staff/rectifications", &stray.to_string()).0, 403);
    // The officer's devices get the re-inspection with the visit.
    let (_, pulled) = hq.pull(None, 100);
    assert!(pulled["changes"].as_array().unwrap().iter().any(|c| c["kind"] == "rectification"));
}

#[test]
fn a_demo_bureau_fills_every_screen_through_the_same_write_path() {
    let hq = Hq::start();
    let out = admin_command(&hq.dir, &["seed-demo", "--visits", "200"]);
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{said}{}", String::from_utf8_lossy(&out.stderr));
    // Every record written as a tablet and the console write them: none refused.
    assert!(said.contains("（演示数据）") && said.contains(", 0 refused)"), "{said}");
    let clerk = said.lines().find(|l| l.contains("demo-clerk")).unwrap();
    let password = clerk.rsplit(" / ").next().unwrap().trim();
    let (status, resp) = hq.post_as(None, "/api/v1/auth/login", &json!({ "login": "demo-clerk", "password": password, "deviceId": "desk" }).to_string());
    assert_eq!(status, 200, "{resp}");
    let token = resp["token"].as_str().unwrap().to_string();
    // A year of figures: visits, lab results, rectifications on time; the chain of what HQ accepted holds.
    let today = chrono::Utc::now().date_naive();
    let (_, s) = hq.get_as(Some(&token), &format!("/api/v1/staff/summary?period={}/{}&asOf={today}", today - chrono::Days::new(365), today));
    let f = &s["summary"]["figures"];
    assert!(f["visits"].as_i64().unwrap() > 100, "{f}");
    assert!(f["sampling"]["withResult"].as_i64().unwrap() > 0 && f["rectification"]["onTime"].as_i64().unwrap() > 0, "{f}");
    let bureau = hq.get_as(Some(&token), "/api/v1/staff/accounts").1["accounts"].as_array().unwrap().len();
    assert_eq!(bureau, 3, "two officers and a clerk");
    let chain = admin_command(&hq.dir, &["check-chain", "--bureau", "3"]);
    let walked = String::from_utf8_lossy(&chain.stdout).to_string();
    assert!(chain.status.success() && walked.contains("holds: ") && !walked.contains("holds: 0 entries"), "{walked}{}", String::from_utf8_lossy(&chain.stderr));
    // The stored digests (made as each record, follow-up and re-inspection was accepted) sum to a full evaluation.
    let checked = admin_command(&hq.dir, &["check-digests", "--as-of", &today.to_string()]);
    let report = String::from_utf8_lossy(&checked.stdout).to_string();
    assert!(checked.status.success() && report.lines().count() == 3 && report.lines().all(|l| l.ends_with(": equal")), "{report}{}", String::from_utf8_lossy(&checked.stderr));
    assert!(report.lines().nth(2).unwrap().starts_with("bureau 3: ") && !report.contains("bureau 3: 0 digests"), "{report}");
    // The 双随机 lists are there: a quarter's plan over all four matters is drawn at once, and a demo officer pulls tasks.
    let (_, lists) = hq.get_as(Some(&token), "/api/v1/staff/directories");
    assert!(lists["targets"]["entries"].as_array().unwrap().len() > 20, "{}", lists["targets"]["entries"].as_array().unwrap().len());
    assert_eq!((lists["inspectors"]["entries"].as_array().unwrap().len(), lists["matters"]["entries"].as_array().unwrap().len()), (6, 4));
    let matters: Vec<Value> = lists["matters"]["entries"].as_array().unwrap().iter().map(|m| m["code"].clone()).collect();
    let (status, plan) =
        hq.post_as(Some(&token), "/api/v1/staff/plans", &json!({ "title": "演示季度双随机抽查", "batch": "第一批", "due": today + chrono::Days::new(90), "matters": matters }).to_string());
    assert_eq!(status, 200, "{plan}");
    let (status, drawn) = hq.post_as(Some(&token), &format!("/api/v1/staff/plans/{}/draw", plan["id"].as_str().unwrap()), "");
    assert_eq!(status, 200, "{drawn}");
    assert_eq!(drawn["result"]["plan"], json!("演示季度双随机抽查 第一批"));
    let picked: usize = drawn["result"]["matters"].as_array().unwrap().iter().map(|m| m["picked"].as_array().unwrap().len()).sum();
    assert!(picked > 4, "{}", drawn["result"]);
    let officer = said.lines().find(|l| l.contains("demo-chen")).unwrap();
    let officer_password = officer.rsplit(" / ").next().unwrap().trim();
    let (_, login) = hq.post_as(None, "/api/v1/auth/login", &json!({ "login": "demo-chen", "password": officer_password, "deviceId": "demo-tab" }).to_string());
    let tasks = hq.pull_tasks(login["token"].as_str().unwrap(), None);
    assert!(!tasks["tasks"].as_array().unwrap().is_empty(), "demo-chen has tasks");
}

#[test]
fn staff_preview_what_a_rulebook_changes_then_publish_it_once() {
    let hq = Hq::start();
    let mut book: Value = serde_json::from_str(include_str!("../../src/rules/rulebook.json")).unwrap();
    book["version"] = json!("2027.1.1");
    let no_tag = book["rules"].as_array_mut().unwrap().iter_mut().find(|r| r["code"] == "PRICE.NO_TAG").unwrap();
    no_tag["rectifyDays"] = json!(5);
    let staff = hq.staff.clone();
    // What it changes against the one in force (the core's own, nothing published yet).
    let (status, diff) = hq.post_as(Some(&staff), "/api/v1/staff/rulebooks/preview", &book.to_string());
    assert_eq!(status, 200, "{diff}");
    assert_eq!(diff["toVersion"], "2027.1.1");
    assert_eq!(diff["rulesChanged"][0]["code"], "PRICE.NO_TAG");
    assert!(diff["rulesChanged"][0]["changes"][0]["zh"].as_str().unwrap().starts_with("整改期限（天）"), "{diff}");
    // Officers may not; an unusable file is refused with its reasons.
    assert_eq!(hq.post_as(Some(&hq.officer.clone()), "/api/v1/staff/rulebooks/preview", &book.to_string()).0, 403);
    let mut broken = book.clone();
    broken["rules"].as_array_mut().unwrap().retain(|r| r["code"] != "SAMP.DISPOSAL");
    let (status, e) = hq.post_as(Some(&staff), "/api/v1/staff/rulebooks", &broken.to_string());
    assert_eq!((status, e["code"].as_str()), (422, Some("RULEBOOK_INVALID")));
    assert!(e["message"]["zh"].as_str().unwrap().contains("SAMP.DISPOSAL"), "{e}");
    // Published: devices get it on their next pull; the same version is never published twice.
    let (status, out) = hq.post_as(Some(&staff), "/api/v1/staff/rulebooks", &book.to_string());
    assert_eq!((status, out["version"].as_str()), (200, Some("2027.1.1")), "{out}");
    let pulled = hq.post("/api/v1/sync/pull", &json!({ "protocolVersion": 1 }).to_string()).1;
    assert_eq!(pulled["rulebook"]["version"], "2027.1.1");
    assert_eq!(hq.post_as(Some(&staff), "/api/v1/staff/rulebooks", &book.to_string()).1["code"], "VERSION_PUBLISHED");
    // Against the one now in force, the same file changes nothing.
    assert_eq!(hq.post_as(Some(&staff), "/api/v1/staff/rulebooks/preview", &book.to_string()).1["unchanged"], true);
}

/// A bureau's report template: the core's wording until one is published; a
/// published one writes HQ's paragraphs for that bureau only; one naming a
/// figure the core lacks is refused with the reason; a version once only.
#[test]
fn a_bureau_publishes_its_report_template_and_its_paragraphs_follow_it() {
    let hq = Hq::start();
    let staff = hq.staff.clone();
    let (_, resp) = hq.push(vec![change(&visit(1), None, rev(1)), change(&visit(2), None, rev(2))]);
    assert_eq!(statuses(&resp), vec!["accepted"; 2]);
    let (status, current) = hq.get_as(Some(&staff), "/api/v1/staff/report-template");
    assert_eq!((status, current["builtin"].as_bool()), (200, Some(true)), "{current}");
    assert!(current["figures"].as_array().unwrap().iter().any(|f| f["name"] == "visits"));
    let mut mine = current["template"].clone();
    mine["version"] = json!("鼓楼-2026.1");
    mine["total"] = json!([{ "zh": "{period}，我局检查经营主体{visits}家次，发现违法问题{violations}项。", "en": "In {period} we made {visits} visits." }]);
    // A figure the core does not have: refused, the figure named; nothing published.
    let mut wrong = mine.clone();
    wrong["total"][0]["zh"] = json!("{period}，我局检查{shops}家。");
    let (status, e) = hq.post_as(Some(&staff), "/api/v1/staff/report-template", &wrong.to_string());
    assert_eq!((status, e["code"].as_str()), (422, Some("REPORT_TEMPLATE_INVALID")), "{e}");
    assert!(e["message"]["zh"].as_str().unwrap().contains("“shops”"), "{e}");
    assert_eq!(hq.post_as(Some(&staff), "/api/v1/staff/report-template", "[1]").1["code"], "REPORT_TEMPLATE_INVALID");
    // Published: the bureau's paragraphs are written in it.
    let (status, out) = hq.post_as(Some(&staff), "/api/v1/staff/report-template", &mine.to_string());
    assert_eq!((status, out["version"].as_str()), (200, Some("鼓楼-2026.1")), "{out}");
    let report = hq.get_as(Some(&staff), "/api/v1/staff/summary?period=2026-Q1&asOf=2026-04-20").1["report"].clone();
    assert_eq!(report["total"]["zh"], "2026年第一季度，我局检查经营主体2家次，发现违法问题0项。", "{report}");
    assert!(report["price"]["zh"].as_str().unwrap().starts_with("明码标价方面"), "the other paragraphs keep the core's wording");
    assert_eq!(hq.get_as(Some(&staff), "/api/v1/staff/report-template").1["builtin"], false);
    // Once per version; another bureau keeps the core's wording; officers may not.
    assert_eq!(hq.post_as(Some(&staff), "/api/v1/staff/report-template", &mine.to_string()).1["code"], "VERSION_PUBLISHED");
    let staff2 = hq.login("staff2").unwrap();
    assert_eq!(hq.get_as(Some(&staff2), "/api/v1/staff/report-template").1["builtin"], true);
    assert!(hq.get_as(Some(&staff2), "/api/v1/staff/summary?period=2026").1["report"]["total"]["zh"].as_str().unwrap().contains("共出动执法人员"));
    assert_eq!(hq.post_as(Some(&hq.officer.clone()), "/api/v1/staff/report-template", &mine.to_string()).0, 403);
}

// ---- 双随机: lists, plans, the draw, tasks through pull ---------------------------

/// A valid credit code (GB 32100-2015) numbered `n`.
fn credit_code(n: u32) -> String {
    let first17 = format!("91350100{n:09}");
    format!("{first17}{}", xuncha::credit_code::check_character(&first17).unwrap())
}

impl Hq {
    fn put_as(&self, token: &str, path: &str, content_type: &str, body: &str) -> (u16, Value) {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let mut resp = agent.put(&format!("{}{path}", self.url)).header("content-type", content_type).header("authorization", &format!("Bearer {token}")).send(body).expect("HQ answers");
        let status = resp.status().as_u16();
        let text = resp.body_mut().read_to_string().unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    fn get_text_as(&self, token: &str, path: &str) -> (u16, String) {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let mut resp = agent.get(&format!("{}{path}", self.url)).header("authorization", &format!("Bearer {token}")).call().unwrap();
        (resp.status().as_u16(), resp.body_mut().read_to_string().unwrap())
    }

    fn pull_tasks(&self, token: &str, known: Option<&str>) -> Value {
        let (status, resp) = self.post_as(Some(token), "/api/v1/sync/pull", &json!({ "protocolVersion": 1, "tasksVersion": known }).to_string());
        assert_eq!(status, 200, "{resp}");
        resp["tasks"].clone()
    }
}

#[test]
fn a_plan_is_drawn_once_from_its_frozen_inputs_and_each_officer_pulls_only_their_tasks() {
    let hq = Hq::start();
    let staff = hq.staff.clone();
    // The target directory as a spreadsheet saved as CSV: a wrong line is named, nothing stored.
    let mut sheet = String::from("\u{feff}统一社会信用代码,名称,地址,所属市场,对象类别,重点单位\n");
    for n in 1..=6 {
        sheet.push_str(&format!("{},商户{n},鼓楼路{n}号,东街市场,计量器具使用,{}\n", credit_code(n), if n == 1 { "是" } else { "否" }));
    }
    let (status, refused) = hq.put_as(&staff, "/api/v1/staff/directories/targets", "text/csv", &format!("{sheet}{},商户7,,,,也许\n", credit_code(7)));
    assert_eq!((status, refused["code"].as_str()), (422, Some("LIST_INVALID")), "{refused}");
    assert!(refused["message"]["zh"].as_str().unwrap().contains("第 8 行"), "{refused}");
    let (status, stored) = hq.put_as(&staff, "/api/v1/staff/directories/targets", "text/csv", &sheet);
    assert_eq!((status, stored["count"].as_u64()), (200, Some(6)), "{stored}");
    // Three inspectors (chen and li of bureau 1, one without an account), and one matter drawing everyone.
    let inspectors = json!([
        { "certificateNo": "35010019001", "name": "陈", "certificates": ["general"], "available": true },
        { "certificateNo": "35010019999", "name": "李", "certificates": ["general"], "available": true },
        { "certificateNo": "35010019500", "name": "王", "certificates": ["general"], "available": true, "conflicts": [credit_code(2)] }
    ]);
    assert_eq!(hq.put_as(&staff, "/api/v1/staff/directories/inspectors", "application/json", &inspectors.to_string()).0, 200);
    let matters =
        json!([{ "code": "JL-001", "title": "计量器具使用情况检查", "basis": "《计量法》第九条", "checkKinds": ["metrology"], "categories": ["计量器具使用"], "ratio": 1.0, "keyUnitRatio": 1.0 }]);
    assert_eq!(hq.put_as(&staff, "/api/v1/staff/directories/matters", "application/json", &matters.to_string()).0, 200);
    // A list goes out as CSV the core reads back the same.
    let (status, csv) = hq.get_text_as(&staff, "/api/v1/staff/directories/targets/csv");
    assert_eq!(status, 200);
    assert!(csv.starts_with("\u{feff}统一社会信用代码,名称,地址,所属市场,对象类别,重点单位"), "{csv}");
    let (_, before) = hq.get_as(Some(&staff), "/api/v1/staff/directories");
    assert_eq!(hq.put_as(&staff, "/api/v1/staff/directories/targets", "text/csv", &csv).0, 200);
    let (_, after) = hq.get_as(Some(&staff), "/api/v1/staff/directories");
    assert_eq!(before["targets"]["entries"], after["targets"]["entries"]);
    // Officers do not read the lists; another bureau does not see them.
    assert_eq!(hq.get_as(Some(&hq.officer), "/api/v1/staff/directories").0, 403);
    let staff2 = hq.login("staff2").unwrap();
    let (_, other) = hq.get_as(Some(&staff2), "/api/v1/staff/directories");
    assert_eq!(other["targets"]["entries"], json!([]), "{other}");

    let (status, plan) = hq.post_as(Some(&staff), "/api/v1/staff/plans", &json!({ "title": "2026 年第一批", "due": "2026-12-31", "matters": ["JL-001", "NO-SUCH"] }).to_string());
    assert_eq!((status, plan["code"].as_str()), (422, Some("UNKNOWN_MATTER")), "{plan}");
    let (status, refused) = hq.post_as(Some(&staff), "/api/v1/staff/plans", &json!({ "title": "2026 年", "starts": "2027-01-01", "due": "2026-12-31", "matters": ["JL-001"] }).to_string());
    assert_eq!((status, refused["code"].as_str()), (422, Some("BAD_PERIOD")));
    let (status, plan) = hq.post_as(
        Some(&staff),
        "/api/v1/staff/plans",
        &json!({ "title": "2026 年", "batch": "第一批", "starts": "2026-03-01", "due": "2026-12-31", "matters": ["JL-001"], "drawDay": "2026-03-02" }).to_string(),
    );
    assert_eq!(status, 200, "{plan}");
    assert_eq!((plan["batch"].as_str(), plan["starts"].as_str()), (Some("第一批"), Some("2026-03-01")));
    let id = plan["id"].as_str().unwrap().to_string();
    assert!(plan.get("seed").is_none() || plan["seed"].is_null(), "the seed stays at HQ until the draw: {plan}");
    let commitment = plan["seedCommitment"].as_str().unwrap().to_string();
    // The inputs as published: the same hash the plan shows.
    let (_, inputs) = hq.get_as(Some(&staff), &format!("/api/v1/staff/plans/{id}/inputs"));
    let typed: xuncha::draw::DrawInputs = serde_json::from_value(inputs).unwrap();
    assert_eq!(typed.plan, "2026 年 第一批", "the batch is part of the published inputs");
    assert_eq!(xuncha::draw::inputs_sha256(&typed), plan["inputsSha256"].as_str().unwrap());
    assert_eq!(hq.post_as(Some(&staff2), &format!("/api/v1/staff/plans/{id}/draw"), "").0, 404, "another bureau's plan is not there");

    let (status, drawn) = hq.post_as(Some(&staff), &format!("/api/v1/staff/plans/{id}/draw"), "");
    assert_eq!(status, 200, "{drawn}");
    let seed = drawn["plan"]["seed"].as_str().unwrap();
    assert_eq!(xuncha::draw::commitment(seed), commitment, "the revealed seed is the committed one");
    assert_eq!(drawn["result"], serde_json::to_value(xuncha::draw::draw(&typed, seed).unwrap()).unwrap(), "anyone re-running the inputs gets the same list");
    let (status, again) = hq.post_as(Some(&staff), &format!("/api/v1/staff/plans/{id}/draw"), "");
    assert_eq!((status, again["code"].as_str()), (409, Some("ALREADY_DRAWN")));
    // Published for anyone, without signing in: inputs, commitment, seed and result re-run to the same list.
    let (status, public) = hq.get_as(None, &format!("/api/v1/public/draws/1/{id}"));
    assert_eq!(status, 200, "{public}");
    assert_eq!((public["bureau"].as_str(), public["seed"].as_str(), public["seedCommitment"].as_str()), (Some("鼓楼区市场监督管理局"), Some(seed), Some(commitment.as_str())));
    let published: xuncha::draw::DrawInputs = serde_json::from_value(public["inputs"].clone()).unwrap();
    assert_eq!(serde_json::to_value(xuncha::draw::rerun(&published, seed, &commitment).unwrap()).unwrap(), public["result"]);
    assert_eq!(hq.get_as(None, &format!("/api/v1/public/draws/2/{id}")).0, 404, "another bureau has no such plan");

    // Every target drawn, each with two of the three; 王 never to the one he must avoid.
    let picks = drawn["result"]["matters"][0]["picked"].as_array().unwrap().clone();
    assert_eq!(picks.len(), 6);
    let of = |cert: &str| picks.iter().filter(|p| p["inspectors"].as_array().unwrap().iter().any(|c| c == cert)).map(|p| p["creditCode"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert!(!of("35010019500").contains(&credit_code(2)));
    // chen and li each pull exactly their own tasks; zhao of bureau 2 none; a known version travels no more.
    for (login, cert) in [("chen", "35010019001"), ("li", "35010019999")] {
        let token = hq.login(login).unwrap();
        let tasks = hq.pull_tasks(&token, None);
        let mine: Vec<String> = tasks["tasks"].as_array().unwrap().iter().map(|t| t["target"]["creditCode"].as_str().unwrap().to_string()).collect();
        assert_eq!(mine, of(cert), "{login}");
        assert!(tasks["tasks"].as_array().unwrap().iter().all(|t| t["inspectors"].as_array().unwrap().iter().any(|i| i["certificateNo"] == cert)));
        assert!(hq.pull_tasks(&token, tasks["version"].as_str()).is_null(), "an unchanged list is not sent again");
    }
    let zhao = hq.login("zhao").unwrap();
    assert!(hq.pull_tasks(&zhao, None).is_null(), "no tasks, nothing sent");

    // chen finishes one task: the plan's progress and the publication list follow the visit.
    let chen_tasks = hq.pull_tasks(&hq.officer, None);
    let task = chen_tasks["tasks"][0].clone();
    let mut v = visit(900);
    v["taskId"] = task["id"].clone();
    v["operator"]["creditCode"] = task["target"]["creditCode"].clone();
    let (status, pushed) = hq.push(vec![change(&v, None, rev(900))]);
    assert_eq!((status, pushed["results"][0]["status"].as_str()), (200, Some("accepted")), "{pushed}");
    let (_, detail) = hq.get_as(Some(&staff), &format!("/api/v1/staff/plans/{id}"));
    assert_eq!(detail["progress"]["done"], json!(1), "{}", detail["progress"]);
    let row = detail["progress"]["tasks"].as_array().unwrap().iter().find(|t| t["taskId"] == task["id"]).unwrap().clone();
    assert_eq!((row["state"].as_str(), row["visitId"].clone()), (Some("done"), v["id"].clone()));
    assert!(row["publishBy"].as_str().unwrap() > row["resultOn"].as_str().unwrap());
    let (_, listed) = hq.get_as(Some(&staff), "/api/v1/staff/plans");
    assert_eq!(listed["plans"][0]["progress"]["done"], json!(1));
    let (status, csv) = hq.get_text_as(&staff, &format!("/api/v1/staff/plans/{id}/publication.csv"));
    assert_eq!(status, 200);
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[1].contains(task["target"]["creditCode"].as_str().unwrap()) && lines[1].contains(row["publishBy"].as_str().unwrap()), "{csv}");

    // The result is to be published: a time limit on the deadlines board until staff record it published.
    let (_, board) = hq.get_as(Some(&staff), "/api/v1/staff/deadlines");
    let on_board = |board: &Value| board["deadlines"].as_array().unwrap().iter().any(|d| d["deadline"]["kind"] == "publication" && d["deadline"]["itemId"] == task["id"]);
    assert!(on_board(&board), "{board}");
    let (status, marked) = hq.post_as(Some(&staff), &format!("/api/v1/staff/plans/{id}/published"), &json!({ "on": "2999-01-01" }).to_string());
    assert_eq!((status, marked["code"].as_str()), (422, Some("FUTURE_DATE")));
    // (The fixture visit was finalised in March: published that day, on time; published today it would be late.)
    let (status, marked) = hq.post_as(Some(&staff), &format!("/api/v1/staff/plans/{id}/published"), &json!({ "on": row["resultOn"] }).to_string());
    assert_eq!((status, marked["published"].as_u64()), (200, Some(1)), "{marked}");
    let (_, board) = hq.get_as(Some(&staff), "/api/v1/staff/deadlines");
    assert!(!on_board(&board), "published: off the board");
    let (_, detail) = hq.get_as(Some(&staff), &format!("/api/v1/staff/plans/{id}"));
    let row = detail["progress"]["tasks"].as_array().unwrap().iter().find(|t| t["taskId"] == task["id"]).unwrap().clone();
    assert_eq!(row["publication"]["status"], json!("metOnTime"));

    // Drawing again needs a reason; the earlier draw is kept with it and the tasks withdrawn.
    let (status, r) = hq.post_as(Some(&staff), &format!("/api/v1/staff/plans/{id}/redraw"), &json!({ "reason": "" }).to_string());
    assert_eq!((status, r["code"].as_str()), (422, Some("REASON_REQUIRED")));
    let (status, r) = hq.post_as(Some(&staff), &format!("/api/v1/staff/plans/{id}/redraw"), &json!({ "reason": "名录库漏录两户，补录后重新抽取" }).to_string());
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["plan"]["redraws"][0]["seed"], json!(seed));
    assert_eq!(r["plan"]["redraws"][0]["reason"], json!("名录库漏录两户，补录后重新抽取"));
    assert!(r["plan"]["seed"].is_null() && r["plan"]["seedCommitment"] != json!(commitment), "{r}");
    assert_eq!(hq.pull_tasks(&hq.officer, chen_tasks["version"].as_str())["tasks"], json!([]), "a tablet holding withdrawn tasks is told they are gone");

    // The yearly inspection cap: one visit of that operator this year, a cap of one — drawing it again would pass it.
    let visited = task["target"]["creditCode"].clone();
    assert_eq!(hq.put_as(&staff, "/api/v1/staff/inspection-cap", "application/json", &json!({ "cap": 0 }).to_string()).1["code"], json!("BAD_CAP"));
    // (A list of the fields is not the object the document asks for: Schemathesis found serde reading one.)
    assert_eq!(hq.put_as(&staff, "/api/v1/staff/inspection-cap", "application/json", "[null]").0, 422);
    // …and so is every other body HQ takes: a sign-in or a push as a list of fields is refused alike.
    let (status, listed) = hq.post_as(None, "/api/v1/auth/login", &json!(["chen", PASSWORD, "tablet-9"]).to_string());
    assert_eq!((status, listed["code"].as_str()), (422, Some("BAD_SHAPE")), "{listed}");
    let (status, listed) = hq.post_as(Some(&staff), "/api/v1/sync/push", &json!([1, "tablet-1", []]).to_string());
    assert_eq!((status, listed["code"].as_str()), (422, Some("BAD_SHAPE")), "{listed}");
    assert_eq!(hq.put_as(&staff, "/api/v1/staff/inspection-cap", "application/json", &json!({ "cap": 1 }).to_string()).0, 200);
    let (_, watch) = hq.get_as(Some(&staff), "/api/v1/staff/inspections?year=2026");
    assert_eq!((watch["cap"].as_u64(), watch["overCap"].clone()), (Some(1), json!([])), "{watch}");
    let (status, drawn) = hq.post_as(Some(&staff), &format!("/api/v1/staff/plans/{id}/draw"), "");
    assert_eq!(status, 200, "{drawn}");
    let over: Vec<String> = drawn["overCap"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect();
    assert_eq!(over, vec![format!("{id}:JL-001:{}", visited.as_str().unwrap())], "only the operator already inspected this year");
    // (Each target has two of the three inspectors, and 王 has no account: chen or li is among them.)
    let li = hq.login("li").unwrap();
    let warned: Vec<Value> =
        [hq.officer.clone(), li].iter().flat_map(|t| hq.pull_tasks(t, None)["tasks"].as_array().cloned().unwrap_or_default()).filter(|t| t["target"]["creditCode"] == visited).collect();
    assert!(!warned.is_empty());
    for t in warned {
        assert_eq!((t["overCap"].clone(), t["inspectedThisYear"].clone(), t["lastInspected"].clone()), (json!(true), json!(1), json!("2026-03-10")), "the tablet is told offline");
    }
    // A second visit of it this year: the console's watch list names it.
    let mut again = visit(901);
    again["operator"]["creditCode"] = visited.clone();
    assert_eq!(hq.push(vec![change(&again, None, rev(901))]).1["results"][0]["status"], json!("accepted"));
    let (_, watch) = hq.get_as(Some(&staff), "/api/v1/staff/inspections?year=2026");
    assert_eq!((watch["overCap"][0]["creditCode"].clone(), watch["overCap"][0]["count"].clone()), (visited, json!(2)), "{watch}");
}
