/* http.c: request parsing and the one response writer (see http.h). */
#include "http.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "conf.h"
#include "tx.h"

/* the fixed headers; the policy's img-src and media-src end with %s: the media origin, if any */
#define SECURITY_HEADERS \
	"X-Content-Type-Options: nosniff\r\n" \
	"X-Frame-Options: DENY\r\n" \
	"Referrer-Policy: same-origin\r\n" \
	"Content-Security-Policy: default-src 'self'; script-src 'self'; " \
	"style-src 'self'; img-src 'self' data:%s; media-src 'self' blob:%s; " \
	"connect-src 'self'; object-src 'none'; base-uri 'none'; " \
	"form-action 'self'; frame-ancestors 'none'\r\n"

/* " <origin>" that stint_http_allow_media_origin() set at start, or "" (read-only afterwards) */
static char media_origin[300];

int stint_http_allow_media_origin(const char *origin)
{
	size_t n = strlen(origin), scheme = strncmp(origin, "https://", 8) == 0 ? 8 :
		   strncmp(origin, "http://", 7) == 0 ? 7 : 0;

	if (scheme == 0 || n == scheme || n >= sizeof(media_origin) - 1 ||
	    strspn(origin + scheme, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
	    n - scheme)
		return -1;
	snprintf(media_origin, sizeof(media_origin), " %s", origin);
	return 0;
}

int stint_kv_add(stint_arena *a, stint_kvlist *l, const char *k, const char *v)
{
	stint_kv *items = stint_arena_grow(a, l->items, l->n, &l->cap, sizeof(*items));

	if (items == NULL)
		return -1;
	l->items = items;
	l->items[l->n].key = k;
	l->items[l->n].value = v;
	l->n++;
	return 0;
}

const char *stint_kv_get(const stint_kvlist *l, const char *key)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->items[i].key, key) == 0)
			return l->items[i].value;
	return NULL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode n bytes of s ('+' is a space, %XX a byte) into a new arena string. */
static char *url_decode(stint_arena *a, const char *s, size_t n)
{
	char *out = stint_arena_alloc(a, n + 1), *o = out;
	size_t i;

	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '+') {
			*o++ = ' ';
		} else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			*o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

int stint_parse_urlencoded(stint_arena *a, const char *s, size_t n, stint_kvlist *l)
{
	const char *end = s + n, *amp, *eq;
	char *k, *v;

	while (s < end) {
		amp = memchr(s, '&', (size_t)(end - s));
		if (amp == NULL)
			amp = end;
		if (amp > s) {
			eq = memchr(s, '=', (size_t)(amp - s));
			if (eq == NULL)
				eq = amp;
			k = url_decode(a, s, (size_t)(eq - s));
			v = url_decode(a, eq < amp ? eq + 1 : amp,
				       eq < amp ? (size_t)(amp - eq - 1) : 0);
			if (k == NULL || v == NULL || stint_kv_add(a, l, k, v) != 0)
				return -1;
		}
		s = amp + 1;
	}
	return 0;
}

int stint_parse_cookies(stint_arena *a, const char *s, stint_kvlist *l)
{
	const char *semi, *eq, *k, *ke;
	char *key, *value;

	while (s != NULL && *s != '\0') {
		while (*s == ' ' || *s == '\t')
			s++;
		semi = strchr(s, ';');
		if (semi == NULL)
			semi = s + strlen(s);
		eq = memchr(s, '=', (size_t)(semi - s));
		if (eq != NULL) {
			k = s;
			ke = eq;
			while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
				ke--;
			key = stint_arena_strndup(a, k, (size_t)(ke - k));
			value = stint_arena_strndup(a, eq + 1, (size_t)(semi - eq - 1));
			if (key == NULL || value == NULL || stint_kv_add(a, l, key, value) != 0)
				return -1;
		}
		s = *semi ? semi + 1 : semi;
	}
	return 0;
}

const char *stint_req_env(const stint_req *r, const char *name)
{
	return FCGX_GetParam(name, r->fcgx->envp);
}

int stint_req_https(const stint_req *r)
{
	const char *https = stint_req_env(r, "HTTPS");
	const char *base = stint_config_get("public_base_url", "");

	return (https != NULL && strcmp(https, "on") == 0) || strncmp(base, "https:", 6) == 0;
}

static void new_request_id(char out[17])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[8];
	int i;

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		memset(raw, 0, sizeof(raw));
	for (i = 0; i < 8; i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 15];
	}
	out[16] = '\0';
}

int stint_req_begin(stint_req *r, FCGX_Request *f, struct stint_db *db)
{
	const char *method, *path, *qs, *cookie;

	r->fcgx = f;
	r->db = db;
	clock_gettime(CLOCK_MONOTONIC, &r->started);
	new_request_id(r->request_id);
	memset(&r->query, 0, sizeof(r->query));
	memset(&r->form, 0, sizeof(r->form));
	memset(&r->cookies, 0, sizeof(r->cookies));
	memset(r->params, 0, sizeof(r->params));
	r->json = NULL;
	r->route = NULL;
	memset(&r->user, 0, sizeof(r->user));
	r->status = 0;
	r->bytes_out = 0;
	stint_buf_reset(&r->body);
	stint_buf_reset(&r->headers);
	stint_buf_reset(&r->out);

	method = stint_req_env(r, "REQUEST_METHOD");
	path = stint_req_env(r, "DOCUMENT_URI");
	qs = stint_req_env(r, "QUERY_STRING");
	cookie = stint_req_env(r, "HTTP_COOKIE");
	r->is_head = method != NULL && strcmp(method, "HEAD") == 0;
	r->method = stint_arena_strdup(&r->arena, r->is_head ? "GET" : method ? method : "GET");
	r->path = stint_arena_strdup(&r->arena, path ? path : "/");
	if (r->method == NULL || r->path == NULL)
		return -1;
	if (qs != NULL && stint_parse_urlencoded(&r->arena, qs, strlen(qs), &r->query) != 0)
		return -1;
	if (cookie != NULL && stint_parse_cookies(&r->arena, cookie, &r->cookies) != 0)
		return -1;
	return 0;
}

