// The boot stage's portable core: at every reset it reads our boot record from the external
// flash, picks the image to run with the decision of modules/bootloader/boot-select.ts, makes
// the internal flash hold exactly that image (copying it from its external slot when it does
// not), and says what to start. It never starts an image whose signature, digest or security
// counter fails. No hardware calls: flash through stage_flash, crypto through stage_crypto, the
// backup pacer that runs while it writes the internal flash through stage_pacing.
// Formats and guarantees: docs/bootloader.md "nRF52: the boot stage".
#ifndef STAGE_H
#define STAGE_H
#include <stdint.h>
#include "manifest.h"
#include "stage_flash.h"

typedef struct stage_config {
	const stage_flash *ext;      // QSPI NOR: boot record, floor, the two slots; NULL when it does not answer
	const stage_flash *internal; // the application region's flash
	uint32_t record_offset;      // two sectors: the boot record (boot-record.ts)
	uint32_t floor_offset;       // two sectors: the stage's security-counter floor
	uint32_t slot_offset[2];     // each slot: image from offset 0, trailer in its last sector
	uint32_t slot_size;
	uint32_t app_offset;         // where the application runs in `internal`
	uint32_t app_limit;          // first internal byte the stage must never touch (Moddable's storage)
	uint32_t installed_offset;   // one internal sector: the manifest of the image the application region holds
	stage_keys keys;
	const uint8_t *vendor_id;    // 16 bytes
	const uint8_t *class_id;     // 16 bytes
} stage_config;

// boot-record.ts's BootNote values, plus the stage's own.
enum stage_note {
	NOTE_NONE, NOTE_ACTIVATED, NOTE_TRIAL_STARTED, NOTE_CONFIRMED, NOTE_TRIAL_RESET,
	NOTE_CANDIDATE_INVALID, NOTE_SELF_TEST_FAILED, NOTE_CONFIRM_TIMEOUT,
	NOTE_FALLBACK = 100, // the confirmed slot was unusable: the other one runs on trial
	NOTE_INTERNAL_ONLY,  // no slot could be used: the internal copy runs, checked against its kept manifest
};

#define STAGE_SLOT_INTERNAL 2 // stage_result.slot when the internal copy runs on its kept manifest

typedef struct stage_result {
	int slot;            // the slot whose image the internal flash now holds, verified; STAGE_SLOT_INTERNAL; -1: start nothing
	int trial;           // started as a trial (boot record "trying")
	int note;            // enum stage_note: what this reset decided
	int copied;          // the internal flash was (re)written from the slot at this reset
	uint32_t floor;      // the security-counter floor after this reset
	stage_manifest manifest; // of the image to start
} stage_result;

// Runs the decision and the copy. Returns 0 when `out->slot` may be started, -1 when no image
// may (out->slot is then -1). A power cut anywhere leaves a state from which a new call
// reaches the same kind of outcome: the old image or the new one, whole and verified.
// Returns with the backup pacer off when an image may start, on when none may.
int stage_run(const stage_config *cfg, stage_result *out);

#endif
