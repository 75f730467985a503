/*
 * arena.h: per-request memory (STYLE.md habit 7). Everything a request
 * allocates through its arena is released at once by stint_arena_reset()
 * after FCGX_Finish_r, so nothing survives into the next request.
 */
#ifndef STINT_ARENA_H
#define STINT_ARENA_H

#include <stddef.h>

typedef struct stint_arena_block stint_arena_block;

typedef struct stint_arena {
	stint_arena_block *head;  /* newest block first */
} stint_arena;

#define STINT_ARENA_INIT { NULL }

/* n bytes aligned for any type, or NULL when memory runs out. */
void *stint_arena_alloc(stint_arena *a, size_t n);

/* A NUL-terminated copy of n bytes of s, or NULL when memory runs out. */
char *stint_arena_strndup(stint_arena *a, const char *s, size_t n);

/* A copy of the C string s (NULL stays NULL), or NULL when memory runs out. */
char *stint_arena_strdup(stint_arena *a, const char *s);

/*
 * Room for one more item in an array kept in the arena: items holds n of
 * *cap items of size bytes. Returns items while n < *cap; else a new array
 * of twice the capacity (8 at first) holding the n items, with *cap
 * updated (the old one stays in the arena until the reset); NULL when
 * memory runs out (*cap unchanged).
 */
void *stint_arena_grow(stint_arena *a, void *items, size_t n, size_t *cap, size_t size);

/* Release every allocation; keeps the first block for reuse. */
void stint_arena_reset(stint_arena *a);

/* Release everything. */
void stint_arena_free(stint_arena *a);

#endif
