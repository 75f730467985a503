/* csrf.c: double-submit CSRF tokens (see csrf.h). */
#include "csrf.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#define CSRF_HEX 64

static int well_formed(const char *t)
{
	int i;

	if (t == NULL || strlen(t) != CSRF_HEX)
		return 0;
	for (i = 0; i < CSRF_HEX; i++)
		if (!isxdigit((unsigned char)t[i]))
			return 0;
	return 1;
}

const char *stint_csrf_token(stint_req *r)
{
	static const char hex[] = "0123456789abcdef";
	const char *have = stint_kv_get(&r->cookies, "stint_csrf");
	unsigned char raw[CSRF_HEX / 2];
	char cookie[160], *t;
	int i;

	if (well_formed(have))
		return have;
	t = stint_arena_alloc(&r->arena, CSRF_HEX + 1);
	if (t == NULL || RAND_bytes(raw, sizeof(raw)) != 1)
		return NULL;
	for (i = 0; i < CSRF_HEX / 2; i++) {
		t[2 * i] = hex[raw[i] >> 4];
		t[2 * i + 1] = hex[raw[i] & 15];
	}
	t[CSRF_HEX] = '\0';
	snprintf(cookie, sizeof(cookie), "stint_csrf=%s; Path=/; HttpOnly; SameSite=Lax", t);
	if (stint_resp_header(r, "Set-Cookie", cookie) != 0)
		return NULL;
	/* later lookups in this request see the new token */
	for (i = 0; (size_t)i < r->cookies.n; i++)
		if (strcmp(r->cookies.items[i].key, "stint_csrf") == 0)
			r->cookies.items[i].value = t;
	return t;
}

static int matches_cookie(const stint_req *r, const char *token)
{
	const char *cookie = stint_kv_get(&r->cookies, "stint_csrf");

	return well_formed(cookie) && well_formed(token) &&
	       CRYPTO_memcmp(cookie, token, CSRF_HEX) == 0;
}

int stint_csrf_valid(const stint_req *r)
{
	return matches_cookie(r, stint_kv_get(&r->form, "csrf"));
}

int stint_csrf_header_valid(const stint_req *r)
{
	return matches_cookie(r, stint_req_env(r, "HTTP_X_CSRF_TOKEN"));
}
