/*
 * test_mustache.c: Check tests for lib/mustache.c and lib/escape.c.
 *
 * "spec" runs every test of the official mustache spec (v1.4.2 JSON files in
 * $STINT_DATA_DIR/mustache-spec/): the required modules and ~inheritance and
 * ~dynamic-names (both supported) must all pass; ~lambdas is counted as
 * skipped (cJSON data cannot hold code). The other cases are ours: escapers
 * (table-driven), malformed templates (must fail, naming the line) and
 * runaway recursion (must fail), and rendering choices the spec leaves open.
 *
 * Without STINT_DATA_DIR the spec case is not run and, once the other cases
 * pass, the program exits 77 (automake's SKIP).
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "escape.h"
#include "mustache.h"

#define EXIT_SKIP 77
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers ------------------------------------------------------------ */

/* Partial loader over a cJSON object {name: template}. */
static const char *json_partial(void *ctx, const char *name, size_t *len)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(ctx, name);

	if (!cJSON_IsString(p))
		return NULL;
	*len = strlen(p->valuestring);
	return p->valuestring;
}

/*
 * Renders tmpl with data and partials given as JSON text (either may be
 * NULL); returns the render's result, output and error text in out/err.
 */
static int render_json(const char *tmpl, const char *data, const char *partials,
		       stint_buf *out, stint_buf *err)
{
	cJSON *d = data != NULL ? cJSON_Parse(data) : NULL;
	cJSON *p = partials != NULL ? cJSON_Parse(partials) : NULL;
	int rc;

	ck_assert_msg(data == NULL || d != NULL, "bad test data: %s", data);
	ck_assert_msg(partials == NULL || p != NULL, "bad partials: %s",
		      partials);
	rc = stint_mustache_render(tmpl, strlen(tmpl), d, json_partial, p, out,
				   err);
	cJSON_Delete(d);
	cJSON_Delete(p);
	return rc;
}

static const char *str(const stint_buf *b)
{
	return b->data != NULL ? b->data : "";
}

/* ---- escape.c ----------------------------------------------------------- */

struct esc_case {
	int (*fn)(stint_buf *, const char *);
	const char *in;
	const char *want;
};