stint_db_rc stint_req_write(stint_req *r, stint_row_write *write, const char *id, int *found)
{
	stint_tx tx;

	stint_tx_begin(&tx, r->db, r->user.id_text);
	write(&tx, id, found);
	return stint_tx_end(&tx);
}

void stint_req_end(stint_req *r)
{
	cJSON_Delete(r->json);
	r->json = NULL;
	stint_arena_reset(&r->arena);
}

void stint_req_free(stint_req *r)
{
	stint_req_end(r);
	stint_arena_free(&r->arena);
	stint_buf_free(&r->body);
	stint_buf_free(&r->headers);
	stint_buf_free(&r->out);
}

int stint_req_read_body(stint_req *r, size_t max)
{
	char chunk[16384];
	int n;

	stint_buf_reset(&r->body);
	while ((n = FCGX_GetStr(chunk, (int)sizeof(chunk), r->fcgx->in)) > 0) {
		if (r->body.len + (size_t)n > max) {
			/* drain nothing more: the request is refused as a whole */
			return 413;
		}
		if (stint_buf_append(&r->body, chunk, (size_t)n) != 0)
			return -1;
	}
	if (FCGX_GetError(r->fcgx->in) != 0)
		return -1;
	if (r->body.data == NULL && stint_buf_append(&r->body, "", 0) != 0)
		return -1;
	return 0;
}

long stint_req_read(stint_req *r, char *buf, size_t n)
{
	int got = FCGX_GetStr(buf, n > INT_MAX ? INT_MAX : (int)n, r->fcgx->in);

	if (got > 0)
		return got;
	return FCGX_GetError(r->fcgx->in) != 0 ? -1 : 0;
}

static int has_crlf(const char *s)
{
	return strpbrk(s, "\r\n") != NULL;
}

int stint_resp_header(stint_req *r, const char *name, const char *value)
{
	if (r->status != 0 || has_crlf(name) || has_crlf(value))
		return -1;
	return stint_buf_printf(&r->headers, "%s: %s\r\n", name, value);
}

const char *stint_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 423: return "Locked";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	case 507: return "Insufficient Storage";
	default: return "Unknown";
	}
}

int stint_resp_send(stint_req *r, int status, const char *ctype,
		    const char *body, size_t len)
{
	stint_buf head = STINT_BUF_INIT;
	int rc = -1;

	if (r->status != 0)
		return -1;
	if (ctype != NULL && has_crlf(ctype))
		goto out;
	r->status = status;
	if (stint_buf_printf(&head, "Status: %d %s\r\n" SECURITY_HEADERS "X-Request-Id: %s\r\n",
			     status, stint_status_text(status), media_origin, media_origin, r->request_id) != 0)
		goto out;
	if (strstr(r->headers.data ? r->headers.data : "", "Cache-Control:") == NULL &&
	    stint_buf_puts(&head, "Cache-Control: no-store\r\n") != 0)
		goto out;
	if (r->headers.len > 0 && stint_buf_append(&head, r->headers.data, r->headers.len) != 0)
		goto out;
	if (ctype != NULL && stint_buf_printf(&head, "Content-Type: %s\r\n", ctype) != 0)
		goto out;
	if (stint_buf_printf(&head, "Content-Length: %lu\r\n\r\n", (unsigned long)len) != 0)
		goto out;
	if (FCGX_PutStr(head.data, (int)head.len, r->fcgx->out) < 0)
		goto out;
	if (!r->is_head && len > 0 && FCGX_PutStr(body, (int)len, r->fcgx->out) < 0)
		goto out;
	r->bytes_out = r->is_head ? 0 : len;
	rc = 0;
out:
	stint_buf_free(&head);
	return rc;
}

int stint_resp_json_text(stint_req *r, int status, const char *body, size_t len)
{
	return stint_resp_send(r, status, "application/json", body, len);
}

int stint_resp_json(stint_req *r, int status, const cJSON *json)
{
	char *text = cJSON_PrintUnformatted(json);
	int rc;

	if (text == NULL)
		return stint_resp_send(r, 500, "application/json",
			"{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}", 56);
	rc = stint_resp_json_text(r, status, text, strlen(text));
	free(text);
	return rc;
}

int stint_resp_error(stint_req *r, int status, const char *code,
		     const char *message, const cJSON *fields)
{
	cJSON *root = cJSON_CreateObject(), *err;
	int rc = -1;

	if (root == NULL)
		return -1;
	err = cJSON_AddObjectToObject(root, "error");
	if (err == NULL || cJSON_AddStringToObject(err, "code", code) == NULL ||
	    cJSON_AddStringToObject(err, "message", message) == NULL)
		goto out;
	if (fields != NULL &&
	    !cJSON_AddItemToObject(err, "fields", cJSON_Duplicate(fields, 1)))
		goto out;
	rc = stint_resp_json(r, status, root);
out:
	cJSON_Delete(root);
	return rc;
}

int stint_resp_redirect(stint_req *r, const char *location)
{
	if (location[0] != '/' || location[1] == '/' || location[1] == '\\' ||
	    stint_resp_header(r, "Location", location) != 0)
		return stint_resp_send(r, 500, "text/plain", "bad redirect\n", 13);
	return stint_resp_send(r, 303, NULL, NULL, 0);
}
