/* metrics.c: shared counters and their exposition (see metrics.h). */
#include "metrics.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

#define MAGIC "stintmt1"
#define STATUSES 16    /* distinct statuses counted per route; more are not counted */
#define MAX_FILES 64   /* pools read by one /metrics */

/* Upper bounds of the latency buckets, seconds (Prometheus' defaults); +Inf follows. */
static const double bounds[] = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define BUCKETS (sizeof(bounds) / sizeof(bounds[0]) + 1)

typedef struct slot {
	char method[8];
	char pattern[120];                 /* "" for the slot of unmatched requests */
	_Atomic uint32_t status[STATUSES]; /* 0: free; claimed with a compare-and-swap */
	_Atomic uint64_t count[STATUSES];
	_Atomic uint64_t bucket[BUCKETS];  /* not cumulative here; the writer sums */
	_Atomic uint64_t sum_us;           /* microseconds */
} slot;

typedef struct mfile {
	char magic[8];
	char program[32];                  /* the pool: its socket's name without .sock */
	uint32_t nslots;
	_Atomic uint64_t restarts;
	_Atomic uint64_t live_failures;
	slot slots[];
} mfile;

static mfile *mine;
static char run_dir[512];
static char mine_path[600];

int stint_metrics_open(const char *socket_path, const char *program, size_t n)
{
	char path[600], tmp[620];
	const char *slash = strrchr(socket_path, '/');
	size_t size = sizeof(mfile) + (n + 1) * sizeof(slot);
	mfile *m;
	int fd;

	const char *base = slash ? slash + 1 : socket_path;
	char pool[32];
	size_t blen = strlen(base);

	if (blen > 5 && strcmp(base + blen - 5, ".sock") == 0)
		blen -= 5;
	snprintf(pool, sizeof(pool), "%.*s", (int)blen, base);
	if (pool[0] == '\0' || strchr(pool, '.') != NULL)
		snprintf(pool, sizeof(pool), "%s", program);
	if (slash == NULL)
		snprintf(run_dir, sizeof(run_dir), ".");
	else
		snprintf(run_dir, sizeof(run_dir), "%.*s", (int)(slash - socket_path), socket_path);
	snprintf(path, sizeof(path), "%s/%s.metrics", run_dir, pool);
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
	fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0 || ftruncate(fd, (off_t)size) != 0) {
		stint_log(STINT_LOG_WARN, "metrics: cannot create %s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd), unlink(tmp);
		return -1;
	}
	m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED) {
		stint_log(STINT_LOG_WARN, "metrics: cannot map %s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	/* the file is zeroed by ftruncate: only the names are written (routes': stint_metrics_name_route) */
	snprintf(m->program, sizeof(m->program), "%s", pool);
	m->nslots = (uint32_t)(n + 1);
	memcpy(m->magic, MAGIC, 8);  /* last: a reader skips a file without it */
	if (rename(tmp, path) != 0) {
		stint_log(STINT_LOG_WARN, "metrics: cannot rename %s: %s", tmp, strerror(errno));
		unlink(tmp);
		munmap(m, size);
		return -1;
	}
	mine = m;
	snprintf(mine_path, sizeof(mine_path), "%s", path);
	return 0;
}

void stint_metrics_close(void)
{
	if (mine != NULL)
		unlink(mine_path);  /* the mapping stays valid: the workers have stopped */
}

void stint_metrics_name_route(size_t i, const char *method, const char *pattern)
{
	if (mine == NULL || i + 1 >= mine->nslots)
		return;
	snprintf(mine->slots[i].method, sizeof(mine->slots[i].method), "%s", method);
	snprintf(mine->slots[i].pattern, sizeof(mine->slots[i].pattern), "%s", pattern);
}

void stint_metrics_request(size_t route, int status, double seconds)
{
	slot *s;
	size_t i, b;
	uint32_t want = (uint32_t)status, seen;

	if (mine == NULL || status <= 0)
		return;
	s = &mine->slots[route < mine->nslots - 1 ? route : mine->nslots - 1];
	for (i = 0; i < STATUSES; i++) {
		seen = atomic_load_explicit(&s->status[i], memory_order_relaxed);
		if (seen == 0) {
			uint32_t zero = 0;

			if (atomic_compare_exchange_strong(&s->status[i], &zero, want))
				seen = want;
			else
				seen = zero;  /* another worker claimed it: for what? */
		}
		if (seen == want) {
			atomic_fetch_add_explicit(&s->count[i], 1, memory_order_relaxed);
			break;
		}
	}
	for (b = 0; b < BUCKETS - 1 && seconds > bounds[b]; b++)
		;
	atomic_fetch_add_explicit(&s->bucket[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&s->sum_us, (uint64_t)(seconds > 0 ? seconds * 1e6 : 0), memory_order_relaxed);
}

void stint_metrics_restart(void)
{
	if (mine != NULL)
		atomic_fetch_add_explicit(&mine->restarts, 1, memory_order_relaxed);
}

void stint_metrics_live_publish_failure(void)
{
	if (mine != NULL)
		atomic_fetch_add_explicit(&mine->live_failures, 1, memory_order_relaxed);
}

/* Map file name of run_dir read-only; NULL when it is not a whole metrics file. */
static mfile *map_file(const char *name, size_t *mapped)
{
	char path[800];
	struct stat st;
	size_t size;
	mfile *m;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", run_dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || (size_t)st.st_size < sizeof(mfile)) {
		close(fd);
		return NULL;
	}
	size = (size_t)st.st_size;
	m = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return NULL;
	if (memcmp(m->magic, MAGIC, 8) != 0 || m->nslots == 0 ||
	    sizeof(mfile) + (size_t)m->nslots * sizeof(slot) > size ||
	    memchr(m->program, '\0', sizeof(m->program)) == NULL) {
		munmap(m, size);
		return NULL;
	}
	*mapped = size;
	return m;
}

/* A label value: \, " and newline escaped (the exposition format's rule). */
static void label(stint_buf *out, const char *name, const char *value, int comma)
{
	stint_buf_printf(out, "%s%s=\"", comma ? "," : "", name);
	for (; *value; value++) {
		if (*value == '\\' || *value == '"')
			stint_buf_putc(out, '\\');
		if (*value == '\n')
			stint_buf_puts(out, "\\n");
		else
			stint_buf_putc(out, *value);
	}
	stint_buf_putc(out, '"');
}

/* The labels pool, method and route of slot i of m. */
static void route_labels(stint_buf *out, const mfile *m, uint32_t i)
{
	const slot *s = &m->slots[i];
	char method[9], pattern[121];

	snprintf(method, sizeof(method), "%.8s", s->method);
	snprintf(pattern, sizeof(pattern), "%.120s", s->pattern);
	label(out, "pool", m->program, 0);
	label(out, "method", i + 1 == m->nslots ? "" : method, 1);
	label(out, "route", i + 1 == m->nslots ? "none" : pattern, 1);
}

typedef struct mapping {
	mfile *m;
	size_t size;  /* bytes mapped */
} mapping;

static int name_cmp(const void *a, const void *b)
{
	return strcmp(((const mapping *)a)->m->program, ((const mapping *)b)->m->program);
}

int stint_metrics_write(stint_buf *out)
{
	mapping maps[MAX_FILES];
	mfile *files[MAX_FILES];
	size_t nf = 0, f, b, k;
	uint32_t i;
	DIR *d;
	struct dirent *e;
	size_t len;

	if (mine == NULL || (d = opendir(run_dir)) == NULL)
		return -1;
	while (nf < MAX_FILES && (e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len > 8 && strcmp(e->d_name + len - 8, ".metrics") == 0 &&
		    (maps[nf].m = map_file(e->d_name, &maps[nf].size)) != NULL)
			nf++;
	}
	closedir(d);
	qsort(maps, nf, sizeof(maps[0]), name_cmp);
	for (f = 0; f < nf; f++)
		files[f] = maps[f].m;

	stint_buf_puts(out, "# HELP stint_http_requests_total Requests answered by the handler pools, "
			    "by pool, route pattern and status (route \"none\": matched no route).\n"
			    "# TYPE stint_http_requests_total counter\n");
	for (f = 0; f < nf; f++)
		for (i = 0; i < files[f]->nslots; i++)
			for (k = 0; k < STATUSES; k++) {
				uint32_t st = atomic_load(&files[f]->slots[i].status[k]);
				uint64_t c = atomic_load(&files[f]->slots[i].count[k]);

				if (st == 0 || c == 0)
					continue;
				stint_buf_puts(out, "stint_http_requests_total{");
				route_labels(out, files[f], i);
				stint_buf_printf(out, ",status=\"%u\"} %llu\n", st, (unsigned long long)c);
			}

	stint_buf_puts(out, "# HELP stint_http_request_duration_seconds Time from a request's start in the "
			    "handler to its end, by pool and route pattern.\n"
			    "# TYPE stint_http_request_duration_seconds histogram\n");
	for (f = 0; f < nf; f++)
		for (i = 0; i < files[f]->nslots; i++) {
			const slot *s = &files[f]->slots[i];
			uint64_t cum = 0, n[BUCKETS];

			for (b = 0; b < BUCKETS; b++)
				cum += n[b] = atomic_load(&s->bucket[b]);
			if (cum == 0)
				continue;
			cum = 0;
			for (b = 0; b < BUCKETS; b++) {
				cum += n[b];
				stint_buf_puts(out, "stint_http_request_duration_seconds_bucket{");
				route_labels(out, files[f], i);
				if (b + 1 < BUCKETS)
					stint_buf_printf(out, ",le=\"%g\"} %llu\n", bounds[b], (unsigned long long)cum);
				else
					stint_buf_printf(out, ",le=\"+Inf\"} %llu\n", (unsigned long long)cum);
			}
			stint_buf_puts(out, "stint_http_request_duration_seconds_sum{");
			route_labels(out, files[f], i);
			stint_buf_printf(out, "} %.6f\n", (double)atomic_load(&s->sum_us) / 1e6);
			stint_buf_puts(out, "stint_http_request_duration_seconds_count{");
			route_labels(out, files[f], i);
			stint_buf_printf(out, "} %llu\n", (unsigned long long)cum);
		}

	stint_buf_puts(out, "# HELP stint_pool_restarts_total Handler workers the pool's master restarted "
			    "after they died, by pool.\n# TYPE stint_pool_restarts_total counter\n");
	for (f = 0; f < nf; f++) {
		stint_buf_puts(out, "stint_pool_restarts_total{");
		label(out, "pool", files[f]->program, 0);
		stint_buf_printf(out, "} %llu\n", (unsigned long long)atomic_load(&files[f]->restarts));
	}
	stint_buf_puts(out, "# HELP stint_live_publish_failures_total Live messages a handler stored but nchan "
			    "refused (that session's later messages wait for the re-publisher), by pool.\n"
			    "# TYPE stint_live_publish_failures_total counter\n");
	for (f = 0; f < nf; f++) {
		stint_buf_puts(out, "stint_live_publish_failures_total{");
		label(out, "pool", files[f]->program, 0);
		stint_buf_printf(out, "} %llu\n", (unsigned long long)atomic_load(&files[f]->live_failures));
	}
	for (f = 0; f < nf; f++)
		munmap(maps[f].m, maps[f].size);
	return out->data == NULL ? -1 : 0;
}
