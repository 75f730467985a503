/*
 * dvw.c: DataVolley (.dvw) scouting-file parser (see dvw.h).
 *
 * Two passes over the bytes. The first finds the [3SCOUT] section, the
 * charset (see dvw.h) and the code page [3MATCH] may declare. The second
 * converts each line to UTF-8 on its own (so one damaged line costs only
 * itself), drops lines with control bytes, and reads the row for its section.
 *
 * Layouts, as openvolley's datavolley (R/read_dv.R, R/meta.R, R/plays.R)
 * reads them; fields are ";"-separated and counted from 0 here:
 *   [3MATCH]      0 date (mm/dd/yyyy), 1 time (hh.mm.ss), 2 season,
 *                 3 league, 4 phase, 5 home/away, 6 day number, 7 match
 *                 number, 8 text encoding, 9 regulation (0 indoor sideout,
 *                 1 indoor rally point, 2 beach), 10 zones or cones (Z|C)
 *   [3TEAMS]      row 0 home, row 1 visiting: 0 team id, 1 name, 2 sets
 *                 won, 3 coach, 4 assistant
 *   [3MORE]       0 referees, 1 spectators, 2 receipts, 3 city, 4 arena,
 *                 5 scout
 *   [3SET]        row k = set k+1: 0 played (True), 1-3 scores at 8, 16,
 *                 21, 4 final "H-V", 5 duration in minutes
 *   [3PLAYERS-H|V] 1 shirt number, 3-7 starting zone in sets 1-5 ("*" = came
 *                 on), 8 player id, 9 last name, 10 first name, 11
 *                 nickname, 12 special role (L libero, C captain), 13 role
 *                 (1 libero, 2 outside, 3 opposite, 4 middle, 5 setter,
 *                 6 unknown), 14 foreign
 *   [3VIDEO]      "CameraN=path"
 *   [3SCOUT]      0 code, 1 point phase (p breakpoint, s sideout), 2 attack
 *                 phase (r reception, s/p transition in sideout/breakpoint),
 *                 4-6 start/mid/end coordinate (grid index, -1-1 = none),
 *                 7 time (hh.mm.ss), 8 set, 9-10 home/visiting setter
 *                 position, 11 video file number, 12 video time in seconds,
 *                 14-19 home players in zones 1-6, 20-25 visiting players.
 * Scout codes: team ("*" home, "a" visiting), then either a 1-3 digit shirt
 * number (or "$$" for an unknown player) and skill, skill type, evaluation,
 * attack or set combination (2), set type, start zone, end zone (a cone for
 * attacks when [3MATCH] says C), end subzone, skill subtype, number of
 * players, special code, custom code; or pX:Y (point, home:visiting score),
 * zN (setter position), PN (setter), cOUT:IN (substitution), T (timeout),
 * $$& (green code). "**Nset" ends set N; lines starting ">" are notes.
 */
#include "dvw.h"

#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DVW_MAX_FIELDS 32
#define DVW_SCOUT_FIELDS 26
/* A converted line: every input byte can become at most 3 UTF-8 bytes. */
#define DVW_LINE_CAP (3 * STINT_DVW_MAX_LINE + 4)

enum dvw_section {
	SEC_NONE, SEC_OTHER, SEC_MATCH, SEC_TEAMS, SEC_MORE, SEC_SET,
	SEC_PLAYERS_H, SEC_PLAYERS_V, SEC_VIDEO, SEC_SCOUT
};

static const struct dvw_section_name {
	const char *name;
	enum dvw_section sec;
} dvw_sections[] = {
	{ "[3MATCH]", SEC_MATCH },
	{ "[3TEAMS]", SEC_TEAMS },
	{ "[3MORE]", SEC_MORE },
	{ "[3SET]", SEC_SET },
	{ "[3PLAYERS-H]", SEC_PLAYERS_H },
	{ "[3PLAYERS-V]", SEC_PLAYERS_V },
	{ "[3VIDEO]", SEC_VIDEO },
	{ "[3SCOUT]", SEC_SCOUT },
};

/* What the first pass learns. */
struct dvw_scan {
	unsigned long invalid_lines;    /* lines that are not valid UTF-8 */
	unsigned long multibyte_lines;  /* valid UTF-8 lines with non-ASCII */
	unsigned long c1_bytes;         /* bytes 0x80-0x9F */
	unsigned long iso_letters;      /* ISO-8859-2-only letters in words */
	int have_scout;
	int in_match;                   /* the [3MATCH] row is next */
	int codepage;                   /* [3MATCH] field 8, 0 if none */
};

/* The play state carried from line to line of [3SCOUT]. */
struct dvw_play {
	int set_number;
	int home_score, visiting_score;
	int setter[2];                  /* setter position, 0 = unknown */
};

struct dvw_ctx {
	iconv_t cd;                     /* (iconv_t)-1 when the file is UTF-8 */
	const char *encoding;
	char *line;                     /* the current line as UTF-8 */
	size_t line_len;
	unsigned long lineno;
	enum dvw_section sec;
	unsigned long row;              /* rows seen in the current section */
	char why[256];                  /* the current line's problems */
	size_t why_len;
	stint_buf *warnings;
	unsigned long nwarn;
	int nomem;
	int cones;
	int have_match, have_more, have_video, have_team[2];
	struct dvw_play play;
	cJSON *doc, *match, *team[2], *players, *sets, *events;
};

/* One scout code, taken apart. */
struct dvw_code {
	const char *event_type;
	char team;                      /* '*', 'a', or 0 */
	int number;                     /* shirt number, -1 if none */
	char skill, skill_type, evaluation;
	char combo[3];                  /* attack or set combination */
	char set_type, start_zone, end_zone, end_subzone;
	char skill_subtype, num_players, special;
	const char *custom;
	int home_score, visiting_score; /* point codes, -1 otherwise */
	int setter_position;            /* z codes, -1 otherwise */
	int player_out, player_in;      /* substitutions, -1 otherwise */
	int lineup;                     /* ">LUp" (starting line-up) */
	int set_digit;                  /* end of set, -1 otherwise */
	const char *need;               /* the part the code ended before, or NULL */
};

static const struct dvw_skill {
	char code;
	const char *name;
} dvw_skills[] = {
	{ 'S', "serve" }, { 'R', "reception" }, { 'A', "attack" },
	{ 'B', "block" }, { 'D', "dig" }, { 'E', "set" }, { 'F', "freeball" },
};

/*
 * DataVolley's standard evaluation meanings: openvolley datavolley's default
 * evaluation decoder (R/plays.R, skill_evaluation_decoder(), style
 * "default"), read, not copied.
 */
static const struct dvw_eval {
	char skill, code;
	const char *name;
} dvw_evals[] = {
	{ 'S', '=', "Error" }, { 'S', '/', "Positive, no attack" },
	{ 'S', '-', "Negative, opponent free attack" },
	{ 'S', '+', "Positive, opponent some attack" }, { 'S', '#', "Ace" },
	{ 'S', '!', "OK, no first tempo possible" },
	{ 'R', '=', "Error" }, { 'R', '/', "Poor, no attack" },
	{ 'R', '-', "Negative, limited attack" }, { 'R', '+', "Positive, attack" },
	{ 'R', '#', "Perfect pass" }, { 'R', '!', "OK, no first tempo possible" },
	{ 'A', '=', "Error" }, { 'A', '/', "Blocked" },
	{ 'A', '-', "Poor, easily dug" }, { 'A', '!', "Blocked for reattack" },
	{ 'A', '+', "Positive, good attack" }, { 'A', '#', "Winning attack" },
	{ 'B', '=', "Error" }, { 'B', '/', "Invasion" },
	{ 'B', '-', "Poor, opposition to replay" },
	{ 'B', '+', "Positive, block touch" }, { 'B', '#', "Winning block" },
	{ 'B', '!', "Poor, opposition to replay" },
	{ 'D', '=', "Error" }, { 'D', '/', "Ball directly back over net" },
	{ 'D', '-', "No structured attack possible" }, { 'D', '#', "Perfect dig" },
	{ 'D', '+', "Good dig" }, { 'D', '!', "OK, no first tempo possible" },
	{ 'E', '=', "Error" }, { 'E', '-', "Poor" }, { 'E', '/', "Poor" },
	{ 'E', '+', "Positive" }, { 'E', '#', "Perfect" }, { 'E', '!', "OK" },
	{ 'F', '=', "Error" }, { 'F', '/', "Poor" },
	{ 'F', '!', "OK, no first tempo possible" },
	{ 'F', '-', "OK, only high set possible" }, { 'F', '+', "Good" },
	{ 'F', '#', "Perfect" },
};

