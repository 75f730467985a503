/* recorder.c: discovery of the recorder bucket and the recordings list (see recorder.h). */
#include "recorder.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "tasks.h"
#include "validate.h"

#define META_MAX_BYTES (1 << 20)   /* a metadata.json larger than 1 MiB is malformed */
#define ID_MAX 200                 /* recorder and recording ids (0011_recorder.sql) */

/* ---- metadata.json ---- */

static int meta_fail(char *err, size_t errsize, const char *why)
{
	snprintf(err, errsize, "%s", why);
	return -1;
}

/* An optional RFC 3339 field into out: "" when absent, null or Go's zero time. 0, or -1. */
static int meta_time(const cJSON *o, const char *name, char *out, size_t size, int required)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	out[0] = '\0';
	if (v == NULL || cJSON_IsNull(v) ||
	    (cJSON_IsString(v) && strncmp(v->valuestring, "0001-01-01T00:00:00", 19) == 0))
		return required ? -1 : 0;
	if (!cJSON_IsString(v) || strlen(v->valuestring) >= size || !stint_is_timestamp(v->valuestring))
		return -1;
	memcpy(out, v->valuestring, strlen(v->valuestring) + 1);  /* it fits: checked above */
	return 0;
}

static int meta_bool(const cJSON *o, const char *name, int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	*out = 0;
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsBool(v))
		return -1;
	*out = cJSON_IsTrue(v);
	return 0;
}

static int meta_fields(const cJSON *o, const char *recording_id, stint_recording_meta *m, char *err, size_t errsize)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(o, "name");
	const cJSON *dur = cJSON_GetObjectItemCaseSensitive(o, "duration");

	if (id != NULL && !(cJSON_IsString(id) && strcmp(id->valuestring, recording_id) == 0))
		return meta_fail(err, errsize, "id does not match the recording's folder");
	if (name != NULL && !cJSON_IsNull(name)) {
		if (!cJSON_IsString(name) || strlen(name->valuestring) >= sizeof(m->name))
			return meta_fail(err, errsize, "name must be a string of at most 500 bytes");
		memcpy(m->name, name->valuestring, strlen(name->valuestring) + 1);  /* it fits: checked above */
	}
	if (meta_time(o, "start_time", m->start_time, sizeof(m->start_time), 1) != 0)
		return meta_fail(err, errsize, "start_time is missing or not an RFC 3339 date-time");
	if (meta_time(o, "end_time", m->end_time, sizeof(m->end_time), 0) != 0)
		return meta_fail(err, errsize, "end_time is not an RFC 3339 date-time");
	if (dur != NULL && !cJSON_IsNull(dur)) {
		/* int64 nanoseconds; cJSON keeps a double: exact up to 2^53 ns (104 days) */
		if (!cJSON_IsNumber(dur) || dur->valuedouble < 0 || dur->valuedouble > 9.0e18 ||
		    floor(dur->valuedouble) != dur->valuedouble)
			return meta_fail(err, errsize, "duration must be a whole number of nanoseconds >= 0");
		m->duration_ns = (long long)dur->valuedouble;
	}
	if (meta_bool(o, "is_closed", &m->is_closed) != 0)
		return meta_fail(err, errsize, "is_closed must be true or false");
	if (meta_bool(o, "keep", &m->keep) != 0)
		return meta_fail(err, errsize, "keep must be true or false");
	return 0;
}

int stint_recorder_parse_metadata(const char *text, size_t len, const char *recording_id,
				  stint_recording_meta *m, char *err, size_t errsize)
{
	cJSON *o;
	int rc;

	memset(m, 0, sizeof(*m));
	m->duration_ns = -1;
	if (memchr(text, '\0', len) != NULL || stint_utf8_len(text) < 0)
		return meta_fail(err, errsize, "not UTF-8 text");
	if (strstr(text, "\\u0000") != NULL)
		return meta_fail(err, errsize, "holds a \\u0000 character");
	o = cJSON_ParseWithLength(text, len);
	if (o == NULL || !cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return meta_fail(err, errsize, "not a JSON object");
	}
	rc = meta_fields(o, recording_id, m, err, errsize);
	cJSON_Delete(o);
	if (rc != 0)
		memset(m, 0, sizeof(*m));
	return rc;
}

/* ---- what the database knows: the stored ETags ---- */

typedef struct known {
	char *id;     /* "recorder_id/recording_id", or "recorder_id" for a recorder */
	char *etag;   /* "" when none */
} known;

typedef struct known_set {
	known *v;
	size_t n;
} known_set;

