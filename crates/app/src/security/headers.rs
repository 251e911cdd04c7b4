//! Response headers every answer carries against framing, content sniffing
//! and injected content. The UI in `static/` has no inline scripts, inline
//! styles or third-party origins, so the policy allows only this origin.

use switchboard_http::Response;

/// Only this origin's scripts, styles, images and API; no plugins, no
/// `<base>` rewriting, no framing by anyone.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Sets the security headers on `resp`.
pub fn apply(resp: &mut Response) {
    resp.set_header("x-content-type-options", "nosniff");
    resp.set_header("content-security-policy", CONTENT_SECURITY_POLICY);
    resp.set_header("x-frame-options", "DENY");
    resp.set_header("referrer-policy", "no-referrer");
}