static const struct esc_case esc_cases[] = {
	{ stint_html_txt, "<a href=\"x\">Tom & Jerry's</a>",
	  "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;" },
	{ stint_html_txt, "plain caf\xc3\xa9 = `ok`",
	  "plain caf\xc3\xa9 = `ok`" },
	{ stint_html_txt, "", "" },
	{ stint_html_txt, NULL, "" },
	{ stint_html_attr, "a=b `c` \"d\" 'e' <&>",
	  "a&#61;b &#96;c&#96; &quot;d&quot; &#39;e&#39; &lt;&amp;&gt;" },
	{ stint_html_attr, NULL, "" },
	{ stint_url_arg, "AZaz09-._~", "AZaz09-._~" },
	{ stint_url_arg, "a b&c=d/e?f#g+h%",
	  "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25" },
	{ stint_url_arg, "caf\xc3\xa9 \xe2\x82\xac", "caf%C3%A9%20%E2%82%AC" },
	{ stint_url_arg, NULL, "" },
	{ stint_json_str, "plain", "\"plain\"" },
	{ stint_json_str, "a\"b\\c", "\"a\\\"b\\\\c\"" },
	{ stint_json_str, "\n\r\t\b\f\x01\x1f\x7f",
	  "\"\\n\\r\\t\\b\\f\\u0001\\u001f\x7f\"" },
	{ stint_json_str, "</script><!--",
	  "\"\\u003c\\u002fscript\\u003e\\u003c!--\"" },
	{ stint_json_str, "it's a & b", "\"it\\u0027s a \\u0026 b\"" },
	{ stint_json_str, "x\xe2\x80\xa8y\xe2\x80\xa9z",
	  "\"x\\u2028y\\u2029z\"" },
	{ stint_json_str, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	  "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"" },
	{ stint_json_str, "bad\xff", "\"bad\\ufffd\"" },
	/* Not UTF-8: overlong, surrogate, truncated. */
	{ stint_json_str, "\xc0\xaf", "\"\\ufffd\\ufffd\"" },
	{ stint_json_str, "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },
	{ stint_json_str, "\xe2\x82", "\"\\ufffd\\ufffd\"" },
	{ stint_json_str, "", "\"\"" },
	{ stint_json_str, NULL, "null" },
};

START_TEST(test_escape)
{
	const struct esc_case *c = &esc_cases[_i];
	stint_buf out = STINT_BUF_INIT;

	ck_assert_int_eq(stint_buf_puts(&out, "["), 0);
	ck_assert_int_eq(c->fn(&out, c->in), 0);
	ck_assert_msg(strcmp(out.data + 1, c->want) == 0,
		      "case %d: got \"%s\", want \"%s\"", _i, out.data + 1,
		      c->want);
	stint_buf_free(&out);
}
END_TEST

/* ---- malformed templates ------------------------------------------------ */

struct bad_case {
	const char *tmpl;
	const char *partials;
	const char *err;	/* expected start of the message */
};

static const char bad_data[] = "{\"x\": true, \"a\": 1, \"l\": [1, 2, 3]}";

static const struct bad_case bad_cases[] = {
	{ "a\n{{#s}}\nb\n", NULL, "line 2: unclosed section \"s\"" },
	{ "ok\nthen {{name", NULL, "line 2: unclosed tag" },
	{ "{{{name}}", NULL, "line 1: unclosed tag" },
	{ "{{! never closed", NULL, "line 1: unclosed tag" },
	{ "{{#a}}\n{{/b}}", NULL,
	  "line 2: {{/b}} does not match \"a\" opened on line 1" },
	{ "x\n\n{{/a}}", NULL, "line 3: {{/a}} closes nothing" },
	{ "{{#a}}{{$b}}{{/a}}{{/b}}", NULL, "line 1: {{/a}} does not match" },
	{ "{{<p}}\n{{$b}}x\n{{/p}}", NULL,
	  "line 3: {{/p}} does not match \"b\" opened on line 2" },
	{ "{{=<% %>}}", NULL, "line 1: bad delimiter change" },
	{ "a\n{{=<%=}}", NULL, "line 2: bad delimiter change" },
	{ "{{=<% %> x=}}", NULL, "line 1: bad delimiter change" },
	{ "{{}}", NULL, "line 1: empty tag" },
	{ "{{# }}", NULL, "line 1: empty tag" },
	{ "{{a b}}", NULL, "line 1: bad name in tag" },
	{ "{{a..b}}", NULL, "line 1: bad name in tag" },
	{ "<%x%>{{=<% %>=}}\n<%#s%>", NULL, "line 2: unclosed section \"s\"" },
	{ "{{>p}}", "{\"p\": \"ok\\n{{#x}}\"}",
	  "partial \"p\": line 2: unclosed section \"x\"" },
	{ "{{<p}}{{/p}}", "{\"p\": \"{{/q}}\"}",
	  "partial \"p\": line 1: {{/q}} closes nothing" },
	/* Recursion deeper than 64 levels fails, even when it fans out. */
	{ "{{>r}}", "{\"r\": \"x{{>r}}\"}",
	  "partial \"r\" nested deeper than 64 levels" },
	{ "{{>r}}", "{\"r\": \"{{#l}}{{>r}}{{/l}}\"}",
	  "partial \"r\" nested deeper than 64 levels" },
	{ "{{<p}}{{$b}}<{{$b}}{{/b}}>{{/b}}{{/p}}", "{\"p\": \"{{$b}}{{/b}}\"}",
	  "block \"b\" nested deeper than 64 levels" },
};

START_TEST(test_bad_template)
{
	const struct bad_case *c = &bad_cases[_i];
	stint_buf out = STINT_BUF_INIT, err = STINT_BUF_INIT;

	ck_assert_int_eq(stint_buf_puts(&out, "kept"), 0);
	ck_assert_int_eq(render_json(c->tmpl, bad_data, c->partials, &out,
				     &err), -1);
	ck_assert_str_eq(str(&out), "kept");
	ck_assert_msg(strncmp(str(&err), c->err, strlen(c->err)) == 0,
		      "case %d: got \"%s\", want \"%s...\"", _i, str(&err),
		      c->err);
	stint_buf_free(&out);
	stint_buf_free(&err);
}
END_TEST

/* ---- choices the spec leaves open --------------------------------------- */

struct render_case {
	const char *tmpl;
	const char *data;
	const char *partials;
	const char *want;
};

static const struct render_case render_cases[] = {
	/* Truthiness: "" is false (the spec's "!!data"), 0 is true. */
	{ "{{#s}}yes{{/s}}{{^s}}no{{/s}}", "{\"s\": \"\"}", NULL, "no" },
	{ "{{#n}}[{{n}}]{{/n}}", "{\"n\": 0}", NULL, "[0]" },
	{ "{{#o}}obj{{/o}}", "{\"o\": {}}", NULL, "obj" },
	/* Numbers: shortest form that reads back as the same double. */
	{ "{{a}} {{b}} {{c}} {{d}} {{e}} {{f}}",
	  "{\"a\": 0.1, \"b\": 0.30000000000000004, \"c\": -3, \"d\": 1e300,"
	  " \"e\": -0, \"f\": 9007199254740992}",
	  NULL, "0.1 0.30000000000000004 -3 1e+300 0 9007199254740992" },
	/* Scalars other than strings and numbers. */
	{ "{{t}}|{{f}}|{{n}}|{{l}}|{{o}}", "{\"t\": true, \"f\": false,"
	  " \"n\": null, \"l\": [1], \"o\": {\"a\": 1}}", NULL,
	  "true|false|||" },
	{ "{{q}} {{{q}}}", "{\"q\": \"<'&'>\"}", NULL,
	  "&lt;&#39;&amp;&#39;&gt; <'&'>" },
	/* Missing partials and data render nothing. */
	{ "[{{>nope}}][{{<nope}}{{$b}}x{{/b}}{{/nope}}]", NULL, NULL, "[][]" },
	{ "{{>*which}}", "{\"which\": \"p\"}", "{\"p\": \"dynamic\"}",
	  "dynamic" },
	/* A page over a layout, as Stint's templates use it. */
	{ "{{<layout}}\n{{$title}}Home{{/title}}\n{{$content}}\n"
	  "<p>{{msg}}</p>\n{{/content}}\n{{/layout}}\n",
	  "{\"msg\": \"a < b\"}",
	  "{\"layout\": \"<title>{{$title}}Stint{{/title}}</title>\\n"
	  "<main>\\n  {{$content}}\\n  <p>none</p>\\n  {{/content}}\\n"
	  "</main>\\n\"}",
	  "<title>Home</title>\n<main>\n  <p>a &lt; b</p>\n</main>\n" },
	/* Nested standalone partials add up their indentation. */
	{ "<ul>\n  {{>items}}\n</ul>\n", "{\"l\": [1, 2]}",
	  "{\"items\": \"{{#l}}\\n  {{>item}}\\n{{/l}}\\n\","
	  " \"item\": \"<li>{{.}}</li>\\n\"}",
	  "<ul>\n    <li>1</li>\n    <li>2</li>\n</ul>\n" },
};

START_TEST(test_render)
{
	const struct render_case *c = &render_cases[_i];
	stint_buf out = STINT_BUF_INIT, err = STINT_BUF_INIT;

	ck_assert_msg(render_json(c->tmpl, c->data, c->partials, &out,
				  &err) == 0, "case %d: %s", _i, str(&err));
	ck_assert_msg(strcmp(str(&out), c->want) == 0,
		      "case %d: got \"%s\", want \"%s\"", _i, str(&out),
		      c->want);
	stint_buf_free(&out);
	stint_buf_free(&err);
}
END_TEST

START_TEST(test_render_api)
{
	static const char tmpl[] = "{{a}}!{{b}}";
	stint_buf out = STINT_BUF_INIT;
	cJSON *d = cJSON_Parse("{\"a\": \"A\", \"b\": \"B\"}");

	/* The template need not be NUL-terminated: only tmpl_len counts. */
	ck_assert_int_eq(stint_mustache_render(tmpl, 6, d, NULL, NULL, &out,
					       NULL), 0);
	ck_assert_str_eq(str(&out), "A!");
	/* Output is appended; no loader means every partial is empty. */
	ck_assert_int_eq(stint_mustache_render("{{>p}}{{b}}", 11, d, NULL, NULL,
					       &out, NULL), 0);
	ck_assert_str_eq(str(&out), "A!B");
	/* A malformed template fails without an error buffer too. */
	ck_assert_int_eq(stint_mustache_render("{{#a}}", 6, d, NULL, NULL,
					       &out, NULL), -1);
	ck_assert_str_eq(str(&out), "A!B");
	cJSON_Delete(d);
	stint_buf_free(&out);
}
END_TEST

/* ---- the official spec -------------------------------------------------- */

enum spec_group { SPEC_REQUIRED, SPEC_INHERITANCE, SPEC_DYNAMIC, SPEC_SKIPPED };

static const struct {
	const char *file;
	enum spec_group group;
} spec_files[] = {
	{ "comments.json", SPEC_REQUIRED },
	{ "delimiters.json", SPEC_REQUIRED },
	{ "interpolation.json", SPEC_REQUIRED },
	{ "inverted.json", SPEC_REQUIRED },
	{ "partials.json", SPEC_REQUIRED },
	{ "sections.json", SPEC_REQUIRED },
	{ "~inheritance.json", SPEC_INHERITANCE },
	{ "~dynamic-names.json", SPEC_DYNAMIC },
	{ "~lambdas.json", SPEC_SKIPPED },
};

struct tally {
	int passed[SPEC_SKIPPED];
	int total[SPEC_SKIPPED];
	int skipped;
};

/* Reads and parses a spec file; NULL (with a message) on failure. */
static cJSON *spec_load(const char *dir, const char *file)
{
	char path[4096];
	char chunk[8192];
	stint_buf b = STINT_BUF_INIT;
	cJSON *doc = NULL;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/mustache-spec/%s", dir, file);
	f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "cannot open %s\n", path);
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (stint_buf_append(&b, chunk, n) != 0)
			goto out;
	if (!ferror(f) && b.data != NULL)
		doc = cJSON_Parse(b.data);
	if (doc == NULL)
		fprintf(stderr, "cannot read %s\n", path);
out:
	fclose(f);
	stint_buf_free(&b);
	return doc;
}

/* Runs one spec test; 1 when it passes, else 0 with a report on stderr. */
static int spec_run(const char *file, const cJSON *t)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(t, "name");
	const cJSON *tmpl = cJSON_GetObjectItemCaseSensitive(t, "template");
	const cJSON *want = cJSON_GetObjectItemCaseSensitive(t, "expected");
	cJSON *partials = cJSON_GetObjectItemCaseSensitive(t, "partials");
	stint_buf out = STINT_BUF_INIT, err = STINT_BUF_INIT;
	int rc, ok;

	if (!cJSON_IsString(name) || !cJSON_IsString(tmpl) ||
	    !cJSON_IsString(want)) {
		fprintf(stderr, "%s: malformed test\n", file);
		return 0;
	}
	rc = stint_mustache_render(tmpl->valuestring, strlen(tmpl->valuestring),
				   cJSON_GetObjectItemCaseSensitive(t, "data"),
				   json_partial, partials, &out, &err);
	ok = rc == 0 && strcmp(str(&out), want->valuestring) == 0;
	if (!ok)
		fprintf(stderr,
			"FAIL %s: %s\n  want: \"%s\"\n  got:  \"%s\"%s%s\n",
			file, name->valuestring, want->valuestring, str(&out),
			rc != 0 ? " error: " : "", str(&err));
	stint_buf_free(&out);
	stint_buf_free(&err);
	return ok;
}

