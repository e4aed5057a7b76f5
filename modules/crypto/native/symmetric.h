/*
 * SHA-256, HMAC-SHA256 and AES-256-GCM for platforms/nrf52/device-symmetric.ts, called through XS
 * FFI (the nRF52 part of the manifest's "ffi"; symmetric-oberon.c). Each returns 0, or a negative
 * status: -1 for a malformed call or, from implant_aes_gcm_open, a tag that does not verify.
 * The other boards use Moddable's `crypt` (modules/crypto/device-symmetric.ts).
 */
#ifndef IMPLANT_SYMMETRIC_H
#define IMPLANT_SYMMETRIC_H

#include <stddef.h>
#include <stdint.h>

/* The caller's buffer for a running SHA-256: room for the library's context (checked at build). */
#define IMPLANT_SHA256_STATE_BYTES 112
#define IMPLANT_GCM_TAG_BYTES 16

int32_t implant_sha256_init(uint8_t *state, uint32_t stateLength);
int32_t implant_sha256_update(uint8_t *state, uint32_t stateLength, uint8_t *data, uint32_t length);
int32_t implant_sha256_final(uint8_t *digest, uint8_t *state, uint32_t stateLength);
int32_t implant_hmac_sha256(uint8_t *mac, uint8_t *key, uint32_t keyLength, uint8_t *data, uint32_t dataLength);
int32_t implant_aes_gcm_seal(uint8_t *out, uint8_t *key, uint8_t *nonce, uint8_t *ad, uint32_t adLength, uint8_t *in, uint32_t inLength);
int32_t implant_aes_gcm_open(uint8_t *out, uint8_t *key, uint8_t *nonce, uint8_t *ad, uint32_t adLength, uint8_t *in, uint32_t inLength);

#endif
