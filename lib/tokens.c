/* tokens.c: tokens, shares and the users they belong to (see tokens.h). */
#include "tokens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live.h"

/* Copy res's first row's column into out (size bytes; "" when NULL or no row). */
static void copy_cell(const PGresult *res, const char *column, char *out, size_t size)
{
	const char *v = stint_db_cell(res, 0, column);

	snprintf(out, size, "%s", v != NULL ? v : "");
}

/* The audit row of a change (stint_tx_audit()'s arguments). */
typedef struct audit_row {
	const char *action, *type, *target, *detail;
} audit_row;

/*
 * Run write id (n parameters) in tx; unless column is NULL, that column of
 * the row it returned goes to out (size bytes, "" when none). When it
 * returned a row, write the audit row (whose target may be out: it is
 * filled by then). *found is 1 when it returned a row, else 0 (also when
 * tx has failed). Returns tx->rc.
 */
static stint_db_rc change_row(stint_tx *tx, stint_sql id, int n, const char *const *p, const char *column,
			      char *out, size_t size, const audit_row *audit, int *found)
{
	PGresult *res;

	*found = 0;
	if (column != NULL)
		out[0] = '\0';
	if (stint_tx_exec(tx, id, n, p, &res) != STINT_DB_OK)
		return tx->rc;
	*found = PQntuples(res) > 0;
	if (column != NULL)
		copy_cell(res, column, out, size);
	PQclear(res);
	if (*found)
		stint_tx_audit(tx, audit->action, audit->type, audit->target, audit->detail);
	return tx->rc;
}

/* After the COMMIT, end the open live subscriptions of user_id (when found). */
static stint_db_rc end_live_of_user(stint_tx *tx, const char *user_id, int found)
{
	char channel[STINT_LIVE_CHANNEL_LEN];

	if (!found || tx->rc != STINT_DB_OK)
		return tx->rc;
	stint_live_user_channel(channel, user_id);
	return stint_tx_close_live(tx, channel);
}

stint_db_rc stint_token_list(stint_db *db, const char *user_id, cJSON **tokens)
{
	return stint_db_json(db, STINT_SQL_TOKEN_LIST, 1, &user_id, tokens);
}

