// Host runner of the boot stage's core: one power-on of a simulated board whose internal flash
// and external QSPI NOR are files. With --cut N the power fails during flash operation N
// (1-based, erases and programs of both chips counted together), optionally torn (--torn SEED:
// part of the operation lands). The files keep whatever the run or the cut left; one JSON line
// on stdout says what happened, with a trace of the backup pacer's calls (P on, p off) and of the
// internal flash's erases (E) and programs (W), in order. The checking is the caller's
// (host/campaign/boot-stage-campaign.ts).
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "../core/stage.h"
#include "../core/stage_pacing.h"

#define SECTOR 4096
#define WRITE_UNIT 4
#define MAX_KEYS 4

typedef struct sim_chip {
	const char *path;
	uint8_t *cells;
	uint32_t size;
	int traced; // the internal flash: its erases and programs go into the trace
} sim_chip;

static char trace[8192];
static size_t trace_len;

static void record(char what)
{
	if (trace_len + 1 == sizeof trace) { fputs("boot-stage-sim: trace full\n", stderr); exit(2); }
	trace[trace_len++] = what;
}

void hal_backup_pacing(bool on)
{
	record(on ? 'P' : 'p');
}

static unsigned long ops, cut_at, violations;
static int torn;
static uint32_t rng;
static jmp_buf power_lost;

static uint32_t next_random(void)
{
	rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5; // xorshift32
	return rng;
}

static int in_range(sim_chip *c, uint32_t addr, uint32_t len)
{
	return addr <= c->size && len <= c->size - addr;
}

// Counts the operation; at the cut, applies the torn part (if any) and loses power.
static void operation(uint8_t *cells, const uint8_t *data, uint32_t len)
{
	if (++ops != cut_at) return;
	if (torn && len) {
		uint32_t landed = next_random() % len;
		for (uint32_t i = 0; i < landed; i++) cells[i] = data ? cells[i] & data[i] : 0xFF;
		cells[landed] = data ? cells[landed] & (data[landed] | (uint8_t)next_random()) : cells[landed] | (uint8_t)next_random();
	}
	longjmp(power_lost, 1);
}

static int sim_read(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
	sim_chip *c = ctx;
	if (!in_range(c, addr, len)) return violations++, -1;
	memcpy(buf, c->cells + addr, len);
	return 0;
}

static int sim_erase(void *ctx, uint32_t addr)
{
	sim_chip *c = ctx;
	if (addr % SECTOR || !in_range(c, addr, SECTOR)) return violations++, -1;
	if (c->traced) record('E');
	operation(c->cells + addr, NULL, SECTOR);
	memset(c->cells + addr, 0xFF, SECTOR);
	return 0;
}

static int sim_program(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
	sim_chip *c = ctx;
	const uint8_t *d = buf;
	if (addr % WRITE_UNIT || len % WRITE_UNIT || !in_range(c, addr, len)) return violations++, -1;
	// NOR only clears bits; asking it to set one is a fault of the caller, counted.
	for (uint32_t i = 0; i < len; i++) if (d[i] & ~c->cells[addr + i]) { violations++; break; }
	if (c->traced) record('W');
	operation(c->cells + addr, d, len);
	for (uint32_t i = 0; i < len; i++) c->cells[addr + i] &= d[i];
	return 0;
}

static void load(sim_chip *c)
{
	FILE *f = fopen(c->path, "rb");
	if (!f || fseek(f, 0, SEEK_END)) { perror(c->path); exit(2); }
	c->size = (uint32_t)ftell(f);
	rewind(f);
	c->cells = malloc(c->size);
	if (!c->cells || fread(c->cells, 1, c->size, f) != c->size || c->size % SECTOR) { fprintf(stderr, "%s: bad image\n", c->path); exit(2); }
	fclose(f);
}

static void save(const sim_chip *c)
{
	FILE *f = fopen(c->path, "wb");
	if (!f || fwrite(c->cells, 1, c->size, f) != c->size || fclose(f)) { perror(c->path); exit(2); }
}

