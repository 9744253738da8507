//! xuncha-hq: the bureau's system of record. Tablets push their records here
//! and pull what HQ has for them; every record is re-validated with the same
//! core the tablet runs.
//!
//! `xuncha-hq [--listen 127.0.0.1:8080] [--data-dir hq-data] [--site DIR]`

mod api;
mod store;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

fn usage() -> ! {
    eprintln!("usage: xuncha-hq [--listen ADDR:PORT] [--data-dir DIR] [--site DIR]");
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let mut listen = "127.0.0.1:8080".to_string();
    let mut data_dir = PathBuf::from("hq-data");
    let mut site: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--listen" => listen = args.next().unwrap_or_else(|| usage()),
            "--data-dir" => data_dir = args.next().map(PathBuf::from).unwrap_or_else(|| usage()),
            "--site" => site = Some(args.next().map(PathBuf::from).unwrap_or_else(|| usage())),
            _ => usage(),
        }
    }
    if let Err(e) = std::fs::create_dir_all(&data_dir) {
        eprintln!("cannot create the data directory {}: {e}", data_dir.display());
        std::process::exit(1);
    }
    let db = data_dir.join("xuncha.sqlite");
    let store = match store::Store::open(&db) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot open the database {}: {e}", db.display());
            std::process::exit(1);
        }
    };
    let mut app = api::router(api::AppState { store: Arc::new(Mutex::new(store)) });
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
