/*
 * auth.h: who is calling, and may they (issue "Accounts, access control").
 *
 * Two ways in: an API token (`Authorization: Bearer st_...`, scope read or
 * write) or a browser login (cookie `stint_session`, HttpOnly, SameSite=Lax,
 * Secure behind TLS, naming a web_sessions row that expires after 12 idle
 * hours and gets a new value every 15 minutes). Both secrets are 32 random
 * bytes; only their SHA-256 is stored. Passwords are argon2id
 * (libsodium crypto_pwhash_str, its "interactive" limits).
 */
#ifndef STINT_AUTH_H
#define STINT_AUTH_H

#include <sodium.h>

#include "db.h"
#include "http.h"
#include "route.h"

#define STINT_SECRET_HEX 64                 /* 32 random bytes in hex */
#define STINT_TOKEN_LEN (3 + STINT_SECRET_HEX) /* "st_" + hex */
#define STINT_HASH_PARAM_LEN (2 + 64)          /* "\x" + SHA-256 hex, a bytea literal */
#define STINT_LOGIN_ID_LEN 24                  /* a web_sessions.id as text, with its NUL */

/*
 * A new random secret: "st_" + 64 hex digits when api is 1 (API token),
 * else 64 hex digits (cookie value). Returns 0, or -1 when no randomness.
 */
int stint_secret_new(char *out, size_t size, int api);

/*
 * The SHA-256 of secret as a bytea parameter ("\x" + 64 hex digits) in out
 * (STINT_HASH_PARAM_LEN + 1 bytes).
 */
void stint_secret_hash(const char *secret, char out[STINT_HASH_PARAM_LEN + 1]);

/*
 * argon2id hash of password into out (crypto_pwhash_STRBYTES bytes).
 * Returns 0, or -1 when memory for the hash could not be had.
 */
int stint_password_hash(const char *password, char out[crypto_pwhash_STRBYTES]);

/*
 * 1 when password matches hash, else 0. With an empty hash it still spends
 * the time of a verification, so unknown accounts answer as slowly.
 */
int stint_password_verify(const char *hash, const char *password);

/*
 * The access check every route passes before its handler: identifies the
 * caller into r->user, then applies the route's access level. Returns 0 to
 * go on, or -1 after answering: 401 (JSON, with WWW-Authenticate) or a
 * redirect to /login (pages) when nobody is signed in; 403 when the caller
 * may not; 503 when the database is away.
 */
int stint_auth_check(stint_req *r, const stint_route *rt);

/*
 * 1 when file (a path under the media folder, as clients name it) may be
 * named by the caller: a plain relative path straight in a session's own
 * folder, <session id>/<name>, which only that session's uploads and
 * imports write (lib/media.h), of a session the caller may edit; when sid
 * is not NULL, that folder must be sid's. A file anywhere else (import/...,
 * deeper folders) belongs to no session and is nobody's to name. Else 0
 * (also when the database cannot say).
 */
int stint_auth_media_file(stint_req *r, const char *sid, const char *file);

/*
 * Store a new browser login for user_id in tx (lib/tx.h), put its cookie
 * value (hex) in secret and its web_sessions.id in login_id; after the
 * COMMIT, the handler queues both with stint_auth_set_login_cookie().
 * Returns tx's result.
 */
stint_db_rc stint_auth_login(struct stint_tx *tx, const char *user_id, char secret[STINT_SECRET_HEX + 1],
			     char login_id[STINT_LOGIN_ID_LEN]);

/*
 * Queue the Set-Cookie of a login that stint_auth_login() stored, and a new
 * CSRF token bound to it (lib/csrf.h). Returns 0, or -1 when the token
 * could not be made (the answer must not say the sign-in worked then).
 */
int stint_auth_set_login_cookie(stint_req *r, const char *secret, const char *login_id);

/* End the request's browser login, if any, and clear the cookie. */
void stint_auth_logout(stint_req *r);

#endif
