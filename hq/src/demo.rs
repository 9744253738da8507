//! A demo bureau, so a newcomer sees every screen filled in: a year of visits
//! (the core's generated bureau-year, up to yesterday) by two officers, with
//! lab results entered by a clerk and re-inspections recorded by the officers,
//! all written the way a tablet and the console write them — signed by a demo
//! tablet's key, authorised, judged and chained by the same store. The bureau
//! is named as demo data everywhere it shows.

use base64::Engine;
use p256::pkcs8::EncodePublicKey;
use serde_json::Value;
use xuncha::sync::{Change, ChangeStatus, RecordKind, RecordSignature};
use xuncha::time::Timestamp;

use crate::store::{Role, Store, StoreError, User};

/// The demo's name: part of the bureau's name, shown on every console screen.
pub const DEMO_BUREAU: &str = "示例区市场监督管理局（演示数据）";

/// Who can sign in to the demo, and what was written.
pub struct Demo {
    pub accounts: Vec<(String, String, &'static str)>,
    pub accepted: usize,
    pub refused: usize,
}

const OFFICERS: [(&str, &str, &str); 2] = [("demo-chen", "陈演示", "DEMO-0001"), ("demo-wang", "王演示", "DEMO-0002")];
const CLERK: (&str, &str) = ("demo-clerk", "李演示");

/// Seed a demo bureau with about `visits` visits of the last twelve months (as of `now`).
pub fn seed(store: &Store, visits: usize, now: Timestamp) -> Result<Demo, StoreError> {
    let bureau_id = store.create_bureau(DEMO_BUREAU)?;
    let password = random_password();
    let mut users = Vec::new();
    for (login, name, cert) in OFFICERS {
        let id = store.create_user(bureau_id, login, &password, Role::Officer, name, Some(cert))?;
        users.push(User { id, bureau_id, login: login.into(), name: name.into(), role: Role::Officer, certificate_no: Some(cert.into()), disabled: false });
    }
    let clerk_id = store.create_user(bureau_id, CLERK.0, &password, Role::Staff, CLERK.1, None)?;
    let clerk = User { id: clerk_id, bureau_id, login: CLERK.0.into(), name: CLERK.1.into(), role: Role::Staff, certificate_no: None, disabled: false };

    // The demo tablet's key, registered as a tablet registers its own at sign-in.
    let mut seed = [0u8; 32];
    argon2::password_hash::rand_core::RngCore::fill_bytes(&mut argon2::password_hash::rand_core::OsRng, &mut seed);
    let key = p256::ecdsa::SigningKey::from_slice(&seed).map_err(|e| StoreError::corrupt(format!("demo key: {e}")))?;
    let spki = key.verifying_key().to_public_key_der().map_err(|e| StoreError::corrupt(format!("demo key: {e}")))?.into_vec();
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let device = "demo-tablet";
    let key_id = store.register_key(&users[0], device, "ECDSA-P256-SHA256", &b64(&spki), now)?.map_err(|e| StoreError::corrupt(format!("demo key refused: {e}")))?;

    // The last twelve months: this year's visits up to yesterday, and last year's after this day.
    let today = now.date_naive();
    let year = chrono::Datelike::year(&today);
    let this_year = xuncha::dataset::generate(20_260_101, visits, year);
    let mut last_year = xuncha::dataset::generate(20_250_101, visits, year - 1);
    // The generator numbers its records from one: last year's get ids of their own.
    renumber(&mut last_year, now);
    let day_of = |v: &xuncha::Visit| v.started_at.map(|t| t.date_naive());
    let last_year_from = today.with_year_minus_one();
    let keep = |v: &&xuncha::Visit| day_of(v).is_some_and(|d| d < today && d > last_year_from);
    let chosen: Vec<&xuncha::Visit> = this_year.visits.iter().chain(last_year.visits.iter()).filter(keep).collect();
    let ids: std::collections::HashSet<&str> = chosen.iter().filter_map(|v| v.id.as_deref()).collect();

    let sign = |id: &str, sha256: &str| {
        let sig: p256::ecdsa::Signature = p256::ecdsa::signature::Signer::sign(&key, xuncha::sync::signed_message(id, sha256).as_bytes());
        RecordSignature { key_id: key_id.clone(), algorithm: "ECDSA-P256-SHA256".into(), value: b64(&sig.to_bytes()) }
    };
    let change = |kind: RecordKind, record: Value, signed: bool| -> Change {
        let id = record["id"].as_str().unwrap_or_default().to_string();
        let sha256 = xuncha::sync::content_sha256(&record);
        let signature = signed.then(|| sign(&id, &sha256));
        Change { kind, id, base_revision: None, revision: new_uuid(now), sha256, record, signature }
    };

    // The visits: every one by the two demo officers, finalised on the demo tablet.
    let officers: Value = OFFICERS.iter().map(|(_, name, cert)| serde_json::json!({ "name": name, "certificateNo": cert })).collect();
    let visit_changes: Vec<Change> = chosen
        .iter()
        .filter_map(|v| serde_json::to_value(v).ok())
        .map(|mut v| {
            v["officers"] = officers.clone();
            change(RecordKind::Visit, v, true)
        })
        .collect();
    // The lab results, entered by the clerk; the re-inspections, recorded by an officer.
    let follow_ups: Vec<Change> = this_year
        .follow_ups
        .iter()
        .chain(last_year.follow_ups.iter())
        .filter(|f| f.visit_id.as_deref().is_some_and(|v| ids.contains(v)))
        .filter_map(|f| serde_json::to_value(f).ok())
        // A result the generator dated after today has not come yet.
        .filter(|f| xuncha::check_follow_up(f.clone(), now).report.ok)
        .map(|f| change(RecordKind::SampleFollowUp, f, false))
        .collect();
    let mut rechecks: std::collections::BTreeMap<(String, xuncha::time::Date), Vec<Value>> = Default::default();
    for r in this_year.rectifications.iter().chain(last_year.rectifications.iter()).filter(|r| ids.contains(r.visit_id.as_str()) && r.rectified_on < today) {
        rechecks.entry((r.visit_id.clone(), r.rectified_on)).or_default().push(serde_json::json!({ "findingCode": r.finding_code, "path": r.path, "outcome": "rectified" }));
    }
    let rectifications: Vec<Change> = rechecks
        .into_iter()
        .map(|((visit_id, day), items)| {
            let record = serde_json::json!({ "schemaVersion": xuncha::visit::SCHEMA_VERSION, "id": new_uuid(now), "visitId": visit_id, "method": "onSite", "checkedOn": day, "items": items, "attachments": [] });
            change(RecordKind::Rectification, record, false)
        })
        .collect();

    let mut demo = Demo { accounts: Vec::new(), accepted: 0, refused: 0 };
    for (changes, user) in [(visit_changes, &users[0]), (follow_ups, &clerk), (rectifications, &users[0])] {
        for chunk in changes.chunks(500) {
            let validated = chunk.iter().map(|c| xuncha::sync::validate_change(c, now)).collect();
            for result in store.apply_all(chunk, validated, user, device, now)? {
                match result.status {
                    ChangeStatus::Accepted | ChangeStatus::AlreadyApplied => demo.accepted += 1,
                    _ => {
                        if demo.refused < 5 {
                            eprintln!("a demo record refused: {:?} {:?} {:?}", result.status, result.reason, result.problems.iter().map(|p| (&p.code, &p.path)).collect::<Vec<_>>());
                        }
                        demo.refused += 1
                    }
                }
            }
        }
    }
    demo_lists(store, bureau_id, &chosen, clerk_id, now)?;
    demo.accounts = OFFICERS.iter().map(|(login, name, _)| (login.to_string(), name.to_string(), "officer")).collect();
    demo.accounts.push((CLERK.0.into(), CLERK.1.into(), "staff"));
    demo.accounts.iter_mut().for_each(|a| a.1 = format!("{} / {password}", a.1));
    Ok(demo)
}

/// The 双随机 lists of the demo bureau, so a clerk can plan and draw at once:
/// the operators its visits name (categories from what was checked there, one
/// in ten a key unit), the two officers and four colleagues without accounts
/// (two with a special-equipment certificate), and four matters.
fn demo_lists(store: &Store, bureau_id: i64, visits: &[&xuncha::Visit], clerk_id: i64, now: Timestamp) -> Result<(), StoreError> {
    use serde_json::json;
    use xuncha::draw::directory::{check_list, ListKind};
    let mut targets: std::collections::BTreeMap<String, Value> = Default::default();
    for v in visits {
        let Some(op) = v.operator.as_ref() else { continue };
        let Some(code) = op.credit_code.clone().filter(|c| xuncha::credit_code::check(c).is_ok()) else { continue };
        let entry = targets.entry(code.clone()).or_insert_with(|| {
            let key_unit = code.bytes().map(u32::from).sum::<u32>() % 10 == 0;
            json!({ "creditCode": code, "name": op.name.clone().unwrap_or_default(), "address": op.address, "market": v.site.as_ref().and_then(|s| s.market_id.clone()), "categories": [], "keyUnit": key_unit })
        });
        let categories = entry["categories"].as_array_mut().expect("a list");
        for (has, category) in
            [(!v.price_checks.is_empty(), "明码标价"), (!v.instrument_checks.is_empty(), "计量器具使用"), (!v.equipment_checks.is_empty(), "特种设备使用"), (!v.samples.is_empty(), "食品经营")]
        {
            if has && !categories.iter().any(|c| c == category) {
                categories.push(json!(category));
            }
        }
    }
    let mut inspectors: Vec<Value> = OFFICERS
        .iter()
        .map(|(_, name, cert)| json!({ "certificateNo": cert, "name": name, "certificates": ["行政执法证", "特种设备"], "available": true, "fields": ["价格", "计量", "特种设备", "食品"] }))
        .collect();
    for (i, (name, special)) in [("赵演示", true), ("钱演示", false), ("孙演示", true), ("周演示", false)].into_iter().enumerate() {
        let mut certificates = vec!["行政执法证"];
        if special {
            certificates.push("特种设备");
        }
        inspectors.push(json!({ "certificateNo": format!("DEMO-{:04}", i + 3), "name": name, "certificates": certificates, "available": true }));
    }
    let matters = json!([
        { "code": "SJ-JG-001", "title": "明码标价情况检查", "basis": "《价格法》第十三条；《明码标价和禁止价格欺诈规定》", "checkKinds": ["price"], "categories": ["明码标价"], "ratio": 0.05, "keyUnitRatio": 0.1 },
        { "code": "SJ-JL-001", "title": "计量器具使用情况检查", "basis": "《计量法》第九条", "checkKinds": ["metrology"], "categories": ["计量器具使用"], "ratio": 0.05, "keyUnitRatio": 0.1 },
        { "code": "SJ-TZ-001", "title": "特种设备使用单位常规监督检查", "basis": "《特种设备安全法》第五十七条；《特种设备监督检查办法》第八条", "checkKinds": ["equipment"], "categories": ["特种设备使用"], "ratio": 0.05, "keyUnitRatio": 0.3, "certificate": "特种设备", "sector": "specialEquipment" },
        { "code": "SJ-SP-001", "title": "食品经营者监督抽检", "basis": "《食品安全法》第八十七条", "checkKinds": ["sampling"], "categories": ["食品经营"], "ratio": 0.03, "keyUnitRatio": 0.1, "sector": "food" }
    ]);
    for (kind, entries) in [(ListKind::Targets, Value::Array(targets.into_values().collect())), (ListKind::Inspectors, Value::Array(inspectors)), (ListKind::Matters, matters)] {
        let list = check_list(kind, entries).map_err(|e| StoreError::corrupt(format!("demo list {}: {:?}", kind.key(), e.reasons)))?;
        store.put_list(bureau_id, kind.key(), &list.to_json().to_string(), clerk_id, now)?;
    }
    Ok(())
}

/// New ids for a generated set's records, with every reference to them moved along.
fn renumber(d: &mut xuncha::dataset::Dataset, now: Timestamp) {
    let mut ids: std::collections::HashMap<String, String> = Default::default();
    let mut moved = |id: &mut Option<String>| {
        if let Some(old) = id.take() {
            *id = Some(ids.entry(old).or_insert_with(|| new_uuid(now)).clone());
        }
    };
    for v in &mut d.visits {
        moved(&mut v.id);
        if let Some(a) = v.amends.as_mut() {
            moved(&mut a.original_id);
        }
    }
    for f in &mut d.follow_ups {
        moved(&mut f.id);
        moved(&mut f.visit_id);
    }
    for r in &mut d.rectifications {
        let mut id = Some(std::mem::take(&mut r.visit_id));
        moved(&mut id);
        r.visit_id = id.unwrap_or_default();
    }
}

trait YearBefore {
    fn with_year_minus_one(&self) -> Self;
}

impl YearBefore for xuncha::time::Date {
    /// The same day a year before (28 February for a 29th).
    fn with_year_minus_one(&self) -> Self {
        use chrono::Datelike;
        self.with_year(self.year() - 1).or_else(|| (*self - chrono::Days::new(1)).with_year(self.year() - 1)).unwrap_or(*self)
    }
}

fn new_uuid(now: Timestamp) -> String {
    let mut random = [0u8; 10];
    argon2::password_hash::rand_core::RngCore::fill_bytes(&mut argon2::password_hash::rand_core::OsRng, &mut random);
    xuncha::ids::uuid_v7(now.timestamp_millis() as u64, random)
}

/// Twelve letters and digits, printed once with the accounts.
fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 12];
    argon2::password_hash::rand_core::RngCore::fill_bytes(&mut argon2::password_hash::rand_core::OsRng, &mut bytes);
    bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect()
}
