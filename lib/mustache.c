/*
 * mustache.c: the mustache renderer (see mustache.h), spec v1.4.2 with
 * ~inheritance and the {{>*name}} / {{<*name}} form of ~dynamic-names.
 *
 * A render compiles each template text it meets (the top template, each
 * partial and parent) once into a flat token array, kept in a per-render
 * cache keyed by the text's address, then walks the tokens. A container
 * (section, inverted section, parent, block) holds the index past its
 * content, so skipping one is a single jump. Whether a tag is standalone is
 * decided while compiling, so the renderer only copies text and looks up
 * values. All state lives in the call: nothing static is written.
 *
 * Indentation. The spec defines a standalone partial's indentation as text
 * prepended to each line of the partial before it is parsed. We apply it
 * while rendering instead, with the same result: every token that starts a
 * line of its template is flagged, and a chain of indentation strings on the
 * C stack (one link per standalone partial, parent or block being expanded)
 * is written before such a token and after each newline inside a text
 * token. Block reindentation (the ~inheritance tests "Block reindentation",
 * "Intrinsic indentation", "Nested block reindentation") also strips the
 * common leading blanks of a standalone block's content, so a render-time
 * transform is a pair (indentation chain, blanks to strip). A standalone
 * block is written at its own content's indentation, or at the blanks
 * before its tag when that content has none.
 *
 * Inheritance. A parent tag's direct block children are its arguments; the
 * render keeps a chain of argument lists, and a block takes the outermost
 * argument of its name, else its own content, evaluated in the context
 * stack where the block stands. As the ~inheritance tests require,
 * "{{<p}}{{/p}}", "{{<p}}{{$b}}" and "{{/b}}{{/p}}" alone on a line are
 * standalone as if one tag; so is "{{$b}}{{/b}}", but it keeps its line
 * ending (github.com/mustache/spec pull 131, review discussion).
 */
#include "mustache.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

#define MU_MAX_DEPTH 64		/* partials, parents and arguments in use */
#define MU_NAME_MAX 255		/* bytes in a partial's name */
#define MU_NONE SIZE_MAX

enum mu_type {
	MU_TEXT,
	MU_VAR,		/* {{name}}: HTML-escaped */
	MU_RAW,		/* {{{name}}} or {{&name}}: as it is */
	MU_SECTION,	/* {{#name}} */
	MU_INVERTED,	/* {{^name}} */
	MU_PARTIAL,	/* {{>name}} */
	MU_PARENT,	/* {{<name}} */
	MU_BLOCK,	/* {{$name}} */
};

enum {
	MU_BOL = 1,		/* starts a line of its template */
	MU_STANDALONE = 2,	/* alone on its line, which is removed */
	MU_DYNAMIC = 4,		/* {{>*name}}: the template's name is data */
};

/* A standalone pair's first tag was seen; what the second one drops. */
enum mu_pair { MU_PAIR_NONE, MU_PAIR_LINE, MU_PAIR_KEEP_EOL };

struct mu_tok {
	const char *s;		/* text, or the tag's name */
	size_t n;
	const char *ws;		/* standalone: the blanks before the tag */
	size_t wsn;
	const char *dind;	/* standalone block: content's indentation */
	size_t dindn;
	size_t end;		/* container: index past its content */
	unsigned char type;
	unsigned char flags;
};

struct mu_tmpl {
	const char *src;	/* cache key: the loader's text */
	size_t len;
	struct mu_tok *tok;
	size_t ntok;
	size_t cap;
	struct mu_tmpl *next;
};

/* One parsed tag: [start, end) in the template, sigil, trimmed content. */
struct mu_tag {
	size_t start;
	size_t end;
	char sigil;
	int dynamic;
	const char *name;
	size_t namen;
};

enum mu_tag_err { TAG_OK, TAG_UNCLOSED, TAG_EMPTY, TAG_BADNAME, TAG_BADDELIM };

struct mu_comp {
	const char *t;
	size_t n;
	const char *od;		/* current opening delimiter */
	const char *cd;		/* current closing delimiter */
	size_t odn;
	size_t cdn;
	struct mu_tmpl *tm;
	size_t open;		/* innermost open container, or MU_NONE */
	size_t text;		/* start of text not yet emitted */
	enum mu_pair pair;
	const char *name;	/* partial's name for messages; NULL: top */
	stint_buf *err;
};

/* Where a tag's line is cut: text before it ends at cut, scanning resumes. */
struct mu_layout {
	size_t cut;
	size_t resume;
	int standalone;
};

