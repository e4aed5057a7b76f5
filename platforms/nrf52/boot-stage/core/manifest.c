// Strict, bounds-checked reading of the few CBOR shapes a manifest uses (RFC 8949 §3): heads
// with 1/2/4/8-byte arguments, byte and text strings, arrays and maps. The signature is checked
// before the payload is decoded, so only genuine manifests reach the map decoder.
#include <string.h>
#include "manifest.h"
#include "stage_crypto.h"

typedef struct reader {
	const uint8_t *b;
	uint32_t len, pos;
	int bad;
} reader;

enum { MAJ_UINT = 0, MAJ_NINT = 1, MAJ_BSTR = 2, MAJ_TSTR = 3, MAJ_ARRAY = 4, MAJ_MAP = 5, MAJ_TAG = 6 };

// Reads one head; returns its major type and sets *arg, or -1 (and r->bad).
static int head(reader *r, uint64_t *arg)
{
	if (r->bad || r->pos >= r->len) return r->bad = 1, -1;
	uint8_t ib = r->b[r->pos++];
	int major = ib >> 5, info = ib & 31, n;
	if (info < 24) return *arg = (uint64_t)info, major;
	if (info == 24) n = 1;
	else if (info == 25) n = 2;
	else if (info == 26) n = 4;
	else if (info == 27) n = 8;
	else return r->bad = 1, -1; // indefinite lengths and reserved values are refused
	if (r->len - r->pos < (uint32_t)n) return r->bad = 1, -1;
	uint64_t v = 0;
	while (n--) v = v << 8 | r->b[r->pos++];
	*arg = v;
	return major;
}

// A byte string: sets *at and *n and skips it; 0 on success.
static int bstr(reader *r, const uint8_t **at, uint32_t *n)
{
	uint64_t len;
	if (head(r, &len) != MAJ_BSTR || len > r->len - r->pos) return r->bad = 1, -1;
	*at = r->b + r->pos;
	*n = (uint32_t)len;
	r->pos += (uint32_t)len;
	return 0;
}

static int expect(reader *r, int major, uint64_t value)
{
	uint64_t arg;
	if (head(r, &arg) != major || arg != value) return r->bad = 1, -1;
	return 0;
}

static uint32_t uint_at_most(reader *r, uint64_t max)
{
	uint64_t v;
	if (head(r, &v) != MAJ_UINT || v > max) return r->bad = 1, 0;
	return (uint32_t)v;
}

// Appends a CBOR head for (major, n) to out; returns the new length.
static uint32_t put_head(uint8_t *out, uint32_t at, int major, uint32_t n)
{
	uint8_t m = (uint8_t)(major << 5);
	if (n < 24) out[at++] = m | (uint8_t)n;
	else if (n < 256) out[at++] = m | 24, out[at++] = (uint8_t)n;
	else out[at++] = m | 25, out[at++] = (uint8_t)(n >> 8), out[at++] = (uint8_t)n;
	return at;
}

static const char AAD[] = "implant/update-manifest/v1";

// Protected header {1: -8, 4: kid(8)} with nothing else (modules/core/cose.ts); sets *kid.
static int protected_header(const uint8_t *p, uint32_t n, const uint8_t **kid)
{
	reader r = { p, n, 0, 0 };
	uint64_t count;
	const uint8_t *k = 0;
	uint32_t klen = 0;
	if (head(&r, &count) != MAJ_MAP || count != 2) return -1;
	expect(&r, MAJ_UINT, 1);
	expect(&r, MAJ_NINT, 7); // -8 is encoded as major 1, argument 7
	expect(&r, MAJ_UINT, 4);
	bstr(&r, &k, &klen);
	if (r.bad || r.pos != n || klen != KEY_ID_BYTES) return -1;
	*kid = k;
	return 0;
}

static const uint8_t *key_for(const uint8_t *kid, const stage_keys *keys)
{
	for (unsigned i = 0; i < keys->count; i++) {
		// Key id: the first 8 bytes of SHA-256 over the raw public key (modules/access/key-id.ts).
		uint8_t d[32];
		stage_sha256 h;
		stage_sha256_init(&h);
		stage_sha256_update(&h, keys->public_keys[i], 32);
		stage_sha256_final(&h, d);
		if (!memcmp(d, kid, KEY_ID_BYTES)) return keys->public_keys[i];
	}
	return 0;
}