static int known_cmp(const void *a, const void *b)
{
	return strcmp(((const known *)a)->id, ((const known *)b)->id);
}

static void known_free(known_set *k)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		free(k->v[i].id);
		free(k->v[i].etag);
	}
	free(k->v);
	memset(k, 0, sizeof(*k));
}

static int known_load(stint_db *db, known_set *k)
{
	PGresult *res = NULL;
	int i, n;

	memset(k, 0, sizeof(*k));
	if (stint_db_exec(db, STINT_SQL_RECORDER_KNOWN, 0, NULL, &res) != STINT_DB_OK)
		return -1;
	n = PQntuples(res);
	k->v = calloc((size_t)n + 1, sizeof(*k->v));
	if (k->v == NULL) {
		PQclear(res);
		return -1;
	}
	for (i = 0; i < n; i++) {
		k->v[i].id = strdup(PQgetvalue(res, i, PQfnumber(res, "id")));
		k->v[i].etag = strdup(PQgetvalue(res, i, PQfnumber(res, "etag")));
		k->n++;
		if (k->v[i].id == NULL || k->v[i].etag == NULL) {
			PQclear(res);
			return -1;
		}
	}
	PQclear(res);
	qsort(k->v, k->n, sizeof(*k->v), known_cmp);
	return 0;
}

/* The stored ETag of id, or NULL when the database has no such row. */
static const char *known_etag(const known_set *k, const char *id)
{
	known key = { (char *)id, NULL };
	const known *hit = k->n > 0 ? bsearch(&key, k->v, k->n, sizeof(*k->v), known_cmp) : NULL;

	return hit != NULL ? hit->etag : NULL;
}

/* ---- one sync ---- */

/* A recording as listed: its keys by kind, and whether chunks/ is there. */
typedef struct listed {
	char id[ID_MAX + 1];
	cJSON *keys;                 /* {"ogg": key, ...} */
	const stint_s3_object *meta; /* its metadata.json, or NULL */
	int has_chunks;
} listed;

typedef struct sync_state {
	stint_db *db;
	stint_s3_client *s3;
	const known_set *known;
	int verify;
	stint_recorder_sync_result *r;
	cJSON *recorders, *full, *touch, *present;   /* the rows to write, as JSON arrays */
	char *err;
	size_t errsize;
} sync_state;

/* The file kinds of a recording folder: file name -> object_keys key. */
static const struct { const char *file, *kind; } kinds[] = {
	{ "data.ogg", "ogg" }, { "data.flac", "flac" }, { "waveform.dat", "waveform" },
	{ "overview.png", "overview" }, { "metadata.json", "metadata" },
};

/* 1 when s (n bytes) is a usable id: 1..200 bytes of UTF-8 without '/' or controls. */
static int id_ok(const char *s, size_t n)
{
	char buf[ID_MAX + 1];
	size_t i;

	if (n == 0 || n > ID_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || s[i] == '/')
			return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return stint_utf8_len(buf) >= 0;
}

/* The entry of recording id (n bytes) in *v, added when new; NULL on out of memory. */
static listed *listed_find(listed **v, size_t *nv, size_t *cap, const char *id, size_t n)
{
	size_t i;

	for (i = *nv; i-- > 0;)
		if (strlen((*v)[i].id) == n && memcmp((*v)[i].id, id, n) == 0)
			return &(*v)[i];
	if (*nv == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		listed *nvv = realloc(*v, c * sizeof(**v));

		if (nvv == NULL)
			return NULL;
		*v = nvv;
		*cap = c;
	}
	memset(&(*v)[*nv], 0, sizeof(**v));
	memcpy((*v)[*nv].id, id, n);
	(*v)[*nv].keys = cJSON_CreateObject();
	if ((*v)[*nv].keys == NULL)
		return NULL;
	return &(*v)[(*nv)++];
}

/*
 * GET key when its listed ETag differs from the stored one (or verify):
 * 1 with *body (caller frees), 0 when unchanged (no request, or 304),
 * -1 on an S3 failure (message in st->err).
 */
