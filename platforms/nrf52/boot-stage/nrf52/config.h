// Where things are on the nRF52840 DK for the boot stage. The QSPI numbers repeat
// modules/bootloader/qspi-layout.ts (NRF52_QSPI_LAYOUT); the internal ones Moddable's
// build/devices/nrf52/config/xsproj.ld (FLASH from 0x27000) and xsHost.c (the 64 KiB
// "storage" partition ends where FLASH ends, 0xEF000).
#ifndef STAGE_CONFIG_H
#define STAGE_CONFIG_H

#define APP_START 0x27000u          // after the MBR and SoftDevice S140 7.x
#define APP_LIMIT 0xDF000u          // Moddable's storage partition starts here: never written
#define INSTALLED_OFFSET 0xFD000u   // last page of the stage's region: the installed image's manifest
#define QSPI_RECORD_OFFSET 0x0000u  // boot record, two 4 KiB sectors
#define QSPI_FLOOR_OFFSET 0x2000u   // the stage's security-counter floor, two sectors
#define QSPI_SLOT0_OFFSET 0x10000u
#define QSPI_SLOT_SIZE 0xB9000u     // APP_LIMIT - APP_START, plus the trailer sector
#define QSPI_SLOT1_OFFSET (QSPI_SLOT0_OFFSET + QSPI_SLOT_SIZE)
#define QSPI_BYTES 0x800000u        // MX25R6435F, 8 MiB

// Backup pacing while the stage writes the internal flash (nrf52/backup_pacing.c): the firmware's
// pins and numbers. modules/therapy/pin-maps.ts 'nrf52840-dk': paceV is LED1, lit while the pin
// is low (paceActiveLow); senseV takes a comparator's output, a rising edge per beat.
#define PACE_V_PIN 13
#define SENSE_V_PIN 4
#define BACKUP_INTERVAL_US 923000u // modules/therapy-control/backup-pacer.ts BACKUP_INTERVAL_MS (65 ppm)
#define BACKUP_VRP_US 320000u      // BACKUP_VRP_MS
#define PACE_PULSE_US 5000u        // modules/therapy/device-io.ts PULSE_MS: the pulse the pin shows

// modules/bootloader/identity.ts: IMPLANT_VENDOR_UUID and BOARD_CLASS_UUIDS.nrf52
#define VENDOR_UUID { 0x7e, 0x5a, 0x00, 0x00, 0x4c, 0x1b, 0x4e, 0x8b, 0x9d, 0x3a, 0x2f, 0x6c, 0x1b, 0x0e, 0x9a, 0x51 }
#define CLASS_UUID  { 0x7e, 0x5a, 0x02, 0x00, 0x4c, 0x1b, 0x4e, 0x8b, 0x9d, 0x3a, 0x2f, 0x6c, 0x1b, 0x0e, 0x9a, 0x51 }

#endif
