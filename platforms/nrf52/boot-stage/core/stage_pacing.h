// The board's backup pacer, provided per build. The NVMC halts the CPU for every internal erase
// (up to 85 ms a page) and word write (41 µs), a whole copy takes up to ~20 s, and even a boot
// that writes nothing hashes the image it starts first: so the core starts a pacer that
// needs no CPU as it begins, and stops it when the image it starts brings its own
// (docs/bootloader.md "Pacing during the copy"). Board: hardware VVI (nrf52/backup_pacing.c);
// host: the runner records the calls.
#ifndef STAGE_PACING_H
#define STAGE_PACING_H
#include <stdbool.h>

// on: start pacing (called once, as a boot begins); off: stop it and leave its
// peripherals as the reset left them.
void hal_backup_pacing(bool on);

#endif
