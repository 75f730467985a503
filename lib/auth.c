/* auth.c: tokens, logins, passwords and the access check (see auth.h). */
#include "auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "conf.h"
#include "csrf.h"
#include "db.h"
#include "escape.h"
#include "fail.h"
#include "log.h"
#include "tx.h"
#include "validate.h"

#define COOKIE "stint_session"
#define LOGIN_TTL_S (12 * 3600)

int stint_secret_new(char *out, size_t size, int api)
{
	unsigned char raw[STINT_SECRET_HEX / 2];
	size_t skip = api ? 3 : 0;

	if (size < skip + STINT_SECRET_HEX + 1 || sodium_init() < 0)
		return -1;
	randombytes_buf(raw, sizeof(raw));
	if (api)
		memcpy(out, "st_", 3);
	sodium_bin2hex(out + skip, STINT_SECRET_HEX + 1, raw, sizeof(raw));
	return 0;
}

void stint_secret_hash(const char *secret, char out[STINT_HASH_PARAM_LEN + 1])
{
	unsigned char md[32];
	unsigned int n = 0;

	EVP_Digest(secret, strlen(secret), md, &n, EVP_sha256(), NULL);
	out[0] = '\\';
	out[1] = 'x';
	sodium_bin2hex(out + 2, STINT_HASH_PARAM_LEN - 1, md, sizeof(md));
}

