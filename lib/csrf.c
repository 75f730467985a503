/* csrf.c: signed double-submit CSRF tokens and the Origin check (see csrf.h). */
#include "csrf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sodium.h>

#include "conf.h"
#include "log.h"
#include "route.h"

#define NONCE_HEX 64
#define MAC_HEX 64
#define SECRET_MIN 32
#define SECRET_MAX 256

static unsigned char csrf_secret[SECRET_MAX];
static size_t csrf_secret_len;

/* The secret file's first line into out (size bytes), trimmed; 0, or -1. */
static int read_secret_file(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL) {
		stint_log(STINT_LOG_ERROR, "cannot read the CSRF secret file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fgets(out, (int)size, f) == NULL)
		out[0] = '\0';
	fclose(f);
	n = strlen(out);
	while (n > 0 && isspace((unsigned char)out[n - 1]))
		out[--n] = '\0';
	return 0;
}

int stint_csrf_init(void)
{
	const char *secret = stint_config_get("csrf_secret", "");
	char path[4096], line[SECRET_MAX + 2];
	size_t n;

	if (*secret == '\0') {
		const char *file = stint_config_get("csrf_secret_file", "");

		if (*file == '\0') {
			snprintf(path, sizeof(path), "%s/csrf-secret", stint_config_get("var_dir", "var"));
			file = path;
		}
		if (read_secret_file(file, line, sizeof(line)) != 0)
			return -1;
		secret = line;
	}
	n = strlen(secret);
	if (n < SECRET_MIN || n > SECRET_MAX) {
		stint_log(STINT_LOG_ERROR, "the CSRF secret (csrf_secret or csrf_secret_file) must be %d to %d characters",
			  SECRET_MIN, SECRET_MAX);
		OPENSSL_cleanse(line, sizeof(line));
		return -1;
	}
	memcpy(csrf_secret, secret, n);
	csrf_secret_len = n;
	OPENSSL_cleanse(line, sizeof(line));
	return 0;
}

/* "NONCE.MAC": 64 hex digits, a dot, 64 hex digits. */
static int well_formed(const char *t)
{
	size_t i;

	if (t == NULL || strlen(t) != STINT_CSRF_LEN || t[NONCE_HEX] != '.')
		return 0;
	for (i = 0; i < STINT_CSRF_LEN; i++)
		if (i != NONCE_HEX && !isxdigit((unsigned char)t[i]))
			return 0;
	return 1;
}

/* The caller's binding: its browser login, or "anon" before one. */
static void binding_of(const stint_req *r, char *out, size_t size)
{
	if (r->user.id != 0 && !r->user.via_token && r->user.login_id[0] != '\0')
		snprintf(out, size, "login:%s", r->user.login_id);
	else
		snprintf(out, size, "anon");
}

/* The MAC of nonce (NONCE_HEX digits) for binding into out (MAC_HEX + 1); 0, or -1. */
static int sign(const char *binding, const char *nonce, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	char msg[128];
	int len = snprintf(msg, sizeof(msg), "%s|%.*s", binding, NONCE_HEX, nonce);

	if (csrf_secret_len == 0 || len < 0 || (size_t)len >= sizeof(msg) ||
	    HMAC(EVP_sha256(), csrf_secret, (int)csrf_secret_len, (const unsigned char *)msg, (size_t)len,
		 md, &n) == NULL || n * 2 != MAC_HEX)
		return -1;
	sodium_bin2hex(out, MAC_HEX + 1, md, n);
	return 0;
}

/* 1 when token is well-formed and signed for binding, else 0. */
static int signed_for(const char *token, const char *binding)
{
	char mac[MAC_HEX + 1];

	return well_formed(token) && sign(binding, token, mac) == 0 &&
	       CRYPTO_memcmp(mac, token + NONCE_HEX + 1, MAC_HEX) == 0;
}

/* A new token for binding, queued as the cookie and seen by later lookups in r. */
static const char *issue(stint_req *r, const char *binding)
{
	unsigned char raw[NONCE_HEX / 2];
	char cookie[64 + STINT_CSRF_LEN], *t;
	size_t i;

	t = stint_arena_alloc(&r->arena, STINT_CSRF_LEN + 1);
	if (t == NULL || RAND_bytes(raw, sizeof(raw)) != 1)
		return NULL;
	sodium_bin2hex(t, NONCE_HEX + 1, raw, sizeof(raw));
	t[NONCE_HEX] = '.';
	if (sign(binding, t, t + NONCE_HEX + 1) != 0)
		return NULL;
	snprintf(cookie, sizeof(cookie), "stint_csrf=%s; Path=/; HttpOnly; SameSite=Lax", t);
	if (stint_resp_header(r, "Set-Cookie", cookie) != 0)
		return NULL;
	for (i = 0; i < r->cookies.n; i++)
		if (strcmp(r->cookies.items[i].key, "stint_csrf") == 0)
			r->cookies.items[i].value = t;
	return t;
}

const char *stint_csrf_token(stint_req *r)
{
	const char *have = stint_kv_get(&r->cookies, "stint_csrf");
	char binding[48];

	binding_of(r, binding, sizeof(binding));
	if (signed_for(have, binding))
		return have;
	/*
	 * An error page answered before the caller was known (no route, a
	 * foreign Origin) has no form to sign: it keeps the token a login may
	 * hold rather than replace it with an anonymous one.
	 */
	if (r->user.id == 0 && well_formed(have) && (r->route == NULL || r->route->access != STINT_ACCESS_PUBLIC))
		return have;
	return issue(r, binding);
}

const char *stint_csrf_token_for_login(stint_req *r, const char *login_id)
{
	char binding[48];

	snprintf(binding, sizeof(binding), "login:%s", login_id);
	return issue(r, binding);
}

static int matches_cookie(const stint_req *r, const char *token)
{
	const char *cookie = stint_kv_get(&r->cookies, "stint_csrf");
	char binding[48];

	binding_of(r, binding, sizeof(binding));
	return well_formed(cookie) && well_formed(token) &&
	       CRYPTO_memcmp(cookie, token, STINT_CSRF_LEN) == 0 && signed_for(cookie, binding);
}

int stint_csrf_valid(const stint_req *r)
{
	return matches_cookie(r, stint_kv_get(&r->form, "csrf"));
}

int stint_csrf_header_valid(const stint_req *r)
{
	return matches_cookie(r, stint_req_env(r, "HTTP_X_CSRF_TOKEN"));
}

/* The allowed origin ("scheme://host[:port]") into out: public_base_url's, else the request's own. */
static void allowed_origin(const stint_req *r, char *out, size_t size)
{
	const char *base = stint_config_get("public_base_url", ""), *host, *https, *slash;

	if (*base != '\0') {
		slash = strstr(base, "://");
		slash = slash != NULL ? strchr(slash + 3, '/') : NULL;
		snprintf(out, size, "%.*s", slash != NULL ? (int)(slash - base) : (int)strlen(base), base);
		return;
	}
	host = stint_req_env(r, "HTTP_HOST");
	https = stint_req_env(r, "HTTPS");
	snprintf(out, size, "%s://%s", https != NULL && strcmp(https, "on") == 0 ? "https" : "http",
		 host != NULL ? host : "");
}

int stint_origin_is_own(const stint_req *r, const char *origin)
{
	char own[512];

	allowed_origin(r, own, sizeof(own));
	return strcasecmp(origin, own) == 0;
}

int stint_csrf_htmx_valid(const stint_req *r)
{
	const char *hx = stint_req_env(r, "HTTP_HX_REQUEST");
	const char *origin = stint_req_env(r, "HTTP_ORIGIN"), *referer = stint_req_env(r, "HTTP_REFERER");
	char allowed[512];
	size_t n;

	if (hx == NULL || strcmp(hx, "true") != 0)
		return 0;
	if (r->user.via_token)
		return 1;
	if (origin != NULL)
		return stint_origin_is_own(r, origin);
	if (referer == NULL)
		return 0;
	allowed_origin(r, allowed, sizeof(allowed));
	n = strlen(allowed);
	return strncasecmp(referer, allowed, n) == 0 && (referer[n] == '\0' || referer[n] == '/');
}

int stint_csrf_foreign_origin(const stint_req *r)
{
	const char *origin = stint_req_env(r, "HTTP_ORIGIN"), *referer = stint_req_env(r, "HTTP_REFERER");
	const char *authz = stint_req_env(r, "HTTP_AUTHORIZATION");
	char allowed[512];
	size_t n;

	if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0 || strcmp(r->method, "OPTIONS") == 0)
		return 0;
	if (authz != NULL && strncasecmp(authz, "Bearer ", 7) == 0 && stint_req_env(r, "HTTP_COOKIE") == NULL)
		return 0;  /* a script with an API token, not a browser */
	if (origin != NULL)
		return !stint_origin_is_own(r, origin);
	if (referer == NULL)
		return 0;
	allowed_origin(r, allowed, sizeof(allowed));
	n = strlen(allowed);
	return strncasecmp(referer, allowed, n) != 0 || (referer[n] != '\0' && referer[n] != '/');
}
