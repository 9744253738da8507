//! 双随机 at HQ: each bureau's three lists (名录库, checked whole by the core
//! before they are stored), its plans (the inputs frozen when the plan is made,
//! the seed's commitment published with them, the seed revealed by the draw),
//! and the tasks a draw makes, with the inspectors each is assigned to in a
//! table of their own (an officer's tasks are matched exactly, never by
//! searching the task's text).

use serde::Serialize;
use xuncha::time::Timestamp;

use super::sql::{Cols, P, R};
use super::{Store, StoreError};

/// One of a bureau's lists as stored: the entries (JSON) and when they were last replaced.
#[derive(Clone, Debug)]
pub struct StoredList {
    pub body: String,
    pub updated_at: String,
}

/// A plan as HQ holds it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub id: String,
    pub title: String,
    /// The plan's period: from `starts` (when given) to `due`, the last day for its tasks.
    pub starts: Option<String>,
    pub due: String,
    /// Which batch of the year's plan this draw is (e.g. 第一批); each batch is drawn as a plan of its own.
    pub batch: Option<String>,
    pub created_at: String,
    pub inputs_sha256: String,
    pub seed_commitment: String,
    /// Revealed once drawn; kept secret until then.
    pub seed: Option<String>,
    pub drawn_at: Option<String>,
    /// Earlier draws of this plan, each with the reason it was drawn again.
    pub redraws: serde_json::Value,
    #[serde(skip)]
    pub inputs: String,
    #[serde(skip)]
    pub result: Option<String>,
}

const PLAN_COLUMNS: &str = "id, title, due, created_at, inputs_sha256, seed_commitment, seed, drawn_at, redraws, inputs, result, starts, batch";

fn read_plan(row: Vec<super::sql::V>) -> R<Plan> {
    let mut c = Cols::new(row);
    let (id, title, due, created_at, inputs_sha256, seed_commitment, seed) = (c.text()?, c.text()?, c.text()?, c.text()?, c.text()?, c.text()?, c.text()?);
    let drawn_at = c.opt_text()?;
    let redraws = c.json()?;
    let inputs = c.text()?;
    let result = c.opt_text()?;
    let (starts, batch) = (c.opt_text()?, c.opt_text()?);
    // The seed stays at HQ until the draw reveals it.
    let seed = drawn_at.is_some().then_some(seed);
    Ok(Plan { id, title, starts, due, batch, created_at, inputs_sha256, seed_commitment, seed, drawn_at, redraws, inputs, result })
}

/// A new plan: its inputs frozen, the seed's commitment to publish.
pub struct NewPlan<'a> {
    pub title: &'a str,
    pub starts: Option<&'a str>,
    pub batch: Option<&'a str>,
    pub due: &'a str,
    pub inputs: &'a str,
    pub inputs_sha256: &'a str,
    pub seed: &'a str,
    pub seed_commitment: &'a str,
}

/// A task made by a draw, with the certificate numbers of its inspectors.
pub struct NewTask {
    pub id: String,
    pub body: String,
    pub inspectors: Vec<String>,
}

impl Store {
    /// Replace one of the bureau's lists (already checked whole by the core).
    pub fn put_list(&self, bureau_id: i64, list: &str, body: &str, user_id: i64, now: Timestamp) -> R<()> {
        self.write(Some(bureau_id), |tx| {
            tx.exec(
                "INSERT INTO directories (bureau_id, list, body, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (bureau_id, list) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                &[P::Int(bureau_id), P::Text(list), P::Text(body), P::Text(&now.to_rfc3339()), P::Int(user_id)],
            )?;
            Ok(())
        })
    }

    /// One of the bureau's lists, if it was ever given.
    pub fn list(&self, bureau_id: i64, list: &str) -> R<Option<StoredList>> {
        self.read(|tx| {
            let Some(row) = tx.row("SELECT body, updated_at FROM directories WHERE bureau_id = ?1 AND list = ?2", &[P::Int(bureau_id), P::Text(list)])? else { return Ok(None) };
            let mut c = Cols::new(row);
            Ok(Some(StoredList { body: c.text()?, updated_at: c.text()? }))
        })
    }

