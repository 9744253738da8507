//! xuncha-hq: the bureau's system of record. Tablets push their records here
//! and pull what HQ has for them; every record is re-validated with the same
//! core the tablet runs.
//!
//! `xuncha-hq [--listen 127.0.0.1:8080] [--data-dir hq-data | --database-url postgres://…] [--site DIR] [--token-ttl-secs N]`
//! `xuncha-hq admin [--data-dir DIR | --database-url URL] create-bureau NAME`
//! `xuncha-hq admin [--data-dir DIR | --database-url URL] create-user --bureau ID --login L --role officer|staff [--name N] [--certificate C] [--password P]`
//!   (without `--password`, the password is read from the first line of standard input)
//! `xuncha-hq admin [--data-dir DIR | --database-url URL] publish-rulebook FILE` · `publish-templates FILE`
//! `xuncha-hq admin … list-tokens [--login L]` · `revoke-tokens --login L [--device D] [--token ID]`
//! `xuncha-hq admin … disable-user --login L` (revokes its tokens) · `enable-user --login L`
//! `xuncha-hq admin … revoke-device --device D` · `set-document-prefix --bureau ID --prefix P` · `check-chain --bureau ID`
//! `xuncha-hq draw new-seed` · `draw run --inputs FILE --seed HEX [--commitment HEX]` (a 双随机 draw, re-run by anyone)
//!
//! One log line per request goes to standard error (`XUNCHA_LOG=warn` or `off`
//! quietens it; `XUNCHA_LOG_FORMAT=json` for a log collector).
//!
//! Without `--database-url` (or `XUNCHA_DATABASE_URL`), HQ keeps everything in
//! `xuncha.sqlite` under the data directory; with it, in PostgreSQL, so that
//! several HQ processes can serve one bureau behind a load balancer.

mod api;
mod demo;
mod signing;
mod store;

use std::path::PathBuf;

fn usage() -> ! {
    eprintln!(
        "usage: xuncha-hq [--listen ADDR:PORT] [--data-dir DIR | --database-url URL] [--db-pool N] [--site DIR] [--token-ttl-secs N]\n       \
         xuncha-hq admin [--data-dir DIR | --database-url URL] create-bureau NAME\n       \
         xuncha-hq admin [--data-dir DIR | --database-url URL] create-user --bureau ID --login L --role officer|staff [--name N] [--certificate C] [--password P]\n       \
         xuncha-hq admin [--data-dir DIR | --database-url URL] publish-rulebook FILE\n       \
         xuncha-hq admin [--data-dir DIR | --database-url URL] publish-templates FILE\n       \
         xuncha-hq admin [--data-dir DIR | --database-url URL] list-tokens [--login L]\n       \
         xuncha-hq admin [--data-dir DIR | --database-url URL] revoke-tokens --login L [--device D] [--token ID]\n       \
         xuncha-hq admin [--data-dir DIR | --database-url URL] disable-user --login L\n       \
         xuncha-hq admin [--data-dir DIR | --database-url URL] enable-user --login L\n       \
         xuncha-hq admin [--data-dir DIR | --database-url URL] revoke-device --device D\n       \
         xuncha-hq admin [--data-dir DIR | --database-url URL] set-document-prefix --bureau ID --prefix P\n       \
         xuncha-hq admin [--data-dir DIR | --database-url URL] check-chain --bureau ID\n       \
         xuncha-hq admin [--data-dir DIR | --database-url URL] seed-demo [--visits N]\n       \
         xuncha-hq admin [--data-dir DIR | --database-url URL] check-digests [--period P] [--as-of YYYY-MM-DD]\n       \
         xuncha-hq draw new-seed\n       \
         xuncha-hq draw run --inputs FILE --seed HEX [--commitment HEX]"
    );
    std::process::exit(2)
}

/// Where the data lives: PostgreSQL when a URL is given, else the SQLite file.
struct Database {
    data_dir: PathBuf,
    url: Option<String>,
    pool: u32,
}

impl Database {
    fn from_env() -> Database {
        Database { data_dir: PathBuf::from("hq-data"), url: std::env::var("XUNCHA_DATABASE_URL").ok().filter(|u| !u.is_empty()), pool: 8 }
    }