static int fetch_if_changed(sync_state *st, const stint_s3_object *o, const char *stored, char **body,
			    size_t *len, char *etag, size_t etagsize)
{
	stint_s3_rc rc;

	*body = NULL;
	if (stored != NULL && !st->verify && strcmp(stored, o->etag) == 0)
		return 0;
	rc = stint_s3_get(st->s3, o->key, st->verify ? stored : NULL, META_MAX_BYTES, body, len, etag, etagsize,
			  st->err, st->errsize);
	if (rc == STINT_S3_NOT_MODIFIED)
		return 0;
	if (rc == STINT_S3_TOO_LARGE || rc == STINT_S3_NOT_FOUND) {
		/* gone between the listing and the GET, or too large: read as empty, hence malformed */
		*body = strdup("");
		*len = 0;
		snprintf(etag, etagsize, "%s", o->etag);
		return *body != NULL ? 1 : -1;
	}
	return rc == STINT_S3_OK ? 1 : -1;
}

static int add_string(cJSON *o, const char *name, const char *v)
{
	return v == NULL ? cJSON_AddNullToObject(o, name) != NULL : cJSON_AddStringToObject(o, name, v) != NULL;
}

/* The full row of a recording whose metadata.json was read (body, len). */
static int full_row(sync_state *st, const char *rid, listed *l, const char *body, size_t len, const char *etag)
{
	stint_recording_meta m;
	char why[200];
	cJSON *row = cJSON_CreateObject(), *meta;
	int ok, parsed = stint_recorder_parse_metadata(body, len, l->id, &m, why, sizeof(why)) == 0;

	if (row == NULL)
		return -1;
	ok = add_string(row, "recorder_id", rid) && add_string(row, "recording_id", l->id) &&
	     add_string(row, "metadata_etag", etag[0] != '\0' ? etag : l->meta->etag);
	if (parsed) {
		ok = ok && add_string(row, "name", m.name) && add_string(row, "start_time", m.start_time) &&
		     add_string(row, "end_time", m.end_time[0] != '\0' ? m.end_time : NULL) &&
		     (m.duration_ns >= 0 ? cJSON_AddNumberToObject(row, "duration_ns", (double)m.duration_ns) :
					   cJSON_AddNullToObject(row, "duration_ns")) != NULL &&
		     cJSON_AddBoolToObject(row, "is_closed", m.is_closed && !l->has_chunks) != NULL &&
		     cJSON_AddBoolToObject(row, "keep", m.keep) != NULL && add_string(row, "error", NULL);
	} else {
		char msg[300];

		snprintf(msg, sizeof(msg), "metadata.json: %s", why);
		ok = ok && add_string(row, "error", msg);
	}
	/* the metadata as read, when it is a JSON object (even a malformed one, to show what was wrong) */
	meta = parsed || (stint_utf8_len(body) >= 0 && strstr(body, "\\u0000") == NULL) ?
	       cJSON_ParseWithLength(body, len) : NULL;
	if (meta != NULL && !cJSON_IsObject(meta)) {
		cJSON_Delete(meta);
		meta = NULL;
	}
	ok = ok && (meta != NULL ? cJSON_AddItemToObject(row, "metadata", meta) : (cJSON_AddNullToObject(row, "metadata"), 1));
	if (ok && cJSON_AddItemToObject(row, "object_keys", l->keys)) {
		l->keys = NULL;
		cJSON_AddItemToArray(st->full, row);
		return 0;
	}
	cJSON_Delete(row);
	return -1;
}

/* A recording with no metadata.json: a full row with its error. */
static int missing_meta_row(sync_state *st, const char *rid, listed *l)
{
	cJSON *row = cJSON_CreateObject();

	if (row == NULL || !add_string(row, "recorder_id", rid) || !add_string(row, "recording_id", l->id) ||
	    !add_string(row, "error", l->has_chunks ? "metadata.json: not written yet (recording open)" :
						       "metadata.json: missing") ||
	    !cJSON_AddItemToObject(row, "object_keys", l->keys)) {
		cJSON_Delete(row);
		return -1;
	}
	l->keys = NULL;
	cJSON_AddItemToArray(st->full, row);
	return 0;
}

/* An unchanged metadata.json: only the keys, chunks/ and presence can have changed. */
static int touch_row(sync_state *st, const char *rid, listed *l)
{
	cJSON *row = cJSON_CreateObject();

	if (row == NULL || !add_string(row, "recorder_id", rid) || !add_string(row, "recording_id", l->id) ||
	    !cJSON_AddBoolToObject(row, "has_chunks", l->has_chunks) ||
	    !cJSON_AddItemToObject(row, "object_keys", l->keys)) {
		cJSON_Delete(row);
		return -1;
	}
	l->keys = NULL;
	cJSON_AddItemToArray(st->touch, row);
	return 0;
}

