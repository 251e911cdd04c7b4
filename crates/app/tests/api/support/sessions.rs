//! Signed-in admins and agent apps, each bound to its app: a request as one
//! carries its credentials and address, so a test reads
//! `owner.patch("/api/settings/agents/3", json!({ .. }))`.

use super::{Req, TestApp, TestResponse};
use futures::executor::block_on;
use serde_json::{Value as Json, json};
use std::net::IpAddr;
use switchboard_http::Method;

pub const OPERATOR_PASSWORD: &str = "operator-pass-123";
/// The password of every tenant owner [`TestApp::tenant`] makes.
pub const OWNER_PASSWORD: &str = "owner-pass-123";
/// The password of every admin [`Session::add_admin`] makes.
pub const ADMIN_PASSWORD: &str = "admin-pass-123";
/// The password of every agent [`Session::add_agent`] makes.
pub const AGENT_PASSWORD: &str = "agent-pass-123";

/// A signed-in admin as a browser would hold it: the cookie and the CSRF
/// token, plus the address requests come from. Change `peer` or `csrf` on a
/// clone to send the same session from elsewhere or with a bad token.
#[derive(Clone)]
pub struct Session {
    pub app: TestApp,
    pub cookie: String,
    pub csrf: String,
    pub peer: IpAddr,
    /// The signed-in user, as the sign-in answered it.
    pub user: Json,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("user", &self.user["login_id"])
            .field("peer", &self.peer)
            .finish_non_exhaustive()
    }
}

/// `call`, `get`, `post`, `post_empty`, `put`, `patch` and `delete` for a
/// client type with a `req(method, path)` carrying its credentials and an
/// `app` to send through: admin sessions and agent apps read alike.
macro_rules! json_calls {
    ($client:ty) => {
        impl $client {
            /// Sends a request as this client, with a JSON body when given.
            pub fn call(&self, method: Method, path: &str, body: Option<Json>) -> TestResponse {
                let mut req = self.req(method, path);
                if let Some(b) = body {
                    req = req.with_json(&b);
                }
                self.app.send(req)
            }

            pub fn get(&self, path: &str) -> TestResponse {
                self.call(Method::GET, path, None)
            }

            pub fn post(&self, path: &str, body: Json) -> TestResponse {
                self.call(Method::POST, path, Some(body))
            }

            /// A `POST` without a body (sign-out, imports, a callback done, …).
            pub fn post_empty(&self, path: &str) -> TestResponse {
                self.call(Method::POST, path, None)
            }

            pub fn put(&self, path: &str, body: Json) -> TestResponse {
                self.call(Method::PUT, path, Some(body))
            }

            pub fn patch(&self, path: &str, body: Json) -> TestResponse {
                self.call(Method::PATCH, path, Some(body))
            }

            pub fn delete(&self, path: &str) -> TestResponse {
                self.call(Method::DELETE, path, None)
            }
        }
    };
}

json_calls!(Session);
json_calls!(AgentSession);

impl Session {
    /// The signed-in user's ID.
    pub fn id(&self) -> i64 {
        self.user["id"].as_i64().unwrap()
    }

    /// The same session, its requests coming from `peer`.
    pub fn with_peer(&self, peer: &str) -> Session {
        Session {
            peer: peer.parse().unwrap(),
            ..self.clone()
        }
    }

    /// A request as this session: its cookie, CSRF token and address.
    pub fn req(&self, method: Method, path: &str) -> Req {
        Req::new(method, path)
            .with_header("cookie", &self.cookie)
            .with_header("x-csrf-token", &self.csrf)
            .with_peer(self.peer)
    }

    /// A request as this session with a raw body of `content_type` (uploads).
    pub fn call_raw(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> TestResponse {
        self.app.send(
            self.req(method, path)
                .with_header("content-type", content_type)
                .with_body(body),
        )
    }

    /// Uploads a prompt file; returns the answer.
    pub fn upload_audio(&self, name: &str, body: Vec<u8>) -> TestResponse {
        self.call_raw(
            Method::POST,
            &format!("/api/settings/audio?name={name}"),
            "audio/wav",
            body,
        )
    }

    /// Adds an admin with `role` to this owner's tenant (password
    /// [`ADMIN_PASSWORD`]) and signs them in.
    pub fn add_admin(&self, login_id: &str, role: &str) -> Session {
        let resp = self.post(
            "/api/users",
            json!({ "login_id": login_id, "name": login_id, "role": role, "password": ADMIN_PASSWORD }),
        );
        assert_eq!(resp.status, 201, "{}", resp.json_body());
        self.app.login(login_id, ADMIN_PASSWORD)
    }

    /// Adds an agent named `login_id` with password [`AGENT_PASSWORD`] to
    /// this owner's tenant (SVC-1); returns its ID.
    pub fn add_agent(&self, login_id: &str) -> i64 {
        let resp = self.post(
            "/api/settings/agents",
            json!({ "login_id": login_id, "name": format!("상담사 {login_id}"), "password": AGENT_PASSWORD }),
        );
        assert_eq!(resp.status, 201, "{}", resp.json_body());
        resp.json_body()["id"].as_i64().unwrap()
    }
}

/// A signed-in agent as an agent app holds it (AGT-1): the bearer token
/// and the address requests come from.
#[derive(Clone)]
pub struct AgentSession {
    pub app: TestApp,
    pub token: String,
    pub peer: IpAddr,
    /// The sign-in's answer.
    pub body: Json,
}

impl std::fmt::Debug for AgentSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgentSession")
            .field("agent", &self.body["agent"]["login_id"])
            .field("peer", &self.peer)
            .finish_non_exhaustive()
    }
}

