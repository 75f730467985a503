/*
 * tokens.h: tokens and shares, the ways in and what they reach: API
 * tokens, the users they belong to (logins, and stint-admin's accounts),
 * and a session's shares with other users. Used by cgi-bin/account.c,
 * cgi-bin/sessions.c and bin/stint-admin.c.
 *
 * Reads take the database; changes take a unit of work (lib/tx.h) and write
 * their audit_log row in it, as its actor (a tool acts as "0", or as the
 * user it acts for). A change returns tx's result so far; what it hands
 * back (*found, ids, a secret) is only meaningful once stint_tx_end() has
 * returned STINT_DB_OK. detail, where a change takes one, is the audit
 * row's detail (JSON text, e.g. {"via":"stint-admin"}) or NULL.
 *
 * Secrets are made and hashed with lib/auth.c's stint_secret_new() and
 * stint_secret_hash(): the database only ever sees their SHA-256.
 */
#ifndef STINT_TOKENS_H
#define STINT_TOKENS_H

#include <cjson/cJSON.h>

#include "auth.h"
#include "db.h"
#include "tx.h"

#define STINT_USER_ID_LEN 24  /* users.id (a bigint) as text, and a NUL */

/* --- API tokens --- */

/*
 * The live (not revoked) tokens of user_id, newest first, as a JSON array
 * [{id, name, scope, created_at, last_used_at}] in *tokens (caller
 * deletes). No secrets: they are not stored.
 */
stint_db_rc stint_token_list(stint_db *db, const char *user_id, cJSON **tokens);

/*
 * Make a token for user_id named name (1..100 characters) with scope "read"
 * or "write": its secret ("st_" + 64 hex digits) goes to token, the
 * stored row as JSON text {id, name, scope, created_at, last_used_at} to
 * *json (caller frees; may be NULL when not wanted). Audited as
 * token.create on the user. STINT_DB_ERROR when no randomness.
 */
stint_db_rc stint_token_create(stint_tx *tx, const char *user_id, const char *name, const char *scope,
			       const char *detail, char token[STINT_TOKEN_LEN + 1], char **json);

/*
 * Revoke token token_id (digits) of user_id; *found is 0 when user_id has
 * no such live token. Audited as token.revoke.
 */
stint_db_rc stint_token_revoke(stint_tx *tx, const char *user_id, const char *token_id, int *found);

/*
 * Revoke the live token whose secret is token, whoever owns it (a secret
 * never travels on a command line, so a tool reads it from stdin); its id
 * goes to id_out, *found is 0 when there is none. Audited as token.revoke.
 */
stint_db_rc stint_token_revoke_secret(stint_tx *tx, const char *token, const char *detail,
				      char id_out[STINT_USER_ID_LEN], int *found);

/* --- session shares --- */

/*
 * The shares of session_id as JSON text in *json (caller frees):
 * [{user_id, email, name, role, created_at}] ordered by email.
 */
stint_db_rc stint_share_list(stint_db *db, const char *session_id, char **json);

/*
 * Share session_id with the enabled user whose email is email (any case)
 * as role "viewer" or "editor", or change the role of an existing share;
 * *found is 0 when there is no such user. Audited as session.share on the
 * session, with {"email", "role"} as its detail.
 */
stint_db_rc stint_share_put(stint_tx *tx, const char *session_id, const char *email, const char *role,
			    int *found);

/*
 * End the share of session_id with user_id (digits); *found is 0 when
 * there was none. Audited as session.unshare on the session.
 */
stint_db_rc stint_share_delete(stint_tx *tx, const char *session_id, const char *user_id, int *found);

/* --- users --- */

/* What a login needs to know of an email address and its account. */
typedef struct stint_login_user {
	char id[STINT_USER_ID_LEN];                   /* "" when there is no such enabled user */
	char password_hash[crypto_pwhash_STRBYTES];   /* "" when none (or no user) */
	long locked_s;                                /* seconds the email stays locked; 0 */
} stint_login_user;

/*
 * The enabled account whose email is email (any case) into *out; an
 * unknown email gives an empty id and hash (verify it anyway: the same
 * time either way). The lockout is the email's, known or not: both answer
 * alike.
 */
stint_db_rc stint_user_for_login(stint_db *db, const char *email, stint_login_user *out);

/*
 * A wrong password for email, whose account is user_id (NULL or "" for an
 * unknown email): count the email's failure, which locks it from the fifth
 * on (lib/sql.h USER_LOGIN_FAILED), and write login.failed.
 */
stint_db_rc stint_user_login_failed(stint_tx *tx, const char *email, const char *user_id);

/* The right password for email (account user_id): forget its failures and write login. */
stint_db_rc stint_user_login_ok(stint_tx *tx, const char *email, const char *user_id);

/*
 * The id of the user whose email is email (any case) in id_out; *found is
 * 0 when there is none.
 */
stint_db_rc stint_user_id_by_email(stint_db *db, const char *email, char id_out[STINT_USER_ID_LEN],
				   int *found);

/*
 * Add a user (email stored in lower case; role admin, coach, analyst or
 * viewer; password_hash from stint_password_hash()); its id to id_out.
 * STINT_DB_CONFLICT when the email is taken. Audited as user.create.
 */
stint_db_rc stint_user_create(stint_tx *tx, const char *email, const char *name, const char *role,
			      const char *password_hash, const char *detail, char id_out[STINT_USER_ID_LEN]);

/*
 * Set the password of the user whose email is email and unlock the
 * account; its id to id_out, *found 0 when there is none. Audited as
 * user.password.
 */
stint_db_rc stint_user_set_password(stint_tx *tx, const char *email, const char *password_hash,
				    const char *detail, char id_out[STINT_USER_ID_LEN], int *found);

/*
 * Disable the user whose email is email, ending their logins and revoking
 * their tokens; its id to id_out, *found 0 when there is none. Audited as
 * user.disable.
 */
stint_db_rc stint_user_disable(stint_tx *tx, const char *email, const char *detail,
			       char id_out[STINT_USER_ID_LEN], int *found);

#endif
