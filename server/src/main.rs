//! Serves the planner: loads and calibrates the catalog, opens (creating and migrating) the
//! scenario store `DATABASE_URL` names, then serves HTTP with TCP_NODELAY, logging each request.

use std::net::SocketAddr;

use leptos::config::get_configuration;
use server::{router, serve, trace};

// The same allocator the engine's benchmark measures with (planner/benches).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    trace::init();
    let conf = get_configuration(None)?;
    let leptos_options = conf.leptos_options;
    let addr: SocketAddr = leptos_options.site_addr;
    // Calibrate before taking traffic, so the first request is not the slow one.
    let catalog = planner::Catalog::builtin();
    let pool = store::connect().await?;
    println!(
        "catalog {} ({} models, {} GPUs); database ready",
        catalog.snapshot_id,
        catalog.models.len(),
        catalog.gpus.len()
    );
    let app = router(leptos_options, pool);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("listening on http://{addr}");
    serve::serve(listener, app, serve::Limits::default()).await?;
    Ok(())
}
