/*
 * account.c: signing in and out (/login, /logout), the account page
 * (/account: API tokens), and the tokens API (/api/v1/tokens).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "conf.h"
#include "fail.h"
#include "timeshow.h"
#include "tokens.h"
#include "tx.h"
#include "validate.h"
#include "view.h"

static const char *const token_scopes[] = { "read", "write", NULL };

typedef struct token_in {
	const char *name, *scope;
} token_in;

static const stint_field token_fields[] = {
	{ "name", STINT_F_STRING, STINT_F_REQUIRED, 1, 100, NULL, STINT_DEST(token_in, name) },
	{ "scope", STINT_F_ENUM, STINT_F_REQUIRED, 0, 0, token_scopes, STINT_DEST(token_in, scope) },
};

/*
 * A local path to go to after signing in (decoded): one "/" followed by
 * neither "/" nor a backslash (browsers read both as another host), no control
 * character (a tab or a line break there is dropped by URL parsers, which
 * then see "//host"); anything else becomes "/".
 */
static const char *safe_next(const char *next)
{
	const unsigned char *c;

	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > 1000)
		return "/";
	for (c = (const unsigned char *)next; *c != '\0'; c++)
		if (*c < 0x20 || *c == 0x7f)
			return "/";
	return next;
}

/* Send view with data (deleted here), adding flash when the query has flash_key. */
static void send_page(stint_req *r, int status, const char *view, cJSON *data, const char *flash_key,
		      const char *flash)
{
	if (stint_kv_get(&r->query, flash_key) != NULL)
		cJSON_AddStringToObject(data, "flash", flash);
	stint_view_send(r, status, view, data);
	cJSON_Delete(data);
}

static void render_login(stint_req *r, int status, const char *email, const char *error)
{
	cJSON *data = cJSON_CreateObject();

	cJSON_AddStringToObject(data, "next", safe_next(stint_kv_get(&r->query, "next") ?
		stint_kv_get(&r->query, "next") : stint_kv_get(&r->form, "next")));
	cJSON_AddStringToObject(data, "email", email ? email : "");
	if (error != NULL)
		cJSON_AddStringToObject(data, "error", error);
	send_page(r, status, "login", data, "signed_out", "You are signed out.");
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
	char secret[STINT_SECRET_HEX + 1], login_id[STINT_LOGIN_ID_LEN];
	stint_login_user u;
	stint_tx tx;
	stint_db_rc rc;

	if (email == NULL || password == NULL || *email == '\0' || *password == '\0' ||
	    strlen(email) > 254 || strlen(password) > 1024) {
		render_login(r, 422, email, "Enter your email and password.");
		return;
	}
	rc = stint_user_for_login(r->db, email, &u);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return;
	}
	if (u.locked_s > 0) {
		locked(r, email, u.locked_s);
		return;
	}
	if (!stint_password_verify(u.password_hash, password)) {
		stint_tx_begin(&tx, r->db, r->user.id_text);
		stint_user_login_failed(&tx, email, u.id);
		(void)stint_tx_end(&tx);
		render_login(r, 401, email, "The email or the password is wrong.");
		return;
	}
	stint_tx_begin(&tx, r->db, u.id);
	stint_user_login_ok(&tx, email, u.id);
	stint_auth_login(&tx, u.id, secret, login_id);
	rc = stint_tx_end(&tx);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return;
	}
	if (stint_auth_set_login_cookie(r, secret, login_id) != 0) {
		stint_fail(r, 500, "internal", "Internal error; it has been logged.", NULL);
		return;
	}
	stint_resp_redirect(r, safe_next(stint_kv_get(&r->form, "next")));
}

static void logout(stint_req *r)
{
	stint_auth_logout(r);
	stint_resp_redirect(r, "/login?signed_out=1");
}