    /// Make a plan; its id is `{year}-{n}`, n counting the bureau's plans of that year.
    pub fn create_plan(&self, bureau_id: i64, plan: NewPlan, now: Timestamp) -> R<String> {
        self.write(Some(bureau_id), |tx| {
            let year = now.format("%Y").to_string();
            let n = tx.int("SELECT COUNT(*) FROM plans WHERE bureau_id = ?1 AND id LIKE ?2", &[P::Int(bureau_id), P::Text(&format!("{year}-%"))])? + 1;
            let id = format!("{year}-{n:03}");
            tx.exec(
                "INSERT INTO plans (bureau_id, id, title, due, created_at, inputs, inputs_sha256, seed, seed_commitment, redraws, starts, batch) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, '[]', ?10, ?11)",
                &[
                    P::Int(bureau_id),
                    P::Text(&id),
                    P::Text(plan.title),
                    P::Text(plan.due),
                    P::Text(&now.to_rfc3339()),
                    P::Text(plan.inputs),
                    P::Text(plan.inputs_sha256),
                    P::Text(plan.seed),
                    P::Text(plan.seed_commitment),
                    P::OptText(plan.starts),
                    P::OptText(plan.batch),
                ],
            )?;
            Ok(id)
        })
    }

    /// The bureau's plans, newest first.
    pub fn plans(&self, bureau_id: i64) -> R<Vec<Plan>> {
        self.read(|tx| tx.rows(&format!("SELECT {PLAN_COLUMNS} FROM plans WHERE bureau_id = ?1 ORDER BY created_at DESC, id DESC"), &[P::Int(bureau_id)])?.into_iter().map(read_plan).collect())
    }

    pub fn plan(&self, bureau_id: i64, id: &str) -> R<Option<Plan>> {
        self.read(|tx| tx.row(&format!("SELECT {PLAN_COLUMNS} FROM plans WHERE bureau_id = ?1 AND id = ?2"), &[P::Int(bureau_id), P::Text(id)])?.map(read_plan).transpose())
    }

    /// The seed kept for a plan not yet drawn (never shown before the draw).
    pub fn plan_seed(&self, bureau_id: i64, id: &str) -> R<Option<String>> {
        self.read(|tx| tx.row("SELECT seed FROM plans WHERE bureau_id = ?1 AND id = ?2", &[P::Int(bureau_id), P::Text(id)])?.map(|r| Cols::new(r).text()).transpose())
    }

    /// Record a draw and the tasks it made — once: false when the plan was drawn already.
    pub fn record_draw(&self, bureau_id: i64, id: &str, result: &str, tasks: &[NewTask], now: Timestamp) -> R<bool> {
        self.write(Some(bureau_id), |tx| {
            let changed = tx.exec(
                "UPDATE plans SET result = ?1, drawn_at = ?2 WHERE bureau_id = ?3 AND id = ?4 AND drawn_at IS NULL",
                &[P::Text(result), P::Text(&now.to_rfc3339()), P::Int(bureau_id), P::Text(id)],
            )?;
            if changed == 0 {
                return Ok(false);
            }
            for t in tasks {
                tx.exec("INSERT INTO tasks (bureau_id, id, plan_id, body) VALUES (?1, ?2, ?3, ?4)", &[P::Int(bureau_id), P::Text(&t.id), P::Text(id), P::Text(&t.body)])?;
                for cert in &t.inspectors {
                    tx.exec("INSERT INTO task_inspectors (bureau_id, task_id, certificate_no) VALUES (?1, ?2, ?3)", &[P::Int(bureau_id), P::Text(&t.id), P::Text(cert)])?;
                }
            }
            Ok(true)
        })
    }

