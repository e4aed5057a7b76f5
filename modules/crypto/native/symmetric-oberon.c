/*
 * nRF52: SHA-256, HMAC-SHA256 and AES-256-GCM from Oberon (the nRF5 SDK's external/nrf_oberon,
 * already linked for the curves), for platforms/nrf52/device-symmetric.ts through the nRF52 part of
 * the manifest's "ffi". They replace Moddable's `crypt` on this board, so its digests, block
 * ciphers and GHASH (27 KB of flash) stay out of the image (docs/memory.md).
 * Buffers come from ArrayBuffers in the XS heap, which guarantee no alignment, so the SHA-256
 * state is copied into an aligned local for each call.
 */
#if defined(nrf52)

#include "symmetric.h"
#include <string.h>
#include "include/ocrypto_aes_gcm.h"
#include "include/ocrypto_hmac_sha256.h"
#include "include/ocrypto_sha256.h"

_Static_assert(sizeof(ocrypto_sha256_ctx) <= IMPLANT_SHA256_STATE_BYTES, "the JavaScript side's state buffer is too small");

int32_t implant_sha256_init(uint8_t *state, uint32_t stateLength)
{
	ocrypto_sha256_ctx ctx;
	if (state == NULL || stateLength != IMPLANT_SHA256_STATE_BYTES)
		return -1;
	ocrypto_sha256_init(&ctx);
	memcpy(state, &ctx, sizeof(ctx));
	return 0;
}

int32_t implant_sha256_update(uint8_t *state, uint32_t stateLength, uint8_t *data, uint32_t length)
{
	ocrypto_sha256_ctx ctx;
	if (state == NULL || stateLength != IMPLANT_SHA256_STATE_BYTES || (data == NULL && length != 0))
		return -1;
	memcpy(&ctx, state, sizeof(ctx));
	ocrypto_sha256_update(&ctx, data, length);
	memcpy(state, &ctx, sizeof(ctx));
	return 0;
}

int32_t implant_sha256_final(uint8_t *digest, uint8_t *state, uint32_t stateLength)
{
	ocrypto_sha256_ctx ctx;
	if (state == NULL || stateLength != IMPLANT_SHA256_STATE_BYTES)
		return -1;
	memcpy(&ctx, state, sizeof(ctx));
	ocrypto_sha256_final(&ctx, digest);
	memset(state, 0, stateLength);
	return 0;
}

/* Oberon takes keys of at most one block; RFC 2104 §2 hashes a longer key first, as the other boards' HMAC does. */
int32_t implant_hmac_sha256(uint8_t *mac, uint8_t *key, uint32_t keyLength, uint8_t *data, uint32_t dataLength)
{
	uint8_t hashedKey[ocrypto_sha256_BYTES];
	if (keyLength > ocrypto_hmac_sha256_KEY_BYTES_MAX) {
		ocrypto_sha256(hashedKey, key, keyLength);
		key = hashedKey;
		keyLength = sizeof(hashedKey);
	}
	ocrypto_hmac_sha256(mac, key, keyLength, data, dataLength);
	return 0;
}

/* out = ciphertext || tag, as implant_chachapoly_seal (curves.h). */
int32_t implant_aes_gcm_seal(uint8_t *out, uint8_t *key, uint8_t *nonce, uint8_t *ad, uint32_t adLength, uint8_t *in, uint32_t inLength)
{
	ocrypto_aes_gcm_encrypt(out, out + inLength, in, inLength, key, 32, nonce, ad, adLength);
	return 0;
}

int32_t implant_aes_gcm_open(uint8_t *out, uint8_t *key, uint8_t *nonce, uint8_t *ad, uint32_t adLength, uint8_t *in, uint32_t inLength)
{
	if (inLength < IMPLANT_GCM_TAG_BYTES)
		return -1;
	uint32_t length = inLength - IMPLANT_GCM_TAG_BYTES;
	return ocrypto_aes_gcm_decrypt(out, in + length, in, length, key, 32, nonce, ad, adLength) == 0 ? 0 : -1;
}

#endif
