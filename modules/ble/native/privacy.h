/*
 * implant_ble_privacy(irk[16], rotation_s) -> int32_t, for modules/ble/device-privacy.ts through
 * the manifest's "ffi": gives the board's BLE stack the device's IRK and turns on its resolvable
 * private addresses (Bluetooth Core Vol 6 Part B 1.3.2.2), renewed every rotation_s seconds.
 * Called before advertising; the stack keeps the setting while advertising stops and starts.
 * One file per board (privacy-nrf52.c, privacy-esp32.c, privacy-lin.c), each compiled only there.
 */
#ifndef IMPLANT_BLE_PRIVACY_H
#define IMPLANT_BLE_PRIVACY_H

#include <stdint.h>

/* The stack advertises with RPAs. */
#define IMPLANT_PRIVACY_RPA 0
/* The board has no address privacy (lin). */
#define IMPLANT_PRIVACY_NONE 1
/* The stack makes RPAs, but the SDK's server advertises with the identity address (ESP32 NimBLE). */
#define IMPLANT_PRIVACY_IDENTITY_ADDRESS 2
/* NULL key or a period the stack cannot take. Other negative values: -(the stack's error code). */
#define IMPLANT_PRIVACY_BAD_ARGUMENT (-2)

/* Bluetooth Core Vol 3 Part H 2.4.2.1: a 128-bit IRK. */
#define IMPLANT_IRK_BYTES 16

int32_t implant_ble_privacy(uint8_t *irk, uint32_t rotation_s);

#endif