static int recording_rows(sync_state *st, const char *rid, listed *l)
{
	char id[2 * ID_MAX + 2], etag[128] = "";
	const char *stored;
	char *body = NULL;
	size_t len = 0;
	cJSON *p = cJSON_CreateObject();
	int rc;

	if (p == NULL || !add_string(p, "recorder_id", rid) || !add_string(p, "recording_id", l->id)) {
		cJSON_Delete(p);
		return -1;
	}
	cJSON_AddItemToArray(st->present, p);
	st->r->recordings++;
	if (l->meta == NULL)
		return missing_meta_row(st, rid, l);
	snprintf(id, sizeof(id), "%s/%s", rid, l->id);
	stored = known_etag(st->known, id);
	rc = fetch_if_changed(st, l->meta, stored, &body, &len, etag, sizeof(etag));
	if (rc == 1)
		rc = full_row(st, rid, l, body, len, etag);
	else if (rc == 0)
		rc = touch_row(st, rid, l);
	free(body);
	return rc;
}

/* The recorder's own metadata.json ({"id","name"}) into a recorders row. */
static int recorder_row(sync_state *st, const char *rid, const stint_s3_object *meta)
{
	const char *stored = known_etag(st->known, rid);
	cJSON *row = cJSON_CreateObject(), *o = NULL;
	char *body = NULL, etag[128] = "";
	size_t len = 0;
	int rc = 0;

	if (row == NULL || !add_string(row, "recorder_id", rid))
		goto fail;
	if (meta == NULL) {
		cJSON_AddBoolToObject(row, "fetched", 1);
		add_string(row, "error", "metadata.json: missing");
		add_string(row, "name", "");
	} else {
		rc = fetch_if_changed(st, meta, stored, &body, &len, etag, sizeof(etag));
		if (rc < 0)
			goto fail;
		cJSON_AddBoolToObject(row, "fetched", rc == 1);
		add_string(row, "metadata_etag", etag[0] != '\0' ? etag : meta->etag);
		if (rc == 1) {
			const cJSON *name;

			o = stint_utf8_len(body) >= 0 && strstr(body, "\\u0000") == NULL ?
			    cJSON_ParseWithLength(body, len) : NULL;
			name = cJSON_GetObjectItemCaseSensitive(o, "name");
			if (cJSON_IsObject(o) && (name == NULL || (cJSON_IsString(name) && strlen(name->valuestring) <= 200))) {
				add_string(row, "name", cJSON_IsString(name) ? name->valuestring : "");
				add_string(row, "error", NULL);
			} else {
				add_string(row, "name", "");
				add_string(row, "error", "metadata.json: not a JSON object with a string name (at most 200 bytes)");
			}
		}
	}
	cJSON_Delete(o);
	free(body);
	cJSON_AddItemToArray(st->recorders, row);
	return 0;
fail:
	cJSON_Delete(o);
	free(body);
	cJSON_Delete(row);
	return -1;
}

/* Group one recorder's listing (prefix "rid/") into recordings, then their rows. */
static int sync_recorder(sync_state *st, const char *rid)
{
	char prefix[ID_MAX + 2], sessions[ID_MAX + 12];
	stint_s3_listing l;
	const stint_s3_object *own_meta = NULL;
	listed *v = NULL;
	size_t nv = 0, cap = 0, i, j, plen, slen;
	int rc = -1;

	snprintf(prefix, sizeof(prefix), "%s/", rid);
	snprintf(sessions, sizeof(sessions), "%s/sessions/", rid);
	plen = strlen(prefix);
	slen = strlen(sessions);
	if (stint_s3_list(st->s3, prefix, NULL, &l, st->err, st->errsize) != STINT_S3_OK)
		goto out;
	st->r->objects += (long)l.nobjects;
	for (i = 0; i < l.nobjects; i++) {
		const stint_s3_object *o = &l.objects[i];
		const char *rest, *slash;
		listed *rec;

		if (strcmp(o->key + plen, "metadata.json") == 0) {
			own_meta = o;
			continue;
		}
		if (strncmp(o->key, sessions, slen) != 0)
			continue;
		rest = o->key + slen;
		slash = strchr(rest, '/');
		if (slash == NULL || !id_ok(rest, (size_t)(slash - rest)))
			continue;
		rec = listed_find(&v, &nv, &cap, rest, (size_t)(slash - rest));
		if (rec == NULL)
			goto nomem;
		if (strncmp(slash + 1, "chunks/", 7) == 0)
			rec->has_chunks = 1;
		for (j = 0; j < sizeof(kinds) / sizeof(kinds[0]); j++)
			if (strcmp(slash + 1, kinds[j].file) == 0 && !add_string(rec->keys, kinds[j].kind, o->key))
				goto nomem;
		if (strcmp(slash + 1, "metadata.json") == 0)
			rec->meta = o;
	}
	if (recorder_row(st, rid, own_meta) != 0)
		goto out;
	for (i = 0; i < nv; i++)
		if (recording_rows(st, rid, &v[i]) != 0)
			goto out;
	rc = 0;
	goto out;
nomem:
	snprintf(st->err, st->errsize, "out of memory");
out:
	for (i = 0; i < nv; i++)
		cJSON_Delete(v[i].keys);
	free(v);
	stint_s3_listing_free(&l);
	return rc;
}