/* Add out_key: the time under key as pages show it (timeshow.h), when it is one. */
static void add_shown(cJSON *o, const char *key, const char *out_key)
{
	char shown[40];
	double t;

	if (stint_timestamp_epoch(cJSON_GetStringValue(cJSON_GetObjectItem(o, key)), &t) == 0 &&
	    stint_time_show(t, shown, sizeof(shown)) == 0)
		cJSON_AddStringToObject(o, out_key, shown);
}

static void render_account(stint_req *r, int status, const char *new_token, cJSON *errors)
{
	cJSON *tokens = NULL, *data, *t;
	stint_db_rc rc = stint_token_list(r->db, r->user.id_text, &tokens);

	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		cJSON_Delete(errors);
		return;
	}
	data = cJSON_CreateObject();
	cJSON_ArrayForEach(t, tokens) {
		add_shown(t, "created_at", "created_shown");
		add_shown(t, "last_used_at", "last_used_shown");
	}
	cJSON_AddItemToObject(data, "tokens", tokens);
	cJSON_AddBoolToObject(data, "has_tokens", cJSON_GetArraySize(tokens) > 0);
	if (new_token != NULL)
		cJSON_AddStringToObject(data, "new_token", new_token);
	if (errors != NULL)
		cJSON_AddItemToObject(data, "errors", errors);
	send_page(r, status, "account", data, "revoked", "Token revoked.");
}

static void account_page(stint_req *r)
{
	render_account(r, 200, NULL, NULL);
}

/*
 * Create a token for the caller from validated values {name, scope};
 * the secret goes to token (STINT_TOKEN_LEN + 1) and the row's JSON to *json.
 */
static stint_db_rc create_token(stint_req *r, const token_in *in, char *token, char **json)
{
	stint_tx tx;

	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_token_create(&tx, r->user.id_text, in->name, in->scope, NULL, token, json);
	return stint_tx_end(&tx);
}

static void create_token_form(stint_req *r)
{
	cJSON *body = stint_form_to_json(&r->form, STINT_SPEC(token_fields)), *errors = NULL;
	char token[STINT_TOKEN_LEN + 1], *json = NULL;
	token_in in = { NULL, NULL };
	stint_db_rc rc;

	if (stint_validate_json(body, STINT_SPEC(token_fields), 0, &in, &errors) != 0) {
		render_account(r, 422, NULL, errors);
		cJSON_Delete(body);
		return;
	}
	rc = create_token(r, &in, token, &json);
	cJSON_Delete(body);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else
		render_account(r, 201, token, NULL);
	free(json);
}

/* Revoke the caller's token of the path: 1, or 0 when it answered a failure (404 when there is none). */
static int revoke_token(stint_req *r)
{
	stint_tx tx;
	stint_db_rc rc;
	int found;

	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_token_revoke(&tx, r->user.id_text, r->params[0], &found);
	rc = stint_tx_end(&tx);
	return stint_found_or_fail(r, rc, found, "There is no such token.");
}

static void revoke_token_form(stint_req *r)
{
	if (revoke_token(r))
		stint_resp_redirect(r, "/account?revoked=1");
}

static void list_tokens(stint_req *r)
{
	cJSON *tokens = NULL;
	stint_db_rc rc = stint_token_list(r->db, r->user.id_text, &tokens);

	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else
		stint_resp_json(r, 200, tokens);
	cJSON_Delete(tokens);
}

static void create_token_api(stint_req *r)
{
	cJSON *errors = NULL, *out;
	char token[STINT_TOKEN_LEN + 1], *json = NULL;
	token_in in = { NULL, NULL };
	stint_db_rc rc;

	if (stint_validate_json(r->json, STINT_SPEC(token_fields), 0, &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	rc = create_token(r, &in, token, &json);
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
	if (revoke_token(r))
		stint_resp_send(r, 204, NULL, NULL, 0);
}

static int account_init(void)
{
	return stint_view_load(stint_config_get("template_dir", "templates"));
}

#define STINT_PROGRAM_NAME "account"
#define STINT_PROGRAM_INIT account_init
#define STINT_PROGRAM_HTML_ERROR stint_view_error
#define STINT_ROUTES_OF_account STINT_MINE
#include "program.h"