    /// Set a drawn plan up to be drawn again: the earlier draw is kept in its
    /// history with the reason, its tasks withdrawn, the inputs frozen anew and
    /// a new seed committed. False when the plan was not drawn.
    pub fn prepare_redraw(&self, bureau_id: i64, id: &str, reason: &str, plan: NewPlan, now: Timestamp) -> R<bool> {
        self.write(Some(bureau_id), |tx| {
            let Some(row) = tx.row(&format!("SELECT {PLAN_COLUMNS} FROM plans WHERE bureau_id = ?1 AND id = ?2"), &[P::Int(bureau_id), P::Text(id)])? else { return Ok(false) };
            let old = read_plan(row)?;
            let (Some(seed), Some(drawn_at)) = (old.seed.clone(), old.drawn_at.clone()) else { return Ok(false) };
            let mut redraws = match old.redraws {
                serde_json::Value::Array(a) => a,
                other => return Err(StoreError::corrupt(format!("plan {id}'s redraws are {other}, not a list"))),
            };
            redraws.push(serde_json::json!({
                "reason": reason, "at": now.to_rfc3339(), "drawnAt": drawn_at, "seed": seed,
                "seedCommitment": old.seed_commitment, "inputsSha256": old.inputs_sha256,
                "result": old.result.as_deref().map(serde_json::from_str::<serde_json::Value>).transpose().map_err(|e| StoreError::corrupt(format!("plan {id}'s result: {e}")))?,
            }));
            tx.exec("DELETE FROM task_inspectors WHERE bureau_id = ?1 AND task_id IN (SELECT id FROM tasks WHERE bureau_id = ?1 AND plan_id = ?2)", &[P::Int(bureau_id), P::Text(id)])?;
            tx.exec("DELETE FROM tasks WHERE bureau_id = ?1 AND plan_id = ?2", &[P::Int(bureau_id), P::Text(id)])?;
            tx.exec(
                "UPDATE plans SET inputs = ?1, inputs_sha256 = ?2, seed = ?3, seed_commitment = ?4, result = NULL, drawn_at = NULL, redraws = ?5, due = ?6 WHERE bureau_id = ?7 AND id = ?8",
                &[
                    P::Text(plan.inputs),
                    P::Text(plan.inputs_sha256),
                    P::Text(plan.seed),
                    P::Text(plan.seed_commitment),
                    P::Text(&serde_json::Value::Array(redraws).to_string()),
                    P::Text(plan.due),
                    P::Int(bureau_id),
                    P::Text(id),
                ],
            )?;
            Ok(true)
        })
    }

    /// A plan's tasks (JSON), in the draw's order.
    pub fn plan_tasks(&self, bureau_id: i64, plan_id: &str) -> R<Vec<String>> {
        self.read(|tx| tx.rows("SELECT body FROM tasks WHERE bureau_id = ?1 AND plan_id = ?2 ORDER BY seq", &[P::Int(bureau_id), P::Text(plan_id)])?.into_iter().map(|r| Cols::new(r).text()).collect())
    }

    /// How many inspections a year an operator may have in this bureau (none: no cap).
    pub fn inspection_cap(&self, bureau_id: i64) -> R<Option<u32>> {
        self.read(|tx| {
            let row = tx.row("SELECT inspection_cap FROM bureaus WHERE id = ?1", &[P::Int(bureau_id)])?.ok_or_else(|| StoreError::corrupt(format!("no bureau {bureau_id}")))?;
            Ok(Cols::new(row).opt_int()?.map(|n| n.clamp(0, u32::MAX as i64) as u32))
        })
    }

    pub fn set_inspection_cap(&self, bureau_id: i64, cap: Option<u32>) -> R<()> {
        self.write(Some(bureau_id), |tx| {
            match cap {
                Some(n) => tx.exec("UPDATE bureaus SET inspection_cap = ?1 WHERE id = ?2", &[P::Int(n as i64), P::Int(bureau_id)])?,
                None => tx.exec("UPDATE bureaus SET inspection_cap = NULL WHERE id = ?1", &[P::Int(bureau_id)])?,
            };
            Ok(())
        })
    }

