//! xuncha-hq: the bureau's system of record. Tablets push their records here
//! and pull what HQ has for them; every record is re-validated with the same
//! core the tablet runs.
//!
//! `xuncha-hq [--listen 127.0.0.1:8080] [--data-dir hq-data] [--site DIR] [--token-ttl-secs N]`
//! `xuncha-hq admin [--data-dir DIR] create-bureau NAME`
//! `xuncha-hq admin [--data-dir DIR] create-user --bureau ID --login L --role officer|staff [--name N] [--certificate C] [--password P]`
//!   (without `--password`, the password is read from the first line of standard input)

mod api;
mod store;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

fn usage() -> ! {
    eprintln!(
        "usage: xuncha-hq [--listen ADDR:PORT] [--data-dir DIR] [--site DIR] [--token-ttl-secs N]\n       \
         xuncha-hq admin [--data-dir DIR] create-bureau NAME\n       \
         xuncha-hq admin [--data-dir DIR] create-user --bureau ID --login L --role officer|staff [--name N] [--certificate C] [--password P]"
    );
    std::process::exit(2)
}

fn open_store(data_dir: &std::path::Path) -> store::Store {
    if let Err(e) = std::fs::create_dir_all(data_dir) {
        eprintln!("cannot create the data directory {}: {e}", data_dir.display());
        std::process::exit(1);
    }
    let db = data_dir.join("xuncha.sqlite");
    store::Store::open(&db).unwrap_or_else(|e| {
        eprintln!("cannot open the database {}: {e}", db.display());
        std::process::exit(1)
    })
}

/// `admin …`: create a bureau or an account.
fn admin(mut args: impl Iterator<Item = String>) {
    let mut data_dir = PathBuf::from("hq-data");
    let mut rest = Vec::new();
    while let Some(a) = args.next() {
        if a == "--data-dir" {
            data_dir = args.next().map(PathBuf::from).unwrap_or_else(|| usage());
        } else {
            rest.push(a);
        }
    }
    let store = open_store(&data_dir);
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
        _ => usage(),
    }
}

#[tokio::main]
async fn main() {
    let mut listen = "127.0.0.1:8080".to_string();
    let mut data_dir = PathBuf::from("hq-data");
    let mut site: Option<PathBuf> = None;
    let mut token_ttl_secs: i64 = 30 * 24 * 3600;
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("admin") {
        args.next();
        admin(args);
        return;
    }
    while let Some(a) = args.next() {
        match a.as_str() {
            "--listen" => listen = args.next().unwrap_or_else(|| usage()),
            "--data-dir" => data_dir = args.next().map(PathBuf::from).unwrap_or_else(|| usage()),
            "--site" => site = Some(args.next().map(PathBuf::from).unwrap_or_else(|| usage())),
            "--token-ttl-secs" => token_ttl_secs = args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| usage()),
            _ => usage(),
        }
    }
    let store = open_store(&data_dir);
    let db = data_dir.join("xuncha.sqlite");
    let mut app = api::router(api::AppState { store: Arc::new(Mutex::new(store)), token_ttl_secs });
    if let Some(dir) = site {
        // The built front end, served beside the API.
        app = app.fallback_service(tower_http::services::ServeDir::new(dir));
    }
    let listener = match tokio::net::TcpListener::bind(&listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {listen}: {e}");
            std::process::exit(1);
        }
    };
    let addr = listener.local_addr().expect("a bound address");
    // The first line on stdout says where HQ listens (tests read it).
    println!("xuncha-hq listening on http://{addr} (database {})", db.display());
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
        eprintln!("server error: {e}");
        std::process::exit(1);
    }
}
