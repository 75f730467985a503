/*
 * log.h: one line per record on stderr (the process's log file), as
 * `2026-11-22T10:00:00.123Z LEVEL program[pid] message`. Request lines carry
 * request id, method, path, status, duration in ms and bytes. Never pass a
 * secret (password, token, cookie, presigned query) to these functions.
 */
#ifndef STINT_LOG_H
#define STINT_LOG_H

typedef enum { STINT_LOG_INFO, STINT_LOG_WARN, STINT_LOG_ERROR } stint_log_level;

/* Name the program in every line (e.g. "sessions"); call once at start. */
void stint_log_init(const char *program);

/*
 * Drop records less severe than the setting log_level ("info", "warn" or
 * "error"; default info). Call after the settings are loaded.
 */
void stint_log_configure(void);

/* Write one record; CR and LF in the formatted text become spaces. */
void stint_log(stint_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