    /// Take `--data-dir` / `--database-url` / `--db-pool` if `flag` is one; true if it was.
    fn flag(&mut self, flag: &str, args: &mut impl Iterator<Item = String>) -> bool {
        match flag {
            "--data-dir" => self.data_dir = args.next().map(PathBuf::from).unwrap_or_else(|| usage()),
            "--database-url" => self.url = Some(args.next().unwrap_or_else(|| usage())),
            "--db-pool" => self.pool = args.next().and_then(|v| v.parse().ok()).filter(|n| *n > 0).unwrap_or_else(|| usage()),
            _ => return false,
        }
        true
    }

    /// Where, for the log (without a password).
    fn describe(&self) -> String {
        match &self.url {
            Some(url) => match url.parse::<postgres::Config>() {
                Ok(c) => format!("PostgreSQL database {}", c.get_dbname().unwrap_or("(default)")),
                Err(_) => "PostgreSQL".into(),
            },
            None => self.data_dir.join("xuncha.sqlite").display().to_string(),
        }
    }

    fn open(&self) -> store::Store {
        let opened = match &self.url {
            Some(url) => store::Store::connect_postgres(url, self.pool),
            None => {
                if let Err(e) = std::fs::create_dir_all(&self.data_dir) {
                    eprintln!("cannot create the data directory {}: {e}", self.data_dir.display());
                    std::process::exit(1);
                }
                store::Store::open_sqlite(&self.data_dir.join("xuncha.sqlite"))
            }
        };
        opened.unwrap_or_else(|e| {
            eprintln!("cannot open the database ({}): {e}", self.describe());
            std::process::exit(1)
        })
    }
}

