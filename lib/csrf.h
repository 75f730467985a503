/*
 * csrf.h: CSRF tokens for forms (OWASP CSRF cheat sheet: signed
 * double-submit cookie) and the Origin check of state-changing requests.
 *
 * A token is "NONCE.MAC": 32 random bytes in hex, a dot, and the
 * HMAC-SHA256 (in hex) of "BINDING|NONCE" under the server's CSRF secret.
 * BINDING is "login:<web_sessions.id>" for a browser signed in with the
 * login cookie, else "anon" (the login form: a pre-session token). The token
 * lives in the HttpOnly, SameSite=Lax cookie `stint_csrf` and is repeated in
 * every form as the hidden field `csrf` (and by page scripts as the header
 * X-CSRF-Token). A write passes only when the field matches the cookie and
 * the cookie is signed for the caller's own login: a cookie that another
 * origin on the same host planted (cookies ignore ports) is not.
 *
 * The secret is the setting csrf_secret, else the contents of the file named
 * by csrf_secret_file (default VAR_DIR/csrf-secret, which bin/stint up makes
 * once with mode 0600); at least 32 characters. It is never logged.
 */
#ifndef STINT_CSRF_H
#define STINT_CSRF_H

#include "http.h"

#define STINT_CSRF_LEN (64 + 1 + 64)   /* nonce hex, '.', HMAC-SHA256 hex */

/*
 * Load the CSRF secret (see above); once per process, after the settings.
 * Returns 0, or -1 after logging why (missing or too short: never its value).
 */
int stint_csrf_init(void);

/*
 * The request's token: the cookie's when it is signed for the caller (see
 * above), else a new one (queued as Set-Cookie). An arena string, or NULL on
 * failure.
 */
const char *stint_csrf_token(stint_req *r);

/*
 * A new token for the browser login login_id (web_sessions.id as text),
 * queued as Set-Cookie: what the answer to a successful sign-in carries, so
 * that the next form posts for that login. An arena string, or NULL.
 */
const char *stint_csrf_token_for_login(stint_req *r, const char *login_id);

/* 1 when the form field `csrf` matches the cookie (constant time) and the cookie is the caller's, else 0. */
int stint_csrf_valid(const stint_req *r);

/*
 * 1 when the header X-CSRF-Token matches the cookie (constant time) and the
 * cookie is the caller's: what a page's script sends when it writes to the
 * JSON API with the login cookie.
 */
int stint_csrf_header_valid(const stint_req *r);

/*
 * The CSRF check of an HTMX write (route body STINT_BODY_HTMX), as OWASP's
 * CSRF Prevention Cheat Sheet describes it for requests that cannot carry
 * the form token ("Employing Custom Request Headers for AJAX/API", with
 * "Verifying Origin With Standard Headers"): 1 when the request carries
 * the header HX-Request: true, which another site's page can send only
 * after a CORS preflight that Stint never grants, and, for a caller signed
 * in with the login cookie, an Origin header (or, without one, a Referer)
 * naming Stint's own origin (stint_origin_is_own: the setting
 * public_base_url); a cookie caller with neither is refused. A caller with
 * an API token needs only the header. Else 0. Forms keep their token check.
 */
int stint_csrf_htmx_valid(const stint_req *r);

/*
 * 1 when r is a state-changing request (any method but GET, HEAD and
 * OPTIONS) that a browser may have sent with its cookies (it carries a
 * Cookie header, or no Authorization: Bearer) and whose Origin header, or
 * Referer when there is no Origin, names another origin than the public
 * base URL's (setting public_base_url; without it, the request's own scheme
 * and Host). A request with neither header (curl, scripts) is not foreign.
 */
int stint_csrf_foreign_origin(const stint_req *r);

/*
 * 1 when origin ("scheme://host[:port]", as an Origin header names it) is
 * Stint's own: that of the setting public_base_url or, when it is not set,
 * the request's own scheme and Host (compared without regard to case).
 */
int stint_origin_is_own(const stint_req *r, const char *origin);

#endif