struct mu_ind {
	const char *s;
	size_t n;
	const struct mu_ind *up;	/* outer indentation, written first */
};

struct mu_xf {
	const struct mu_ind *ind;	/* written at each line start */
	size_t strip;			/* blanks dropped at each line start */
};

struct mu_ctx {
	const cJSON *v;
	const struct mu_ctx *up;
};

/* The arguments of one parent tag: its tokens [first, end) in tm. */
struct mu_args {
	const struct mu_tmpl *tm;
	size_t first;
	size_t end;
	struct mu_xf xf;		/* transform where they were written */
	const struct mu_args *up;
};

struct mu_frame {
	const struct mu_tmpl *tm;
	const struct mu_ctx *ctx;
	const struct mu_args *args;
	struct mu_xf xf;
};

struct mu_render {
	stint_mustache_partial_fn load;
	void *load_ctx;
	stint_buf *out;
	stint_buf *err;
	struct mu_tmpl *cache;
	unsigned depth;
};

/* ---- compiling ---------------------------------------------------------- */

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static int is_space(char ch)
{
	return is_blank(ch) || ch == '\n' || ch == '\r' || ch == '\v' ||
	       ch == '\f';
}

static int is_container(unsigned char type)
{
	return type == MU_SECTION || type == MU_INVERTED ||
	       type == MU_PARENT || type == MU_BLOCK;
}

static size_t find(const char *s, size_t n, size_t from, const char *d,
		   size_t dn)
{
	const char *p;

	while (from + dn <= n) {
		p = memchr(s + from, d[0], n - from - dn + 1);
		if (p == NULL)
			return MU_NONE;
		from = (size_t)(p - s);
		if (memcmp(p, d, dn) == 0)
			return from;
		from++;
	}
	return MU_NONE;
}

static unsigned line_of(const char *t, size_t pos)
{
	unsigned line = 1;
	size_t i;

	for (i = 0; i < pos; i++)
		line += t[i] == '\n';
	return line;
}

static int comp_fail(const struct mu_comp *c, size_t pos, const char *fmt,
		     ...) __attribute__((format(printf, 3, 4)));

/* Appends "[partial "x": ]line N: message" to the error buffer; -1. */
static int comp_fail(const struct mu_comp *c, size_t pos, const char *fmt,
		     ...)
{
	va_list ap;

	if (c->err == NULL)
		return -1;
	if (c->name != NULL)
		stint_buf_printf(c->err, "partial \"%s\": ", c->name);
	stint_buf_printf(c->err, "line %u: ", line_of(c->t, pos));
	va_start(ap, fmt);
	stint_buf_vprintf(c->err, fmt, ap);
	va_end(ap);
	return -1;
}

static int name_len_int(size_t n)
{
	return n > 200 ? 200 : (int)n;
}

/* Trims white space around [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
}

/* A name is "." or dot-separated non-empty parts without blanks or NULs. */
static int name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 1 && s[0] == '.')
		return 1;
	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		if (is_space(s[i]) || s[i] == '\0' ||
		    (s[i] == '.' && s[i + 1] == '.'))
			return 0;
	}
	return 1;
}

/* Finds the end of the tag whose content starts at cs; MU_NONE if none. */
static size_t tag_close(const struct mu_comp *c, size_t cs, char sigil,
			size_t *ce)
{
	size_t q = find(c->t, c->n, cs, c->cd, c->cdn);
	char want = sigil == '{' ? '}' : sigil == '=' ? '=' : 0;

	if (want == 0 || q == MU_NONE) {
		*ce = q;
		return q;
	}
	while (q != MU_NONE && (q == cs || c->t[q - 1] != want))
		q = find(c->t, c->n, q + 1, c->cd, c->cdn);
	*ce = q == MU_NONE ? q : q - 1;
	return q;
}

/* Parses the tag whose opening delimiter is at p (already matched). */
static enum mu_tag_err tag_parse(const struct mu_comp *c, size_t p,
				 struct mu_tag *tg)
{
	static const char sigils[] = "#^/><$!=&{";
	size_t cs = p + c->odn, ce, q;

	tg->start = p;
	tg->sigil = 0;
	tg->dynamic = 0;
	if (cs < c->n && c->t[cs] != '\0' && strchr(sigils, c->t[cs]))
		tg->sigil = c->t[cs++];
	q = tag_close(c, cs, tg->sigil, &ce);
	if (q == MU_NONE)
		return tg->sigil == '=' ? TAG_BADDELIM : TAG_UNCLOSED;
	tg->end = q + c->cdn;
	tg->name = c->t + cs;
	tg->namen = ce - cs;
	trim(&tg->name, &tg->namen);
	if (tg->sigil == '!' || tg->sigil == '=')
		return TAG_OK;
	if ((tg->sigil == '>' || tg->sigil == '<') && tg->namen > 0 &&
	    tg->name[0] == '*') {
		tg->dynamic = 1;
		tg->name++;
		tg->namen--;
		trim(&tg->name, &tg->namen);
	}
	if (tg->namen == 0)
		return TAG_EMPTY;
	return name_ok(tg->name, tg->namen) ? TAG_OK : TAG_BADNAME;
}