/* Runs a spec file into the tally; -1 when it cannot be read. */
static int spec_file(const char *dir, size_t i, struct tally *tl)
{
	enum spec_group g = spec_files[i].group;
	const cJSON *tests, *t;
	cJSON *doc = spec_load(dir, spec_files[i].file);

	if (doc == NULL)
		return -1;
	tests = cJSON_GetObjectItemCaseSensitive(doc, "tests");
	cJSON_ArrayForEach(t, tests) {
		if (g == SPEC_SKIPPED) {
			tl->skipped++;
			continue;
		}
		tl->total[g]++;
		tl->passed[g] += spec_run(spec_files[i].file, t);
	}
	cJSON_Delete(doc);
	return 0;
}

START_TEST(test_spec)
{
	const char *dir = getenv("STINT_DATA_DIR");
	struct tally tl = { { 0 }, { 0 }, 0 };
	int unread = 0, g, failed = 0;
	size_t i;

	for (i = 0; i < NELEM(spec_files); i++)
		if (spec_file(dir, i, &tl) != 0)
			unread++;
	printf("mustache spec: required %d/%d passed,"
	       " ~inheritance %d/%d passed,"
	       " ~dynamic-names %d/%d passed, skipped %d (~lambdas)\n",
	       tl.passed[SPEC_REQUIRED], tl.total[SPEC_REQUIRED],
	       tl.passed[SPEC_INHERITANCE], tl.total[SPEC_INHERITANCE],
	       tl.passed[SPEC_DYNAMIC], tl.total[SPEC_DYNAMIC], tl.skipped);
	fflush(stdout);
	for (g = 0; g < SPEC_SKIPPED; g++)
		failed += tl.total[g] - tl.passed[g];
	ck_assert_msg(unread == 0, "%d spec files unreadable", unread);
	ck_assert_msg(tl.total[SPEC_REQUIRED] > 0, "no required spec tests");
	ck_assert_msg(failed == 0, "%d spec tests failed", failed);
}
END_TEST

