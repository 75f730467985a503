/*
 * account.c: signing in and out (/login, /logout), the account page
 * (/account: API tokens), and the tokens API (/api/v1/tokens).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "conf.h"
#include "db.h"
#include "server.h"
#include "validate.h"
#include "view.h"

static const char *const token_scopes[] = { "read", "write", NULL };
static const stint_field token_fields[] = {
	{ "name", STINT_F_STRING, STINT_F_REQUIRED, 1, 100, NULL },
	{ "scope", STINT_F_ENUM, STINT_F_REQUIRED, 0, 0, token_scopes },
};

/* A local path to go to after signing in; anything else becomes "/". */
static const char *safe_next(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\' ||
	    strpbrk(next, "\r\n") != NULL || strlen(next) > 1000)
		return "/";
	return next;
}

static void render_login(stint_req *r, int status, const char *email, const char *error)
{
	cJSON *data = cJSON_CreateObject();

	cJSON_AddStringToObject(data, "next", safe_next(stint_kv_get(&r->query, "next") ?
		stint_kv_get(&r->query, "next") : stint_kv_get(&r->form, "next")));
	cJSON_AddStringToObject(data, "email", email ? email : "");
	if (error != NULL)
		cJSON_AddStringToObject(data, "error", error);
	if (stint_kv_get(&r->query, "signed_out") != NULL)
		cJSON_AddStringToObject(data, "flash", "You are signed out.");
	stint_view_send(r, status, "login", data);
	cJSON_Delete(data);
}

static void login_page(stint_req *r)
{
	render_login(r, 200, NULL, NULL);
}

static void locked(stint_req *r, const char *email, long seconds)
{
	char msg[160], retry[24];

	snprintf(retry, sizeof(retry), "%ld", seconds);
	stint_resp_header(r, "Retry-After", retry);
	snprintf(msg, sizeof(msg), "Too many failed attempts for this account. Try again in %ld %s.",
		 seconds > 90 ? (seconds + 59) / 60 : seconds, seconds > 90 ? "minutes" : "seconds");
	render_login(r, 429, email, msg);
}

static void login(stint_req *r)
{
	const char *email = stint_kv_get(&r->form, "email");
	const char *password = stint_kv_get(&r->form, "password");
	char user_id[24] = "", hash[crypto_pwhash_STRBYTES] = "";
	PGresult *res;
	stint_db_rc rc;
	long lock_s = 0;

	if (email == NULL || password == NULL || *email == '\0' || *password == '\0' ||
	    strlen(email) > 254 || strlen(password) > 1024) {
		render_login(r, 422, email, "Enter your email and password.");
		return;
	}
	rc = stint_db_exec(r->db, STINT_SQL_USER_FOR_LOGIN, 1, &email, &res);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return;
	}
	if (PQntuples(res) == 1) {
		snprintf(user_id, sizeof(user_id), "%s", PQgetvalue(res, 0, 0));
		snprintf(hash, sizeof(hash), "%s", PQgetvalue(res, 0, 1));
		lock_s = strtol(PQgetvalue(res, 0, 2), NULL, 10);
	}
	PQclear(res);
	if (lock_s > 0) {
		locked(r, email, lock_s);
		return;
	}
	if (!stint_password_verify(hash, password)) {
		const char *p = user_id;

		if (user_id[0] != '\0')
			(void)stint_db_exec(r->db, STINT_SQL_USER_LOGIN_FAILED, 1, &p, NULL);
		(void)stint_audit(r, "login.failed", "user", user_id[0] ? user_id : NULL, NULL);
		render_login(r, 401, email, "The email or the password is wrong.");
		return;
	}
	{
		const char *p = user_id;

		rc = stint_db_exec(r->db, STINT_SQL_USER_LOGIN_OK, 1, &p, NULL);
	}
	if (rc == STINT_DB_OK)
		rc = stint_auth_login(r, user_id);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return;
	}
	snprintf(r->user.id_text, sizeof(r->user.id_text), "%s", user_id);
	(void)stint_audit(r, "login", "user", user_id, NULL);
	stint_resp_redirect(r, safe_next(stint_kv_get(&r->form, "next")));
}

static void logout(stint_req *r)
{
	stint_auth_logout(r);
	stint_resp_redirect(r, "/login?signed_out=1");
}

/* Query returning one JSON text cell, parsed; NULL after answering an error. */
static cJSON *query_json(stint_req *r, stint_sql id, int n, const char *const *p)
{
	PGresult *res;
	stint_db_rc rc = stint_db_exec(r->db, id, n, p, &res);
	cJSON *json;

	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return NULL;
	}
	json = cJSON_Parse(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (json == NULL)
		stint_fail(r, 500, "internal", "Internal error; it has been logged.", NULL);
	return json;
}

