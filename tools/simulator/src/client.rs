//! A minimal HTTP/1.1 client on hyper's connection API (plain http: the
//! simulator talks to an app on this machine). One connection per request;
//! the app is local, and this keeps retries simple.

use anyhow::{Context, Result, anyhow, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

#[derive(Debug, Clone)]
pub struct Client {
    /// `host:port`
    authority: String,
    /// Path prefix of the base URL (without trailing `/`).
    prefix: String,
}

#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: hyper::HeaderMap,
    pub body: Bytes,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Client {
    /// `base` like `http://127.0.0.1:3000`.
    pub fn new(base: &str) -> Result<Self> {
        let rest = base
            .strip_prefix("http://")
            .ok_or_else(|| anyhow!("the base URL must start with http:// (got {base})"))?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if authority.is_empty() {
            bail!("the base URL has no host: {base}");
        }
        let authority = if authority.contains(':') {
            authority.to_owned()
        } else {
            format!("{authority}:80")
        };
        Ok(Client {
            authority,
            prefix: path.trim_end_matches('/').to_owned(),
        })
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, String)],
        body: Vec<u8>,
    ) -> Result<Answer> {
        let stream = TcpStream::connect(&self.authority)
            .await
            .with_context(|| format!("cannot connect to {}", self.authority))?;
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .context("HTTP handshake")?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        let mut req = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.prefix))
            .header("host", &self.authority);
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        let req = req.body(Full::new(Bytes::from(body)))?;
        let resp = sender.send_request(req).await.context("sending")?;
        let (parts, body) = resp.into_parts();
        let body = body
            .collect()
            .await
            .context("reading the answer")?
            .to_bytes();
        Ok(Answer {
            status: parts.status.as_u16(),
            headers: parts.headers,
            body,
        })
    }
}

/// A signed-in admin of the app: its cookie and CSRF token.
pub struct AdminSession<'a> {
    client: &'a Client,
    cookie: String,
    csrf: String,
}

impl<'a> AdminSession<'a> {
    /// Signs in; `Ok(None)` when the credentials are refused.
    pub async fn login(client: &'a Client, login: &str, password: &str) -> Result<Option<Self>> {
        let body =
            serde_json::to_vec(&serde_json::json!({ "login_id": login, "password": password }))?;
        let a = client
            .send(
                "POST",
                "/api/auth/login",
                &[("content-type", "application/json".into())],
                body,
            )
            .await?;
        if a.status == 401 {
            return Ok(None);
        }
        if a.status != 200 {
            bail!("sign-in as {login} answered {}: {}", a.status, a.text());
        }
        let cookie = a
            .headers
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .ok_or_else(|| anyhow!("sign-in set no cookie"))?
            .to_owned();
        let csrf = a.json()["csrf_token"]
            .as_str()
            .ok_or_else(|| anyhow!("sign-in gave no CSRF token"))?
            .to_owned();
        Ok(Some(AdminSession {
            client,
            cookie,
            csrf,
        }))
    }

    /// A JSON request; fails unless the answer is 2xx.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<serde_json::Value> {
        let mut headers = vec![
            ("cookie", self.cookie.clone()),
            ("x-csrf-token", self.csrf.clone()),
        ];
        let bytes = match body {
            Some(b) => {
                headers.push(("content-type", "application/json".into()));
                serde_json::to_vec(&b)?
            }
            None => Vec::new(),
        };
        let a = self.client.send(method, path, &headers, bytes).await?;
        if !(200..300).contains(&a.status) {
            bail!("{method} {path} answered {}: {}", a.status, a.text());
        }
        Ok(a.json())
    }
}
