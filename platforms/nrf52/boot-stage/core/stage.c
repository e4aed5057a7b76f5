#include <string.h>
#include "stage.h"
#include "stage_crypto.h"
#include "stage_pacing.h"
#include "crc32.h"
#include "twin_record.h"

#define BOOT_MAGIC 0x544F4249u  // "IBOT", modules/bootloader/boot-record.ts
#define FLOOR_MAGIC 0x524C4649u // "IFLR": written by the stage only
#define TRAILER_MAGIC 0x50554D49u // "IMUP", modules/bootloader/layout.ts
#define TRAILER_FORMAT 1
#define TRAILER_HEADER 16
#define MARK_COMMITTED 0
#define MARK_COMPLETE 1
#define BUF_BYTES 4096
// Sectors erased past the image's end: Moddable looks for mods one sector past the image
// (xsHost.c espFindUnusedFlashStart), so stale bytes of a longer old image must not stay there.
#define TAIL_SECTORS 2

enum { STATE_CONFIRMED, STATE_PENDING, STATE_TRYING };

typedef struct boot_record {
	int seq0; // no valid record: a factory device
	int state, confirmed, trial, note;
} boot_record;

typedef struct slot_check {
	int known, ok, in_place; // in_place: the internal flash already holds this image
	stage_manifest m;
	uint32_t raw_len;
	uint8_t raw[MANIFEST_MAX_BYTES]; // the COSE_Sign1 bytes, kept for the installed-manifest sector
} slot_check;

// The installed-manifest sector in internal flash: "IINS", manifest length, CRC-32 of the
// manifest, then the manifest. Only a fallback for a QSPI chip that does not answer, so it needs
// no power-safe pair: a torn or stale one names no image the internal flash holds, and the
// image is checked against it before it starts.
#define INSTALLED_MAGIC 0x534E4949u // "IINS"
#define INSTALLED_HEADER 12

typedef struct run {
	const stage_config *cfg;
	twin_area records, floor_area;
	slot_check slots[2];
	uint32_t floor;
	int copied;
	uint8_t buf[BUF_BYTES];
} run;

static run R; // one run at a time; static, so the board's stack stays small

// Every erase and program of the internal flash goes through these two; the backup pacer runs
// through all of them, since stage_run starts it before anything else.
static int internal_erase(run *r, uint32_t addr)
{
	const stage_flash *in = r->cfg->internal;
	return in->erase(in->ctx, addr);
}

static int internal_program(run *r, uint32_t addr, const void *buf, uint32_t len)
{
	const stage_flash *in = r->cfg->internal;
	return in->program(in->ctx, addr, buf, len);
}

static void read_record(run *r, boot_record *out)
{
	uint8_t b[TWIN_RECORD_BYTES];
	memset(out, 0, sizeof *out);
	if (!twin_read(&r->records, b) || b[5] > STATE_TRYING || b[6] > 1 || b[7] > 1 || b[8] > NOTE_CONFIRM_TIMEOUT) {
		out->seq0 = 1; // boot-record.ts FACTORY_RECORD: confirmed bank 0
		return;
	}
	out->state = b[5], out->confirmed = b[6], out->trial = b[7], out->note = b[8];
}

static int write_record(run *r, int state, int confirmed, int trial, int note)
{
	uint8_t b[TWIN_RECORD_BYTES];
	memset(b, 0xFF, sizeof b);
	b[5] = (uint8_t)state, b[6] = (uint8_t)confirmed, b[7] = (uint8_t)trial, b[8] = (uint8_t)note;
	return twin_write(&r->records, b);
}

static uint32_t read_floor(run *r)
{
	uint8_t b[TWIN_RECORD_BYTES];
	return twin_read(&r->floor_area, b) ? stage_get_u32(b + 16) : 0;
}