impl AgentSession {
    /// A request as this agent app: its bearer token and address.
    pub fn req(&self, method: Method, path: &str) -> Req {
        Req::new(method, path)
            .with_header("authorization", &format!("Bearer {}", self.token))
            .with_peer(self.peer)
    }
}

impl TestApp {
    /// `POST /api/auth/login` from `peer`, whatever the answer.
    pub fn login_from(&self, login_id: &str, password: &str, peer: &str) -> TestResponse {
        self.send(
            Req::new(Method::POST, "/api/auth/login")
                .with_json(&json!({ "login_id": login_id, "password": password }))
                .with_peer(peer.parse().unwrap()),
        )
    }

    /// Signs in from 127.0.0.1 and panics unless it works.
    pub fn login(&self, login_id: &str, password: &str) -> Session {
        self.login_at(login_id, password, "127.0.0.1")
    }

    /// Signs in from `peer` and panics unless it works.
    pub fn login_at(&self, login_id: &str, password: &str, peer: &str) -> Session {
        let resp = self.login_from(login_id, password, peer);
        assert_eq!(
            resp.status,
            200,
            "sign-in of {login_id}: {}",
            resp.json_body()
        );
        self.session_from(&resp, peer.parse().unwrap())
    }

    /// The session a successful sign-in (or password change) answered: its
    /// cookie and CSRF token, used from `peer`.
    pub fn session_from(&self, resp: &TestResponse, peer: IpAddr) -> Session {
        let set_cookie = resp.header("set-cookie").unwrap();
        let cookie = set_cookie.split(';').next().unwrap().to_owned();
        let body = resp.json_body();
        Session {
            app: self.clone(),
            cookie,
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
            peer,
            user: body["user"].clone(),
        }
    }

    /// A new session of the operator.
    pub fn operator(&self) -> Session {
        self.login("operator", OPERATOR_PASSWORD)
    }

    /// A new session of the owner of the tenant [`TestApp::tenant`] made as
    /// `tenant`.
    pub fn owner_of(&self, tenant: &str) -> Session {
        self.login(&format!("{tenant}-owner"), OWNER_PASSWORD)
    }

    /// The operator provisions `number` to the tenant (since always when
    /// the number was never held); returns the holding's ID.
    pub fn provision(&self, tenant_id: i64, number: &str) -> i64 {
        let resp = self.operator().post(
            "/api/operator/numbers",
            json!({ "number": number, "tenant_id": tenant_id }),
        );
        assert_eq!(resp.status, 201, "{}", resp.json_body());
        resp.json_body()["id"].as_i64().unwrap()
    }

    /// Creates a tenant named `name` (10 licences, plan `basic`, service in
    /// 2026) whose owner is `<name>-owner` with password [`OWNER_PASSWORD`];
    /// returns (tenant id, owner session). The app's first tenant is also
    /// provisioned the two numbers [`super::ars_body`] names (its
    /// representative number [`super::ARS_LINE`] and caller ID), as the
    /// operator does when a company is set up; later tenants get numbers
    /// with [`TestApp::provision`].
    pub fn tenant(&self, name: &str) -> (i64, Session) {
        let resp = self.operator().post(
            "/api/operator/tenants",
            json!({
                "name": name,
                "plan": "basic",
                "licence_count": 10,
                "service_start": "2026-01-01",
                "service_end": "2026-12-31",
                "owner": { "login_id": format!("{name}-owner"), "name": "Owner", "password": OWNER_PASSWORD }
            }),
        );
        assert_eq!(resp.status, 201, "{}", resp.json_body());
        let id = resp.json_body()["tenant"]["id"].as_i64().unwrap();
        let first = block_on(switchboard_storage::Sql::query_row(
            self.db.as_ref(),
            "SELECT 1 FROM phone_numbers",
            &[],
        ))
        .unwrap()
        .is_none();
        if first {
            let ars = super::ars_body();
            for field in ["representative_number", "caller_id"] {
                self.provision(id, ars[field].as_str().unwrap());
            }
        }
        (id, self.owner_of(name))
    }

    /// `POST /api/agent/login` from `peer`, whatever the answer.
    pub fn agent_login_from(
        &self,
        tenant_id: i64,
        login_id: &str,
        password: &str,
        platform: &str,
        peer: &str,
    ) -> TestResponse {
        self.send(
            Req::new(Method::POST, "/api/agent/login")
                .with_json(&json!({
                    "tenant_id": tenant_id, "login_id": login_id,
                    "password": password, "platform": platform
                }))
                .with_peer(peer.parse().unwrap()),
        )
    }

    /// The agent app's session a successful agent sign-in answered, used
    /// from `peer`.
    pub fn agent_session_from(&self, resp: &TestResponse, peer: IpAddr) -> AgentSession {
        let body = resp.json_body();
        AgentSession {
            app: self.clone(),
            token: body["token"].as_str().unwrap().to_owned(),
            peer,
            body,
        }
    }

    /// Signs an agent in from 127.0.0.1 on the PC app; panics unless it works.
    pub fn agent_login(&self, tenant_id: i64, login_id: &str) -> AgentSession {
        let resp = self.agent_login_from(tenant_id, login_id, AGENT_PASSWORD, "pc", "127.0.0.1");
        assert_eq!(
            resp.status,
            200,
            "agent sign-in of {login_id}: {}",
            resp.json_body()
        );
        self.agent_session_from(&resp, "127.0.0.1".parse().unwrap())
    }
}
