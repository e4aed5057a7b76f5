// The board's primitives: Oberon from the nRF5 SDK (external/nrf_oberon), which nrf_crypto's
// Oberon backend wraps too.
#include "ocrypto_ed25519.h"
#include "ocrypto_sha256.h"
#include "../core/stage_crypto.h"

_Static_assert(sizeof(ocrypto_sha256_ctx) <= sizeof(stage_sha256), "stage_sha256 too small");

void stage_sha256_init(stage_sha256 *ctx)
{
	ocrypto_sha256_init((ocrypto_sha256_ctx *)ctx);
}

void stage_sha256_update(stage_sha256 *ctx, const uint8_t *data, size_t len)
{
	ocrypto_sha256_update((ocrypto_sha256_ctx *)ctx, data, len);
}

void stage_sha256_final(stage_sha256 *ctx, uint8_t digest[32])
{
	ocrypto_sha256_final((ocrypto_sha256_ctx *)ctx, digest);
}

int stage_ed25519_verify(const uint8_t sig[64], const uint8_t *msg, size_t len, const uint8_t pk[32])
{
	return ocrypto_ed25519_verify(sig, msg, len, pk) == 0;
}