static void hex(const char *text, uint8_t *out, size_t n, const char *what)
{
	if (strlen(text) != 2 * n || sodium_hex2bin(out, n, text, 2 * n, NULL, NULL, NULL)) {
		fprintf(stderr, "%s must be %zu hex bytes\n", what, n);
		exit(2);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: boot-stage-sim --ext FILE --int FILE --layout REC,FLOOR,SLOT0,SLOT1,SLOTSIZE,APP,APPLIMIT,INSTALLED\n"
		"  --key HEX32 [--key ...] --vendor HEX16 --class HEX16 [--cut N [--torn SEED]] [--qspi dead]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static uint8_t keys[MAX_KEYS][32], vendor[16], class_id[16];
	sim_chip ext = { 0 }, internal = { .traced = 1 };
	stage_config cfg = { 0 };
	unsigned nkeys = 0;
	int have_layout = 0, have_ids = 0, qspi_answers = 1;
	for (int i = 1; i + 1 < argc; i += 2) {
		const char *flag = argv[i], *v = argv[i + 1];
		if (!strcmp(flag, "--ext")) ext.path = v;
		else if (!strcmp(flag, "--int")) internal.path = v;
		else if (!strcmp(flag, "--key") && nkeys < MAX_KEYS) hex(v, keys[nkeys++], 32, "--key");
		else if (!strcmp(flag, "--vendor")) hex(v, vendor, 16, "--vendor"), have_ids |= 1;
		else if (!strcmp(flag, "--class")) hex(v, class_id, 16, "--class"), have_ids |= 2;
		else if (!strcmp(flag, "--cut")) cut_at = strtoul(v, NULL, 0);
		else if (!strcmp(flag, "--torn")) torn = 1, rng = (uint32_t)strtoul(v, NULL, 0) | 1;
		else if (!strcmp(flag, "--qspi")) qspi_answers = strcmp(v, "dead") != 0;
		else if (!strcmp(flag, "--layout")) {
			long f[8];
			if (sscanf(v, "%li,%li,%li,%li,%li,%li,%li,%li", &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]) != 8) usage();
			cfg.record_offset = f[0], cfg.floor_offset = f[1], cfg.slot_offset[0] = f[2], cfg.slot_offset[1] = f[3];
			cfg.slot_size = f[4], cfg.app_offset = f[5], cfg.app_limit = f[6], cfg.installed_offset = f[7];
			have_layout = 1;
		} else usage();
	}
	if (!ext.path || !internal.path || !have_layout || have_ids != 3 || !nkeys || sodium_init() < 0) usage();
	load(&ext);
	load(&internal);
	stage_flash ext_flash = { &ext, ext.size, SECTOR, WRITE_UNIT, sim_read, sim_erase, sim_program };
	stage_flash int_flash = { &internal, internal.size, SECTOR, WRITE_UNIT, sim_read, sim_erase, sim_program };
	cfg.ext = qspi_answers ? &ext_flash : NULL; // --qspi dead: the chip does not answer
	cfg.internal = &int_flash;
	cfg.keys = (stage_keys){ (const uint8_t (*)[32])keys, nkeys };
	cfg.vendor_id = vendor;
	cfg.class_id = class_id;
	stage_result res;
	int rc = -1, cut = 0;
	if (setjmp(power_lost)) cut = 1;
	else rc = stage_run(&cfg, &res);
	save(&ext);
	save(&internal);
	free(ext.cells);
	free(internal.cells);
	if (cut) {
		printf("{\"ops\":%lu,\"cut\":true,\"violations\":%lu,\"trace\":\"%s\"}\n", ops, violations, trace);
		return 0;
	}
	const stage_manifest *m = &res.manifest;
	printf("{\"ops\":%lu,\"cut\":false,\"violations\":%lu,\"trace\":\"%s\",\"started\":%s,\"slot\":%d,\"trial\":%s,\"note\":%d,\"copied\":%s,"
		"\"floor\":%u,\"counter\":%u,\"version\":\"%u.%u.%u\",\"imageSize\":%u}\n",
		ops, violations, trace, rc == 0 ? "true" : "false", res.slot, res.trial ? "true" : "false", res.note, res.copied ? "true" : "false",
		res.floor, rc == 0 ? m->counter : 0, m->version[0], m->version[1], m->version[2], rc == 0 ? m->image_size : 0);
	return 0;
}
