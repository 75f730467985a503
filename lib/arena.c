/* arena.c: per-request bump allocator (see arena.h). */
#include "arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 16384

struct stint_arena_block {
	stint_arena_block *next;
	size_t used, cap;
	alignas(max_align_t) unsigned char mem[];
};

static stint_arena_block *block_new(size_t cap, stint_arena_block *next)
{
	stint_arena_block *b = malloc(sizeof(*b) + cap);

	if (b == NULL)
		return NULL;
	b->next = next;
	b->used = 0;
	b->cap = cap;
	return b;
}

void *stint_arena_alloc(stint_arena *a, size_t n)
{
	size_t align = alignof(max_align_t);
	size_t need = (n + align - 1) & ~(align - 1);
	stint_arena_block *b = a->head;
	void *p;

	if (n > (size_t)-1 / 2)
		return NULL;
	if (b == NULL || b->cap - b->used < need) {
		b = block_new(need > ARENA_BLOCK ? need : ARENA_BLOCK, a->head);
		if (b == NULL)
			return NULL;
		a->head = b;
	}
	p = b->mem + b->used;
	b->used += need;
	return p;
}

char *stint_arena_strndup(stint_arena *a, const char *s, size_t n)
{
	char *p = stint_arena_alloc(a, n + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *stint_arena_strdup(stint_arena *a, const char *s)
{
	return s == NULL ? NULL : stint_arena_strndup(a, s, strlen(s));
}

void *stint_arena_grow(stint_arena *a, void *items, size_t n, size_t *cap, size_t size)
{
	size_t more = *cap ? 2 * *cap : 8;
	void *grown;

	if (n < *cap)
		return items;
	if (more > (size_t)-1 / size)
		return NULL;
	grown = stint_arena_alloc(a, more * size);
	if (grown != NULL && n > 0)
		memcpy(grown, items, n * size);
	if (grown != NULL)
		*cap = more;
	return grown;
}

void stint_arena_reset(stint_arena *a)
{
	stint_arena_block *b = a->head, *next;

	if (b == NULL)
		return;
	/* keep the oldest block (the usual size), free the rest */
	while (b->next != NULL) {
		next = b->next;
		free(b);
		b = next;
	}
	b->used = 0;
	a->head = b;
}

void stint_arena_free(stint_arena *a)
{
	stint_arena_block *b = a->head, *next;

	while (b != NULL) {
		next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}