    /// Every task of the bureau (JSON), plan by plan, in the draws' order.
    pub fn bureau_tasks(&self, bureau_id: i64) -> R<Vec<String>> {
        self.read(|tx| tx.rows("SELECT body FROM tasks WHERE bureau_id = ?1 ORDER BY seq", &[P::Int(bureau_id)])?.into_iter().map(|r| Cols::new(r).text()).collect())
    }

    /// The day each task's result was published, by task id.
    pub fn publications(&self, bureau_id: i64) -> R<std::collections::HashMap<String, xuncha::time::Date>> {
        self.read(|tx| {
            tx.rows("SELECT task_id, published_on FROM task_publications WHERE bureau_id = ?1", &[P::Int(bureau_id)])?
                .into_iter()
                .map(|r| {
                    let mut c = Cols::new(r);
                    let (id, on) = (c.text()?, c.text()?);
                    let on = on.parse().map_err(|_| StoreError::corrupt(format!("task {id} was published on {on:?}")))?;
                    Ok((id, on))
                })
                .collect()
        })
    }

    /// Record that these tasks' results were published on `on` (a task published before keeps its day).
    pub fn mark_published(&self, bureau_id: i64, task_ids: &[String], on: xuncha::time::Date, user_id: i64, now: Timestamp) -> R<usize> {
        self.write(Some(bureau_id), |tx| {
            let mut n = 0;
            for id in task_ids {
                n += tx.exec(
                    "INSERT INTO task_publications (bureau_id, task_id, published_on, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                    &[P::Int(bureau_id), P::Text(id), P::Text(&on.to_string()), P::Int(user_id), P::Text(&now.to_rfc3339())],
                )? as usize;
            }
            Ok(n)
        })
    }

    /// The tasks an officer is assigned to (JSON), by certificate number, matched exactly.
    pub fn officer_tasks(&self, bureau_id: i64, certificate_no: &str) -> R<Vec<String>> {
        self.read(|tx| {
            tx.rows(
                "SELECT t.body FROM tasks t JOIN task_inspectors i ON i.bureau_id = t.bureau_id AND i.task_id = t.id WHERE t.bureau_id = ?1 AND i.certificate_no = ?2 ORDER BY t.seq",
                &[P::Int(bureau_id), P::Text(certificate_no)],
            )?
            .into_iter()
            .map(|r| Cols::new(r).text())
            .collect()
        })
    }
}

/// The migration that makes these tables (schema.rs lists it).
pub const MIGRATION: &str = "CREATE TABLE directories (
        bureau_id INTEGER NOT NULL,
        list TEXT NOT NULL,
        body TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by INTEGER NOT NULL,
        PRIMARY KEY (bureau_id, list)
    );
    CREATE TABLE plans (
        bureau_id INTEGER NOT NULL,
        id TEXT NOT NULL,
        title TEXT NOT NULL,
        due TEXT NOT NULL,
        created_at TEXT NOT NULL,
        inputs TEXT NOT NULL,
        inputs_sha256 TEXT NOT NULL,
        seed TEXT NOT NULL,
        seed_commitment TEXT NOT NULL,
        result TEXT,
        drawn_at TEXT,
        redraws TEXT NOT NULL,
        starts TEXT,
        batch TEXT,
        PRIMARY KEY (bureau_id, id)
    );
    CREATE TABLE tasks (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        bureau_id INTEGER NOT NULL,
        id TEXT NOT NULL,
        plan_id TEXT NOT NULL,
        body TEXT NOT NULL,
        UNIQUE (bureau_id, id)
    );
    CREATE TABLE task_inspectors (
        bureau_id INTEGER NOT NULL,
        task_id TEXT NOT NULL,
        certificate_no TEXT NOT NULL,
        PRIMARY KEY (bureau_id, task_id, certificate_no)
    );
    CREATE INDEX task_inspectors_by_certificate ON task_inspectors (bureau_id, certificate_no);
    CREATE TABLE task_publications (
        bureau_id INTEGER NOT NULL,
        task_id TEXT NOT NULL,
        published_on TEXT NOT NULL,
        recorded_by INTEGER NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (bureau_id, task_id)
    );
    ALTER TABLE bureaus ADD COLUMN inspection_cap INTEGER;";