static int tag_fail(const struct mu_comp *c, size_t p, enum mu_tag_err e)
{
	switch (e) {
	case TAG_UNCLOSED:
		return comp_fail(c, p, "unclosed tag");
	case TAG_EMPTY:
		return comp_fail(c, p, "empty tag");
	case TAG_BADNAME:
		return comp_fail(c, p, "bad name in tag");
	default:
		return comp_fail(c, p, "bad delimiter change");
	}
}

/* Start of p's line if only blanks precede p on it, else MU_NONE. */
static size_t blank_before(const char *t, size_t p)
{
	while (p > 0 && is_blank(t[p - 1]))
		p--;
	return p == 0 || t[p - 1] == '\n' ? p : MU_NONE;
}

/*
 * Past the end of p's line if only blanks follow p on it, else MU_NONE;
 * *eol is where the line ending (or the template's end) starts.
 */
static size_t blank_after(const char *t, size_t n, size_t p, size_t *eol)
{
	while (p < n && is_blank(t[p]))
		p++;
	*eol = p;
	if (p == n)
		return n;
	if (t[p] == '\n')
		return p + 1;
	if (t[p] == '\r' && p + 1 < n && t[p + 1] == '\n')
		return p + 2;
	return MU_NONE;
}

static int can_stand(char sigil)
{
	return sigil != 0 && strchr("#^/!=><$", sigil) != NULL;
}

static int same_name(const struct mu_tag *a, const char *s, size_t n)
{
	return a->namen == n && memcmp(a->name, s, n) == 0;
}

/*
 * Whether tag tg (blanks before it on its line) and the tag right after it
 * form a standalone pair, and what the second one drops.
 */
static enum mu_pair pair_kind(const struct mu_comp *c, const struct mu_tag *tg)
{
	const struct mu_tok *o;
	struct mu_tag nx;
	size_t eol;

	if (tg->sigil != '<' && tg->sigil != '$' && tg->sigil != '/')
		return MU_PAIR_NONE;
	if (tg->end + c->odn > c->n ||
	    memcmp(c->t + tg->end, c->od, c->odn) != 0 ||
	    tag_parse(c, tg->end, &nx) != TAG_OK ||
	    blank_after(c->t, c->n, nx.end, &eol) == MU_NONE)
		return MU_PAIR_NONE;
	if (tg->sigil == '<' && (nx.sigil == '$' || (nx.sigil == '/' &&
	    same_name(&nx, tg->name, tg->namen))))
		return MU_PAIR_LINE;
	if (tg->sigil == '$' && nx.sigil == '/' &&
	    same_name(&nx, tg->name, tg->namen))
		return MU_PAIR_KEEP_EOL;
	if (tg->sigil != '/' || nx.sigil != '/' || c->open == MU_NONE)
		return MU_PAIR_NONE;
	o = &c->tm->tok[c->open];
	if (o->type != MU_BLOCK || !same_name(tg, o->s, o->n) ||
	    o->end == MU_NONE)
		return MU_PAIR_NONE;
	o = &c->tm->tok[o->end];
	return o->type == MU_PARENT && same_name(&nx, o->s, o->n) ?
	       MU_PAIR_LINE : MU_PAIR_NONE;
}

/* Decides how much of tg's line goes with it (spec: "standalone" tags). */
static void tag_layout(struct mu_comp *c, const struct mu_tag *tg,
		       struct mu_layout *ly)
{
	size_t ls, eol, past;

	ly->cut = tg->start;
	ly->resume = tg->end;
	ly->standalone = 0;
	if (c->pair != MU_PAIR_NONE) {
		past = blank_after(c->t, c->n, tg->end, &eol);
		ly->resume = c->pair == MU_PAIR_KEEP_EOL ? eol : past;
		ly->standalone = 1;
		c->pair = MU_PAIR_NONE;
		return;
	}
	if (!can_stand(tg->sigil))
		return;
	ls = blank_before(c->t, tg->start);
	if (ls == MU_NONE || ls < c->text)
		return;
	past = blank_after(c->t, c->n, tg->end, &eol);
	if (past == MU_NONE) {
		c->pair = pair_kind(c, tg);
		if (c->pair == MU_PAIR_NONE)
			return;
	} else {
		ly->resume = past;
	}
	ly->cut = ls;
	ly->standalone = 1;
}