static void render_account(stint_req *r, int status, const char *new_token, cJSON *errors)
{
	const char *p = r->user.id_text;
	cJSON *tokens = query_json(r, STINT_SQL_TOKEN_LIST, 1, &p), *data;

	if (tokens == NULL) {
		cJSON_Delete(errors);
		return;
	}
	data = cJSON_CreateObject();
	cJSON_AddItemToObject(data, "tokens", tokens);
	cJSON_AddBoolToObject(data, "has_tokens", cJSON_GetArraySize(tokens) > 0);
	if (new_token != NULL)
		cJSON_AddStringToObject(data, "new_token", new_token);
	if (errors != NULL)
		cJSON_AddItemToObject(data, "errors", errors);
	if (stint_kv_get(&r->query, "revoked") != NULL)
		cJSON_AddStringToObject(data, "flash", "Token revoked.");
	stint_view_send(r, status, "account", data);
	cJSON_Delete(data);
}

static void account_page(stint_req *r)
{
	render_account(r, 200, NULL, NULL);
}

/*
 * Create a token for the caller from a validated body {name, scope};
 * the secret goes to token (STINT_TOKEN_LEN + 1) and the row's JSON to *json.
 */
static stint_db_rc create_token(stint_req *r, const cJSON *body, char *token, char **json)
{
	char hash[STINT_HASH_PARAM_LEN + 1];
	const char *p[4];
	PGresult *res = NULL;
	stint_db_rc rc;

	if (stint_secret_new(token, STINT_TOKEN_LEN + 1, 1) != 0)
		return STINT_DB_ERROR;
	stint_secret_hash(token, hash);
	p[0] = r->user.id_text;
	p[1] = cJSON_GetObjectItem(body, "name")->valuestring;
	p[2] = hash;
	p[3] = cJSON_GetObjectItem(body, "scope")->valuestring;
	rc = stint_change(r, STINT_SQL_TOKEN_CREATE, 4, p, "token.create", "user", r->user.id_text, NULL, &res);
	*json = rc == STINT_DB_OK && PQntuples(res) == 1 ? strdup(PQgetvalue(res, 0, 0)) : NULL;
	PQclear(res);
	return rc == STINT_DB_OK && *json == NULL ? STINT_DB_ERROR : rc;
}

static void create_token_form(stint_req *r)
{
	cJSON *body = stint_form_to_json(&r->form, token_fields, 2), *errors = NULL;
	char token[STINT_TOKEN_LEN + 1], *json = NULL;
	stint_db_rc rc;

	if (stint_validate_json(body, token_fields, 2, 0, &errors) != 0) {
		render_account(r, 422, NULL, errors);
		cJSON_Delete(body);
		return;
	}
	rc = create_token(r, body, token, &json);
	cJSON_Delete(body);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else
		render_account(r, 201, token, NULL);
	free(json);
}

static stint_db_rc revoke_token(stint_req *r, const char *id, int *found)
{
	const char *p[2] = { id, r->user.id_text };
	PGresult *res = NULL;
	stint_db_rc rc;

	*found = 0;
	if (strspn(id, "0123456789") != strlen(id) || strlen(id) > 18)
		return STINT_DB_OK;
	rc = stint_change(r, STINT_SQL_TOKEN_REVOKE, 2, p, "token.revoke", "token", id, NULL, &res);
	*found = rc == STINT_DB_OK && PQntuples(res) == 1;
	PQclear(res);
	return rc;
}

static void revoke_token_form(stint_req *r)
{
	int found;
	stint_db_rc rc = revoke_token(r, r->params[0], &found);

	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (!found)
		stint_fail(r, 404, "not_found", "There is no such token.", NULL);
	else
		stint_resp_redirect(r, "/account?revoked=1");
}

static void list_tokens(stint_req *r)
{
	const char *p = r->user.id_text;
	cJSON *tokens = query_json(r, STINT_SQL_TOKEN_LIST, 1, &p);

	if (tokens != NULL)
		stint_resp_json(r, 200, tokens);
	cJSON_Delete(tokens);
}

static void create_token_api(stint_req *r)
{
	cJSON *errors = NULL, *out;
	char token[STINT_TOKEN_LEN + 1], *json = NULL;
	stint_db_rc rc;

	if (stint_validate_json(r->json, token_fields, 2, 0, &errors) != 0) {
		stint_fail(r, 422, "invalid_fields", "Some fields are not valid; see fields.", errors);
		cJSON_Delete(errors);
		return;
	}
	rc = create_token(r, r->json, token, &json);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return;
	}
	out = cJSON_Parse(json);
	cJSON_AddStringToObject(out, "token", token);
	stint_resp_json(r, 201, out);
	cJSON_Delete(out);
	free(json);
}

static void delete_token_api(stint_req *r)
{
	int found;
	stint_db_rc rc = revoke_token(r, r->params[0], &found);

	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (!found)
		stint_fail(r, 404, "not_found", "There is no such token.", NULL);
	else
		stint_resp_send(r, 204, NULL, NULL, 0);
}

static int account_init(void)
{
	return stint_view_load(stint_config_get("template_dir", "templates"));
}

#define STINT_ROUTES_OF_account STINT_MINE
static const stint_route account_routes[] = {
#include "routes.def"
};

int main(int argc, char **argv)
{
	static const stint_app app = {
		"account", account_routes, sizeof(account_routes) / sizeof(account_routes[0]),
		account_init, stint_view_error
	};

	return stint_server_main(argc, argv, &app);
}