static const char *const dvw_roles[] = {
	"libero", "outside", "opposite", "middle", "setter", "unknown"
};

static const char *const dvw_match_keys[] = {
	"date", "time", "season", "league", "phase", "day_number",
	"match_number", "regulation", "zones_or_cones", "text_encoding",
	"referees", "spectators", "city", "arena", "scout"
};

static const char *const dvw_team_keys[] = {
	"side", "name", "code", "coach", "assistant", "sets_won"
};

#define DVW_COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *stint_dvw_strerror(int result)
{
	switch (result) {
	case STINT_DVW_OK: return "ok";
	case STINT_DVW_EINVAL: return "invalid arguments";
	case STINT_DVW_EMPTY: return "empty input";
	case STINT_DVW_TOO_LARGE: return "input too large";
	case STINT_DVW_NOT_DVW: return "not a DataVolley file";
	case STINT_DVW_ENCODING: return "unsupported text encoding";
	case STINT_DVW_NOMEM: return "out of memory";
	case STINT_DVW_PARTIAL: return "incomplete scout code";
	case STINT_DVW_BAD_CODE: return "bad scout code";
	default: return "unknown error";
	}
}

/* ---- bytes and text ---- */

static int is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static int is_upper(char ch)
{
	return ch >= 'A' && ch <= 'Z';
}

/* Nothing but spaces, tabs and NUL padding (PM06.dvw ends in a NUL). */
static int is_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\0')
			return 0;
	return 1;
}

/* Length of the valid UTF-8 sequence at s[0..n), 0 if invalid (RFC 3629). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned long cp, min;
	size_t k, j;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		k = 1; cp = s[0] & 0x1Fu; min = 0x80;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		k = 2; cp = s[0] & 0x0Fu; min = 0x800;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		k = 3; cp = s[0] & 0x07u; min = 0x10000;
	} else {
		return 0;
	}
	if (n - 1 < k)
		return 0;
	for (j = 1; j <= k; j++) {
		if ((s[j] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[j] & 0x3Fu);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return k + 1;
}

/* -1: not UTF-8; 0: ASCII only; 1: valid UTF-8 with multi-byte sequences. */
static int utf8_class(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, k;
	int multi = 0;

	while (i < n) {
		k = utf8_seq(s + i, n - i);
		if (k == 0)
			return -1;
		multi |= k > 1;
		i += k;
	}
	return multi;
}

/* Strip spaces and tabs at both ends, in place. */
static char *trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* Split s at ';' in place into at most max fields; returns the count. */
static size_t split(char *s, char **f, size_t max)
{
	size_t n = 0;

	f[n++] = s;
	for (; *s != '\0' && n < max; s++) {
		if (*s != ';')
			continue;
		*s = '\0';
		f[n++] = s + 1;
	}
	if (n == max)
		s[strcspn(s, ";")] = '\0';
	return n;
}

/* Field i trimmed, or "" when the row has fewer fields. */
static const char *fld(char **f, size_t nf, size_t i)
{
	return i < nf ? trim(f[i]) : "";
}

/* s as a whole decimal number in 0..max: 0 and *out, or -1. */
static int to_uint(const char *s, int max, int *out)
{
	long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (!is_digit(*s))
			return -1;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	*out = (int)v;
	return 0;
}

/* Leading digits of s, at most maxd of them: how many were read. */
static size_t lead_digits(const char *s, size_t maxd, int *out)
{
	size_t i;
	int v = 0;

	for (i = 0; i < maxd && is_digit(s[i]); i++)
		v = v * 10 + (s[i] - '0');
	*out = v;
	return i;
}

