/*
 * Curve and AEAD primitives for modules/crypto/device-curves.ts, called through XS FFI (the
 * manifest's "ffi.functions"). Each board takes them from its own well-kept library:
 * nRF52 the nRF5 SDK's Oberon (curves-oberon.c), ESP32 and lin libsodium (curves-sodium.c).
 * Inputs are checked for length by the FFI glue and for encoding by the JavaScript caller;
 * these functions only compute. Every function returns 0 on success unless noted.
 */
#ifndef IMPLANT_CURVES_H
#define IMPLANT_CURVES_H

#include <stdint.h>

/* RFC 7748 X25519. -1 when the shared secret is all zero (a small-order peer key, §6.1). */
int32_t implant_x25519(uint8_t *out, uint8_t *scalar, uint8_t *point);
int32_t implant_x25519_base(uint8_t *out, uint8_t *scalar);

/* RFC 8032 Ed25519 with a 32-byte secret seed. verify returns 1 for a valid signature, 0 if not. */
int32_t implant_ed25519_public(uint8_t *out, uint8_t *seed);
int32_t implant_ed25519_sign(uint8_t *signature, uint8_t *message, uint32_t messageLength, uint8_t *seed);
int32_t implant_ed25519_verify(uint8_t *signature, uint8_t *message, uint32_t messageLength, uint8_t *publicKey);

/* RFC 8439 ChaCha20-Poly1305: seal writes inLength + 16 bytes (ciphertext then tag); open reads
   a sealed inLength >= 16 and writes inLength - 16 bytes, or returns -1 when the tag fails. */
int32_t implant_chachapoly_seal(uint8_t *out, uint8_t *key, uint8_t *nonce, uint8_t *ad, uint32_t adLength, uint8_t *in, uint32_t inLength);
int32_t implant_chachapoly_open(uint8_t *out, uint8_t *key, uint8_t *nonce, uint8_t *ad, uint32_t adLength, uint8_t *in, uint32_t inLength);

/* Constant-time: 1 when all 32 bytes are zero. */
static inline int implant_all_zero32(const uint8_t *bytes)
{
	uint8_t acc = 0;
	for (int i = 0; i < 32; i++)
		acc |= bytes[i];
	return acc == 0;
}

#define IMPLANT_TAG_BYTES 16

#endif
