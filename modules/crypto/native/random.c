/*
 * Hardware random bytes for modules/crypto/device-random.ts, called through XS FFI
 * (manifest "ffi": implant_random_fill(uint8_t*, uint32_t, uint32_t) -> int32_t).
 * Fills buffer[offset .. offset + length) and returns 0, or a negative status on failure,
 * never partially-random bytes reported as success.
 */
#include <stddef.h>
#include <stdint.h>

int32_t implant_random_fill(uint8_t *buffer, uint32_t offset, uint32_t length);

#if defined(ESP32)

#include "esp_random.h"

/* ESP-IDF: the RNG is a true random source while the radio (our BLE) or the bootloader's
   entropy source is running; the firmware only draws after BLE has started. */
int32_t implant_random_fill(uint8_t *buffer, uint32_t offset, uint32_t length)
{
	if (buffer == NULL)
		return -1;
	esp_fill_random(buffer + offset, length);
	return 0;
}

#elif defined(nrf52)

#include "nrf_error.h"
#include "nrf_soc.h"

/* How long to wait for the SoftDevice's RNG pool to refill (it produces a byte in tens of
   microseconds); a dead peripheral must fail, not hang the main task. */
#define IMPLANT_RNG_MAX_EMPTY_POLLS 100000

/* nRF52 RNG peripheral through the SoftDevice (which owns it while BLE is enabled). */
int32_t implant_random_fill(uint8_t *buffer, uint32_t offset, uint32_t length)
{
	uint8_t *p = buffer + offset;
	uint32_t emptyPolls = 0;

	if (buffer == NULL)
		return -1;
	while (length > 0) {
		uint8_t available = 0;
		if (sd_rand_application_bytes_available_get(&available) != NRF_SUCCESS)
			return -2;
		if (available == 0) {
			if (++emptyPolls > IMPLANT_RNG_MAX_EMPTY_POLLS)
				return -3;
			continue;
		}
		uint8_t take = (length < available) ? (uint8_t)length : available;
		if (sd_rand_application_vector_get(p, take) != NRF_SUCCESS)
			return -4;
		p += take;
		length -= take;
		emptyPolls = 0;
	}
	return 0;
}

#elif defined(__linux__) || defined(__APPLE__)

#include <sys/random.h>

/* The simulator build (mcconfig -p lin, compile checks): the OS random source. */
int32_t implant_random_fill(uint8_t *buffer, uint32_t offset, uint32_t length)
{
	uint8_t *p = buffer + offset;

	if (buffer == NULL)
		return -1;
	while (length > 0) {
		size_t take = (length < 256) ? length : 256; /* getentropy's limit per call */
		if (getentropy(p, take) != 0)
			return -2;
		p += take;
		length -= (uint32_t)take;
	}
	return 0;
}

#else
#error "implant_random_fill: no hardware random source for this platform"
#endif
