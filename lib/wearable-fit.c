/*
 * wearable-fit.c: Stint's FIT decoder (see wearable-fit.h).
 *
 * Follows the Garmin/ANT FIT SDK document "Flexible and Interoperable Data
 * Transfer (FIT) Protocol" (developer.garmin.com/fit/protocol/): a 12- or
 * 14-byte file header (header size, protocol version, profile version, data
 * size, ".FIT", optional header CRC), records, then a 2-byte CRC over header
 * and records; files may follow one another ("chained FIT files"). A record
 * starts with a header byte: bit 7 set is a compressed-timestamp header
 * (local type in bits 5-6, a 5-bit time offset from the last timestamp,
 * which rolls over every 32 s); otherwise bit 6 set is a definition message
 * (bit 5: it has developer fields), clear a data message, local type in bits
 * 0-3. A definition gives the architecture (0 little-endian, 1 big-endian),
 * the global message number and each field's number, size and base type.
 * The record message's fields and scales are those of the SDK's Profile.
 */
#include "wearable-fit.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "wearable-build.h"

#define FIT_EPOCH_UNIX 631065600.0        /* 1989-12-31T00:00:00Z */
#define FIT_MESG_RECORD 20
#define FIT_FIELD_TIMESTAMP 253

/* One field of a definition message. */
typedef struct fit_field {
	uint8_t num, size, base;
} fit_field;

/* What a definition message said for one local message type. */
typedef struct fit_def {
	int defined, big_endian;
	uint16_t global;
	uint8_t n_fields;
	fit_field fields[255];
	size_t size;                      /* bytes of a data message after its header, developer fields included */
} fit_def;

/* The decoder's state over one file and the files chained after it. */
typedef struct fit_state {
	fit_def defs[16];
	uint32_t last_ts;                 /* the last timestamp seen (FIT seconds), for compressed headers */
	int have_ts;
	uint64_t csd_acc;                 /* compressed_speed_distance's distance, accumulated (1/16 m) */
	uint16_t csd_last;
	stint_wearable_skips skips;       /* their "line" is the record's byte offset */
	unsigned long relative, relative_at; /* records timed below 0x10000000: relative to the device's start */
} fit_state;

/* Size in bytes of each base type number (the base type byte's low 5 bits); 0 = unknown. */
static const uint8_t base_size[17] = { 1, 1, 1, 2, 2, 4, 4, 1, 4, 8, 1, 2, 4, 1, 8, 8, 8 };

uint16_t stint_fit_crc(uint16_t crc, const uint8_t *p, size_t n)
{
	static const uint16_t table[16] = { 0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
					    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400 };

	for (size_t i = 0; i < n; i++) {
		uint16_t tmp = table[crc & 0xF];

		crc = (uint16_t)(((crc >> 4) & 0x0FFF) ^ tmp ^ table[p[i] & 0xF]);
		tmp = table[crc & 0xF];
		crc = (uint16_t)(((crc >> 4) & 0x0FFF) ^ tmp ^ table[(p[i] >> 4) & 0xF]);
	}
	return crc;
}

/* The unsigned integer of size bytes (1-8) at p in the given byte order. */
static uint64_t read_uint(const uint8_t *p, size_t size, int big_endian)
{
	uint64_t v = 0;

	for (size_t i = 0; i < size; i++)
		v |= (uint64_t)p[big_endian ? size - 1 - i : i] << (8 * i);
	return v;
}

/*
 * The first value of field f at p as a number: 0 with *v, or -1 when it is
 * the base type's invalid value, the type is unknown or the field is smaller
 * than its type. Invalid values: all bits set for unsigned, byte and float
 * types, the largest positive value for signed types, 0 for the "z" types
 * and strings.
 */