static int tok_push(struct mu_comp *c, unsigned char type, const char *s,
		    size_t n, size_t at)
{
	struct mu_tmpl *tm = c->tm;
	struct mu_tok *tk;
	size_t cap;

	if (tm->ntok == tm->cap) {
		cap = tm->cap ? tm->cap * 2 : 32;
		tk = realloc(tm->tok, cap * sizeof(*tk));
		if (tk == NULL)
			return -1;
		tm->tok = tk;
		tm->cap = cap;
	}
	tk = &tm->tok[tm->ntok++];
	memset(tk, 0, sizeof(*tk));
	tk->type = type;
	tk->s = s;
	tk->n = n;
	if (at == 0 || c->t[at - 1] == '\n')
		tk->flags = MU_BOL;
	return 0;
}

static int emit_text(struct mu_comp *c, size_t from, size_t to)
{
	if (to <= from)
		return 0;
	return tok_push(c, MU_TEXT, c->t + from, to - from, from);
}

/*
 * A comment or delimiter change inside a line leaves nothing, but if it
 * starts the line the line still starts there: an empty text token keeps
 * the place where indentation is written.
 */
static int emit_line_mark(struct mu_comp *c, const struct mu_tag *tg,
			  const struct mu_layout *ly)
{
	if (ly->standalone || (tg->start > 0 && c->t[tg->start - 1] != '\n'))
		return 0;
	return tok_push(c, MU_TEXT, c->t + tg->start, 0, tg->start);
}

static int set_delims(struct mu_comp *c, const struct mu_tag *tg)
{
	const char *s = tg->name, *e = tg->name + tg->namen, *o, *d;
	size_t on;

	for (o = s; s < e && !is_space(*s) && *s != '='; s++)
		;
	on = (size_t)(s - o);
	while (s < e && is_space(*s))
		s++;
	for (d = s; s < e && !is_space(*s) && *s != '='; s++)
		;
	if (on == 0 || s == d || s != e)
		return comp_fail(c, tg->start, "bad delimiter change");
	c->od = o;
	c->odn = on;
	c->cd = d;
	c->cdn = (size_t)(s - d);
	return 0;
}

static unsigned char sigil_type(char sigil)
{
	switch (sigil) {
	case '#':
		return MU_SECTION;
	case '^':
		return MU_INVERTED;
	case '>':
		return MU_PARTIAL;
	case '<':
		return MU_PARENT;
	case '$':
		return MU_BLOCK;
	case '&':
	case '{':
		return MU_RAW;
	default:
		return MU_VAR;
	}
}

static int comp_open(struct mu_comp *c, const struct mu_tag *tg,
		     const struct mu_layout *ly)
{
	unsigned char type = sigil_type(tg->sigil);
	struct mu_tok *tk;
	size_t ls;

	if ((type == MU_PARTIAL || type == MU_PARENT) && !tg->dynamic &&
	    tg->namen > MU_NAME_MAX)
		return comp_fail(c, tg->start, "partial name too long");
	if (tok_push(c, type, tg->name, tg->namen, tg->start) != 0)
		return -1;
	tk = &c->tm->tok[c->tm->ntok - 1];
	if (tg->dynamic)
		tk->flags |= MU_DYNAMIC;
	if (ly->standalone) {
		ls = ly->cut;
		tk->flags |= MU_STANDALONE;
		tk->ws = c->t + ls;
		tk->wsn = ls < tg->start ? tg->start - ls : 0;
		tk->dind = c->t + ly->resume;	/* content start, for now */
	}
	if (!is_container(type))
		return 0;
	tk->end = c->open;
	c->open = c->tm->ntok - 1;
	return 0;
}

/*
 * The common leading blanks of the non-blank lines in [from, to): what a
 * standalone block's content is indented by where it is written.
 */
static void block_indent(const char *t, size_t from, size_t to,
			 struct mu_tok *tk)
{
	const char *first = NULL;
	size_t common = 0, i, k;

	for (i = from; i < to; i = k + 1) {
		for (k = i; k < to && is_blank(t[k]); k++)
			;
		if (k < to && t[k] != '\n' && t[k] != '\r') {
			if (first == NULL) {
				first = t + i;
				common = k - i;
			}
			for (common = common < k - i ? common : k - i;
			     common > 0 && memcmp(t + i, first, common) != 0;
			     common--)
				;
		}
		while (k < to && t[k] != '\n')
			k++;
	}
	tk->dind = first;
	tk->dindn = common;
}

