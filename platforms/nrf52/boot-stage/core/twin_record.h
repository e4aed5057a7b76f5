// A 32-byte record kept in two erase sectors, the newest valid one winning: the boot record's
// scheme (docs/bootloader.md "Boot record", modules/bootloader/boot-record.ts). A write goes to
// the sector that does not hold the newest valid record (erase, then program), so a power cut
// leaves the previous record whole and a torn new one fails its CRC.
//   0 magic (u32 LE)  4 format 1  5..11 payload  12 sequence (u32 LE)  16..27 payload  28 CRC-32 of 0..27
#ifndef STAGE_TWIN_RECORD_H
#define STAGE_TWIN_RECORD_H
#include <stdint.h>
#include "stage_flash.h"

#define TWIN_RECORD_BYTES 32

typedef struct twin_area {
	const stage_flash *flash;
	uint32_t offset; // two sectors from here
	uint32_t magic;
} twin_area;

// Fills `rec` with the newest valid record and returns 1, or returns 0 when neither sector holds one.
int twin_read(const twin_area *area, uint8_t rec[TWIN_RECORD_BYTES]);
// Writes `rec` (payload bytes set by the caller) as the newest record: sets magic, format,
// the next sequence number and the CRC. Returns 0 on success.
int twin_write(const twin_area *area, uint8_t rec[TWIN_RECORD_BYTES]);

uint32_t stage_get_u32(const uint8_t *b);
void stage_put_u32(uint8_t *b, uint32_t v);

#endif