int stint_password_hash(const char *password, char out[crypto_pwhash_STRBYTES])
{
	if (sodium_init() < 0)
		return -1;
	return crypto_pwhash_str(out, password, strlen(password),
				 crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

int stint_password_verify(const char *hash, const char *password)
{
	char decoy[crypto_pwhash_STRBYTES];

	if (sodium_init() < 0)
		return 0;
	if (hash == NULL || *hash == '\0') {
		(void)stint_password_hash(password, decoy);  /* the same work, no answer */
		return 0;
	}
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static void set_cookie(stint_req *r, const char *value, long max_age)
{
	char line[256];

	snprintf(line, sizeof(line), COOKIE "=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Lax%s",
		 value, max_age, stint_req_https(r) ? "; Secure" : "");
	stint_resp_header(r, "Set-Cookie", line);
}

/*
 * One bookkeeping write of the caller's login or token (its last use, a new
 * cookie value, a sign-out) as a unit of work of its own.
 */
static stint_db_rc login_write(stint_req *r, stint_sql id, int n, const char *const *p)
{
	stint_tx tx;

	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_tx_exec(&tx, id, n, p, NULL);
	return stint_tx_end(&tx);
}

/* Fill r->user from the first row of res (columns id, role, email, name). */
static int take_user(stint_req *r, PGresult *res)
{
	stint_principal *u = &r->user;
	const char *id = stint_db_cell(res, 0, "id"), *role = stint_db_cell(res, 0, "role");
	const char *email = stint_db_cell(res, 0, "email"), *name = stint_db_cell(res, 0, "name");

	if (id == NULL || role == NULL || email == NULL || name == NULL)
		return -1;
	snprintf(u->id_text, sizeof(u->id_text), "%s", id);
	u->id = strtoll(u->id_text, NULL, 10);
	u->role = stint_arena_strdup(&r->arena, role);
	u->email = stint_arena_strdup(&r->arena, email);
	u->name = stint_arena_strdup(&r->arena, name);
	return u->role && u->email && u->name ? 0 : -1;
}

/* 1 for the access levels that name a session (params[0]); deleted: a restore. */
static int session_route(const stint_route *rt, int *deleted)
{
	*deleted = rt->access == STINT_ACCESS_DELETED_SESSION_EDITOR;
	return rt->access == STINT_ACCESS_SESSION_VIEWER || rt->access == STINT_ACCESS_SESSION_EDITOR || *deleted;
}

/* The token's user and, for a session route, the grant too: one round trip. */
static stint_db_rc identify_token(stint_req *r, const stint_route *rt, const char *token)
{
	char hash[STINT_HASH_PARAM_LEN + 1];
	const char *p[3] = { hash, NULL, "false" };
	PGresult *res;
	stint_db_rc rc;
	int deleted;

	stint_secret_hash(token, hash);
	if (session_route(rt, &deleted)) {
		p[1] = r->params[0];
		p[2] = deleted ? "true" : "false";
	}
	rc = stint_db_exec_read(r->db, STINT_SQL_AUTH_TOKEN, 3, p, &res);
	if (rc != STINT_DB_OK)
		return rc;
	if (PQntuples(res) == 1 && take_user(r, res) == 0) {
		const char *scope = stint_db_cell(res, 0, "scope"), *grant = stint_db_cell(res, 0, "grant");
		const char *touch = stint_db_cell(res, 0, "touch_id");

		r->user.via_token = 1;
		r->user.can_write = scope != NULL && strcmp(scope, "write") == 0;
		r->user.grant_known = p[1] != NULL;
		r->user.grant = grant ? stint_arena_strdup(&r->arena, grant) : NULL;
		if (touch != NULL)
			(void)login_write(r, STINT_SQL_TOKEN_TOUCH, 1, &touch);  /* once a minute */
	}
	PQclear(res);
	return STINT_DB_OK;
}

/* Give the login a new cookie value (limits what a stolen cookie is worth). */
static void rotate_login(stint_req *r, const char *login_id)
{
	char secret[STINT_SECRET_HEX + 1], hash[STINT_HASH_PARAM_LEN + 1];
	const char *p[2] = { login_id, hash };

	if (stint_secret_new(secret, sizeof(secret), 0) != 0)
		return;
	stint_secret_hash(secret, hash);
	if (login_write(r, STINT_SQL_WEB_SESSION_ROTATE, 2, p) == STINT_DB_OK)
		set_cookie(r, secret, LOGIN_TTL_S);
}

static stint_db_rc identify_cookie(stint_req *r, const char *cookie)
{
	char hash[STINT_HASH_PARAM_LEN + 1], login_id[24];
	const char *p = hash;
	PGresult *res;
	stint_db_rc rc;
	int rotate = 0;

	if (strlen(cookie) != STINT_SECRET_HEX)
		return STINT_DB_OK;
	stint_secret_hash(cookie, hash);
	rc = stint_db_exec_read(r->db, STINT_SQL_AUTH_WEB_SESSION, 1, &p, &res);
	if (rc != STINT_DB_OK)
		return rc;
	if (PQntuples(res) == 1 && take_user(r, res) == 0) {
		r->user.can_write = 1;
		const char *due = stint_db_cell(res, 0, "rotate"), *id = stint_db_cell(res, 0, "login_id");

		rotate = due != NULL && strcmp(due, "t") == 0 && id != NULL;
		snprintf(login_id, sizeof(login_id), "%s", id ? id : "");
		snprintf(r->user.login_id, sizeof(r->user.login_id), "%s", login_id);
	}
	PQclear(res);
	if (rotate && strcmp(r->method, "GET") == 0)
		rotate_login(r, login_id);
	return STINT_DB_OK;
}

static stint_db_rc identify(stint_req *r, const stint_route *rt)
{
	const char *authz = stint_req_env(r, "HTTP_AUTHORIZATION");
	const char *cookie = stint_kv_get(&r->cookies, COOKIE);

	if (authz != NULL && strncasecmp(authz, "Bearer ", 7) == 0)
		return identify_token(r, rt, authz + 7);
	if (cookie != NULL)
		return identify_cookie(r, cookie);
	return STINT_DB_OK;
}

/*
 * The page an HTMX request came from (its header HX-Current-URL), as the
 * path of a page of Stint's own origin; "/" for anything else.
 */
static const char *htmx_page(const stint_req *r)
{
	const char *url = stint_req_env(r, "HTTP_HX_CURRENT_URL"), *scheme, *slash;
	char origin[512];

	if (url == NULL || (scheme = strstr(url, "://")) == NULL || (slash = strchr(scheme + 3, '/')) == NULL ||
	    (size_t)(slash - url) >= sizeof(origin))
		return "/";
	snprintf(origin, sizeof(origin), "%.*s", (int)(slash - url), url);
	return stint_origin_is_own(r, origin) ? slash : "/";
}

/*
 * Nobody signed in: 401 for the API, the login page for pages; an HTMX
 * fragment asked for by htmx (HX-Request) gets 401 with HX-Redirect to the
 * login page, back to the page it came from: htmx then loads it whole
 * instead of swapping a login page into a fragment's place.
 */
static void need_login(stint_req *r, const stint_route *rt)
{
	stint_buf loc = STINT_BUF_INIT;
	const char *hx = stint_req_env(r, "HTTP_HX_REQUEST");

	if (rt->format == STINT_FORMAT_JSON) {
		stint_resp_header(r, "WWW-Authenticate", "Bearer realm=\"stint\"");
		stint_fail(r, 401, "unauthorized",
			   "Sign in, or send an API token as Authorization: Bearer.", NULL);
		return;
	}
	if (rt->format == STINT_FORMAT_FRAGMENT && hx != NULL && strcmp(hx, "true") == 0) {
		stint_buf_puts(&loc, "/login?next=");
		stint_url_arg(&loc, htmx_page(r));
		stint_resp_header(r, "HX-Redirect", loc.data ? loc.data : "/login");
		stint_fail(r, 401, "unauthorized", "Sign in first.", NULL);
		stint_buf_free(&loc);
		return;
	}
	stint_buf_puts(&loc, "/login?next=");
	stint_url_arg(&loc, strcmp(r->method, "GET") == 0 ? r->path : "/");
	stint_resp_redirect(r, loc.data ? loc.data : "/login");
	stint_buf_free(&loc);
}

/* Session access for params[0]; 1 to go on, 0 after answering. */
static int check_session(stint_req *r, int edit, int deleted)
{
	const char *p[3] = { r->params[0], r->user.id_text, deleted ? "true" : "false" };
	PGresult *res = NULL;
	const char *grant = r->user.grant;
	stint_db_rc rc;
	int ok;

	if (!r->user.grant_known) {
		rc = stint_db_exec(r->db, STINT_SQL_SESSION_ACCESS, 3, p, &res);
		if (rc != STINT_DB_OK) {
			stint_fail_db(r, rc);
			return 0;
		}
		grant = stint_db_cell(res, 0, "grant");
	}
	ok = grant != NULL && (strcmp(grant, "edit") == 0 || (!edit && strcmp(grant, "view") == 0));
	if (grant == NULL)
		stint_fail(r, 404, "not_found", deleted ? "There is no deleted session with this id to restore." :
			   "There is no session with this id.", NULL);
	else if (!ok)
		stint_fail(r, 403, "forbidden", strcmp(grant, "view") == 0 ?
			   "You may view this session but not change it." :
			   "You do not have access to this session.", NULL);
	PQclear(res);
	return ok;
}

/*
 * 1 for a WebSocket frame (cgi-bin/live.c's ws_frame(): only nginx's
 * publisher socket sets STINT_WS_FRAME, conf/nginx/stint.conf.in) whose
 * handshake came from Stint's own Origin. A browser cannot add a CSRF header
 * to a WebSocket; it always sends Origin on the handshake, and the frame
 * carries the handshake's headers: checking that Origin is OWASP's defence
 * against cross-site WebSocket hijacking. No Origin is no proof here.
 */
static int ws_frame_origin_ok(const stint_req *r)
{
	const char *origin = stint_req_env(r, "HTTP_ORIGIN");

	return stint_req_env(r, "STINT_WS_FRAME") != NULL && origin != NULL && stint_origin_is_own(r, origin);
}

/*
 * 1 when r carries no credential at all and came from a loopback address
 * (REMOTE_ADDR: nginx's $remote_addr, from /etc/nginx/fastcgi_params):
 * 127.0.0.0/8 or ::1. A credential that is sent is checked, never skipped.
 */
static int anonymous_loopback(const stint_req *r)
{
	const char *peer = stint_req_env(r, "REMOTE_ADDR");

	if (stint_req_env(r, "HTTP_AUTHORIZATION") != NULL || stint_kv_get(&r->cookies, COOKIE) != NULL ||
	    peer == NULL)
		return 0;
	return strncmp(peer, "127.", 4) == 0 || strcmp(peer, "::1") == 0 || strncmp(peer, "::ffff:127.", 11) == 0;
}

int stint_auth_check(stint_req *r, const stint_route *rt)
{
	stint_db_rc rc;
	int writes = strcmp(r->method, "GET") != 0;

	if (rt->access == STINT_ACCESS_PUBLIC)
		return 0;
	if (rt->access == STINT_ACCESS_METRICS && anonymous_loopback(r))
		return 0;
	rc = identify(r, rt);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return -1;
	}
	if (r->user.id == 0) {
		need_login(r, rt);
		return -1;
	}
	if (writes && !r->user.can_write) {
		stint_fail(r, 403, "forbidden", "This API token is read-only.", NULL);
		return -1;
	}
	/* a page's script writing with the login cookie proves it read the page */
	if (writes && !r->user.via_token && rt->format == STINT_FORMAT_JSON && !stint_csrf_header_valid(r) &&
	    !ws_frame_origin_ok(r)) {
		stint_fail(r, 403, "csrf", "Send the page's CSRF token in the X-CSRF-Token header.", NULL);
		return -1;
	}
	switch (rt->access) {
	case STINT_ACCESS_AUTHOR:
		if (strcmp(r->user.role, "viewer") != 0)
			return 0;
		stint_fail(r, 403, "forbidden", "Viewers cannot create sessions.", NULL);
		return -1;
	case STINT_ACCESS_ADMIN:
	case STINT_ACCESS_METRICS:
		if (strcmp(r->user.role, "admin") == 0)
			return 0;
		stint_fail(r, 403, "forbidden", "Only administrators may do this.", NULL);
		return -1;
	case STINT_ACCESS_COACH:
		if (strcmp(r->user.role, "admin") == 0 || strcmp(r->user.role, "coach") == 0)
			return 0;
		stint_fail(r, 403, "forbidden", "Only administrators and coaches may change team settings.", NULL);
		return -1;
	case STINT_ACCESS_SESSION_VIEWER:
		return check_session(r, 0, 0) ? 0 : -1;
	case STINT_ACCESS_SESSION_EDITOR:
		return check_session(r, 1, 0) ? 0 : -1;
	case STINT_ACCESS_DELETED_SESSION_EDITOR:
		return check_session(r, 1, 1) ? 0 : -1;
	default:
		return 0;
	}
}

int stint_auth_media_file(stint_req *r, const char *sid, const char *file)
{
	char folder[37];
	const char *p[3] = { folder, r->user.id_text, "false" }, *grant;
	PGresult *res;
	int ok;

	if (!stint_is_safe_relpath(file) || strlen(file) < 38 || file[36] != '/' || strchr(file + 37, '/') != NULL)
		return 0;
	snprintf(folder, sizeof(folder), "%.36s", file);
	if (!stint_is_uuid(folder) || (sid != NULL && strcmp(folder, sid) != 0))
		return 0;
	if (stint_db_exec(r->db, STINT_SQL_SESSION_ACCESS, 3, p, &res) != STINT_DB_OK)
		return 0;
	grant = stint_db_cell(res, 0, "grant");
	ok = grant != NULL && strcmp(grant, "edit") == 0;
	PQclear(res);
	return ok;
}

stint_db_rc stint_auth_login(stint_tx *tx, const char *user_id, char secret[STINT_SECRET_HEX + 1],
			     char login_id[STINT_LOGIN_ID_LEN])
{
	char hash[STINT_HASH_PARAM_LEN + 1], *id = NULL;
	const char *p[2] = { user_id, hash };

	login_id[0] = '\0';
	if (stint_secret_new(secret, STINT_SECRET_HEX + 1, 0) != 0) {
		stint_tx_fail(tx, STINT_DB_ERROR);
		return tx->rc;
	}
	stint_secret_hash(secret, hash);
	if (stint_tx_text(tx, STINT_SQL_WEB_SESSION_CREATE, 2, p, &id) == STINT_DB_OK &&
	    (id == NULL || strlen(id) >= STINT_LOGIN_ID_LEN))
		stint_tx_fail(tx, STINT_DB_ERROR);
	if (tx->rc == STINT_DB_OK)
		snprintf(login_id, STINT_LOGIN_ID_LEN, "%s", id);
	free(id);
	return tx->rc;
}

int stint_auth_set_login_cookie(stint_req *r, const char *secret, const char *login_id)
{
	if (stint_csrf_token_for_login(r, login_id) == NULL)
		return -1;
	set_cookie(r, secret, LOGIN_TTL_S);
	return 0;
}

void stint_auth_logout(stint_req *r)
{
	const char *cookie = stint_kv_get(&r->cookies, COOKIE);
	char hash[STINT_HASH_PARAM_LEN + 1];
	const char *p = hash;

	if (cookie != NULL) {
		stint_secret_hash(cookie, hash);
		(void)login_write(r, STINT_SQL_WEB_SESSION_DELETE, 1, &p);
	}
	set_cookie(r, "", 0);
}
