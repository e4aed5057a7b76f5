/*
 * nRF52: the curve and AEAD primitives from Oberon (liboberon, shipped in the nRF5 SDK's
 * external/nrf_oberon and linked by the manifest). Not the CryptoCell (CC310): its
 * ChaCha20-Poly1305 refuses empty associated data and empty plaintexts, which Noise uses
 * (docs/crypto.md, "Native primitives per board").
 */
#if defined(nrf52)

#include "curves.h"
#include "include/ocrypto_chacha20_poly1305.h"
#include "include/ocrypto_curve25519.h"
#include "include/ocrypto_ed25519.h"

int32_t implant_x25519(uint8_t *out, uint8_t *scalar, uint8_t *point)
{
	ocrypto_curve25519_scalarmult(out, scalar, point);
	return implant_all_zero32(out) ? -1 : 0;
}

int32_t implant_x25519_base(uint8_t *out, uint8_t *scalar)
{
	ocrypto_curve25519_scalarmult_base(out, scalar);
	return 0;
}

int32_t implant_ed25519_public(uint8_t *out, uint8_t *seed)
{
	ocrypto_ed25519_public_key(out, seed);
	return 0;
}

int32_t implant_ed25519_sign(uint8_t *signature, uint8_t *message, uint32_t messageLength, uint8_t *seed)
{
	uint8_t publicKey[ocrypto_ed25519_PUBLIC_KEY_BYTES];

	ocrypto_ed25519_public_key(publicKey, seed);
	ocrypto_ed25519_sign(signature, message, messageLength, seed, publicKey);
	return 0;
}

int32_t implant_ed25519_verify(uint8_t *signature, uint8_t *message, uint32_t messageLength, uint8_t *publicKey)
{
	return ocrypto_ed25519_verify(signature, message, messageLength, publicKey) == 0 ? 1 : 0;
}

int32_t implant_chachapoly_seal(uint8_t *out, uint8_t *key, uint8_t *nonce, uint8_t *ad, uint32_t adLength, uint8_t *in, uint32_t inLength)
{
	ocrypto_chacha20_poly1305_encrypt_aad(out + inLength, out, in, inLength, ad, adLength, nonce, 12, key);
	return 0;
}

int32_t implant_chachapoly_open(uint8_t *out, uint8_t *key, uint8_t *nonce, uint8_t *ad, uint32_t adLength, uint8_t *in, uint32_t inLength)
{
	if (inLength < IMPLANT_TAG_BYTES)
		return -1;
	uint32_t length = inLength - IMPLANT_TAG_BYTES;
	return ocrypto_chacha20_poly1305_decrypt_aad(in + length, out, in, length, ad, adLength, nonce, 12, key) == 0 ? 0 : -1;
}

#endif
