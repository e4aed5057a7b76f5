// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as modules/storage/crc32.ts.
#include "crc32.h"

uint32_t stage_crc32(const uint8_t *bytes, uint32_t len)
{
	uint32_t c = 0xFFFFFFFFu;
	for (uint32_t i = 0; i < len; i++) {
		c ^= bytes[i];
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
	}
	return ~c;
}
