// The signed update manifest as the boot stage reads it: a tagged COSE_Sign1 (RFC 9052 §4.2)
// with EdDSA, protected header {1: -8, 4: kid}, empty unprotected header, external AAD
// "implant/update-manifest/v1", and a CBOR manifest map (docs/update-format.md).
#ifndef STAGE_MANIFEST_H
#define STAGE_MANIFEST_H
#include <stdint.h>

#define MANIFEST_MAX_BYTES 512
#define KEY_ID_BYTES 8

typedef struct stage_manifest {
	uint8_t vendor[16];
	uint8_t class_id[16];
	uint16_t version[3];
	uint32_t counter;
	uint32_t image_size;
	uint8_t digest[32];
} stage_manifest;

typedef struct stage_keys {
	const uint8_t (*public_keys)[32]; // trusted Ed25519 keys; a manifest's kid selects one
	unsigned count;
} stage_keys;

// 0 when `bytes` is a manifest signed by one of `keys` and well formed; `out` then holds it.
int stage_open_manifest(const uint8_t *bytes, uint32_t len, const stage_keys *keys, stage_manifest *out);

#endif
