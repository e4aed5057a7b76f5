/*
 * Hardware random bytes for modules/crypto/device-random.ts, called through XS FFI (manifest
 * "ffi"). implant_random_fill fills buffer[offset .. offset + length) and returns 0, or a
 * negative status on failure, never partially-random bytes reported as success.
 * implant_entropy_begin / _end switch the boot entropy source that makes draws before the radio
 * truly random; modules/crypto/entropy-gate.ts decides when (first draw, radio start).
 */
#include <stddef.h>
#include <stdint.h>

int32_t implant_random_fill(uint8_t *buffer, uint32_t offset, uint32_t length);
int32_t implant_entropy_begin(void);
int32_t implant_entropy_end(void);

#if defined(ESP32)

#include "bootloader_random.h"
#include "esp_random.h"

/* ESP-IDF: the RNG is a true random source while RF (our BLE) or the bootloader's entropy
   source (SAR ADC noise) runs; that source must be off before the radio starts. */
int32_t implant_entropy_begin(void)
{
	bootloader_random_enable();
	return 0;
}

int32_t implant_entropy_end(void)
{
	bootloader_random_disable();
	return 0;
}

int32_t implant_random_fill(uint8_t *buffer, uint32_t offset, uint32_t length)
{
	if (buffer == NULL)
		return -1;
	esp_fill_random(buffer + offset, length);
	return 0;
}

#elif defined(nrf52)

#include "nrf_crypto_init.h"
#include "nrf_crypto_rng.h"
#include "nrf_error.h"

/* nRF52840: the CryptoCell's TRNG seeding nrf_crypto's CTR_DRBG (the SDK's nrf_crypto_rng with
   the CC310 backend, as Moddable's sdk_config.h enables it). Unlike the SoftDevice RNG it works
   before BLE is enabled, so first-boot keys need not wait for the radio. */
static int gEntropyReady = 0;

int32_t implant_entropy_begin(void)
{
	if (!gEntropyReady) {
		if (nrf_crypto_init() != NRF_SUCCESS)
			return -5;
		gEntropyReady = 1;
	}
	return 0;
}

int32_t implant_entropy_end(void)
{
	return 0; /* the CryptoCell does not disturb the radio: it stays on */
}

int32_t implant_random_fill(uint8_t *buffer, uint32_t offset, uint32_t length)
{
	if (buffer == NULL)
		return -1;
	if (implant_entropy_begin() != 0)
		return -5;
	while (length > 0) {
		/* the CC310 generator takes a 16-bit size (crys_rnd.h), so at most 0xFFFF bytes a call */
		uint32_t take = (length < 0xFFFF) ? length : 0xFFFF;
		if (nrf_crypto_rng_vector_generate(buffer + offset, take) != NRF_SUCCESS)
			return -4;
		offset += take;
		length -= take;
	}
	return 0;
}

#elif defined(__linux__) || defined(__APPLE__)

#include <sys/random.h>

/* The simulator build (mcconfig -p lin, compile checks): the OS random source, always ready. */
int32_t implant_entropy_begin(void)
{
	return 0;
}

int32_t implant_entropy_end(void)
{
	return 0;
}

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