/// `admin …`: create a bureau or an account.
fn admin(mut args: impl Iterator<Item = String>) {
    let mut database = Database::from_env();
    let mut rest = Vec::new();
    while let Some(a) = args.next() {
        if !database.flag(&a, &mut args) {
            rest.push(a);
        }
    }
    let store = database.open();
    let mut it = rest.into_iter();
    match it.next().as_deref() {
        Some("create-bureau") => {
            let name = it.next().unwrap_or_else(|| usage());
            match store.create_bureau(&name) {
                Ok(id) => println!("{id}"),
                Err(e) => {
                    eprintln!("cannot create the bureau: {e}");
                    std::process::exit(1);
                }
            }
        }
        Some("seed-demo") => {
            let visits = match (it.next().as_deref(), it.next()) {
                (None, _) => 1500,
                (Some("--visits"), Some(n)) => n.parse().unwrap_or_else(|_| usage()),
                _ => usage(),
            };
            match demo::seed(&store, visits, api::now()) {
                Ok(d) => {
                    println!("demo bureau: {} ({} records written, {} refused)", demo::DEMO_BUREAU, d.accepted, d.refused);
                    for (login, name_and_password, role) in &d.accounts {
                        println!("  {role:<8} {login:<12} {name_and_password}");
                    }
                }
                Err(e) => {
                    eprintln!("cannot seed the demo bureau: {e}");
                    std::process::exit(1);
                }
            }
        }
        Some("check-digests") => {
            // The figures of a period both ways, for every bureau: from the stored digests and
            // by evaluating every record again. Exit 1 if any differ (digests out of step with the core).
            let (mut period, mut as_of) = (None, api::now().date_naive());
            while let Some(flag) = it.next() {
                let value = it.next().unwrap_or_else(|| usage());
                match flag.as_str() {
                    "--period" => period = Some(value),
                    "--as-of" => as_of = value.parse().unwrap_or_else(|_| usage()),
                    _ => usage(),
                }
            }
            let period = period.unwrap_or_else(|| as_of.format("%Y").to_string());
            let query = xuncha::SummaryQuery { period, scope: Default::default(), as_of, group_by: Some(xuncha::summary::GroupBy::Month), top: None };
            match store.check_digests(&query) {
                Ok(checks) => {
                    for c in &checks {
                        let verdict = if c.equal { "equal" } else { "DIFFERENT" };
                        println!("bureau {}: {} digests; summed in {:.0} ms (held: {:.0} ms), full evaluation in {:.0} ms: {verdict}", c.bureau_id, c.digests, c.digests_ms, c.held_ms, c.full_ms);
                    }
                    if checks.iter().any(|c| !c.equal) {
                        std::process::exit(1);
                    }
                }
                Err(e) => {
                    eprintln!("cannot check the digests: {e}");
                    std::process::exit(1);
                }
            }
        }
        Some("create-user") => {
            let (mut bureau, mut login, mut role, mut name, mut cert, mut password) = (None, None, None, String::new(), None, None);
            while let Some(flag) = it.next() {
                let value = it.next().unwrap_or_else(|| usage());
                match flag.as_str() {
                    "--bureau" => bureau = value.parse::<i64>().ok(),
                    "--login" => login = Some(value),
                    "--role" => {
                        role = store::Role::parse(&value);
                        if role.is_none() {
                            eprintln!("--role must be officer or staff, not {value:?}");
                            std::process::exit(2);
                        }
                    }
                    "--name" => name = value,
                    "--certificate" => cert = Some(value),
                    "--password" => password = Some(value),
                    _ => usage(),
                }
            }
            let (Some(bureau), Some(login), Some(role)) = (bureau, login, role) else { usage() };
            let password = password.unwrap_or_else(|| {
                let mut line = String::new();
                let _ = std::io::stdin().read_line(&mut line);
                line.trim_end_matches(['\n', '\r']).to_string()
            });
            if password.chars().count() < 8 {
                eprintln!("the password must have at least 8 characters");
                std::process::exit(1);
            }
            match store.create_user(bureau, &login, &password, role, &name, cert.as_deref()) {
                Ok(id) => println!("{id}"),
                Err(e) => {
                    eprintln!("cannot create the account: {e}");
                    std::process::exit(1);
                }
            }
        }
        Some("publish-rulebook") => {
            let path = it.next().unwrap_or_else(|| usage());
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
                eprintln!("cannot read {path}: {e}");
                std::process::exit(1)
            });
            // Checked whole by the core before any device can get it.
            let rulebook = xuncha::Rulebook::from_json(&text).unwrap_or_else(|e| {
                use xuncha::CoreError;
                eprintln!("the rulebook is not usable: {}", e.message().en);
                for d in e.details() {
                    eprintln!("  - {d}");
                }
                std::process::exit(1)
            });
            let now = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"));
            match store.publish_rulebook(&rulebook.version, &rulebook.to_json(), now) {
                Ok(()) => println!("published rulebook {}", rulebook.version),
                Err(e) => {
                    eprintln!("cannot publish the rulebook (is version {} published already?): {e}", rulebook.version);
                    std::process::exit(1);
                }
            }
        }
        Some("publish-templates") => {
            let path = it.next().unwrap_or_else(|| usage());
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
                eprintln!("cannot read {path}: {e}");
                std::process::exit(1)
            });
            // Checked whole by the core (every document holds what the law requires) before any device can get them.
            let set = xuncha::documents::TemplateSet::from_json(&text).unwrap_or_else(|e| {
                use xuncha::CoreError;
                eprintln!("the document templates are not usable: {}", e.message().en);
                for d in e.details() {
                    eprintln!("  - {d}");
                }
                std::process::exit(1)
            });
            let now = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"));
            let body = serde_json::to_string(&set).expect("templates serialise");
            match store.publish_templates(&set.version, &body, now) {
                Ok(()) => println!("published document templates {}", set.version),
                Err(e) => {
                    eprintln!("cannot publish the templates (is version {} published already?): {e}", set.version);
                    std::process::exit(1);
                }
            }
        }
        Some("list-tokens") => {
            let flags = flags(it);
            let tokens = store.tokens(flags.get("--login").map(String::as_str)).unwrap_or_else(|e| fail("cannot list the tokens", e));
            println!("token id\tlogin\tdevice\texpires (UTC)\tstate");
            let now = chrono::Utc::now().timestamp();
            for t in tokens {
                let expires = chrono::DateTime::from_timestamp(t.expires_at, 0).map_or("-".into(), |d| d.format("%Y-%m-%d %H:%M").to_string());
                let state = if t.revoked {
                    "revoked"
                } else if t.expires_at <= now {
                    "expired"
                } else {
                    "live"
                };
                println!("{}\t{}\t{}\t{}\t{}", t.id, t.login, t.device_id, expires, state);
            }
        }
        Some("revoke-tokens") => {
            let flags = flags(it);
            let login = flags.get("--login").unwrap_or_else(|| usage());
            let n = store.revoke_tokens(login, flags.get("--device").map(String::as_str), flags.get("--token").map(String::as_str)).unwrap_or_else(|e| fail("cannot revoke", e));
            println!("revoked {n} live token(s) of {login}");
        }
        Some(cmd @ ("disable-user" | "enable-user")) => {
            let flags = flags(it);
            let login = flags.get("--login").unwrap_or_else(|| usage());
            let disable = cmd == "disable-user";
            match store.set_disabled(login, disable) {
                Ok(true) => println!("{login} {}", if disable { "disabled; its tokens are revoked" } else { "enabled" }),
                Ok(false) => {
                    eprintln!("no account {login:?}");
                    std::process::exit(1);
                }
                Err(e) => fail("cannot change the account", e),
            }
        }
        Some("revoke-device") => {
            let flags = flags(it);
            let device = flags.get("--device").unwrap_or_else(|| usage());
            let n = store.revoke_device(device, api::now()).unwrap_or_else(|e| fail("cannot revoke the device", e));
            println!("revoked {n} key(s) of device {device}: its signatures arriving from now on are refused");
        }
        Some("set-document-prefix") => {
            let flags = flags(it);
            let (Some(bureau), Some(prefix)) = (flags.get("--bureau").and_then(|b| b.parse::<i64>().ok()), flags.get("--prefix")) else { usage() };
            match store.set_document_prefix(bureau, prefix) {
                Ok(true) => println!("bureau {bureau}'s document numbers now read {prefix}〔year〕第 0001 号"),
                Ok(false) => fail("cannot set the prefix", format!("no bureau {bureau}")),
                Err(e) => fail("cannot set the prefix", e),
            }
        }
        Some("check-chain") => {
            let flags = flags(it);
            let Some(bureau) = flags.get("--bureau").and_then(|b| b.parse::<i64>().ok()) else { usage() };
            let check = store.check_chain(bureau).unwrap_or_else(|e| fail("cannot read the chain", e));
            match check.first_broken {
                None => {
                    let head = store.chain_head(bureau).unwrap_or_else(|e| fail("cannot read the chain", e));
                    let head = head.map_or("(empty)".to_string(), |(seq, hash)| format!("{seq} {hash}"));
                    println!("chain of bureau {bureau} holds: {} entries, head {head}", check.entries);
                }
                Some(at) => {
                    eprintln!("chain of bureau {bureau} is BROKEN at entry {at} (of {})", check.entries);
                    std::process::exit(1);
                }
            }
        }
        _ => usage(),
    }
}