static void raise_floor(run *r, uint32_t value)
{
	uint8_t b[TWIN_RECORD_BYTES];
	if (value <= r->floor) return;
	memset(b, 0xFF, sizeof b);
	stage_put_u32(b + 16, value);
	if (twin_write(&r->floor_area, b) == 0) r->floor = value;
}

static int mark_set(const uint8_t *marks, int index, uint32_t unit)
{
	for (uint32_t i = (uint32_t)index * unit; i < (uint32_t)(index + 1) * unit; i++)
		if (marks[i]) return 0;
	return 1;
}

// The slot's manifest when its trailer says the transfer completed (trailer.ts), else -1.
static int trailer_manifest(run *r, int slot, uint8_t *manifest, uint32_t *len)
{
	const stage_flash *f = r->cfg->ext;
	uint32_t trailer = r->cfg->slot_offset[slot] + r->cfg->slot_size - f->sector;
	uint32_t unit = f->write_unit;
	uint32_t mark_offset = (TRAILER_HEADER + MANIFEST_MAX_BYTES + unit - 1) / unit * unit;
	uint8_t header[TRAILER_HEADER], marks[2 * 16];
	if (unit > 16 || f->read(f->ctx, trailer, header, sizeof header)) return -1;
	*len = stage_get_u32(header + 8);
	if (stage_get_u32(header) != TRAILER_MAGIC || header[4] != TRAILER_FORMAT || *len == 0 || *len > MANIFEST_MAX_BYTES) return -1;
	if (f->read(f->ctx, trailer + mark_offset, marks, 2 * unit)) return -1;
	if (!mark_set(marks, MARK_COMMITTED, unit) || !mark_set(marks, MARK_COMPLETE, unit)) return -1;
	return f->read(f->ctx, trailer + TRAILER_HEADER, manifest, *len) ? -1 : 0;
}

// SHA-256 of `len` bytes of `f` from `offset`; 0 when it equals `digest`.
static int digest_matches(run *r, const stage_flash *f, uint32_t offset, uint32_t len, const uint8_t digest[32])
{
	stage_sha256 h;
	uint8_t d[32];
	stage_sha256_init(&h);
	for (uint32_t done = 0; done < len;) {
		uint32_t n = len - done < BUF_BYTES ? len - done : BUF_BYTES;
		if (f->read(f->ctx, offset + done, r->buf, n)) return -1;
		stage_sha256_update(&h, r->buf, n);
		done += n;
	}
	stage_sha256_final(&h, d);
	return memcmp(d, digest, 32) ? -1 : 0;
}

static uint32_t max_image(const stage_config *c)
{
	uint32_t app = c->app_limit - c->app_offset;
	uint32_t slot = c->ext ? c->slot_size - c->ext->sector : app;
	return slot < app ? slot : app;
}

static int for_this_device(const stage_config *c, const stage_manifest *m)
{
	return !memcmp(m->vendor, c->vendor_id, 16) && !memcmp(m->class_id, c->class_id, 16) &&
		m->image_size > 0 && m->image_size <= max_image(c);
}

// boot-select.ts's inspect: complete, trusted, for this device, and whole (in the internal
// flash already, or in the slot). Remembered for the rest of the run.
static const slot_check *inspect(run *r, int slot)
{
	slot_check *s = &r->slots[slot];
	const stage_config *c = r->cfg;
	if (s->known) return s;
	s->known = 1;
	if (trailer_manifest(r, slot, s->raw, &s->raw_len) || stage_open_manifest(s->raw, s->raw_len, &c->keys, &s->m)) return s;
	if (!for_this_device(c, &s->m)) return s;
	s->in_place = digest_matches(r, c->internal, c->app_offset, s->m.image_size, s->m.digest) == 0;
	s->ok = s->in_place || digest_matches(r, c->ext, c->slot_offset[slot], s->m.image_size, s->m.digest) == 0;
	return s;
}

static const slot_check *bootable(run *r, int slot)
{
	const slot_check *s = inspect(r, slot);
	return s->ok && s->m.counter >= r->floor ? s : 0;
}