stint_db_rc stint_token_create(stint_tx *tx, const char *user_id, const char *name, const char *scope,
			       const char *detail, char token[STINT_TOKEN_LEN + 1], char **json)
{
	char hash[STINT_HASH_PARAM_LEN + 1], *row = NULL;
	const char *p[4] = { user_id, name, hash, scope };

	if (json != NULL)
		*json = NULL;
	if (stint_secret_new(token, STINT_TOKEN_LEN + 1, 1) != 0) {
		stint_tx_fail(tx, STINT_DB_ERROR);
		return tx->rc;
	}
	stint_secret_hash(token, hash);
	if (stint_tx_text(tx, STINT_SQL_TOKEN_CREATE, 4, p, &row) == STINT_DB_OK && row == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	stint_tx_audit(tx, "token.create", "user", user_id, detail);
	if (json != NULL && tx->rc == STINT_DB_OK) {
		*json = row;
		row = NULL;
	}
	free(row);
	return tx->rc;
}

stint_db_rc stint_token_revoke(stint_tx *tx, const char *user_id, const char *token_id, int *found)
{
	const char *p[2] = { token_id, user_id };

	change_row(tx, STINT_SQL_TOKEN_REVOKE, 2, p, NULL, NULL, 0,
		   &(audit_row){ "token.revoke", "token", token_id, NULL }, found);
	return end_live_of_user(tx, user_id, *found);
}

stint_db_rc stint_token_revoke_secret(stint_tx *tx, const char *token, const char *detail,
				      char id_out[STINT_USER_ID_LEN], int *found)
{
	char hash[STINT_HASH_PARAM_LEN + 1], user_id[STINT_USER_ID_LEN];
	const char *p = hash;
	PGresult *res;

	*found = 0;
	id_out[0] = '\0';
	stint_secret_hash(token, hash);
	if (stint_tx_exec(tx, STINT_SQL_TOKEN_REVOKE_SECRET, 1, &p, &res) != STINT_DB_OK)
		return tx->rc;
	*found = PQntuples(res) > 0;
	copy_cell(res, "id", id_out, STINT_USER_ID_LEN);
	copy_cell(res, "user_id", user_id, sizeof(user_id));
	PQclear(res);
	if (*found)
		stint_tx_audit(tx, "token.revoke", "token", id_out, detail);
	return end_live_of_user(tx, user_id, *found);
}

stint_db_rc stint_share_list(stint_db *db, const char *session_id, char **json)
{
	stint_db_rc rc = stint_db_text(db, STINT_SQL_SHARE_LIST, 1, &session_id, json);

	return rc == STINT_DB_OK && *json == NULL ? STINT_DB_ERROR : rc;
}

/* {"email": email, "role": role} as JSON text (caller frees), or NULL. */
static char *share_detail(const char *email, const char *role)
{
	cJSON *o = cJSON_CreateObject();
	char *text = NULL;

	if (o != NULL && cJSON_AddStringToObject(o, "email", email) != NULL &&
	    cJSON_AddStringToObject(o, "role", role) != NULL)
		text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

stint_db_rc stint_share_put(stint_tx *tx, const char *session_id, const char *email, const char *role,
			    int *found)
{
	const char *p[3] = { session_id, email, role };
	char user_id[STINT_USER_ID_LEN], *detail = share_detail(email, role);

	if (detail == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	change_row(tx, STINT_SQL_SHARE_PUT, 3, p, "user_id", user_id, sizeof(user_id),
		   &(audit_row){ "session.share", "session", session_id, detail }, found);
	free(detail);
	return tx->rc;
}

stint_db_rc stint_share_delete(stint_tx *tx, const char *session_id, const char *user_id, int *found)
{
	const char *p[2] = { session_id, user_id };
	char uid[STINT_USER_ID_LEN], channel[STINT_LIVE_CHANNEL_LEN];

	if (change_row(tx, STINT_SQL_SHARE_DELETE, 2, p, "user_id", uid, sizeof(uid),
		       &(audit_row){ "session.unshare", "session", session_id, NULL }, found) != STINT_DB_OK ||
	    !*found)
		return tx->rc;
	stint_live_share_channel(channel, session_id, uid);  /* uid as the database writes it */
	return stint_tx_close_live(tx, channel);
}

stint_db_rc stint_user_for_login(stint_db *db, const char *email, stint_login_user *out)
{
	PGresult *res;
	const char *locked;
	stint_db_rc rc = stint_db_exec(db, STINT_SQL_USER_FOR_LOGIN, 1, &email, &res);

	memset(out, 0, sizeof(*out));
	if (rc != STINT_DB_OK)
		return rc;
	if (PQntuples(res) == 1) {
		copy_cell(res, "id", out->id, sizeof(out->id));
		copy_cell(res, "password_hash", out->password_hash, sizeof(out->password_hash));
		locked = stint_db_cell(res, 0, "locked_s");
		out->locked_s = locked != NULL ? strtol(locked, NULL, 10) : 0;
	}
	PQclear(res);
	return STINT_DB_OK;
}

stint_db_rc stint_user_login_failed(stint_tx *tx, const char *email, const char *user_id)
{
	int known = user_id != NULL && *user_id != '\0';

	stint_tx_exec(tx, STINT_SQL_USER_LOGIN_FAILED, 1, &email, NULL);
	return stint_tx_audit(tx, "login.failed", "user", known ? user_id : NULL, NULL);
}

stint_db_rc stint_user_login_ok(stint_tx *tx, const char *email, const char *user_id)
{
	stint_tx_exec(tx, STINT_SQL_USER_LOGIN_OK, 1, &email, NULL);
	return stint_tx_audit(tx, "login", "user", user_id, NULL);
}

stint_db_rc stint_user_id_by_email(stint_db *db, const char *email, char id_out[STINT_USER_ID_LEN],
				   int *found)
{
	PGresult *res;
	stint_db_rc rc = stint_db_exec(db, STINT_SQL_USER_ID_BY_EMAIL, 1, &email, &res);

	id_out[0] = '\0';
	*found = 0;
	if (rc != STINT_DB_OK)
		return rc;
	*found = PQntuples(res) > 0;
	copy_cell(res, "id", id_out, STINT_USER_ID_LEN);
	PQclear(res);
	return STINT_DB_OK;
}

stint_db_rc stint_user_create(stint_tx *tx, const char *email, const char *name, const char *role,
			      const char *password_hash, const char *detail, char id_out[STINT_USER_ID_LEN])
{
	const char *p[4] = { email, name, role, password_hash };
	int found;

	if (change_row(tx, STINT_SQL_USER_CREATE, 4, p, "id", id_out, STINT_USER_ID_LEN,
		       &(audit_row){ "user.create", "user", id_out, detail }, &found) == STINT_DB_OK && !found)
		stint_tx_fail(tx, STINT_DB_ERROR);
	return tx->rc;
}

stint_db_rc stint_user_set_password(stint_tx *tx, const char *email, const char *password_hash,
				    const char *detail, char id_out[STINT_USER_ID_LEN], int *found)
{
	const char *p[2] = { email, password_hash };

	return change_row(tx, STINT_SQL_USER_SET_PASSWORD, 2, p, "id", id_out, STINT_USER_ID_LEN,
			  &(audit_row){ "user.password", "user", id_out, detail }, found);
}

stint_db_rc stint_user_disable(stint_tx *tx, const char *email, const char *detail,
			       char id_out[STINT_USER_ID_LEN], int *found)
{
	change_row(tx, STINT_SQL_USER_DISABLE, 1, &email, "id", id_out, STINT_USER_ID_LEN,
		   &(audit_row){ "user.disable", "user", id_out, detail }, found);
	return end_live_of_user(tx, id_out, *found);
}