static int field_value(const uint8_t *p, const fit_field *f, int big_endian, double *v)
{
	unsigned type = f->base & 0x1F;
	size_t size = type < sizeof(base_size) ? base_size[type] : 0;
	uint64_t raw, ones;

	if (size == 0 || f->size < size)
		return -1;
	raw = read_uint(p, size, big_endian);
	ones = size == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * size)) - 1;
	switch (type) {
	case 1: case 3: case 5: case 14:      /* sint8/16/32/64 */
		if (raw == ones >> 1)
			return -1;
		*v = (double)(raw > ones >> 1 ? (int64_t)(raw - ones) - 1 : (int64_t)raw);
		return 0;
	case 7: case 10: case 11: case 12: case 16:   /* string, uint8z/16z/32z/64z */
		if (raw == 0)
			return -1;
		*v = (double)raw;
		return 0;
	case 8: case 9: {                     /* float32/64 */
		float f32;
		double f64;

		if (raw == ones)
			return -1;
		if (size == 4) {
			uint32_t r32 = (uint32_t)raw;

			memcpy(&f32, &r32, sizeof(f32));
			f64 = f32;
		} else {
			memcpy(&f64, &raw, sizeof(f64));
		}
		if (!isfinite(f64))
			return -1;
		*v = f64;
		return 0;
	}
	default:                              /* enum, uint8/16/32/64, byte */
		if (raw == ones)
			return -1;
		*v = (double)raw;
		return 0;
	}
}

/* A record message (global 20) at p into s; ts is its time (FIT seconds) or -1. 1 when it has a quantity. */
static int record_sample(fit_state *st, const fit_def *def, const uint8_t *p, int64_t ts, stint_sample *s)
{
	double v, speed = NAN, enhanced_speed = NAN, distance = NAN, csd_distance = NAN;

	stint_sample_clear(s);
	if (ts >= 0)
		s->t_s = (double)ts + FIT_EPOCH_UNIX;
	for (size_t i = 0; i < def->n_fields; p += def->fields[i].size, i++) {
		const fit_field *f = &def->fields[i];

		if (f->num == 8 && f->size >= 3 && !(p[0] == 0xFF && p[1] == 0xFF && p[2] == 0xFF)) {
			uint16_t raw_speed = (uint16_t)(p[0] | (p[1] & 0x0F) << 8);
			uint16_t raw_dist = (uint16_t)(p[1] >> 4 | p[2] << 4);

			speed = raw_speed / 100.0;
			st->csd_acc += (uint16_t)(raw_dist - st->csd_last) & 0x0FFF;
			st->csd_last = raw_dist;
			csd_distance = (double)st->csd_acc / 16.0;
			continue;
		}
		if (field_value(p, f, def->big_endian, &v) != 0 || (f->num != 0 && f->num != 1 && v < 0))
			continue;                     /* invalid; only positions may be negative */
		switch (f->num) {
		case 0: s->lat_deg = v * (180.0 / 2147483648.0); break;
		case 1: s->lon_deg = v * (180.0 / 2147483648.0); break;
		case 3: s->hr_bpm = v; break;
		case 5: distance = v / 100.0; break;
		case 6: speed = v / 1000.0; break;
		case 73: enhanced_speed = v / 1000.0; break;
		default: break;
		}
	}
	if (isnan(s->lat_deg) || isnan(s->lon_deg) || fabs(s->lat_deg) > 90 || fabs(s->lon_deg) > 180)
		s->lat_deg = s->lon_deg = NAN;
	s->speed_mps = !isnan(enhanced_speed) ? enhanced_speed : speed;
	s->distance_m = !isnan(distance) ? distance : csd_distance;
	return !isnan(s->lat_deg) || !isnan(s->hr_bpm) || !isnan(s->speed_mps) || !isnan(s->distance_m);
}