static Suite *mustache_suite(int with_spec)
{
	Suite *s = suite_create("mustache");
	TCase *tc = tcase_create("escape");

	tcase_add_loop_test(tc, test_escape, 0, (int)NELEM(esc_cases));
	suite_add_tcase(s, tc);
	tc = tcase_create("bad_template");
	tcase_add_loop_test(tc, test_bad_template, 0, (int)NELEM(bad_cases));
	suite_add_tcase(s, tc);
	tc = tcase_create("render");
	tcase_add_loop_test(tc, test_render, 0, (int)NELEM(render_cases));
	tcase_add_test(tc, test_render_api);
	suite_add_tcase(s, tc);
	if (with_spec) {
		tc = tcase_create("spec");
		tcase_set_timeout(tc, 60);
		tcase_add_test(tc, test_spec);
		suite_add_tcase(s, tc);
	}
	return s;
}

/* The spec runs when STINT_DATA_DIR names a folder holding it. */
static int spec_present(const char *dir)
{
	char path[4096];

	if (dir == NULL || dir[0] == '\0')
		return 0;
	snprintf(path, sizeof(path), "%s/mustache-spec/sections.json", dir);
	return access(path, R_OK) == 0;
}

int main(void)
{
	const char *dir = getenv("STINT_DATA_DIR");
	int with_spec = spec_present(dir);
	SRunner *sr = srunner_create(mustache_suite(with_spec));
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (failed != 0)
		return EXIT_FAILURE;
	if (!with_spec) {
		fprintf(stderr, "no mustache spec under STINT_DATA_DIR (%s):"
			" spec tests skipped\n", dir ? dir : "unset");
		return EXIT_SKIP;
	}
	return EXIT_SUCCESS;
}
