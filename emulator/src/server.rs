//! The running emulator: its runtime thread, the accept loop, and the
//! per-request dispatch between the list endpoints and the control API.

use crate::auth::Auth;
use crate::cloud::CloudConfig;
use crate::config::{Dataset, EmulatorConfig};
use crate::limits::{MAX_API_BODY, MAX_BACKUPS, MAX_CONTROL_BODY, MAX_DELAY_MS, MAX_GRAPHS};
use crate::reply::{self, Body, Dropped, Reply};
use crate::request::Received;
use crate::state::{App, State};
use crate::{control, iam, list, tls, workload};
use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::io;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_rustls::TlsAcceptor;

/// A running emulator. It serves on its own runtime thread until
/// [`Emulator::shutdown`] or drop.
pub struct Emulator {
    base_url: String,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

fn invalid_input(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

impl Emulator {
    /// Loads the data, binds, and returns once the socket is listening.
    pub fn start(cfg: EmulatorConfig) -> io::Result<Emulator> {
        if cfg.access_key.is_some() != cfg.secret_key.is_some() {
            return Err(invalid_input("access_key and secret_key go together"));
        }
        if cfg.latency_ms > MAX_DELAY_MS {
            return Err(invalid_input(&format!("latency_ms is over {MAX_DELAY_MS}")));
        }
        if let Dataset::Generated {
            backups, graphs, ..
        } = cfg.dataset
        {
            if backups > MAX_BACKUPS || graphs > MAX_GRAPHS {
                return Err(invalid_input(&format!(
                    "at most {MAX_BACKUPS} backups over {MAX_GRAPHS} graphs"
                )));
            }
        }
        if !State::valid_offset(cfg.clock_offset_s) {
            return Err(invalid_input("clock_offset_s is over 50 years"));
        }
        let tls = match (&cfg.tls_cert, &cfg.tls_key) {
            (Some(cert), Some(key)) => Some(tls::acceptor(cert, key)?),
            (None, None) => None,
            _ => return Err(invalid_input("tls_cert and tls_key go together")),
        };
        let cloud_config: CloudConfig = match &cfg.cloud_config {
            Some(value) => serde_json::from_value(value.clone())
                .map_err(|e| invalid_input(&format!("cloud_config: {e}")))?,
            None => CloudConfig::default(),
        };
        let backups = cfg.dataset.load()?;

        let listener = std::net::TcpListener::bind(&cfg.listen).map_err(|e| {
            io::Error::new(e.kind(), format!("cannot listen on {}: {e}", cfg.listen))
        })?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let scheme = if tls.is_some() { "https" } else { "http" };

        let auth = Auth::new(
            cfg.access_key.as_deref(),
            cfg.secret_key.as_deref(),
            cfg.auth_token.as_deref(),
            cfg.signing_algorithm,
        );
        let state = State::new(backups, cfg.clock_offset_s, cfg.dataset.seed());
        let app = Arc::new(App::new(
            cfg.project_id,
            auth,
            Duration::from_millis(cfg.latency_ms),
            state,
        ));
        app.cloud
            .lock()
            .apply(cloud_config)
            .map_err(|e| invalid_input(&format!("cloud_config: {e}")))?;

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("ges-emulator-worker")
            .enable_all()
            .build()?;
        let listener = {
            let _in_runtime = runtime.enter();
            TcpListener::from_std(listener)?
        };
        let (stop, stopped) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("ges-emulator".to_string())
            .spawn(move || {
                runtime.block_on(accept_loop(listener, app, tls, stopped));
                // Dropping the runtime here, outside any async context, ends
                // every connection task before `shutdown` returns.
                drop(runtime);
            })?;
        Ok(Emulator {
            base_url: format!("{scheme}://{addr}"),
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT` (or `https://`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Stops listening and closes every connection.
    pub fn shutdown(self) {
        // Drop does the work.
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn accept_loop(
    listener: TcpListener,
    app: Arc<App>,
    tls: Option<TlsAcceptor>,
    mut stopped: oneshot::Receiver<()>,
) {
    loop {
        let stream = tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // E.g. out of file descriptors: back off instead of spinning.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let (app, tls) = (app.clone(), tls.clone());
        app.connections.opened();
        tokio::spawn(async move {
            let counts = app.clone();
            match tls {
                None => serve_connection(stream, app).await,
                Some(tls) => {
                    if let Ok(stream) = tls.accept(stream).await {
                        serve_connection(stream, app).await;
                    }
                }
            }
            counts.connections.closed();
        });
    }
}

/// One task per connection; HTTP/1.1 with keep-alive.
async fn serve_connection<I>(io: I, app: Arc<App>)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |req| handle(app.clone(), req));
    // Errors here are the client going away or a scripted drop/truncate.
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        // `Date` comes from the emulator's own (shiftable) clock instead.
        .auto_date_header(false)
        .serve_connection(TokioIo::new(io), service)
        .await;
}

async fn handle(app: Arc<App>, req: Request<Incoming>) -> Result<Response<Body>, Dropped> {
    let request_id = reply::request_id();
    let (parts, body) = req.into_parts();
    let path = parts.uri.path();
    let reply = if path.starts_with(control::PREFIX) {
        match read_body(body, MAX_CONTROL_BODY, "a control request body").await {
            Ok(body) => control::handle(&app, &parts.method, path, &parts.headers, &body),
            Err(refused) => refused,
        }
    } else {
        // Only POSTs (to IAM, STS, pod identity) have their bodies read: a
        // list request's is empty, or ignored.
        let body = if parts.method == Method::POST {
            match read_body(body, MAX_API_BODY, "a request body").await {
                Ok(body) => body,
                Err(refused) => return respond(&app, refused, &request_id).await,
            }
        } else {
            Bytes::new()
        };
        let received = Received {
            method: parts.method.as_str(),
            path,
            query: parts.uri.query(),
            headers: &parts.headers,
            body: &body,
        };
        if let Some(reply) = iam::route(&app, &received, &request_id) {
            reply
        } else if let Some(reply) = workload::route(&app, &received) {
            reply
        } else {
            match list::route(path) {
                Some(route) if parts.method == Method::GET => {
                    list::handle(&app, &received, route, &request_id)
                }
                Some(_) => Reply::method_not_allowed(parts.method.as_str(), path),
                None => Reply::ges_error(
                    StatusCode::NOT_FOUND,
                    reply::CODE_NOT_FOUND,
                    &format!("no such API: {path}"),
                ),
            }
        }
    };
    respond(&app, reply, &request_id).await
}

/// Waits out the reply's delay, then builds the response.
async fn respond(app: &App, reply: Reply, request_id: &str) -> Result<Response<Body>, Dropped> {
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let now = app.lock().now();
    reply::into_response(reply, request_id, now)
}

/// The whole body, or the refusal: 413 past `limit` bytes.
async fn read_body(body: Incoming, limit: usize, what: &str) -> Result<Bytes, Reply> {
    match Limited::new(body, limit).collect().await {
        Ok(body) => Ok(body.to_bytes()),
        Err(e) if e.is::<LengthLimitError>() => Err(Reply::ges_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            reply::CODE_BAD_PARAMETER,
            &format!("{what} is at most {limit} bytes"),
        )),
        Err(e) => Err(Reply::bad_request(&format!(
            "cannot read the request body: {e}"
        ))),
    }
}
