/*
 * ESP32 and lin: the curve and AEAD primitives from libsodium (ESP32: the IDF component
 * registry's espressif/libsodium; lin: Debian's libsodium-dev), linked by the manifest.
 */
#if !defined(nrf52)

#include "curves.h"
#include <sodium.h>

/* sodium_init() is idempotent and cheap once done; every entry point calls it first. */
static int ready(void)
{
	return sodium_init() >= 0;
}

int32_t implant_x25519(uint8_t *out, uint8_t *scalar, uint8_t *point)
{
	if (!ready())
		return -2;
	/* libsodium returns -1 exactly when the result is all zero (its own §6.1 check), and
	   still writes it; the same all-zero test as the Oberon file keeps the boards alike. */
	if (crypto_scalarmult_curve25519(out, scalar, point) != 0 && !implant_all_zero32(out))
		return -3;
	return implant_all_zero32(out) ? -1 : 0;
}

int32_t implant_x25519_base(uint8_t *out, uint8_t *scalar)
{
	if (!ready())
		return -2;
	return crypto_scalarmult_curve25519_base(out, scalar) == 0 ? 0 : -3;
}

int32_t implant_ed25519_public(uint8_t *out, uint8_t *seed)
{
	uint8_t secretKey[crypto_sign_ed25519_SECRETKEYBYTES];

	if (!ready())
		return -2;
	int status = crypto_sign_ed25519_seed_keypair(out, secretKey, seed);
	sodium_memzero(secretKey, sizeof(secretKey));
	return status == 0 ? 0 : -3;
}

int32_t implant_ed25519_sign(uint8_t *signature, uint8_t *message, uint32_t messageLength, uint8_t *seed)
{
	uint8_t publicKey[crypto_sign_ed25519_PUBLICKEYBYTES];
	uint8_t secretKey[crypto_sign_ed25519_SECRETKEYBYTES];

	if (!ready())
		return -2;
	int status = crypto_sign_ed25519_seed_keypair(publicKey, secretKey, seed);
	if (status == 0)
		status = crypto_sign_ed25519_detached(signature, NULL, message, messageLength, secretKey);
	sodium_memzero(secretKey, sizeof(secretKey));
	return status == 0 ? 0 : -3;
}

int32_t implant_ed25519_verify(uint8_t *signature, uint8_t *message, uint32_t messageLength, uint8_t *publicKey)
{
	if (!ready())
		return -2;
	return crypto_sign_ed25519_verify_detached(signature, message, messageLength, publicKey) == 0 ? 1 : 0;
}

int32_t implant_chachapoly_seal(uint8_t *out, uint8_t *key, uint8_t *nonce, uint8_t *ad, uint32_t adLength, uint8_t *in, uint32_t inLength)
{
	if (!ready())
		return -2;
	return crypto_aead_chacha20poly1305_ietf_encrypt_detached(out, out + inLength, NULL, in, inLength, ad, adLength, NULL, nonce, key) == 0 ? 0 : -3;
}

int32_t implant_chachapoly_open(uint8_t *out, uint8_t *key, uint8_t *nonce, uint8_t *ad, uint32_t adLength, uint8_t *in, uint32_t inLength)
{
	if (!ready())
		return -2;
	if (inLength < IMPLANT_TAG_BYTES)
		return -1;
	uint32_t length = inLength - IMPLANT_TAG_BYTES;
	return crypto_aead_chacha20poly1305_ietf_decrypt_detached(out, NULL, in, length, in + length, ad, adLength, nonce, key) == 0 ? 0 : -1;
}

#endif
