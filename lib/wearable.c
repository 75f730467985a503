/*
 * wearable.c: device files of wearables (see wearable.h): read the file,
 * hand it to its format's module (wearable-xml.c, wearable-csv.c,
 * wearable-fit.c, wearable-epts.c), check that something usable came out.
 */
#include "wearable.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sys/stat.h>

#include "wearable-build.h"
#include "wearable-csv.h"
#include "wearable-epts.h"
#include "wearable-fit.h"
#include "wearable-xml.h"

static const char *const format_names[] = {
	[STINT_WEARABLE_CSV] = "csv",
	[STINT_WEARABLE_GPX] = "gpx",
	[STINT_WEARABLE_TCX] = "tcx",
	[STINT_WEARABLE_FIT] = "fit",
	[STINT_WEARABLE_METRICA] = "metrica",
	[STINT_WEARABLE_EPTS] = "epts",
};

#define N_FORMATS (sizeof(format_names) / sizeof(format_names[0]))

const char *stint_wearable_format_name(stint_wearable_format format)
{
	if ((size_t)format >= N_FORMATS)
		return "unknown";
	return format_names[format];
}

int stint_wearable_format_parse(const char *name, stint_wearable_format *format)
{
	for (size_t i = 0; name != NULL && i < N_FORMATS; i++)
		if (strcmp(name, format_names[i]) == 0) {
			*format = (stint_wearable_format)i;
			return 0;
		}
	return -1;
}

void stint_tracks_free(stint_tracks *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->tracks[i].label);
		free(t->tracks[i].samples);
	}
	for (size_t i = 0; i < t->n_warnings; i++)
		free(t->warnings[i]);
	free(t->tracks);
	free(t->warnings);
	memset(t, 0, sizeof(*t));
}

size_t stint_tracks_samples(const stint_tracks *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		n += t->tracks[i].n;
	return n;
}

/* Read the file at path into a NUL-terminated heap buffer *data (*n bytes); 0 or -1 with err. */
static int read_file(const char *path, char **data, size_t *n, char *err, size_t errsize)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *grown;
	size_t len = 0, cap = 0, got;
	struct stat st;

	if (f == NULL)
		return stint_wearable_err(err, errsize, "cannot open the file: %s", strerror(errno));
	/* one buffer of the file's size (and room to see the end), not a doubling series of copies */
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size < STINT_WEARABLE_MAX_BYTES) {
		cap = (size_t)st.st_size + 65536;
		if ((buf = malloc(cap + 1)) == NULL) {
			fclose(f);
			return stint_wearable_err(err, errsize, "out of memory (%ld)", STINT_WEARABLE_MAX_BYTES);
		}
	}
	do {
		if (cap - len < 65536) {
			cap = cap == 0 ? 65536 : 2 * cap;
			if (cap > (size_t)STINT_WEARABLE_MAX_BYTES + 65536 || (grown = realloc(buf, cap + 1)) == NULL) {
				free(buf);
				fclose(f);
				return stint_wearable_err(err, errsize, cap > (size_t)STINT_WEARABLE_MAX_BYTES ?
							  "the file is larger than %ld bytes" : "out of memory (%ld)",
							  STINT_WEARABLE_MAX_BYTES);
			}
			buf = grown;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return stint_wearable_err(err, errsize, "cannot read the file");
	}
	fclose(f);
	buf[len] = '\0';
	*data = buf;
	*n = len;
	return 0;
}

/*
 * The metadata of EPTS tracking file path: the same stem with .xml, else
 * the one .xml file in its folder. 0 with *meta (heap) and *n, or -1 with err.
 */
static int read_epts_metadata(const char *path, char **meta, size_t *n, char *err, size_t errsize)
{
	char xml[4400], *dot, *slash, dir[4096];
	size_t found = 0;
	DIR *d;
	struct dirent *e;

	snprintf(xml, sizeof(xml), "%s", path);
	dot = strrchr(xml, '.');
	slash = strrchr(xml, '/');
	if (dot != NULL && (slash == NULL || dot > slash) && (size_t)(dot - xml) + 5 < sizeof(xml)) {
		memcpy(dot, ".xml", sizeof(".xml"));  /* it fits: checked above */
		if (access(xml, R_OK) == 0 && strcmp(xml, path) != 0)
			return read_file(xml, meta, n, err, errsize);
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash != NULL)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	if ((d = opendir(dir)) == NULL)
		return stint_wearable_err(err, errsize, "no EPTS metadata (.xml) beside the tracking file");
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len > 4 && strcasecmp(e->d_name + len - 4, ".xml") == 0 && found++ == 0)
			snprintf(xml, sizeof(xml), "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (found != 1)
		return stint_wearable_err(err, errsize, found == 0 ? "no EPTS metadata (.xml) beside the tracking file" :
					  "several .xml files beside the tracking file: name its metadata like it");
	return read_file(xml, meta, n, err, errsize);
}