/// `draw new-seed`: a fresh seed and the commitment to publish before the draw.
/// `draw run --inputs FILE --seed HEX [--commitment HEX]`: the draw as JSON —
/// anyone with the published inputs re-runs it (`xuncha::draw`); with the
/// commitment, the seed is first checked against it. Needs no database.
fn draw(mut args: impl Iterator<Item = String>) {
    use xuncha::CoreError;
    match args.next().as_deref() {
        Some("new-seed") => {
            let mut bytes = [0u8; 32];
            argon2::password_hash::rand_core::RngCore::fill_bytes(&mut argon2::password_hash::rand_core::OsRng, &mut bytes);
            let seed: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            println!("seed {seed}");
            println!("commitment {}", xuncha::draw::commitment(&seed));
            eprintln!("publish the commitment (and the inputs' hash) before the draw; keep the seed until after it");
        }
        Some("run") => {
            let flags = flags(args);
            let (Some(path), Some(seed)) = (flags.get("--inputs"), flags.get("--seed")) else { usage() };
            let text = std::fs::read_to_string(path).unwrap_or_else(|e| fail(&format!("cannot read {path}"), e));
            let inputs: xuncha::draw::DrawInputs = serde_json::from_str(&text).unwrap_or_else(|e| fail("the inputs are not a draw's inputs", e));
            let result = match flags.get("--commitment") {
                Some(c) => xuncha::draw::rerun(&inputs, seed, c),
                None => xuncha::draw::draw(&inputs, seed),
            };
            match result {
                Ok(r) => println!("{}", serde_json::to_string_pretty(&r).expect("a draw serialises")),
                Err(e) => fail("the draw cannot run", e.message().en),
            }
        }
        _ => usage(),
    }
}