/* The records of one FIT file, bytes [pos, end) of data. 0, or -1 with err. */
static int read_records(fit_state *st, const uint8_t *data, size_t pos, size_t end, stint_track *tr, char *err,
			size_t errsize)
{
	while (pos < end) {
		size_t at = pos;
		uint8_t h = data[pos++];
		fit_def *def;
		int64_t ts = -1;

		if ((h & 0x80) == 0 && (h & 0x40) != 0) {          /* definition message */
			size_t n_dev = 0;

			def = &st->defs[h & 0x0F];
			def->defined = 0;
			if (end - pos < 5)
				return stint_wearable_err(err, errsize, "byte %zu: the definition message runs past the data", at);
			if (data[pos + 1] > 1)
				return stint_wearable_err(err, errsize, "byte %zu: architecture %u is neither 0 nor 1", at + 2,
							  data[pos + 1]);
			def->big_endian = data[pos + 1];
			def->global = (uint16_t)read_uint(data + pos + 2, 2, def->big_endian);
			def->n_fields = data[pos + 4];
			pos += 5;
			if ((end - pos) / 3 < def->n_fields)
				return stint_wearable_err(err, errsize, "byte %zu: the definition's fields run past the data", at);
			def->size = 0;
			for (size_t i = 0; i < def->n_fields; i++, pos += 3) {
				def->fields[i] = (fit_field){ data[pos], data[pos + 1], data[pos + 2] };
				def->size += data[pos + 1];
			}
			if (h & 0x20) {                             /* developer fields: only their sizes matter */
				if (pos >= end || (end - pos - 1) / 3 < data[pos])
					return stint_wearable_err(err, errsize,
								  "byte %zu: the developer fields run past the data", at);
				n_dev = data[pos++];
				for (size_t i = 0; i < n_dev; i++, pos += 3)
					def->size += data[pos + 1];
			}
			def->defined = 1;
			continue;
		}
		def = &st->defs[h & 0x80 ? (h >> 5) & 0x03 : h & 0x0F];
		if (!def->defined)
			return stint_wearable_err(err, errsize, "byte %zu: a data message of local type %u without a definition",
						  at, h & 0x80 ? (h >> 5) & 0x03 : h & 0x0F);
		if (end - pos < def->size)
			return stint_wearable_err(err, errsize, "byte %zu: the data message runs past the data", at);
		if (h & 0x80) {                                     /* compressed timestamp: 5-bit offset, rolls over */
			uint32_t offset = h & 0x1F;

			if (st->have_ts) {
				uint32_t t = (st->last_ts & ~UINT32_C(0x1F)) + offset;

				if (offset < (st->last_ts & 0x1F))
					t += 0x20;
				st->last_ts = t;
				ts = t;
			}
		} else {
			const uint8_t *p = data + pos;
			double v;

			for (size_t i = 0; i < def->n_fields; p += def->fields[i].size, i++)
				if (def->fields[i].num == FIT_FIELD_TIMESTAMP &&
				    field_value(p, &def->fields[i], def->big_endian, &v) == 0 && v >= 0 && v <= UINT32_MAX) {
					st->last_ts = (uint32_t)v;
					st->have_ts = 1;
					ts = (int64_t)v;
				}
		}
		if (def->global == FIT_MESG_RECORD) {
			stint_sample s;

			if (record_sample(st, def, data + pos, ts, &s)) {
				if (stint_track_append(tr, &s, at, &st->skips) != 0)
					return stint_wearable_err(err, errsize, "out of memory");
				if (ts >= 0 && ts < 0x10000000 && st->relative++ == 0)
					st->relative_at = at;
			}
		}
		pos += def->size;
	}
	return 0;
}

