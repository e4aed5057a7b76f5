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

// RFC 8032 §5.1.7: S must be below the group order L. Oberon does not check it (a malleated
// S + L verifies: tools/oberon-check), libsodium on the host does; so the stage does, for the same
// accepted set on both builds. L = 2^252 + 27742317777372353535851937790883648493, little-endian.
static const uint8_t ORDER[32] = {
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
};

static int below_order(const uint8_t s[32])
{
	for (int i = 31; i >= 0; i--) {
		if (s[i] != ORDER[i])
			return s[i] < ORDER[i];
	}
	return 0; // S == L
}

int stage_ed25519_verify(const uint8_t sig[64], const uint8_t *msg, size_t len, const uint8_t pk[32])
{
	return below_order(sig + 32) && ocrypto_ed25519_verify(sig, msg, len, pk) == 0;
}
