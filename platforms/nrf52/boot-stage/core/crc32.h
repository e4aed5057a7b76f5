#ifndef STAGE_CRC32_H
#define STAGE_CRC32_H
#include <stdint.h>
uint32_t stage_crc32(const uint8_t *bytes, uint32_t len);
#endif