// Keeps the manifest of the image now in the application region beside it (written only when it changed).
static void keep_installed(run *r, const slot_check *s)
{
	const stage_flash *in = r->cfg->internal;
	uint32_t n = (INSTALLED_HEADER + s->raw_len + in->write_unit - 1) / in->write_unit * in->write_unit;
	uint8_t *page = r->buf;
	memset(page, 0xFF, n);
	stage_put_u32(page, INSTALLED_MAGIC);
	stage_put_u32(page + 4, s->raw_len);
	stage_put_u32(page + 8, stage_crc32(s->raw, s->raw_len));
	memcpy(page + INSTALLED_HEADER, s->raw, s->raw_len);
	static uint8_t now[INSTALLED_HEADER + MANIFEST_MAX_BYTES + 16];
	if (in->read(in->ctx, r->cfg->installed_offset, now, n) == 0 && !memcmp(now, page, n)) return;
	if (internal_erase(r, r->cfg->installed_offset) == 0) internal_program(r, r->cfg->installed_offset, page, n);
}

// No slot could be used (or the QSPI chip does not answer): the internal copy may still run if
// its kept manifest is genuine, for this device, not below the floor, and matches its bytes.
static int internal_only(run *r, stage_result *out)
{
	const stage_config *c = r->cfg;
	slot_check *s = &r->slots[0];
	uint8_t header[INSTALLED_HEADER];
	out->slot = -1, out->floor = r->floor, out->copied = r->copied;
	if (c->internal->read(c->internal->ctx, c->installed_offset, header, sizeof header)) return -1;
	s->raw_len = stage_get_u32(header + 4);
	if (stage_get_u32(header) != INSTALLED_MAGIC || s->raw_len == 0 || s->raw_len > MANIFEST_MAX_BYTES) return -1;
	if (c->internal->read(c->internal->ctx, c->installed_offset + INSTALLED_HEADER, s->raw, s->raw_len)) return -1;
	if (stage_get_u32(header + 8) != stage_crc32(s->raw, s->raw_len)) return -1;
	if (stage_open_manifest(s->raw, s->raw_len, &c->keys, &s->m) || !for_this_device(c, &s->m) || s->m.counter < r->floor) return -1;
	if (digest_matches(r, c->internal, c->app_offset, s->m.image_size, s->m.digest)) return -1;
	out->slot = STAGE_SLOT_INTERNAL, out->note = NOTE_INTERNAL_ONLY, out->manifest = s->m;
	return 0;
}

// Makes the internal flash hold the slot's image: each sector erased, then programmed from
// the slot, then the whole checked against the signed digest, and its manifest kept beside it.
// Repeating it after a power cut is harmless: the slot does not change while it is copied.
static int install(run *r, int slot)
{
	const stage_config *c = r->cfg;
	const stage_flash *in = c->internal;
	slot_check *s = &r->slots[slot];
	uint32_t size = s->m.image_size, sector = in->sector;
	uint32_t end = (size + sector - 1) / sector * sector + TAIL_SECTORS * sector;
	if (s->in_place) return keep_installed(r, s), 0;
	if (sector > BUF_BYTES || BUF_BYTES % in->write_unit) return -1;
	if (end > c->app_limit - c->app_offset) end = c->app_limit - c->app_offset;
	r->slots[0].in_place = r->slots[1].in_place = 0; // the internal flash changes from here
	r->copied = 1;
	for (uint32_t at = 0; at < end; at += sector) {
		if (internal_erase(r, c->app_offset + at)) return -1;
		if (at >= size) continue;
		uint32_t n = size - at < sector ? size - at : sector;
		uint32_t padded = (n + in->write_unit - 1) / in->write_unit * in->write_unit;
		memset(r->buf, 0xFF, padded);
		if (c->ext->read(c->ext->ctx, c->slot_offset[slot] + at, r->buf, n)) return -1;
		if (internal_program(r, c->app_offset + at, r->buf, padded)) return -1;
	}
	if (digest_matches(r, in, c->app_offset, size, s->m.digest)) return -1;
	s->in_place = 1;
	keep_installed(r, s);
	return 0;
}