// The manifest map (docs/update-format.md): keys 1..8 in ascending order, 8 optional.
static int decode_payload(const uint8_t *p, uint32_t n, stage_manifest *m)
{
	reader r = { p, n, 0, 0 };
	uint64_t count, key;
	const uint8_t *at = 0;
	uint32_t len = 0;
	if (head(&r, &count) != MAJ_MAP || (count != 7 && count != 8)) return -1;
	for (uint64_t i = 1; i <= count && !r.bad; i++) {
		if (head(&r, &key) != MAJ_UINT || key != i) return -1;
		switch (key) {
		case 1: if (uint_at_most(&r, 1) != 1) return -1; break;
		case 2: case 3:
			if (bstr(&r, &at, &len) || len != 16) return -1;
			memcpy(key == 2 ? m->vendor : m->class_id, at, 16);
			break;
		case 4:
			expect(&r, MAJ_ARRAY, 3);
			for (int v = 0; v < 3; v++) m->version[v] = (uint16_t)uint_at_most(&r, 0xFFFF);
			break;
		case 5: m->counter = uint_at_most(&r, 0xFFFFFFFFu); break;
		case 6: m->image_size = uint_at_most(&r, 0xFFFFFFFFu); break;
		case 7:
			expect(&r, MAJ_ARRAY, 2);
			expect(&r, MAJ_NINT, 15); // -16: SHA-256 (RFC 9054 §2.1)
			if (bstr(&r, &at, &len) || len != 32) return -1;
			memcpy(m->digest, at, 32);
			break;
		case 8: uint_at_most(&r, 0x1FFFFFFFFFFFFFull); break; // expiry: the firmware's check (needs a clock)
		}
	}
	return r.bad || r.pos != n ? -1 : 0;
}

int stage_open_manifest(const uint8_t *bytes, uint32_t len, const stage_keys *keys, stage_manifest *out)
{
	reader r = { bytes, len, 0, 0 };
	const uint8_t *prot = 0, *payload = 0, *sig = 0, *kid = 0, *pk;
	uint32_t prot_n = 0, payload_n = 0, sig_n = 0;
	if (len == 0 || len > MANIFEST_MAX_BYTES) return -1;
	expect(&r, MAJ_TAG, 18);   // COSE_Sign1_Tagged (RFC 9052 §2)
	expect(&r, MAJ_ARRAY, 4);
	bstr(&r, &prot, &prot_n);
	expect(&r, MAJ_MAP, 0);    // the empty unprotected header
	bstr(&r, &payload, &payload_n);
	bstr(&r, &sig, &sig_n);
	if (r.bad || r.pos != len || sig_n != 64) return -1;
	if (protected_header(prot, prot_n, &kid) || !(pk = key_for(kid, keys))) return -1;
	// RFC 9052 §4.4: Sig_structure = ["Signature1", protected, external_aad, payload].
	static uint8_t tbs[MANIFEST_MAX_BYTES + 64];
	uint32_t n = 0, aad_n = sizeof AAD - 1;
	if (prot_n + payload_n + aad_n + 24 > sizeof tbs) return -1;
	n = put_head(tbs, n, MAJ_ARRAY, 4);
	n = put_head(tbs, n, MAJ_TSTR, 10);
	memcpy(tbs + n, "Signature1", 10), n += 10;
	n = put_head(tbs, n, MAJ_BSTR, prot_n);
	memcpy(tbs + n, prot, prot_n), n += prot_n;
	n = put_head(tbs, n, MAJ_BSTR, aad_n);
	memcpy(tbs + n, AAD, aad_n), n += aad_n;
	n = put_head(tbs, n, MAJ_BSTR, payload_n);
	memcpy(tbs + n, payload, payload_n), n += payload_n;
	if (!stage_ed25519_verify(sig, tbs, n, pk)) return -1;
	memset(out, 0, sizeof *out);
	return decode_payload(payload, payload_n, out);
}
