/*
 * csrf.h: CSRF tokens for forms (double-submit cookie, OWASP CSRF cheat
 * sheet). The token is 32 random bytes in hex, kept in the HttpOnly,
 * SameSite=Lax cookie `stint_csrf` and repeated in every form as the hidden
 * field `csrf`; a form POST whose field does not match its cookie is refused
 * (403) by the dispatcher before any handler runs.
 */
#ifndef STINT_CSRF_H
#define STINT_CSRF_H

#include "http.h"

/*
 * The request's token: the cookie's when it is well-formed, else a new one
 * (queued as Set-Cookie). An arena string, or NULL on failure.
 */
const char *stint_csrf_token(stint_req *r);

/* 1 when the form field `csrf` matches the cookie (constant time), else 0. */
int stint_csrf_valid(const stint_req *r);

/*
 * 1 when the header X-CSRF-Token matches the cookie (constant time): what a
 * page's script sends when it writes to the JSON API with the login cookie.
 */
int stint_csrf_header_valid(const stint_req *r);

#endif