/* The format modules that read bytes in memory. */
static int parse_memory(stint_wearable_format format, const char *data, size_t n, stint_tracks *out, char *err,
			size_t errsize)
{
	switch (format) {
	case STINT_WEARABLE_GPX:
		return stint_wearable_parse_gpx(data, n, out, err, errsize);
	case STINT_WEARABLE_TCX:
		return stint_wearable_parse_tcx(data, n, out, err, errsize);
	case STINT_WEARABLE_CSV:
		return stint_wearable_parse_csv(data, n, out, err, errsize);
	case STINT_WEARABLE_METRICA:
		return stint_wearable_parse_metrica(data, n, out, err, errsize);
	default:
		return stint_wearable_err(err, errsize, "the %s format is not supported", stint_wearable_format_name(format));
	}
}

int stint_wearable_parse_file(const char *path, stint_wearable_format format, stint_tracks *out, char *err,
			      size_t errsize)
{
	char *data = NULL;
	size_t n = 0;
	int rc;

	stint_tracks_free(out);
	out->format = format;
	if ((size_t)format >= N_FORMATS)
		return stint_wearable_err(err, errsize, "unknown format");
	if (format == STINT_WEARABLE_FIT) {
		rc = stint_wearable_parse_fit(path, out, err, errsize);
	} else if (format == STINT_WEARABLE_EPTS) {
		char *meta = NULL;
		size_t meta_n = 0;

		if (read_epts_metadata(path, &meta, &meta_n, err, errsize) != 0)
			return -1;
		if (read_file(path, &data, &n, err, errsize) != 0) {
			free(meta);
			return -1;
		}
		rc = stint_wearable_parse_epts(data, n, meta, meta_n, out, err, errsize);
		free(meta);
		free(data);
	} else {
		if (read_file(path, &data, &n, err, errsize) != 0)
			return -1;
		rc = parse_memory(format, data, n, out, err, errsize);
		free(data);
	}
	if (rc == 0 && stint_tracks_samples(out) == 0)
		rc = stint_wearable_err(err, errsize, "no sample with a time in the file%s%s",
					out->n_warnings > 0 ? ": " : "", out->n_warnings > 0 ? out->warnings[0] : "");
	if (rc != 0) {
		stint_tracks_free(out);
		out->format = format;
	}
	return rc;
}

/* 1 when the first bytes hold needle (bounded search). */
static int head_has(const char *head, size_t n, const char *needle)
{
	return memmem(head, n, needle, strlen(needle)) != NULL;
}

/* The format the name's extension says; -1 when it says none. */
static int format_of_name(const char *name, stint_wearable_format *format)
{
	static const struct { const char *ext; stint_wearable_format format; } exts[] = {
		{ ".gpx", STINT_WEARABLE_GPX }, { ".tcx", STINT_WEARABLE_TCX }, { ".fit", STINT_WEARABLE_FIT },
		{ ".csv", STINT_WEARABLE_CSV }, { ".txt", STINT_WEARABLE_CSV },
	};
	size_t len = name != NULL ? strlen(name) : 0;

	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (len > 4 && strcasecmp(name + len - 4, exts[i].ext) == 0) {
			*format = exts[i].format;
			return 0;
		}
	return -1;
}

/* 1 when the first line looks like EPTS tracking data: "frame:x,y,...;..." (digits, then a colon). */
static int looks_epts(const char *head, size_t n)
{
	size_t i = 0;

	while (i < n && head[i] >= '0' && head[i] <= '9')
		i++;
	if (i == 0 || i >= n || head[i] != ':')
		return 0;
	for (i++; i < n && head[i] != '\n'; i++)
		if (head[i] != ',' && head[i] != ';' && head[i] != ':' && head[i] != '.' && head[i] != '-' &&
		    head[i] != '\r' && (head[i] < '0' || head[i] > '9') && (head[i] == '\0' || strchr("NaN", head[i]) == NULL))
			return 0;
	return 1;
}

/* 1 when the first bytes are text (no NUL or other control byte but tab, CR, LF) whose first line has a , ; or tab. */
static int looks_csv(const char *head, size_t n)
{
	size_t eol = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)head[i];

		if (c < 0x20 && c != '\t' && c != '\r' && c != '\n')
			return 0;
	}
	while (eol < n && head[eol] != '\n')
		eol++;
	for (size_t i = 0; i < eol; i++)
		if (head[i] == ',' || head[i] == ';' || head[i] == '\t')
			return 1;
	return 0;
}

int stint_wearable_detect(const char *head, size_t n, const char *name, stint_wearable_format *format)
{
	if (n >= 12 && memcmp(head + 8, ".FIT", 4) == 0 && (head[0] == 12 || head[0] == 14)) {
		*format = STINT_WEARABLE_FIT;
		return 0;
	}
	if (head_has(head, n, "<TrainingCenterDatabase")) {
		*format = STINT_WEARABLE_TCX;
		return 0;
	}
	if (head_has(head, n, "<gpx")) {
		*format = STINT_WEARABLE_GPX;
		return 0;
	}
	if (head_has(head, n, "Period,Frame,Time [s]")) {
		*format = STINT_WEARABLE_METRICA;
		return 0;
	}
	if (looks_epts(head, n)) {
		*format = STINT_WEARABLE_EPTS;
		return 0;
	}
	if (format_of_name(name, format) == 0)
		return 0;
	if (looks_csv(head, n)) {
		*format = STINT_WEARABLE_CSV;
		return 0;
	}
	return -1;
}
