#include <string.h>
#include "crc32.h"
#include "twin_record.h"

#define FORMAT 1

uint32_t stage_get_u32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

void stage_put_u32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
}

static int valid(const twin_area *area, const uint8_t *r)
{
	return stage_get_u32(r) == area->magic && r[4] == FORMAT &&
		stage_get_u32(r + 28) == stage_crc32(r, 28);
}

// The sector (0/1) holding the newest valid record, or -1; copies it to `rec`.
static int newest(const twin_area *area, uint8_t rec[TWIN_RECORD_BYTES])
{
	uint8_t r[TWIN_RECORD_BYTES];
	int best = -1;
	uint32_t best_seq = 0;
	for (int s = 0; s < 2; s++) {
		if (area->flash->read(area->flash->ctx, area->offset + (uint32_t)s * area->flash->sector, r, sizeof r)) continue;
		if (!valid(area, r)) continue;
		uint32_t seq = stage_get_u32(r + 12);
		// Serial-number arithmetic, as boot-record.ts: the u32 may wrap.
		if (best < 0 || (int32_t)(seq - best_seq) > 0) {
			best = s;
			best_seq = seq;
			memcpy(rec, r, sizeof r);
		}
	}
	return best;
}

int twin_read(const twin_area *area, uint8_t rec[TWIN_RECORD_BYTES])
{
	return newest(area, rec) >= 0;
}

int twin_write(const twin_area *area, uint8_t rec[TWIN_RECORD_BYTES])
{
	uint8_t cur[TWIN_RECORD_BYTES];
	int block = newest(area, cur);
	uint32_t seq = block < 0 ? 1 : stage_get_u32(cur + 12) + 1;
	uint32_t target = area->offset + (uint32_t)(block < 0 ? 0 : 1 - block) * area->flash->sector;
	stage_put_u32(rec, area->magic);
	rec[4] = FORMAT;
	stage_put_u32(rec + 12, seq);
	stage_put_u32(rec + 28, stage_crc32(rec, 28));
	if (area->flash->erase(area->flash->ctx, target)) return -1;
	return area->flash->program(area->flash->ctx, target, rec, TWIN_RECORD_BYTES);
}