static int comp_close(struct mu_comp *c, const struct mu_tag *tg,
		      size_t cut)
{
	struct mu_tok *o;

	if (c->open == MU_NONE)
		return comp_fail(c, tg->start, "{{/%.*s}} closes nothing",
				 name_len_int(tg->namen), tg->name);
	o = &c->tm->tok[c->open];
	if (!same_name(tg, o->s, o->n))
		return comp_fail(c, tg->start,
				 "{{/%.*s}} does not match \"%.*s\" opened on line %u",
				 name_len_int(tg->namen), tg->name,
				 name_len_int(o->n), o->s,
				 line_of(c->t, (size_t)(o->s - c->t)));
	if (o->type == MU_BLOCK && (o->flags & MU_STANDALONE))
		block_indent(c->t, (size_t)(o->dind - c->t), cut, o);
	c->open = o->end;
	o->end = c->tm->ntok;
	return 0;
}

static int comp_tag(struct mu_comp *c, const struct mu_tag *tg)
{
	struct mu_layout ly;
	int rc;

	tag_layout(c, tg, &ly);
	if (emit_text(c, c->text, ly.cut) != 0)
		return -1;
	switch (tg->sigil) {
	case '!':
		rc = emit_line_mark(c, tg, &ly);
		break;
	case '=':
		rc = set_delims(c, tg);
		if (rc == 0)
			rc = emit_line_mark(c, tg, &ly);
		break;
	case '/':
		rc = comp_close(c, tg, ly.cut);
		break;
	default:
		rc = comp_open(c, tg, &ly);
		break;
	}
	c->text = ly.resume;
	return rc;
}

static int comp_run(struct mu_comp *c)
{
	struct mu_tag tg;
	enum mu_tag_err e;
	size_t p;

	while ((p = find(c->t, c->n, c->text, c->od, c->odn)) != MU_NONE) {
		e = tag_parse(c, p, &tg);
		if (e != TAG_OK)
			return tag_fail(c, p, e);
		if (comp_tag(c, &tg) != 0)
			return -1;
	}
	if (emit_text(c, c->text, c->n) != 0)
		return -1;
	if (c->open != MU_NONE) {
		const struct mu_tok *o = &c->tm->tok[c->open];

		return comp_fail(c, (size_t)(o->s - c->t),
				 "unclosed section \"%.*s\"",
				 name_len_int(o->n), o->s);
	}
	return 0;
}

static void tmpl_free(struct mu_tmpl *tm)
{
	struct mu_tmpl *next;

	for (; tm != NULL; tm = next) {
		next = tm->next;
		free(tm->tok);
		free(tm);
	}
}

/* Compiles t into a new template; name is NULL for the top template. */
static int compile(const char *name, const char *t, size_t n, stint_buf *err,
		   struct mu_tmpl **res)
{
	struct mu_comp c = {
		.t = t, .n = n, .od = "{{", .cd = "}}", .odn = 2, .cdn = 2,
		.open = MU_NONE, .name = name, .err = err,
	};
	int rc = -1;

	c.tm = calloc(1, sizeof(*c.tm));
	if (c.tm == NULL)
		goto out;
	c.tm->src = t;
	c.tm->len = n;
	if (comp_run(&c) != 0)
		goto out;
	*res = c.tm;
	c.tm = NULL;
	rc = 0;
out:
	tmpl_free(c.tm);
	return rc;
}

/* The compiled form of t from the render's cache, compiling it once. */
static int tmpl_get(struct mu_render *r, const char *name, const char *t,
		    size_t n, const struct mu_tmpl **res)
{
	struct mu_tmpl *tm;

	for (tm = r->cache; tm != NULL; tm = tm->next) {
		if (tm->src == t && tm->len == n) {
			*res = tm;
			return 0;
		}
	}
	if (compile(name, t, n, r->err, &tm) != 0)
		return -1;
	tm->next = r->cache;
	r->cache = tm;
	*res = tm;
	return 0;
}

/* ---- data --------------------------------------------------------------- */

static const cJSON *obj_get(const cJSON *v, const char *name, size_t n)
{
	const cJSON *it;

	if (!cJSON_IsObject(v))
		return NULL;
	for (it = v->child; it != NULL; it = it->next) {
		if (it->string != NULL && it->string[0] == name[0] &&
		    strncmp(it->string, name, n) == 0 && it->string[n] == '\0')
			return it;
	}
	return NULL;
}