static int chosen(run *r, stage_result *out, int slot, int trial, int note)
{
	out->slot = slot, out->trial = trial, out->note = note;
	out->manifest = r->slots[slot].m;
	out->floor = r->floor;
	out->copied = r->copied;
	return 0;
}

// Factory device (no valid record): the older bootable image, never an unconfirmed newer one.
static int oldest_bootable(run *r)
{
	const slot_check *a = bootable(r, 0), *b = bootable(r, 1);
	if (!a || !b) return b && !a ? 1 : 0;
	long order = (long)a->m.counter - (long)b->m.counter;
	for (int i = 0; i < 3 && !order; i++) order = (long)a->m.version[i] - b->m.version[i];
	return order <= 0 ? 0 : 1;
}

static int decide(run *r, const stage_config *cfg, stage_result *out)
{
	boot_record rec;
	int note = NOTE_NONE;
	if (!cfg->ext) return internal_only(r, out);
	r->records = (twin_area){ cfg->ext, cfg->record_offset, BOOT_MAGIC };
	r->floor_area = (twin_area){ cfg->ext, cfg->floor_offset, FLOOR_MAGIC };
	r->floor = read_floor(r);
	read_record(r, &rec);
	if (rec.seq0) rec.confirmed = oldest_bootable(r);
	// The confirmed image's counter becomes the floor (the firmware raises its own counter
	// after the confirm; the stage keeps one it can read itself).
	const slot_check *confirmed = inspect(r, rec.confirmed);
	if (confirmed->ok) raise_floor(r, confirmed->m.counter);
	if (!rec.seq0 && rec.state == STATE_PENDING) {
		// The trial is marked only once its image is whole in the internal flash: a cut
		// during the copy leaves "pending", and the next reset copies again.
		if (bootable(r, rec.trial) && install(r, rec.trial) == 0 &&
			write_record(r, STATE_TRYING, rec.confirmed, rec.trial, NOTE_TRIAL_STARTED) == 0)
			return chosen(r, out, rec.trial, 1, NOTE_TRIAL_STARTED);
		write_record(r, STATE_CONFIRMED, rec.confirmed, rec.confirmed, note = NOTE_CANDIDATE_INVALID);
	} else if (!rec.seq0 && rec.state == STATE_TRYING) {
		// The trial image reset (crash, watchdog, power) before it confirmed: go back.
		write_record(r, STATE_CONFIRMED, rec.confirmed, rec.confirmed, note = NOTE_TRIAL_RESET);
	}
	if (bootable(r, rec.confirmed) && install(r, rec.confirmed) == 0)
		return chosen(r, out, rec.confirmed, 0, note);
	// The confirmed image is damaged: run the other one, on trial, rather than nothing.
	int other = 1 - rec.confirmed;
	if (bootable(r, other) && install(r, other) == 0 &&
		write_record(r, STATE_TRYING, rec.confirmed, other, NOTE_TRIAL_STARTED) == 0)
		return chosen(r, out, other, 1, NOTE_FALLBACK);
	return internal_only(r, out);
}

int stage_run(const stage_config *cfg, stage_result *out)
{
	run *r = &R;
	memset(r, 0, sizeof *r);
	memset(out, 0, sizeof *out);
	out->slot = -1;
	r->cfg = cfg;
	// Pace from the reset on, once per boot (a restart would restart the escape interval): even
	// a boot that writes nothing first hashes the image it starts, a large part of an escape
	// interval (docs/bootloader.md, "Pacing during the copy").
	hal_backup_pacing(true);
	int rc = decide(r, cfg, out);
	// An image starts: its own pacer takes over. None does: the stage waits for the programmer,
	// and paces meanwhile.
	if (rc == 0)
		hal_backup_pacing(false);
	return rc;
}
