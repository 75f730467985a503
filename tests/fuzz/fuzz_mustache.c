/*
 * fuzz_mustache.c: libFuzzer target for the mustache renderer
 * (lib/mustache.c, lib/escape.c).
 *
 * The input is a template. It is rendered with one fixed data object (every
 * JSON type, HTML specials, lists, nesting, a dynamic partial name) and a
 * loader of fixed partials that exercise indentation, delimiters, lists,
 * data-bounded and runaway recursion, inheritance parents and a malformed
 * partial. A render must return 0 with no error text, or -1 with the output
 * left as it was (empty) and a message. Broken invariants abort().
 *
 * Sections over lists multiply their content, so templates with more than
 * MAX_SECTIONS '#' bytes (any delimiters still use '#') or longer than
 * MAX_TEMPLATE bytes are skipped: otherwise the fuzzer reports exponential
 * output, which is mustache, not a bug (templates are Stint's own files).
 *
 * Built and run by tests/fuzz/run.sh; seeds are the spec's templates.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "mustache.h"

#define MAX_SECTIONS 6
#define MAX_TEMPLATE 4096

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char data_json[] =
	"{\"name\":\"Tom & <Jerry> \\\"'/`=\",\"empty\":\"\",\"zero\":0,"
	"\"int\":42,\"neg\":-7,\"real\":3.14159,\"big\":1e300,\"tiny\":5e-324,"
	"\"t\":true,\"f\":false,\"nil\":null,\"dyn\":\"p\",\"dyn_parent\":\"parent\","
	"\"a\":{\"b\":{\"c\":\"deep\",\"name\":\"inner\"},\"list\":[1,2]},"
	"\"list\":[{\"name\":\"one\",\"n\":1},{\"name\":\"two\",\"t\":false}],"
	"\"words\":[\"x\",\"<y>\"],\"none\":[],"
	"\"node\":{\"name\":\"n1\",\"node\":{\"name\":\"n2\",\"node\":{\"name\":\"n3\"}}}}";

struct partial {
	const char *name;
	const char *text;
};

static const struct partial partials[] = {
	{ "p", "partial {{name}} {{{name}}} {{&a.b.c}}\n" },
	{ "list", "{{#list}}[{{name}}{{^t}}!{{/t}}]{{/list}}" },
	{ "indented", "  a\n  {{name}}\n\tb\n{{#words}}\n  {{.}}\n{{/words}}\n" },
	{ "rec", "{{#node}}({{name}}{{>rec}}){{/node}}" },
	{ "self", "{{>self}}" },
	{ "parent", "<{{$title}}default{{/title}}|\n  {{$body}}\n  b\n  {{/body}}\n>" },
	{ "layout", "{{<parent}}{{$title}}L {{name}}{{/title}}{{/parent}}" },
	{ "bad", "{{#open}}{{/close}}" },
	{ "delims", "{{=<% %>=}}<%name%> <%{name}%> <%={{ }}=%>{{name}}" },
};

static cJSON *data;

/* The fixed partials by name; NULL for any other name. */
static const char *load(void *ctx, const char *name, size_t *len)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < sizeof(partials) / sizeof(partials[0]); i++) {
		if (strcmp(partials[i].name, name) == 0) {
			*len = strlen(partials[i].text);
			return partials[i].text;
		}
	}
	return NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	data = cJSON_Parse(data_json);
	if (data == NULL)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *tmpl, size_t size)
{
	stint_buf out = STINT_BUF_INIT, err = STINT_BUF_INIT;
	size_t i, sections = 0;
	int rc;

	if (size > MAX_TEMPLATE)
		return 0;
	for (i = 0; i < size; i++)
		sections += tmpl[i] == '#';
	if (sections > MAX_SECTIONS)
		return 0;
	rc = stint_mustache_render((const char *)tmpl, size, data, load, NULL, &out, &err);
	if (rc == 0 && err.len != 0)
		abort();
	if (rc != 0 && (rc != -1 || out.len != 0 || err.len == 0))
		abort();
	stint_buf_free(&out);
	stint_buf_free(&err);
	return 0;
}