/*
 * Resolves a name against the context stack (spec sections.json overview):
 * "." is the top; otherwise the first dotted part is looked up from the top
 * down and each further part only in the value found before it.
 */
static const cJSON *lookup(const struct mu_ctx *ctx, const char *name,
			   size_t n)
{
	const cJSON *v = NULL;
	const char *dot;
	size_t k;

	if (n == 1 && name[0] == '.')
		return ctx != NULL ? ctx->v : NULL;
	dot = memchr(name, '.', n);
	k = dot != NULL ? (size_t)(dot - name) : n;
	for (; ctx != NULL && v == NULL; ctx = ctx->up)
		v = obj_get(ctx->v, name, k);
	while (v != NULL && k < n) {
		name += k + 1;
		n -= k + 1;
		dot = memchr(name, '.', n);
		k = dot != NULL ? (size_t)(dot - name) : n;
		v = obj_get(v, name, k);
	}
	return v;
}

/*
 * Falsey, as the spec's "!!data" (sections.json overview): missing, null,
 * false, the empty list and the empty string. Numbers, 0 included, are true.
 */
static int truthy(const cJSON *v)
{
	if (v == NULL || cJSON_IsFalse(v) || cJSON_IsNull(v) ||
	    cJSON_IsInvalid(v))
		return 0;
	if (cJSON_IsArray(v))
		return v->child != NULL;
	if (cJSON_IsString(v))
		return v->valuestring != NULL && v->valuestring[0] != '\0';
	return 1;
}

/* Writes an integer of magnitude at most 2^53 in decimal. */
static int put_integer(stint_buf *out, double d)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	unsigned long long u = (unsigned long long)(d < 0 ? -d : d);

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (d < 0)
		*--p = '-';
	return stint_buf_append(out, p, (size_t)(tmp + sizeof(tmp) - p));
}

/*
 * Writes a number as its shortest round-tripping form: integers up to 2^53
 * without a fraction or exponent, others with %.15g, or %.17g when %.15g
 * does not read back as the same double. Non-finite values write nothing.
 */
static int put_number(stint_buf *out, double d)
{
	char tmp[40];

	if (!isfinite(d))
		return 0;
	if (d >= -9007199254740992.0 && d <= 9007199254740992.0 &&
	    (double)(long long)d == d)
		return put_integer(out, d);
	snprintf(tmp, sizeof(tmp), "%.15g", d);
	if (strtod(tmp, NULL) != d)
		snprintf(tmp, sizeof(tmp), "%.17g", d);
	return stint_buf_puts(out, tmp);
}

/* Interpolates v; lists, objects, null and missing values write nothing. */
static int put_value(stint_buf *out, const cJSON *v, int escape)
{
	if (v == NULL)
		return 0;
	if ((cJSON_IsString(v) || cJSON_IsRaw(v)) && v->valuestring != NULL)
		return escape ? stint_html_txt(out, v->valuestring) :
				stint_buf_puts(out, v->valuestring);
	if (cJSON_IsNumber(v))
		return put_number(out, v->valuedouble);
	if (cJSON_IsBool(v))
		return stint_buf_puts(out, cJSON_IsTrue(v) ? "true" : "false");
	return 0;
}

/* ---- rendering ---------------------------------------------------------- */

static int render_range(struct mu_render *r, const struct mu_frame *f,
			size_t i, size_t end);

static int put_indent(struct mu_render *r, const struct mu_ind *ind)
{
	if (ind == NULL)
		return 0;
	if (put_indent(r, ind->up) != 0)
		return -1;
	return stint_buf_append(r->out, ind->s, ind->n);
}

/* Number of blanks (at most max) that start s. */
static size_t blanks(const char *s, size_t n, size_t max)
{
	size_t k = 0;

	while (k < n && k < max && is_blank(s[k]))
		k++;
	return k;
}

/* Starts a line of output: indentation in, stripped blanks out. */
static int line_start(struct mu_render *r, const struct mu_xf *xf,
		      const char **s, size_t *n)
{
	size_t k = blanks(*s, *n, xf->strip);

	*s += k;
	*n -= k;
	return put_indent(r, xf->ind);
}

static int put_text(struct mu_render *r, const struct mu_frame *f,
		    const struct mu_tok *tk)
{
	const char *s = tk->s, *nl;
	size_t n = tk->n, k;

	if (f->xf.ind == NULL && f->xf.strip == 0)
		return stint_buf_append(r->out, s, n);
	if ((tk->flags & MU_BOL) && line_start(r, &f->xf, &s, &n) != 0)
		return -1;
	while ((nl = memchr(s, '\n', n)) != NULL && nl + 1 < s + n) {
		k = (size_t)(nl + 1 - s);
		if (stint_buf_append(r->out, s, k) != 0)
			return -1;
		s += k;
		n -= k;
		if (line_start(r, &f->xf, &s, &n) != 0)
			return -1;
	}
	return stint_buf_append(r->out, s, n);
}

