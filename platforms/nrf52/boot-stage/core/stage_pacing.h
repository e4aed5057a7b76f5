// The board's backup pacer, provided per build. The NVMC halts the CPU for every internal erase
// (up to 85 ms a page) and word write (41 µs), and a whole copy takes up to ~20 s: so before it
// writes the application region the core starts a pacer that needs no CPU, and it stops it
// after the last write, when the image it starts brings its own (docs/bootloader.md "Pacing
// during the copy"). Board: hardware VVI (nrf52/backup_pacing.c); host: the runner records the calls.
#ifndef STAGE_PACING_H
#define STAGE_PACING_H
#include <stdbool.h>

// on: start pacing (called once before the first write of a boot); off: stop it and leave its
// peripherals as the reset left them.
void hal_backup_pacing(bool on);

#endif