/* Up to 16 printable ASCII characters of s, quoted, for messages. */
static const char *quote(const char *s, char *buf, size_t n)
{
	size_t i, o = 0;

	if (n < 24)
		return "";
	buf[o++] = '\'';
	for (i = 0; s[i] != '\0' && i < 16; i++)
		buf[o++] = (s[i] > 0x20 && s[i] < 0x7F) ? s[i] : '?';
	if (s[i] != '\0') {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '\'';
	buf[o] = '\0';
	return buf;
}

/* One code character, for messages. */
static const char *describe(char ch, char *buf, size_t n)
{
	if (ch == '\0')
		snprintf(buf, n, "end of code");
	else if (ch > 0x20 && ch < 0x7F)
		snprintf(buf, n, "'%c'", ch);
	else
		snprintf(buf, n, "byte 0x%02X", (unsigned)(unsigned char)ch);
	return buf;
}

/* s starts with p, ASCII letters compared without case. */
static int starts_nocase(const char *s, const char *p)
{
	for (; *p != '\0'; s++, p++) {
		char a = *s, b = *p;

		if (a >= 'a' && a <= 'z')
			a = (char)(a - 'a' + 'A');
		if (b >= 'a' && b <= 'z')
			b = (char)(b - 'a' + 'A');
		if (a != b)
			return 0;
	}
	return 1;
}

/* ---- lines ---- */

struct dvw_cursor {
	const char *data;
	size_t len, pos;
	unsigned long lineno;
};

static void cursor_init(struct dvw_cursor *cur, const char *data, size_t len)
{
	cur->data = data;
	cur->len = len;
	cur->pos = 0;
	cur->lineno = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		cur->pos = 3;
}

/* The next line without its LF or CRLF: 1, or 0 at the end. */
static int next_line(struct dvw_cursor *cur, const char **p, size_t *n)
{
	const char *nl;
	size_t rest;

	if (cur->pos >= cur->len)
		return 0;
	rest = cur->len - cur->pos;
	*p = cur->data + cur->pos;
	nl = memchr(*p, '\n', rest);
	*n = nl != NULL ? (size_t)(nl - *p) : rest;
	cur->pos += *n + (nl != NULL);
	cur->lineno++;
	if (*n > 0 && (*p)[*n - 1] == '\r')
		(*n)--;
	return 1;
}

/* The section a "[3NAME]" line opens: 1 and *sec, or 0 for other lines. */
static int section_of(const char *p, size_t n, enum dvw_section *sec)
{
	size_t i;

	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (n < 3 || p[0] != '[' || p[1] != '3' || p[n - 1] != ']')
		return 0;
	*sec = SEC_OTHER;
	for (i = 0; i < DVW_COUNT(dvw_sections); i++)
		if (strlen(dvw_sections[i].name) == n &&
		    memcmp(dvw_sections[i].name, p, n) == 0)
			*sec = dvw_sections[i].sec;
	return 1;
}

/* ---- first pass: sections and charset ---- */

/* Bytes that are letters in ISO-8859-2 but symbols in Windows-1250. */
static int iso_only_letter(unsigned char b)
{
	return b == 0xA1 || b == 0xA6 || b == 0xA9 || b == 0xAB || b == 0xAC ||
	       b == 0xAE || b == 0xB1 || b == 0xB6 || b == 0xBB;
}

static int word_byte(unsigned char b)
{
	return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b >= 0xC0 ||
	       iso_only_letter(b);
}

static void scan_bytes(struct dvw_scan *s, const char *p, size_t n)
{
	const unsigned char *b = (const unsigned char *)p;
	size_t i;

	for (i = 0; i < n; i++) {
		if (b[i] >= 0x80 && b[i] <= 0x9F)
			s->c1_bytes++;
		else if (iso_only_letter(b[i]) &&
			 ((i > 0 && word_byte(b[i - 1])) ||
			  (i + 1 < n && word_byte(b[i + 1]))))
			s->iso_letters++;
	}
}

/* [3MATCH] field 8 as a number (a Windows code page in DataVolley 4). */
static int declared_codepage(const char *p, size_t n)
{
	size_t i, field = 0;
	int v = 0;

	for (i = 0; i < n && field < 8; i++)
		field += p[i] == ';';
	if (field < 8)
		return 0;
	for (; i < n && is_digit(p[i]) && v < 100000; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

static void scan_line(struct dvw_scan *s, const char *p, size_t n)
{
	enum dvw_section sec;
	int cls = utf8_class(p, n);

	if (cls < 0)
		s->invalid_lines++;
	else if (cls > 0)
		s->multibyte_lines++;
	if (section_of(p, n, &sec)) {
		s->have_scout |= sec == SEC_SCOUT;
		s->in_match = sec == SEC_MATCH;
		return;
	}
	if (s->in_match && !is_blank(p, n)) {
		s->codepage = declared_codepage(p, n);
		s->in_match = 0;
	}
	if (cls < 0)
		scan_bytes(s, p, n);
}

static void scan_input(const char *data, size_t len, struct dvw_scan *s)
{
	struct dvw_cursor cur;
	const char *p;
	size_t n;

	memset(s, 0, sizeof *s);
	cursor_init(&cur, data, len);
	while (next_line(&cur, &p, &n))
		scan_line(s, p, n);
}

static const char *codepage_name(int cp)
{
	static const char *const windows[] = {
		"WINDOWS-1250", "WINDOWS-1251", "WINDOWS-1252", "WINDOWS-1253",
		"WINDOWS-1254", "WINDOWS-1255", "WINDOWS-1256", "WINDOWS-1257",
		"WINDOWS-1258"
	};
	static const char *const iso[] = {
		"ISO-8859-1", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4",
		"ISO-8859-5", "ISO-8859-6", "ISO-8859-7", "ISO-8859-8",
		"ISO-8859-9"
	};

	if (cp >= 1250 && cp <= 1258)
		return windows[cp - 1250];
	if (cp >= 28591 && cp <= 28599)
		return iso[cp - 28591];
	switch (cp) {
	case 874: return "WINDOWS-874";
	case 28603: return "ISO-8859-13";
	case 28605: return "ISO-8859-15";
	case 65001: return "UTF-8";
	default: return NULL;
	}
}

static const char *pick_encoding(const struct dvw_scan *s)
{
	const char *declared;

	if (s->invalid_lines == 0 || s->multibyte_lines > s->invalid_lines)
		return "UTF-8";
	declared = codepage_name(s->codepage);
	if (declared != NULL)
		return declared;
	if (s->iso_letters > 0 && s->c1_bytes == 0)
		return "ISO-8859-2";
	return "WINDOWS-1250";
}

/* ---- messages ---- */

/* Note a problem with the current line; flush_problems() reports them. */
static void problem(struct dvw_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(struct dvw_ctx *c, const char *fmt, ...)
{
	va_list ap;
	size_t room = sizeof c->why - c->why_len;
	int n;

	if (room < 3)
		return;
	if (c->why_len > 0) {
		memcpy(c->why + c->why_len, "; ", 3);
		c->why_len += 2;
		room -= 2;
	}
	va_start(ap, fmt);
	n = vsnprintf(c->why + c->why_len, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		c->why_len += (size_t)n < room ? (size_t)n : room - 1;
}

/* One warning "line N: <problems>" for the line just read, if it had any. */
static void flush_problems(struct dvw_ctx *c)
{
	if (c->why_len == 0)
		return;
	c->nwarn++;
	if (c->warnings != NULL && c->nwarn <= STINT_DVW_MAX_WARNINGS &&
	    stint_buf_printf(c->warnings, "line %lu: %s\n", c->lineno, c->why) != 0)
		c->nomem = 1;
	c->why_len = 0;
	c->why[0] = '\0';
}

static int bad(char *why, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- JSON ---- */

/* Add item under key (key NULL: append to an array); records out of memory. */
static void add(struct dvw_ctx *c, cJSON *to, const char *key, cJSON *item)
{
	cJSON_bool ok;

	if (item == NULL) {
		c->nomem = 1;
		return;
	}
	ok = key != NULL ? cJSON_AddItemToObjectCS(to, key, item)
			 : cJSON_AddItemToArray(to, item);
	if (!ok) {
		cJSON_Delete(item);
		c->nomem = 1;
	}
}

/* A string, or null when s is NULL or empty. */
static void add_str(struct dvw_ctx *c, cJSON *to, const char *key, const char *s)
{
	add(c, to, key, s != NULL && *s != '\0' ? cJSON_CreateString(s)
						 : cJSON_CreateNull());
}

/* A string, left out when s is NULL or empty. */
static void opt_str(struct dvw_ctx *c, cJSON *to, const char *key, const char *s)
{
	if (s != NULL && *s != '\0')
		add(c, to, key, cJSON_CreateString(s));
}

/* A one-character string, left out when ch is 0. */
static void opt_char(struct dvw_ctx *c, cJSON *to, const char *key, char ch)
{
	char s[2] = { ch, '\0' };

	if (ch != '\0')
		add(c, to, key, cJSON_CreateString(s));
}

static void add_num(struct dvw_ctx *c, cJSON *to, const char *key, double v)
{
	add(c, to, key, cJSON_CreateNumber(v));
}

/* A number when ok, else null. */
static void add_num_or_null(struct dvw_ctx *c, cJSON *to, const char *key,
			    int ok, double v)
{
	add(c, to, key, ok ? cJSON_CreateNumber(v) : cJSON_CreateNull());
}

/*
 * A shirt number n as text (issue 14: Stint keeps "00" apart from "0"):
 * written, the players list's field as the file has it (1 to 3 digits), else
 * n's decimal text (e.g. "0012").
 */
static void add_shirt(struct dvw_ctx *c, cJSON *to, const char *key, const char *written, int n)
{
	char buf[12];

	if (strlen(written) > 3)
		snprintf(buf, sizeof buf, "%d", n);
	add_str(c, to, key, strlen(written) > 3 ? buf : written);
}

/*
 * The actor_number of a scout line of team (side "A"/"B", or NULL): scout
 * codes pad shirt numbers to two digits ("*06" is player 6), so the number
 * is the text of that team's player n in the players list, else n's decimal
 * text; null when n < 0 (no player).
 */
static void add_actor_number(struct dvw_ctx *c, cJSON *to, const char *side, int n)
{
	const cJSON *p;
	const char *num, *ps;
	char buf[12];

	if (n < 0) {
		add(c, to, "actor_number", cJSON_CreateNull());
		return;
	}
	cJSON_ArrayForEach(p, c->players) {
		num = cJSON_GetStringValue(cJSON_GetObjectItem(p, "number"));
		ps = cJSON_GetStringValue(cJSON_GetObjectItem(p, "side"));
		if (side != NULL && ps != NULL && num != NULL && strcmp(ps, side) == 0 && atoi(num) == n) {
			add_str(c, to, "actor_number", num);
			return;
		}
	}
	snprintf(buf, sizeof buf, "%d", n);
	add_str(c, to, "actor_number", buf);
}

/* A whole number field: the number, or null (with a problem if not empty). */
static void add_uint_field(struct dvw_ctx *c, cJSON *to, const char *key,
			   const char *s, int max)
{
	char q[24];
	int v = 0, ok = to_uint(s, max, &v) == 0;

	if (!ok && *s != '\0')
		problem(c, "bad %s %s", key, quote(s, q, sizeof q));
	add_num_or_null(c, to, key, ok, v);
}

static void fill_nulls(struct dvw_ctx *c, cJSON *obj, const char *const *keys,
		       size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!cJSON_HasObjectItem(obj, keys[i]))
			add(c, obj, keys[i], cJSON_CreateNull());
}

static const char *side_of(char team)
{
	return team == '*' ? "A" : team == 'a' ? "B" : NULL;
}

/* ---- dates and times ---- */

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Up to three numbers split by any of seps: how many were read. */
static int three_numbers(const char *s, const char *seps, int v[3], size_t len[3])
{
	int i;

	for (i = 0; i < 3; i++) {
		len[i] = lead_digits(s, 4, &v[i]);
		if (len[i] == 0)
			return i;
		s += len[i];
		if (i < 2 && (*s == '\0' || strchr(seps, *s) == NULL))
			return i + 1;
		if (i < 2)
			s++;
	}
	return *s == '\0' ? 3 : -1;
}

/*
 * A DataVolley date as "YYYY-MM-DD" into out (11 bytes): mm/dd/yyyy, as
 * DataVolley writes it; dd/mm/yyyy when the first number exceeds 12;
 * yyyy/mm/dd. 0, or -1 when it is none of these or no real day.
 */
static int iso_date(const char *s, char *out, size_t n)
{
	int v[3], y, m, d;
	size_t len[3];

	if (three_numbers(s, "/.-", v, len) != 3)
		return -1;
	if (len[0] == 4 && len[1] <= 2 && len[2] <= 2) {
		y = v[0]; m = v[1]; d = v[2];
	} else if (len[2] == 4 && len[0] <= 2 && len[1] <= 2) {
		y = v[2]; m = v[0]; d = v[1];
		if (m > 12) {
			m = v[1];
			d = v[0];
		}
	} else {
		return -1;
	}
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m))
		return -1;
	snprintf(out, n, "%04d-%02d-%02d", y, m, d);
	return 0;
}

/* "hh.mm.ss" (or with ':') as "HH:MM:SS" into out (9 bytes): 0 or -1. */
static int iso_time(const char *s, char *out, size_t n)
{
	int v[3];
	size_t len[3];

	if (three_numbers(s, ".:", v, len) != 3 || len[0] > 2 || len[1] > 2 ||
	    len[2] > 2 || v[0] > 23 || v[1] > 59 || v[2] > 59)
		return -1;
	snprintf(out, n, "%02d:%02d:%02d", v[0], v[1], v[2]);
	return 0;
}

/* Seconds as digits with an optional fraction ("12", "12.48"): 0 or -1. */
static int to_seconds(const char *s, double *out)
{
	double v = 0, scale = 1;
	size_t i, n;

	for (i = 0; i < 8 && is_digit(s[i]); i++)
		v = v * 10 + (s[i] - '0');
	if (i == 0)
		return -1;
	if (s[i] == '.') {
		for (i++, n = 0; n < 6 && is_digit(s[i]); i++, n++) {
			scale /= 10;
			v += (s[i] - '0') * scale;
		}
		while (is_digit(s[i]))
			i++;
	}
	if (s[i] != '\0')
		return -1;
	*out = v;
	return 0;
}

/* ---- header sections ---- */

static void read_match(struct dvw_ctx *c, char **f, size_t nf)
{
	static const char *const regulations[] = {
		"indoor sideout", "indoor rally point", "beach rally point"
	};
	const char *s;
	char buf[40], q[24];
	int reg;

	s = fld(f, nf, 0);
	if (iso_date(s, buf, sizeof buf) == 0)
		add_str(c, c->match, "date", buf);
	else if (*s != '\0')
		problem(c, "bad match date %s", quote(s, q, sizeof q));
	s = fld(f, nf, 1);
	if (iso_time(s, buf, sizeof buf) == 0)
		add_str(c, c->match, "time", buf);
	else if (*s != '\0')
		problem(c, "bad match time %s", quote(s, q, sizeof q));
	add_str(c, c->match, "season", fld(f, nf, 2));
	add_str(c, c->match, "league", fld(f, nf, 3));
	add_str(c, c->match, "phase", fld(f, nf, 4));
	add_str(c, c->match, "day_number", fld(f, nf, 6));
	add_str(c, c->match, "match_number", fld(f, nf, 7));
	if (to_uint(fld(f, nf, 9), 2, &reg) == 0)
		add_str(c, c->match, "regulation", regulations[reg]);
	s = fld(f, nf, 10);
	c->cones = strcmp(s, "C") == 0 || strcmp(s, "c") == 0;
	add_str(c, c->match, "zones_or_cones",
		c->cones ? "C" : (strcmp(s, "Z") == 0 || strcmp(s, "z") == 0) ? "Z" : NULL);
}

static void read_more(struct dvw_ctx *c, char **f, size_t nf)
{
	int spectators;

	add_str(c, c->match, "referees", fld(f, nf, 0));
	if (to_uint(fld(f, nf, 1), 1000000, &spectators) == 0)
		add_num(c, c->match, "spectators", spectators);
	add_str(c, c->match, "city", fld(f, nf, 3));
	add_str(c, c->match, "arena", fld(f, nf, 4));
	add_str(c, c->match, "scout", fld(f, nf, 5));
}

static void read_team(struct dvw_ctx *c, cJSON *team, char **f, size_t nf)
{
	add_str(c, team, "code", fld(f, nf, 0));
	add_str(c, team, "name", fld(f, nf, 1));
	add_uint_field(c, team, "sets_won", fld(f, nf, 2), 5);
	add_str(c, team, "coach", fld(f, nf, 3));
	add_str(c, team, "assistant", fld(f, nf, 4));
}

/* "25-16" or "8 -7": 0 and the two scores, or -1. */
static int set_score(const char *s, int *home, int *visiting)
{
	char a[8], b[8];
	size_t na = 0, nb = 0;
	int dash = 0;

	for (; *s != '\0'; s++) {
		if (*s == ' ')
			continue;
		if (*s == '-' && !dash) {
			dash = 1;
		} else if (!is_digit(*s) || (dash ? nb : na) >= 3) {
			return -1;
		} else if (dash) {
			b[nb++] = *s;
		} else {
			a[na++] = *s;
		}
	}
	a[na] = '\0';
	b[nb] = '\0';
	if (!dash || to_uint(a, 999, home) != 0 || to_uint(b, 999, visiting) != 0)
		return -1;
	return 0;
}

static void add_partials(struct dvw_ctx *c, cJSON *set, char **f, size_t nf)
{
	cJSON *arr = cJSON_CreateArray();
	char buf[16];
	size_t i;
	int h, v;

	add(c, set, "partial_scores", arr);
	if (arr == NULL)
		return;
	for (i = 1; i <= 3; i++) {
		if (set_score(fld(f, nf, i), &h, &v) != 0)
			continue;
		snprintf(buf, sizeof buf, "%d-%d", h, v);
		add(c, arr, NULL, cJSON_CreateString(buf));
	}
}

static void read_set(struct dvw_ctx *c, char **f, size_t nf)
{
	const char *final = fld(f, nf, 4);
	char q[24];
	cJSON *set;
	int h, v, min = 0, have_min;

	if (!starts_nocase(fld(f, nf, 0), "true") || *final == '\0')
		return;
	if (set_score(final, &h, &v) != 0) {
		problem(c, "bad set score %s", quote(final, q, sizeof q));
		return;
	}
	set = cJSON_CreateObject();
	add(c, c->sets, NULL, set);
	if (set == NULL)
		return;
	add_num(c, set, "set_number", (double)c->row + 1);
	add_num(c, set, "home", h);
	add_num(c, set, "visiting", v);
	have_min = to_uint(fld(f, nf, 5), 999, &min) == 0;
	add_num_or_null(c, set, "duration_min", have_min, min);
	add_partials(c, set, f, nf);
}

static const char *role_name(const char *role, const char *special)
{
	int r;

	if (to_uint(role, 6, &r) == 0 && r >= 1)
		return dvw_roles[r - 1];
	if (special[0] == 'L')
		return "libero";
	return NULL;
}

static void add_starting_positions(struct dvw_ctx *c, cJSON *pl, char **f,
				   size_t nf)
{
	cJSON *arr = cJSON_CreateArray();
	const char *s;
	size_t i;

	add(c, pl, "starting_positions", arr);
	if (arr == NULL)
		return;
	for (i = 3; i <= 7; i++) {
		s = fld(f, nf, i);
		if ((s[0] >= '1' && s[0] <= '6' && s[1] == '\0') || strcmp(s, "*") == 0)
			add(c, arr, NULL, cJSON_CreateString(s));
		else
			add(c, arr, NULL, cJSON_CreateNull());
	}
}

static void add_full_name(struct dvw_ctx *c, cJSON *pl, const char *first,
			  const char *last)
{
	stint_buf name = STINT_BUF_INIT;

	if (stint_buf_puts(&name, first) != 0 ||
	    (*first != '\0' && *last != '\0' && stint_buf_putc(&name, ' ') != 0) ||
	    stint_buf_puts(&name, last) != 0)
		c->nomem = 1;
	add_str(c, pl, "name", name.data);
	stint_buf_free(&name);
}

static void read_player(struct dvw_ctx *c, char **f, size_t nf)
{
	const char *first = fld(f, nf, 10), *last = fld(f, nf, 9);
	const char *special = fld(f, nf, 12);
	char q[24];
	cJSON *pl;
	int number;

	if (to_uint(fld(f, nf, 1), 999, &number) != 0) {
		problem(c, "bad shirt number %s, player skipped",
			quote(fld(f, nf, 1), q, sizeof q));
		return;
	}
	pl = cJSON_CreateObject();
	add(c, c->players, NULL, pl);
	if (pl == NULL)
		return;
	add_str(c, pl, "side", c->sec == SEC_PLAYERS_H ? "A" : "B");
	add_shirt(c, pl, "number", fld(f, nf, 1), number);
	add_str(c, pl, "first_name", first);
	add_str(c, pl, "last_name", last);
	add_full_name(c, pl, first, last);
	add_str(c, pl, "nickname", fld(f, nf, 11));
	add_str(c, pl, "role", role_name(fld(f, nf, 13), special));
	add(c, pl, "captain", cJSON_CreateBool(strcmp(special, "C") == 0));
	add_str(c, pl, "player_id", fld(f, nf, 8));
	add_starting_positions(c, pl, f, nf);
}

static void read_video(struct dvw_ctx *c)
{
	char *eq = strchr(c->line, '=');
	char *path = trim(eq != NULL ? eq + 1 : c->line);
	cJSON *item;

	if (c->have_video || *path == '\0')
		return;
	c->have_video = 1;
	item = cJSON_CreateString(path);
	if (item == NULL ||
	    !cJSON_ReplaceItemInObjectCaseSensitive(c->doc, "video", item)) {
		cJSON_Delete(item);
		c->nomem = 1;
	}
}

/* ---- scout codes ---- */

static void code_init(struct dvw_code *k)
{
	memset(k, 0, sizeof *k);
	k->number = -1;
	k->home_score = k->visiting_score = -1;
	k->setter_position = -1;
	k->player_out = k->player_in = -1;
	k->set_digit = -1;
}

static const char *skill_name(char code)
{
	size_t i;

	for (i = 0; i < DVW_COUNT(dvw_skills); i++)
		if (dvw_skills[i].code == code)
			return dvw_skills[i].name;
	return NULL;
}

const char *stint_dvw_evaluation_name(char skill, char code)
{
	size_t i;

	for (i = 0; i < DVW_COUNT(dvw_evals); i++)
		if (dvw_evals[i].skill == skill && dvw_evals[i].code == code)
			return dvw_evals[i].name;
	return NULL;
}

/* Whether ">LUp" (a starting line-up entry) follows. */
static int is_lineup(const char *s)
{
	return starts_nocase(s, ">LUp");
}

/* The nine one-character slots after the evaluation, then the custom code. */
static int parse_extras(const char *s, struct dvw_code *k, char *why, size_t wn)
{
	static const char digits[] = "0123456789";
	static const char upper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "abcdefghijklmnopqrstuvwxyz";
	const char *const accept[9] = {
		alnum, alnum, upper, digits, digits, upper, alnum, digits, upper
	};
	static const char *const names[9] = {
		"combination", "combination", "set type", "start zone",
		"end zone", "end subzone", "skill subtype", "number of players",
		"special code"
	};
	char *const dest[9] = {
		&k->combo[0], &k->combo[1], &k->set_type, &k->start_zone,
		&k->end_zone, &k->end_subzone, &k->skill_subtype,
		&k->num_players, &k->special
	};
	char d[16];
	size_t i;

	for (i = 0; i < 9 && s[i] != '\0'; i++) {
		if (s[i] == '~')
			continue;
		if (strchr(accept[i], s[i]) == NULL)
			return bad(why, wn, "bad %s %s", names[i],
				   describe(s[i], d, sizeof d));
		*dest[i] = s[i];
	}
	if ((k->combo[0] == '\0') != (k->combo[1] == '\0')) {
		k->need = s[1] == '\0' ? "combination" : NULL;
		return bad(why, wn, "combination needs two characters");
	}
	if (i == 9 && s[9] != '\0')
		k->custom = s + 9;
	return 0;
}

/* The code ended before part: noted for stint_dvw_code's callers. */
static int truncated(struct dvw_code *k, const char *part, char *why, size_t wn)
{
	k->need = part;
	return bad(why, wn, "truncated code: no %s", part);
}

/* Skill, skill type, evaluation and the rest, after the shirt number. */
static int parse_skill(const char *s, struct dvw_code *k, char *why, size_t wn)
{
	char d[16];

	if (s[0] == '\0')
		return truncated(k, "skill", why, wn);
	k->event_type = skill_name(s[0]);
	if (k->event_type == NULL)
		return bad(why, wn, "unknown skill %s", describe(s[0], d, sizeof d));
	k->skill = s[0];
	if (s[1] == '\0')
		return truncated(k, "skill type", why, wn);
	if (!is_upper(s[1]))
		return bad(why, wn, "bad skill type %s", describe(s[1], d, sizeof d));
	k->skill_type = s[1];
	if (s[2] == '\0')
		return truncated(k, "evaluation", why, wn);
	if (strchr("=/-!+#", s[2]) == NULL)
		return bad(why, wn, "bad evaluation %s", describe(s[2], d, sizeof d));
	k->evaluation = s[2];
	return parse_extras(s + 3, k, why, wn);
}

static int parse_player_skill(const char *s, struct dvw_code *k, char *why,
			      size_t wn)
{
	char d[16];
	size_t n = lead_digits(s, 3, &k->number);

	if (n == 0 && s[0] == '\0')
		k->need = "player";
	if (n == 0)
		return bad(why, wn, "unknown code %s after the team",
			   describe(s[0], d, sizeof d));
	if (is_digit(s[n]))
		return bad(why, wn, "shirt number longer than 3 digits");
	return parse_skill(s + n, k, why, wn);
}

/* "$$&" green code, or "$$" + skill for an unknown player; s is after "$". */
static int parse_dollar(const char *s, struct dvw_code *k, char *why, size_t wn)
{
	k->need = s[0] == '\0' ? "$" : s[1] == '\0' ? "skill" : NULL;
	if (s[0] != '$')
		return bad(why, wn, "bad code: '$' must be doubled");
	if (s[1] == '&') {
		k->event_type = "green_code";
		if (is_upper(s[2]))
			k->skill_type = s[2];
		if (s[2] != '\0' && s[3] != '\0' && strchr("=/-!+#", s[3]) != NULL)
			k->evaluation = s[3];
		return 0;
	}
	if (s[1] == '\0' || skill_name(s[1]) == NULL)
		return bad(why, wn, "bad code after '$$'");
	k->need = NULL;
	return parse_skill(s + 1, k, why, wn);
}

/* "X:Y" with 1-3 digit numbers: 0 or -1. */
static int two_numbers(const char *s, int *a, int *b)
{
	size_t n = lead_digits(s, 3, a), m;

	if (n == 0 || s[n] != ':')
		return -1;
	m = lead_digits(s + n + 1, 3, b);
	return m == 0 || is_digit(s[n + 1 + m]) ? -1 : 0;
}

/* Whether s could still become "X:Y" (digits, at most one ':'): a code being typed. */
static int number_pair_prefix(const char *s)
{
	const char *colon = strchr(s, ':');

	return strspn(s, "0123456789:") == strlen(s) && (colon == NULL || strchr(colon + 1, ':') == NULL);
}

static int parse_point(const char *s, struct dvw_code *k, char *why, size_t wn)
{
	k->event_type = "point";
	if (two_numbers(s, &k->home_score, &k->visiting_score) != 0) {
		k->need = number_pair_prefix(s) ? "score" : NULL;
		return bad(why, wn, "bad point code: score must be home:visiting");
	}
	return 0;
}

static int parse_substitution(const char *s, struct dvw_code *k, char *why,
			      size_t wn)
{
	k->event_type = "substitution";
	k->need = number_pair_prefix(s) ? "players" : NULL;
	if (two_numbers(s, &k->player_out, &k->player_in) != 0)
		return bad(why, wn, "bad substitution: must be out:in");
	k->need = NULL;
	k->number = k->player_in;
	return 0;
}

static int parse_setter_position(const char *s, struct dvw_code *k, char *why,
				 size_t wn)
{
	k->event_type = "setter_position";
	k->need = s[0] == '\0' ? "setter position" : NULL;
	if (s[0] < '1' || s[0] > '6' || is_digit(s[1]))
		return bad(why, wn, "bad setter position: must be 1-6");
	k->setter_position = s[0] - '0';
	k->lineup = is_lineup(s + 1);
	return 0;
}

static int parse_setter(const char *s, struct dvw_code *k, char *why, size_t wn)
{
	size_t n = lead_digits(s, 3, &k->number);

	k->event_type = "setter_assignment";
	k->need = s[0] == '\0' ? "player" : NULL;
	if (n == 0 || is_digit(s[n]))
		return bad(why, wn, "bad setter code: shirt number expected");
	k->lineup = is_lineup(s + n);
	return 0;
}

/* "**Nset"; s is after "**". */
static int parse_end_of_set(const char *s, struct dvw_code *k, char *why,
			    size_t wn)
{
	k->event_type = "end_of_set";
	if (s[0] < '1' || s[0] > '9' || !starts_nocase(s + 1, "set"))
		return bad(why, wn, "bad end-of-set marker");
	k->set_digit = s[0] - '0';
	return 0;
}

/* ">..." lines: rotation errors and free notes (sanctions, challenges). */
static int parse_note(const char *s, struct dvw_code *k)
{
	while (*s == '>')
		s++;
	k->event_type = starts_nocase(s, "ROT") || starts_nocase(s, "FALLOROT") ||
			starts_nocase(s, "FORMAZIONE") ? "rotation_error" : "note";
	return 0;
}

/* Take a scout code apart: 0, or -1 with why set. */
static int parse_code(const char *s, struct dvw_code *k, char *why, size_t wn)
{
	char d[16];

	code_init(k);
	if (s[0] == '\0') {
		k->need = "team";
		return bad(why, wn, "empty code");
	}
	if (s[0] == '*' && s[1] == '*')
		return parse_end_of_set(s + 2, k, why, wn);
	if (s[0] == '>')
		return parse_note(s, k);
	if (s[0] != '*' && s[0] != 'a')
		return bad(why, wn, "code starts with %s, not '*' (home) or 'a' (visiting)",
			   describe(s[0], d, sizeof d));
	k->team = s[0];
	switch (s[1]) {
	case 'p': return parse_point(s + 2, k, why, wn);
	case 'z': return parse_setter_position(s + 2, k, why, wn);
	case 'P': return parse_setter(s + 2, k, why, wn);
	case 'c': case 'C': return parse_substitution(s + 2, k, why, wn);
	case '$': return parse_dollar(s + 2, k, why, wn);
	case 'T':
		k->event_type = "timeout";
		return 0;
	default: return parse_player_skill(s + 1, k, why, wn);
	}
}

/* ---- scout lines ---- */

static void add_code_skill(struct dvw_ctx *c, cJSON *pl, const struct dvw_code *k)
{
	int cone = k->skill == 'A' && c->cones;

	opt_char(c, pl, "skill", k->skill);
	opt_str(c, pl, "skill_name", k->event_type);
	opt_char(c, pl, "skill_type", k->skill_type);
	opt_char(c, pl, "evaluation", k->evaluation);
	opt_str(c, pl, "evaluation_name", stint_dvw_evaluation_name(k->skill, k->evaluation));
	if (k->skill == 'A' || k->skill == 'E')
		opt_str(c, pl, k->skill == 'A' ? "attack_code" : "set_code", k->combo);
	opt_char(c, pl, "set_type", k->set_type);
	if (k->start_zone)
		add_num(c, pl, "start_zone", k->start_zone - '0');
	if (k->end_zone)
		add_num(c, pl, cone ? "end_cone" : "end_zone", k->end_zone - '0');
	opt_char(c, pl, "end_subzone", k->end_subzone);
	opt_char(c, pl, "skill_subtype", k->skill_subtype);
	if (k->num_players)
		add_num(c, pl, "num_players", k->num_players - '0');
	opt_char(c, pl, "special", k->special);
	opt_str(c, pl, "custom", k->custom);
}

static void add_code(struct dvw_ctx *c, cJSON *pl, const struct dvw_code *k,
		     const char *code)
{
	add_str(c, pl, "code", code);
	if (k->skill != '\0') {
		add_code_skill(c, pl, k);
	} else if (k->skill_type != '\0' || k->evaluation != '\0') {
		opt_char(c, pl, "skill_type", k->skill_type);
		opt_char(c, pl, "evaluation", k->evaluation);
	}
	if (k->home_score >= 0)
		add_str(c, pl, "point_won_by", side_of(k->team));
	if (k->player_in >= 0) {
		add_num(c, pl, "player_out", k->player_out);
		add_num(c, pl, "player_in", k->player_in);
	}
	if (k->setter_position >= 0)
		add_num(c, pl, "setter_position", k->setter_position);
	if (k->lineup)
		add(c, pl, "lineup", cJSON_CreateTrue());
}

/* DataVolley grid index (1..10100, 100 columns by 101 rows) to court units. */
static double court_round(double v)
{
	double scaled = v * 10000;
	long r = (long)(scaled < 0 ? scaled - 0.5 : scaled + 0.5);

	return (double)r / 10000;
}

static void add_coordinate(struct dvw_ctx *c, cJSON *pl, const char *key,
			   const char *s)
{
	cJSON *xy;
	char q[24];
	int index, col, row;

	if (*s == '\0' || strcmp(s, "-1-1") == 0)
		return;
	if (to_uint(s, 10100, &index) != 0 || index < 1) {
		problem(c, "bad %s %s", key, quote(s, q, sizeof q));
		return;
	}
	col = (index - 1) % 100 + 1;
	row = (index - 1) / 100 + 1;
	xy = cJSON_CreateObject();
	add(c, pl, key, xy);
	if (xy == NULL)
		return;
	add_num(c, xy, "index", index);
	add_num(c, xy, "x", court_round(0.5 + (col - 11) * 3.0 / 80 + 3.0 / 160));
	add_num(c, xy, "y", court_round(0.5 + (row - 11) * 6.0 / 81 + 3.0 / 81));
}

/* Fields first..first+5 as six shirt numbers, left out unless all are. */
static void add_rotation(struct dvw_ctx *c, cJSON *pl, const char *key,
			 char **f, size_t nf, size_t first)
{
	int nums[6];
	cJSON *arr;
	size_t i;

	for (i = 0; i < 6; i++)
		if (to_uint(fld(f, nf, first + i), 999, &nums[i]) != 0)
			return;
	arr = cJSON_CreateIntArray(nums, 6);
	add(c, pl, key, arr);
}

static void add_phases(struct dvw_ctx *c, cJSON *pl, char **f, size_t nf)
{
	const char *point = fld(f, nf, 1), *attack = fld(f, nf, 2);

	if (strcmp(point, "p") == 0 || strcmp(point, "s") == 0)
		add_str(c, pl, "point_phase", *point == 'p' ? "breakpoint" : "sideout");
	if (strcmp(attack, "r") == 0)
		add_str(c, pl, "attack_phase", "reception");
	else if (strcmp(attack, "s") == 0)
		add_str(c, pl, "attack_phase", "transition_sideout");
	else if (strcmp(attack, "p") == 0)
		add_str(c, pl, "attack_phase", "transition_breakpoint");
}

static void add_fields(struct dvw_ctx *c, cJSON *pl, char **f, size_t nf)
{
	const char *s = fld(f, nf, 7);
	char buf[40], q[24];
	int v;

	add_phases(c, pl, f, nf);
	add_coordinate(c, pl, "start_coordinate", fld(f, nf, 4));
	add_coordinate(c, pl, "mid_coordinate", fld(f, nf, 5));
	add_coordinate(c, pl, "end_coordinate", fld(f, nf, 6));
	if (iso_time(s, buf, sizeof buf) == 0)
		add_str(c, pl, "time", buf);
	else if (*s != '\0')
		problem(c, "bad time %s", quote(s, q, sizeof q));
	if (to_uint(fld(f, nf, 11), 999, &v) == 0)
		add_num(c, pl, "video_file", v);
	add_rotation(c, pl, "home_rotation", f, nf, 14);
	add_rotation(c, pl, "visiting_rotation", f, nf, 20);
}

/* Carry the score, setter positions and set number into this line. */
static void update_play(struct dvw_ctx *c, const struct dvw_code *k, char **f,
			size_t nf)
{
	int pos;

	if (k->home_score >= 0) {
		c->play.home_score = k->home_score;
		c->play.visiting_score = k->visiting_score;
	}
	if (k->setter_position >= 0)
		c->play.setter[k->team == 'a'] = k->setter_position;
	if (to_uint(fld(f, nf, 9), 6, &pos) == 0 && pos >= 1)
		c->play.setter[0] = pos;
	if (to_uint(fld(f, nf, 10), 6, &pos) == 0 && pos >= 1)
		c->play.setter[1] = pos;
}

static void add_play(struct dvw_ctx *c, cJSON *pl, const struct dvw_code *k)
{
	const struct dvw_play *p = &c->play;

	add_num(c, pl, "set_number", k->set_digit > 0 ? k->set_digit : p->set_number);
	add_num(c, pl, "home_score", p->home_score);
	add_num(c, pl, "visiting_score", p->visiting_score);
	if (p->setter[0] > 0)
		add_num(c, pl, "home_setter_position", p->setter[0]);
	if (p->setter[1] > 0)
		add_num(c, pl, "visiting_setter_position", p->setter[1]);
}

static void end_set(struct dvw_ctx *c, const struct dvw_code *k)
{
	c->play.set_number = (k->set_digit > 0 ? k->set_digit : c->play.set_number) + 1;
	c->play.home_score = 0;
	c->play.visiting_score = 0;
}

static void add_t_sec(struct dvw_ctx *c, cJSON *ev, const char *s)
{
	char q[24];
	double t = 0;
	int ok = to_seconds(s, &t) == 0;

	if (!ok && *s != '\0')
		problem(c, "bad video time %s", quote(s, q, sizeof q));
	add_num_or_null(c, ev, "t_sec", ok, t);
}

static void add_event(struct dvw_ctx *c, const struct dvw_code *k,
		      const char *code, char **f, size_t nf)
{
	cJSON *ev = cJSON_CreateObject(), *pl;

	add(c, c->events, NULL, ev);
	if (ev == NULL)
		return;
	add_num(c, ev, "line", c->lineno);
	add_t_sec(c, ev, fld(f, nf, 12));
	add_str(c, ev, "event_type", k->event_type);
	add_str(c, ev, "actor_team", side_of(k->team));
	add_actor_number(c, ev, side_of(k->team), k->number);
	pl = cJSON_CreateObject();
	add(c, ev, "payload", pl);
	if (pl == NULL)
		return;
	add_code(c, pl, k, code);
	add_fields(c, pl, f, nf);
	add_play(c, pl, k);
}

static void read_scout(struct dvw_ctx *c, char **f, size_t nf)
{
	const char *code = fld(f, nf, 0);
	struct dvw_code k;
	char why[96];

	if (parse_code(code, &k, why, sizeof why) != 0) {
		problem(c, "%s, line skipped", why);
		return;
	}
	if (nf < DVW_SCOUT_FIELDS)
		problem(c, "%zu of %d fields, the rest read as missing", nf,
			DVW_SCOUT_FIELDS);
	update_play(c, &k, f, nf);
	add_event(c, &k, code, f, nf);
	if (k.set_digit >= 0)
		end_set(c, &k);
}

/* ---- second pass ---- */

static void read_row(struct dvw_ctx *c)
{
	char *f[DVW_MAX_FIELDS];
	size_t nf;

	if (c->sec == SEC_VIDEO) {
		read_video(c);
		return;
	}
	nf = split(c->line, f, DVW_MAX_FIELDS);
	switch (c->sec) {
	case SEC_MATCH:
		if (!c->have_match)
			read_match(c, f, nf);
		c->have_match = 1;
		break;
	case SEC_MORE:
		if (!c->have_more)
			read_more(c, f, nf);
		c->have_more = 1;
		break;
	case SEC_TEAMS:
		if (c->row < 2 && !c->have_team[c->row])
			read_team(c, c->team[c->row], f, nf);
		if (c->row < 2)
			c->have_team[c->row] = 1;
		break;
	case SEC_SET: read_set(c, f, nf); break;
	case SEC_PLAYERS_H: case SEC_PLAYERS_V: read_player(c, f, nf); break;
	case SEC_SCOUT: read_scout(c, f, nf); break;
	default: break;
	}
}

/* Copy or convert the raw line into c->line as UTF-8: 0, or -1. */
static int decode_line(struct dvw_ctx *c, const char *p, size_t n)
{
	char *in = (char *)p, *out = c->line;
	size_t inleft = n, outleft = DVW_LINE_CAP - 1;

	if (c->cd == (iconv_t)-1) {
		if (utf8_class(p, n) < 0) {
			problem(c, "invalid UTF-8, line skipped");
			return -1;
		}
		memcpy(c->line, p, n);
		c->line_len = n;
		c->line[n] = '\0';
		return 0;
	}
	iconv(c->cd, NULL, NULL, NULL, NULL);
	if (iconv(c->cd, &in, &inleft, &out, &outleft) == (size_t)-1) {
		problem(c, "bytes not valid in %s, line skipped", c->encoding);
		return -1;
	}
	c->line_len = (size_t)(out - c->line);
	*out = '\0';
	return 0;
}

/* Control bytes (NUL, C0 but tab, DEL, C1) mean binary junk: -1. */
static int check_controls(struct dvw_ctx *c)
{
	const unsigned char *s = (const unsigned char *)c->line;
	size_t i;

	for (i = 0; i < c->line_len; i++) {
		if ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7F ||
		    (s[i] == 0xC2 && i + 1 < c->line_len && s[i + 1] >= 0x80 &&
		     s[i + 1] <= 0x9F)) {
			problem(c, "control characters (binary data), line skipped");
			return -1;
		}
	}
	return 0;
}

static void read_line(struct dvw_ctx *c, const char *p, size_t n)
{
	enum dvw_section sec;

	if (is_blank(p, n))
		return;
	if (n > STINT_DVW_MAX_LINE) {
		problem(c, "longer than %u bytes, line skipped", STINT_DVW_MAX_LINE);
		c->row++;
		return;
	}
	if (decode_line(c, p, n) != 0 || check_controls(c) != 0) {
		c->row++;
		return;
	}
	if (section_of(c->line, c->line_len, &sec)) {
		c->sec = sec;
		c->row = 0;
		return;
	}
	read_row(c);
	c->row++;
}

static void read_lines(struct dvw_ctx *c, const char *data, size_t len)
{
	struct dvw_cursor cur;
	const char *p;
	size_t n;

	cursor_init(&cur, data, len);
	while (next_line(&cur, &p, &n) && !c->nomem) {
		c->lineno = cur.lineno;
		read_line(c, p, n);
		flush_problems(c);
	}
}

/* ---- the document ---- */

/* The skeleton: match, teams, players, sets, video, events. */
static void build_doc(struct dvw_ctx *c)
{
	cJSON *teams;

	c->doc = cJSON_CreateObject();
	if (c->doc == NULL) {
		c->nomem = 1;
		return;
	}
	c->match = cJSON_CreateObject();
	add(c, c->doc, "match", c->match);
	teams = cJSON_CreateArray();
	add(c, c->doc, "teams", teams);
	c->team[0] = cJSON_CreateObject();
	add(c, teams, NULL, c->team[0]);
	c->team[1] = cJSON_CreateObject();
	add(c, teams, NULL, c->team[1]);
	add_str(c, c->team[0], "side", "A");
	add_str(c, c->team[1], "side", "B");
	c->players = cJSON_CreateArray();
	add(c, c->doc, "players", c->players);
	c->sets = cJSON_CreateArray();
	add(c, c->doc, "sets", c->sets);
	add(c, c->doc, "video", cJSON_CreateNull());
	c->events = cJSON_CreateArray();
	add(c, c->doc, "events", c->events);
}

static int report(stint_buf *warnings, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Write why the parse failed to warnings; returns rc. */
static int report(stint_buf *warnings, int rc, const char *fmt, ...)
{
	va_list ap;

	if (warnings == NULL)
		return rc;
	va_start(ap, fmt);
	if (stint_buf_vprintf(warnings, fmt, ap) == 0)
		stint_buf_putc(warnings, '\n');
	va_end(ap);
	return rc;
}

static int ctx_init(struct dvw_ctx *c, const struct dvw_scan *scan,
		    stint_buf *warnings)
{
	memset(c, 0, sizeof *c);
	c->cd = (iconv_t)-1;
	c->warnings = warnings;
	c->play.set_number = 1;
	c->encoding = pick_encoding(scan);
	if (strcmp(c->encoding, "UTF-8") != 0) {
		c->cd = iconv_open("UTF-8", c->encoding);
		if (c->cd == (iconv_t)-1)
			return report(warnings, STINT_DVW_ENCODING,
				      "cannot convert text from %s", c->encoding);
	}
	c->line = malloc(DVW_LINE_CAP);
	if (c->line == NULL)
		return report(warnings, STINT_DVW_NOMEM, "out of memory");
	build_doc(c);
	return c->nomem ? report(warnings, STINT_DVW_NOMEM, "out of memory")
			: STINT_DVW_OK;
}

static int ctx_finish(struct dvw_ctx *c)
{
	size_t i;

	add_str(c, c->match, "text_encoding", c->encoding);
	fill_nulls(c, c->match, dvw_match_keys, DVW_COUNT(dvw_match_keys));
	for (i = 0; i < 2; i++)
		fill_nulls(c, c->team[i], dvw_team_keys, DVW_COUNT(dvw_team_keys));
	add_num(c, c->doc, "warnings", c->nwarn);
	if (c->nwarn > STINT_DVW_MAX_WARNINGS && c->warnings != NULL &&
	    stint_buf_printf(c->warnings, "(%lu further warnings not shown)\n",
			     c->nwarn - STINT_DVW_MAX_WARNINGS) != 0)
		c->nomem = 1;
	if (c->nomem)
		return report(c->warnings, STINT_DVW_NOMEM, "out of memory");
	return STINT_DVW_OK;
}

static void ctx_free(struct dvw_ctx *c)
{
	if (c->cd != (iconv_t)-1)
		iconv_close(c->cd);
	free(c->line);
	cJSON_Delete(c->doc);
}

int stint_dvw_parse(const char *data, size_t len, cJSON **match_out,
		    stint_buf *warnings)
{
	struct dvw_scan scan;
	struct dvw_ctx c;
	int rc;

	if (match_out == NULL || (data == NULL && len > 0))
		return report(warnings, STINT_DVW_EINVAL, "invalid arguments");
	*match_out = NULL;
	if (len == 0)
		return report(warnings, STINT_DVW_EMPTY, "empty input");
	if (len > STINT_DVW_MAX_BYTES)
		return report(warnings, STINT_DVW_TOO_LARGE,
			      "input is %zu bytes, over the %u-byte limit",
			      len, STINT_DVW_MAX_BYTES);
	scan_input(data, len, &scan);
	if (!scan.have_scout)
		return report(warnings, STINT_DVW_NOT_DVW,
			      "not a DataVolley file: no [3SCOUT] section");
	rc = ctx_init(&c, &scan, warnings);
	if (rc != STINT_DVW_OK)
		goto out;
	read_lines(&c, data, len);
	rc = ctx_finish(&c);
	if (rc == STINT_DVW_OK) {
		*match_out = c.doc;
		c.doc = NULL;
	}
out:
	ctx_free(&c);
	return rc;
}

/* ---- one code ---- */

int stint_dvw_code(const char *code, const cJSON *players, int cones, cJSON **event_out,
		   const char **need, char *why, size_t wn)
{
	struct dvw_ctx c;
	struct dvw_code k;
	cJSON *ev, *pl;
	int bad_code;

	if (event_out == NULL || need == NULL || code == NULL || why == NULL || wn == 0)
		return STINT_DVW_EINVAL;
	*event_out = NULL;
	*need = NULL;
	why[0] = '\0';
	memset(&c, 0, sizeof c);
	c.cd = (iconv_t)-1;
	c.players = (cJSON *)players;  /* only read (add_actor_number) */
	c.cones = cones != 0;
	bad_code = parse_code(code, &k, why, wn) != 0;
	ev = cJSON_CreateObject();
	add(&c, ev, "event_type", k.event_type ? cJSON_CreateString(k.event_type) : cJSON_CreateNull());
	add_str(&c, ev, "actor_team", side_of(k.team));
	add_actor_number(&c, ev, side_of(k.team), k.number);
	pl = cJSON_CreateObject();
	add(&c, ev, "payload", pl);
	if (ev != NULL && pl != NULL)
		add_code(&c, pl, &k, code);
	if (c.nomem || ev == NULL) {
		cJSON_Delete(ev);
		return STINT_DVW_NOMEM;
	}
	*event_out = ev;
	if (!bad_code)
		return STINT_DVW_OK;
	*need = k.need;
	return k.need != NULL ? STINT_DVW_PARTIAL : STINT_DVW_BAD_CODE;
}