/* Write what the walk found, in one unit of work; 0 or -1. */
static int sync_write(sync_state *st, const char *actor_id)
{
	char *recs = cJSON_PrintUnformatted(st->recorders), *full = cJSON_PrintUnformatted(st->full);
	char *touch = cJSON_PrintUnformatted(st->touch), *present = cJSON_PrintUnformatted(st->present);
	const char *lock = "recorder_sync_write";
	char detail[512];
	PGresult *res = NULL;
	stint_tx tx;
	int i;

	stint_tx_begin(&tx, st->db, actor_id);
	if (recs == NULL || full == NULL || touch == NULL || present == NULL)
		stint_tx_fail(&tx, STINT_DB_ERROR);
	stint_tx_exec(&tx, STINT_SQL_RECORDER_SYNC_LOCK, 1, &lock, NULL);
	stint_tx_exec(&tx, STINT_SQL_RECORDER_UPSERT_RECORDERS, 1, (const char *const *)&recs, NULL);
	if (stint_tx_exec(&tx, STINT_SQL_RECORDER_UPSERT_SESSIONS, 1, (const char *const *)&full, &res) ==
	    STINT_DB_OK) {
		for (i = 0; i < PQntuples(res); i++)
			(*PQgetvalue(res, i, 0) == 't' ? &st->r->created : &st->r->updated)[0]++;
	}
	PQclear(res);
	res = NULL;
	if (stint_tx_exec(&tx, STINT_SQL_RECORDER_TOUCH_SESSIONS, 1, (const char *const *)&touch, &res) ==
	    STINT_DB_OK)
		st->r->updated += PQntuples(res);
	PQclear(res);
	res = NULL;
	if (stint_tx_exec(&tx, STINT_SQL_RECORDER_MARK_DELETED, 1, (const char *const *)&present, &res) ==
	    STINT_DB_OK)
		st->r->deleted = PQntuples(res);
	PQclear(res);
	res = NULL;
	if (stint_tx_exec(&tx, STINT_SQL_RECORDER_COUNTS, 0, NULL, &res) == STINT_DB_OK && PQntuples(res) == 1) {
		st->r->malformed = atol(PQgetvalue(res, 0, PQfnumber(res, "malformed")));
		st->r->open = atol(PQgetvalue(res, 0, PQfnumber(res, "open")));
	}
	PQclear(res);
	snprintf(detail, sizeof(detail),
		 "{\"recorders\": %ld, \"recordings\": %ld, \"created\": %ld, \"updated\": %ld, \"deleted\": %ld,"
		 " \"malformed\": %ld}", st->r->recorders, st->r->recordings, st->r->created, st->r->updated,
		 st->r->deleted, st->r->malformed);
	stint_tx_audit(&tx, "recorder.sync", "recorder", "*", detail);
	free(recs);
	free(full);
	free(touch);
	free(present);
	if (stint_tx_end(&tx) != STINT_DB_OK) {
		snprintf(st->err, st->errsize, "the database refused the sync's changes (nothing was written)");
		return -1;
	}
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Walk the recorders of the root listing; 0 or -1. */
static int sync_walk(sync_state *st, stint_recorder_progress *progress, void *arg)
{
	stint_s3_listing root;
	char msg[300];
	size_t i;
	int rc = 0;

	if (stint_s3_list(st->s3, "", "/", &root, st->err, st->errsize) != STINT_S3_OK) {
		stint_s3_listing_free(&root);
		return -1;
	}
	for (i = 0; i < root.nprefixes && rc == 0; i++) {
		size_t n = strlen(root.prefixes[i]) - 1;   /* without its '/' */

		if (!id_ok(root.prefixes[i], n))
			continue;
		root.prefixes[i][n] = '\0';
		st->r->recorders++;
		rc = sync_recorder(st, root.prefixes[i]);
		if (rc == 0 && progress != NULL) {
			snprintf(msg, sizeof(msg), "recorder %s: %ld recordings so far", root.prefixes[i],
				 st->r->recordings);
			progress((int)(5 + 85 * (i + 1) / root.nprefixes), msg, arg);
		}
	}
	stint_s3_listing_free(&root);
	return rc;
}

int stint_recorder_sync(stint_db *db, const stint_s3_conf *c, int verify, const char *actor_id,
			stint_recorder_progress *progress, void *arg, stint_recorder_sync_result *r, char *err,
			size_t errsize)
{
	sync_state st = { db, NULL, NULL, verify, r, NULL, NULL, NULL, NULL, err, errsize };
	known_set k = { NULL, 0 };
	double t0 = now_s();
	int rc = -1;

	memset(r, 0, sizeof(*r));
	err[0] = '\0';
	if (!c->enabled) {
		snprintf(err, errsize, "the recorder bucket is not configured (s3_enabled)");
		return -1;
	}
	st.s3 = stint_s3_client_new(c);
	st.recorders = cJSON_CreateArray();
	st.full = cJSON_CreateArray();
	st.touch = cJSON_CreateArray();
	st.present = cJSON_CreateArray();
	if (st.s3 == NULL || st.recorders == NULL || st.full == NULL || st.touch == NULL || st.present == NULL) {
		snprintf(err, errsize, "out of memory");
		goto out;
	}
	if (known_load(db, &k) != 0) {
		snprintf(err, errsize, "the database is unavailable");
		goto out;
	}
	st.known = &k;
	if (progress != NULL)
		progress(1, "listing the recorders", arg);
	if (sync_walk(&st, progress, arg) != 0)
		goto out;
	if (progress != NULL)
		progress(92, "writing", arg);
	rc = sync_write(&st, actor_id);
out:
	if (st.s3 != NULL)
		r->requests = stint_s3_client_counts(st.s3);
	r->seconds = now_s() - t0;
	stint_s3_client_free(st.s3);
	known_free(&k);
	cJSON_Delete(st.recorders);
	cJSON_Delete(st.full);
	cJSON_Delete(st.touch);
	cJSON_Delete(st.present);
	return rc;
}

char *stint_recorder_sync_json(const stint_recorder_sync_result *r)
{
	char *out = malloc(768);

	if (out == NULL)
		return NULL;
	snprintf(out, 768,
		 "{\"recorders\": %ld, \"recordings\": %ld, \"created\": %ld, \"updated\": %ld, \"deleted\": %ld,"
		 " \"malformed\": %ld, \"open\": %ld, \"objects\": %ld, \"requests\": {\"list\": %ld, \"get\": %ld,"
		 " \"not_modified\": %ld, \"total\": %ld}, \"seconds\": %.3f}",
		 r->recorders, r->recordings, r->created, r->updated, r->deleted, r->malformed, r->open, r->objects,
		 r->requests.list, r->requests.get, r->requests.not_modified, r->requests.list + r->requests.get,
		 r->seconds);
	return out;
}

/* ---- the task and the list ---- */

stint_db_rc stint_recorder_sync_queue(stint_tx *tx, const char *user_id, int max_attempts, char **json,
				      int *created)
{
	const stint_task_new t = { NULL, "recorder", STINT_RECORDER_SYNC_TYPE, "", NULL, 100, max_attempts,
				   user_id };
	const char *lock = "recorder_sync_queue";
	char id[STINT_TASK_ID_LEN];

	*json = NULL;
	*created = 0;
	/* one at a time: the lock is its own statement, so the look-up's snapshot sees a task just committed */
	stint_tx_exec(tx, STINT_SQL_RECORDER_SYNC_LOCK, 1, &lock, NULL);
	if (stint_tx_text(tx, STINT_SQL_RECORDER_SYNC_ACTIVE, 0, NULL, json) != STINT_DB_OK || *json != NULL)
		return tx->rc;
	return stint_task_create(tx, &t, json, created, id);
}

stint_db_rc stint_recorder_list(stint_db *db, const stint_recorder_filter *f, char **json)
{
	char limit[24], offset[24];
	const char *p[7] = { f->recorder_id, f->from, f->to, f->closed, f->deleted, limit, offset };

	snprintf(limit, sizeof(limit), "%ld", f->limit);
	snprintf(offset, sizeof(offset), "%ld", f->offset);
	return stint_db_text(db, STINT_SQL_RECORDER_LIST, 7, p, json);
}