static int render_section(struct mu_render *r, const struct mu_frame *f,
			  size_t i)
{
	const struct mu_tok *tk = &f->tm->tok[i];
	const cJSON *v = lookup(f->ctx, tk->s, tk->n), *it;
	struct mu_ctx ctx = { v, f->ctx };
	struct mu_frame sub = *f;

	if (tk->type == MU_INVERTED)
		return truthy(v) ? 0 : render_range(r, f, i + 1, tk->end);
	if (!truthy(v))
		return 0;
	sub.ctx = &ctx;
	if (!cJSON_IsArray(v))
		return render_range(r, &sub, i + 1, tk->end);
	for (it = v->child; it != NULL; it = it->next) {
		ctx.v = it;
		if (render_range(r, &sub, i + 1, tk->end) != 0)
			return -1;
	}
	return 0;
}

/*
 * The transform for what a standalone tag includes: the frame's indentation
 * plus the blanks ws (less those the frame strips), linked through node.
 */
static struct mu_xf tag_xf(const struct mu_frame *f, const char *ws,
			   size_t n, struct mu_ind *node)
{
	struct mu_xf xf = { f->xf.ind, 0 };
	size_t k = blanks(ws, n, f->xf.strip);

	if (n > k) {
		node->s = ws + k;
		node->n = n - k;
		node->up = f->xf.ind;
		xf.ind = node;
	}
	return xf;
}

/*
 * Partials, parents and block arguments nest at most MU_MAX_DEPTH deep; a
 * deeper one fails the render at once, since runaway recursion can also
 * fan out (a recursive partial inside a list section) and would otherwise
 * render for ever before every branch reached the limit.
 */
static int too_deep(struct mu_render *r, const char *what, const char *name,
		    size_t n)
{
	if (r->depth < MU_MAX_DEPTH)
		return 0;
	if (r->err != NULL)
		stint_buf_printf(r->err, "%s \"%.*s\" nested deeper than %d levels",
				 what, name_len_int(n), name, MU_MAX_DEPTH);
	return 1;
}

/* Loads the template a partial or parent tag names; NULL when none. */
static const char *load_target(struct mu_render *r, const struct mu_frame *f,
			       const struct mu_tok *tk, char *buf,
			       const char **name, size_t *len)
{
	const cJSON *v;

	if (r->load == NULL)
		return NULL;
	if (tk->flags & MU_DYNAMIC) {
		v = lookup(f->ctx, tk->s, tk->n);
		if (!cJSON_IsString(v) || v->valuestring == NULL)
			return NULL;
		*name = v->valuestring;
	} else {
		memcpy(buf, tk->s, tk->n);
		buf[tk->n] = '\0';
		*name = buf;
	}
	return r->load(r->load_ctx, *name, len);
}

/* {{>name}}, and {{<name}} whose block children become arguments. */
static int render_partial(struct mu_render *r, const struct mu_frame *f,
			  size_t i)
{
	const struct mu_tok *tk = &f->tm->tok[i];
	char buf[MU_NAME_MAX + 1];
	struct mu_args args = { f->tm, i + 1, tk->end, f->xf, f->args };
	struct mu_frame sub = *f;
	struct mu_ind node;
	const char *text, *name = NULL;
	size_t len = 0;
	int rc;

	text = load_target(r, f, tk, buf, &name, &len);
	if (text == NULL)
		return 0;
	if (too_deep(r, "partial", name, strlen(name)))
		return -1;
	if (tmpl_get(r, name, text, len, &sub.tm) != 0)
		return -1;
	sub.xf.ind = NULL;
	sub.xf.strip = 0;
	if (tk->flags & MU_STANDALONE)
		sub.xf = tag_xf(f, tk->ws, tk->wsn, &node);
	if (tk->type == MU_PARENT)
		sub.args = &args;
	r->depth++;
	rc = render_range(r, &sub, 0, sub.tm->ntok);
	r->depth--;
	return rc;
}

