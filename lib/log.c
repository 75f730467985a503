/* log.c: one-line log records on stderr (see log.h). */
#include "log.h"
#include "conf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *log_program = "stint";
static stint_log_level log_min = STINT_LOG_INFO;

void stint_log_init(const char *program)
{
	log_program = program;
	setvbuf(stderr, NULL, _IOLBF, 0);
}

void stint_log_configure(void)
{
	const char *v = stint_config_get("log_level", "info");

	if (strcmp(v, "warn") == 0)
		log_min = STINT_LOG_WARN;
	else if (strcmp(v, "error") == 0)
		log_min = STINT_LOG_ERROR;
	else
		log_min = STINT_LOG_INFO;
}

void stint_log(stint_log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "INFO", "WARN", "ERROR" };
	char msg[2048], stamp[32];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	char *p;

	if (level < log_min)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (p = msg; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ %s %s[%ld] %s\n", stamp, ts.tv_nsec / 1000000L,
		names[level], log_program, (long)getpid(), msg);
}
