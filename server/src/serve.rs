//! The HTTP server loop, with the limits `axum::serve` does not set: a cap on open connections
//! (at the cap no more are accepted; new ones wait in the kernel's backlog instead of using up
//! the process's file descriptors) and a header-read timeout, which also closes idle keep-alive
//! connections (hyper starts it whenever a connection waits for a request's head). A client
//! sending a request line a byte a second, or opening sockets and sending nothing, holds a
//! connection for at most that long.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How long a connection may take to send a request's head, or sit idle between requests.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once (below a default 1,024 file-descriptor limit, with room for the
/// database and the static files).
pub const MAX_CONNECTIONS: usize = 512;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_connections: usize,
    pub header_read_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: MAX_CONNECTIONS,
            header_read_timeout: HEADER_READ_TIMEOUT,
        }
    }
}

/// Serves `app` on `listener` until accepting fails.
pub async fn serve(listener: TcpListener, app: Router, limits: Limits) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return Ok(());
        };
        let (tcp, peer) = match listener.accept().await {
            Ok(c) => c,
            // Out of descriptors or a connection reset before it was accepted: try the next.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        // An SSR response goes out in several writes; Nagle plus delayed ACKs would stall each
        // by about 40 ms (toolchain.md).
        let _ = tcp.set_nodelay(true);
        // Handlers see the client's address as axum's `ConnectInfo` (the save quota counts by
        // it), put on each request rather than layered onto a new router per connection.
        let app = app.clone();
        let service = TowerToHyperService::new(tower::service_fn(
            move |mut req: axum::extract::Request<hyper::body::Incoming>| {
                req.extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                tower::ServiceExt::oneshot(app.clone(), req)
            },
        ));
        tokio::spawn(async move {
            // HTTP/1.1 only: browsers speak HTTP/2 only over TLS, which a proxy in front ends;
            // hyper's protocol sniffing would wait for a first byte before any timer runs.
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_read_timeout);
            // A connection's errors (a reset, a timeout) end that connection only.
            let _ = builder.serve_connection(TokioIo::new(tcp), service).await;
            drop(slot);
        });
    }
}
