/*
 * Runs the nRF52 build's Oberon wrappers (modules/crypto/native/curves-oberon.c and
 * symmetric-oberon.c, linked with the nRF5 SDK's liboberon) on a Cortex-M4 under QEMU
 * (mps2-an386), over the cases check.mjs writes to cases.txt: one case a line, hex fields.
 *   seal|chacha|gcm <id> key nonce ad plaintext     -> out = ciphertext || tag
 *   open|chacha|gcm <id> key nonce ad sealed        -> status, plaintext
 *   hmac <id> key message                           -> mac
 *   sha <id> message                                -> digest, hashed in three pieces
 *   x25519 <id> scalar point                        -> status, shared
 *   verify <id> public message signature            -> 1 or 0
 *   stageverify, stagesha: the same through the boot stage's crypto_oberon.c
 *     (platforms/nrf52/boot-stage), which has no JavaScript checks in front of it
 * Results go to results.txt, one line a case: "<id> <status> <hex>". Files are read and written
 * through semihosting in QEMU's working directory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "curves.h"
#include "stage_crypto.h"
#include "symmetric.h"

#define MAX_BYTES 4096

static uint8_t field[5][MAX_BYTES];
static uint32_t length[5];
static uint8_t out[MAX_BYTES + 16];

static int parseHex(const char *text, uint8_t *bytes, uint32_t *count)
{
	size_t n = (strcmp(text, "-") == 0) ? 0 : strlen(text); /* "-" is the empty field */
	if (n % 2 != 0 || n / 2 > MAX_BYTES)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned value;
		if (sscanf(text + 2 * i, "%2x", &value) != 1)
			return -1;
		bytes[i] = (uint8_t)value;
	}
	*count = (uint32_t)(n / 2);
	return 0;
}

static void put(FILE *results, const char *id, int32_t status, const uint8_t *bytes, uint32_t count)
{
	fprintf(results, "%s %ld ", id, (long)status);
	for (uint32_t i = 0; i < count; i++)
		fprintf(results, "%02x", bytes[i]);
	fprintf(results, count ? "\n" : "-\n");
}

static int32_t aead(int seal, int gcm)
{
	typedef int32_t (*Call)(uint8_t *, uint8_t *, uint8_t *, uint8_t *, uint32_t, uint8_t *, uint32_t);
	Call call = gcm ? (seal ? implant_aes_gcm_seal : implant_aes_gcm_open) : (seal ? implant_chachapoly_seal : implant_chachapoly_open);
	return call(out, field[0], field[1], field[2], length[2], field[3], length[3]);
}

int main(void)
{
	static char line[5 * 2 * MAX_BYTES + 64];
	FILE *cases = fopen("cases.txt", "r");
	FILE *results = fopen("results.txt", "w");
	if (cases == NULL || results == NULL)
		return 2;
	while (fgets(line, sizeof(line), cases)) {
		char *kind = strtok(line, " \n"), *id = strtok(NULL, " \n");
		int fields = 0;
		for (char *hex; fields < 5 && (hex = strtok(NULL, " \n")) != NULL; fields++)
			if (parseHex(hex, field[fields], &length[fields]) != 0)
				return 3;
		if (kind == NULL || id == NULL)
			continue;
		int gcm = strstr(kind, "gcm") != NULL;
		if (strncmp(kind, "seal", 4) == 0)
			put(results, id, aead(1, gcm), out, length[3] + 16);
		else if (strncmp(kind, "open", 4) == 0) {
			int32_t status = aead(0, gcm);
			put(results, id, status, out, status == 0 ? length[3] - 16 : 0);
		} else if (strcmp(kind, "hmac") == 0)
			put(results, id, implant_hmac_sha256(out, field[0], length[0], field[1], length[1]), out, 32);
		else if (strcmp(kind, "sha") == 0) {
			static uint8_t state[IMPLANT_SHA256_STATE_BYTES];
			uint32_t third = length[0] / 3;
			int32_t status = implant_sha256_init(state, sizeof(state));
			status |= implant_sha256_update(state, sizeof(state), field[0], third);
			status |= implant_sha256_update(state, sizeof(state), field[0] + third, third);
			status |= implant_sha256_update(state, sizeof(state), field[0] + 2 * third, length[0] - 2 * third);
			status |= implant_sha256_final(out, state, sizeof(state));
			put(results, id, status, out, 32);
		} else if (strcmp(kind, "x25519") == 0)
			put(results, id, implant_x25519(out, field[0], field[1]), out, 32);
		else if (strcmp(kind, "verify") == 0)
			put(results, id, implant_ed25519_verify(field[2], field[1], length[1], field[0]), out, 0);
		else if (strcmp(kind, "stageverify") == 0)
			put(results, id, length[2] == 64 && stage_ed25519_verify(field[2], field[1], length[1], field[0]), out, 0);
		else if (strcmp(kind, "stagesha") == 0) {
			stage_sha256 ctx;
			uint32_t half = length[0] / 2;
			stage_sha256_init(&ctx);
			stage_sha256_update(&ctx, field[0], half);
			stage_sha256_update(&ctx, field[0] + half, length[0] - half);
			stage_sha256_final(&ctx, out);
			put(results, id, 0, out, 32);
		}
		else
			return 4;
	}
	fclose(results);
	fclose(cases);
	return 0;
}