/* Index of the argument named like block tk among a's, or MU_NONE. */
static size_t find_arg(const struct mu_args *a, const struct mu_tok *tk)
{
	const struct mu_tok *tok = a->tm->tok;
	size_t j = a->first;

	while (j < a->end) {
		if (tok[j].type == MU_BLOCK && tok[j].n == tk->n &&
		    memcmp(tok[j].s, tk->s, tk->n) == 0)
			return j;
		j = is_container(tok[j].type) ? tok[j].end : j + 1;
	}
	return MU_NONE;
}

/*
 * The transform for block tk's content: a standalone block reindents it to
 * its own content's indentation (or, if that is empty, to the blanks before
 * the tag); src is the block whose content is written, stripped of its
 * indentation where it stands alone.
 */
static struct mu_xf block_xf(const struct mu_frame *f, const struct mu_tok *tk,
			     const struct mu_tok *src, struct mu_xf src_xf,
			     struct mu_ind *node)
{
	struct mu_xf xf = src_xf;

	if (tk->flags & MU_STANDALONE) {
		xf = tk->dindn > 0 ? tag_xf(f, tk->dind, tk->dindn, node) :
				     tag_xf(f, tk->ws, tk->wsn, node);
		xf.strip = 0;
	} else if (src->flags & MU_STANDALONE) {
		xf.ind = NULL;
	}
	if (src->flags & MU_STANDALONE)
		xf.strip = src->dindn;
	return xf;
}

/* {{$name}}: the outermost argument of that name, else its own content. */
static int render_block(struct mu_render *r, const struct mu_frame *f,
			size_t i)
{
	const struct mu_tok *tk = &f->tm->tok[i], *src = tk;
	const struct mu_args *a, *best = NULL;
	struct mu_frame sub = *f;
	struct mu_ind node;
	size_t j, first = i + 1;
	int rc;

	for (a = f->args; a != NULL; a = a->up) {
		j = find_arg(a, tk);
		if (j != MU_NONE) {
			best = a;
			first = j + 1;
		}
	}
	if (best != NULL) {
		if (too_deep(r, "block", tk->s, tk->n))
			return -1;
		sub.tm = best->tm;
		src = &best->tm->tok[first - 1];
	}
	sub.xf = block_xf(f, tk, src, best != NULL ? best->xf : f->xf, &node);
	if ((tk->flags & MU_STANDALONE) && !(src->flags & MU_STANDALONE) &&
	    first < src->end && put_indent(r, sub.xf.ind) != 0)
		return -1;
	r->depth += best != NULL;
	rc = render_range(r, &sub, first, src->end);
	r->depth -= best != NULL;
	return rc;
}

static int render_tok(struct mu_render *r, const struct mu_frame *f, size_t i)
{
	const struct mu_tok *tk = &f->tm->tok[i];

	switch (tk->type) {
	case MU_TEXT:
		return put_text(r, f, tk);
	case MU_VAR:
	case MU_RAW:
		return put_value(r->out, lookup(f->ctx, tk->s, tk->n),
				 tk->type == MU_VAR);
	case MU_SECTION:
	case MU_INVERTED:
		return render_section(r, f, i);
	case MU_PARTIAL:
	case MU_PARENT:
		return render_partial(r, f, i);
	default:
		return render_block(r, f, i);
	}
}

static int render_range(struct mu_render *r, const struct mu_frame *f,
			size_t i, size_t end)
{
	const struct mu_tok *tk;

	while (i < end) {
		tk = &f->tm->tok[i];
		if ((tk->flags & (MU_BOL | MU_STANDALONE)) == MU_BOL &&
		    tk->type != MU_TEXT && put_indent(r, f->xf.ind) != 0)
			return -1;
		if (render_tok(r, f, i) != 0)
			return -1;
		i = is_container(tk->type) ? tk->end : i + 1;
	}
	return 0;
}

int stint_mustache_render(const char *tmpl, size_t tmpl_len, const cJSON *data,
			  stint_mustache_partial_fn partials, void *ctx,
			  stint_buf *out, stint_buf *err)
{
	struct mu_render r = { partials, ctx, out, err, NULL, 0 };
	struct mu_ctx root = { data, NULL };
	struct mu_frame f = { NULL, &root, NULL, { NULL, 0 } };
	size_t out_len = out->len, err_len = err != NULL ? err->len : 0;
	int rc = -1;

	if (tmpl_get(&r, NULL, tmpl, tmpl_len, &f.tm) != 0)
		goto out;
	if (render_range(&r, &f, 0, f.tm->ntok) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0) {
		out->len = out_len;
		if (out->data != NULL)
			out->data[out_len] = '\0';
		if (err != NULL && err->len == err_len)
			stint_buf_puts(err, "out of memory");
	}
	tmpl_free(r.cache);
	return rc;
}