/// `--flag value` pairs of an admin command.
fn flags(mut it: impl Iterator<Item = String>) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    while let Some(flag) = it.next() {
        if !flag.starts_with("--") {
            usage();
        }
        out.insert(flag, it.next().unwrap_or_else(|| usage()));
    }
    out
}

fn fail(what: &str, e: impl std::fmt::Display) -> ! {
    eprintln!("{what}: {e}");
    std::process::exit(1)
}

/// Longest token life accepted: a year (beyond that, devices should sign in again).
const MAX_TOKEN_TTL_SECS: i64 = 366 * 24 * 3600;

/// Plain `main`: the admin commands and the opening of the database run
/// before any async runtime exists (the PostgreSQL client blocks on its own).
fn main() {
    let mut listen = "127.0.0.1:8080".to_string();
    let mut database = Database::from_env();
    let mut site: Option<PathBuf> = None;
    let mut token_ttl_secs: i64 = 30 * 24 * 3600;
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("admin") {
        args.next();
        admin(args);
        return;
    }
    if args.peek().map(String::as_str) == Some("draw") {
        args.next();
        draw(args);
        return;
    }
    while let Some(a) = args.next() {
        if database.flag(&a, &mut args) {
            continue;
        }
        match a.as_str() {
            "--listen" => listen = args.next().unwrap_or_else(|| usage()),
            "--site" => site = Some(args.next().map(PathBuf::from).unwrap_or_else(|| usage())),
            "--token-ttl-secs" => {
                token_ttl_secs = args.next().and_then(|v| v.parse().ok()).filter(|n| (1..=MAX_TOKEN_TTL_SECS).contains(n)).unwrap_or_else(|| {
                    eprintln!("--token-ttl-secs must be a number of seconds from 1 to {MAX_TOKEN_TTL_SECS} (a year)");
                    std::process::exit(2)
                })
            }
            _ => usage(),
        }
    }
    init_log();
    let store = database.open();
    store::Store::prepare_sign_in();
    // Before the runtime: the PostgreSQL client blocks on a runtime of its own.
    let setup = api::setup::code_if_empty(&store);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap_or_else(|e| {
        eprintln!("cannot start the server runtime: {e}");
        std::process::exit(1)
    });
    runtime.block_on(serve(store, setup, listen, site, token_ttl_secs, database.describe()));
}

/// One line per request to standard error: `XUNCHA_LOG` sets the level
/// (default `info`), `XUNCHA_LOG_FORMAT=json` makes the lines JSON.
fn init_log() {
    let level = std::env::var("XUNCHA_LOG").unwrap_or_else(|_| "info".into());
    let filter = tracing_subscriber::EnvFilter::try_new(format!("{level},h2=warn,hyper=warn")).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colours for a person at a terminal; plain text for a log file or collector.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_target(false).with_ansi(ansi);
    if std::env::var("XUNCHA_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn serve(store: store::Store, setup: Option<String>, listen: String, site: Option<PathBuf>, token_ttl_secs: i64, database: String) {
    let state = api::AppState::new(store, token_ttl_secs);
    *state.setup_code.lock().unwrap_or_else(|p| p.into_inner()) = setup.clone();
    // The built front end, served beside the API.
    let app = api::site::serve(api::router(state), site);
    let listener = match tokio::net::TcpListener::bind(&listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {listen}: {e}");
            std::process::exit(1);
        }
    };
    let addr = listener.local_addr().expect("a bound address");
    // The first line on stdout says where HQ listens (tests read it).
    println!("xuncha-hq listening on http://{addr} (database {database})");
    if let Some(code) = setup {
        // No account yet: the one door in, printed once, for whoever started HQ.
        println!("first run: no accounts yet — open http://{addr}/staff/#/setup?code={code} to create the bureau and its first staff account");
    }
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    // Sign-in is throttled per client address, so handlers see the peer's.
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
        eprintln!("server error: {e}");
        std::process::exit(1);
    }
}