int stint_wearable_parse_fit_data(const uint8_t *data, size_t n, stint_tracks *out, char *err, size_t errsize)
{
	fit_state *st = calloc(1, sizeof(*st));
	stint_track *tr = stint_tracks_add(out, "");
	size_t start = 0;
	int rc = -1;

	if (st == NULL || tr == NULL) {
		free(st);
		return stint_wearable_err(err, errsize, "out of memory");
	}
	do {
		size_t hsize, dsize;
		uint16_t crc;

		if (n - start < 12 || memcmp(data + start + 8, ".FIT", 4) != 0) {
			stint_wearable_err(err, errsize, "byte %zu: not a FIT file header (\".FIT\" at byte 8 of 12)", start);
			goto out;
		}
		hsize = data[start];
		if (hsize != 12 && hsize != 14) {
			stint_wearable_err(err, errsize, "byte %zu: header size %zu is neither 12 nor 14", start, hsize);
			goto out;
		}
		if (n - start < hsize) {
			stint_wearable_err(err, errsize, "byte %zu: the file is truncated inside its %zu-byte header", n, hsize);
			goto out;
		}
		if (data[start + 1] >> 4 > 2) {
			stint_wearable_err(err, errsize, "byte %zu: FIT protocol version %u.%u is not supported (2.x)",
					   start + 1, data[start + 1] >> 4, data[start + 1] & 0x0F);
			goto out;
		}
		if (hsize == 14 && (crc = (uint16_t)read_uint(data + start + 12, 2, 0)) != 0 &&
		    crc != stint_fit_crc(0, data + start, 12)) {
			stint_wearable_err(err, errsize, "byte %zu: header CRC mismatch", start + 12);
			goto out;
		}
		dsize = (size_t)read_uint(data + start + 4, 4, 0);
		if (dsize > n - start - hsize || n - start - hsize - dsize < 2) {
			stint_wearable_err(err, errsize,
					   "byte %zu: the file is truncated: its header announces %zu bytes of records and "
					   "a CRC, %zu bytes follow", n, dsize, n - start - hsize);
			goto out;
		}
		crc = (uint16_t)read_uint(data + start + hsize + dsize, 2, 0);
		if (crc != stint_fit_crc(0, data + start, hsize + dsize)) {
			stint_wearable_err(err, errsize, "byte %zu: file CRC mismatch (the file is corrupt)",
					   start + hsize + dsize);
			goto out;
		}
		memset(st->defs, 0, sizeof(st->defs));
		if (read_records(st, data, start + hsize, start + hsize + dsize, tr, err, errsize) != 0)
			goto out;
		start += hsize + dsize + 2;
	} while (n - start >= 12 && memcmp(data + start + 8, ".FIT", 4) == 0);
	if (start < n)
		stint_wearable_warn(out, "byte %zu: %zu bytes after the FIT data, ignored", start, n - start);
	if (st->skips.no_time > 0)
		stint_wearable_warn(out, "byte %lu: %lu records without a time, skipped", st->skips.no_time_line,
				    st->skips.no_time);
	if (st->skips.backwards > 0)
		stint_wearable_warn(out, "byte %lu: %lu records earlier than the record before, skipped",
				    st->skips.backwards_line, st->skips.backwards);
	if (st->relative > 0)
		stint_wearable_warn(out, "byte %lu: %lu record times are seconds since the device started (FIT system "
				    "time, below 0x10000000), not dates", st->relative_at, st->relative);
	if (st->skips.unset_clock > 0)
		stint_wearable_warn(out, "byte %lu: %lu times before 1980 (the device's clock was not set), kept",
				    st->skips.unset_clock_line, st->skips.unset_clock);
	rc = 0;
out:
	free(st);
	return rc;
}

int stint_wearable_parse_fit(const char *path, stint_tracks *out, char *err, size_t errsize)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	uint8_t *data = NULL;
	size_t n = 0;
	int rc;

	if (f == NULL)
		return stint_wearable_err(err, errsize, "cannot open the file: %s", strerror(errno));
	if (fstat(fileno(f), &sb) != 0 || sb.st_size < 0)
		rc = stint_wearable_err(err, errsize, "cannot read the file");
	else if (sb.st_size > STINT_FIT_MAX_BYTES)
		rc = stint_wearable_err(err, errsize, "the file is larger than %ld MiB", STINT_FIT_MAX_BYTES / (1024 * 1024));
	else if ((data = malloc((size_t)sb.st_size + 1)) == NULL)
		rc = stint_wearable_err(err, errsize, "out of memory");
	else if ((n = fread(data, 1, (size_t)sb.st_size, f)) != (size_t)sb.st_size)
		rc = stint_wearable_err(err, errsize, "cannot read the file");
	else
		rc = stint_wearable_parse_fit_data(data, n, out, err, errsize);
	fclose(f);
	free(data);
	return rc;
}
