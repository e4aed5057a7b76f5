// The two primitives the boot stage needs, provided per build: Oberon (nRF5 SDK
// external/nrf_oberon) on the board, libsodium on the host.
#ifndef STAGE_CRYPTO_H
#define STAGE_CRYPTO_H
#include <stddef.h>
#include <stdint.h>

// Large enough for ocrypto_sha256_ctx and crypto_hash_sha256_state; each backend checks.
typedef struct stage_sha256 {
	uint64_t opaque[32];
} stage_sha256;

void stage_sha256_init(stage_sha256 *ctx);
void stage_sha256_update(stage_sha256 *ctx, const uint8_t *data, size_t len);
void stage_sha256_final(stage_sha256 *ctx, uint8_t digest[32]);
// 1 if `sig` is a valid Ed25519 signature (RFC 8032) of `msg` by `pk`, else 0.
int stage_ed25519_verify(const uint8_t sig[64], const uint8_t *msg, size_t len, const uint8_t pk[32]);

#endif
