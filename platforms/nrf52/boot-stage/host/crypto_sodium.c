// The host build's primitives: libsodium (Debian libsodium-dev).
#include <sodium.h>
#include "../core/stage_crypto.h"

_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(stage_sha256), "stage_sha256 too small");

void stage_sha256_init(stage_sha256 *ctx)
{
	crypto_hash_sha256_init((crypto_hash_sha256_state *)ctx);
}

void stage_sha256_update(stage_sha256 *ctx, const uint8_t *data, size_t len)
{
	crypto_hash_sha256_update((crypto_hash_sha256_state *)ctx, data, len);
}

void stage_sha256_final(stage_sha256 *ctx, uint8_t digest[32])
{
	crypto_hash_sha256_final((crypto_hash_sha256_state *)ctx, digest);
}

int stage_ed25519_verify(const uint8_t sig[64], const uint8_t *msg, size_t len, const uint8_t pk[32])
{
	return crypto_sign_verify_detached(sig, msg, len, pk) == 0;
}
