/*
 * Address privacy for modules/ble/device-privacy.ts through the manifest's "ffi" (one file per
 * board: privacy-nrf52.c, privacy-esp32.c, privacy-lin.c, each compiled only there):
 * - implant_ble_privacy(irk[16], rotation_s): gives the board's BLE stack the device's IRK and
 *   turns on its resolvable private addresses (Bluetooth Core Vol 6 Part B 1.3.2.2), renewed
 *   every rotation_s seconds. Called from the GATT server's constructor, right after Moddable's
 *   server initialised the stack and before its ready event. Returns the result, or
 *   IMPLANT_PRIVACY_PENDING where the stack takes it only later (ESP32: when the NimBLE host
 *   syncs with the controller, which Moddable's ready event waits for).
 * - implant_ble_privacy_state(): the final result, asked in onReady.
 * - implant_ble_adv_active(): 1 while the stack advertises, 0 when it does not,
 *   IMPLANT_ADV_UNKNOWN where the stack never stops advertising on its own (nRF52, lin). NimBLE
 *   stops advertising at each RPA renewal; the GATT server restarts it when this says 0.
 * The IRK arrives most significant octet first (the order of the Core specification's sample
 * data, Vol 3 Part H Appendix D.7, and of radio.irk.get); both stacks hold it least significant
 * octet first (as SMP carries it), so the native files reverse it.
 */
#ifndef IMPLANT_BLE_PRIVACY_H
#define IMPLANT_BLE_PRIVACY_H

#include <stdint.h>

/* The stack advertises with RPAs. */
#define IMPLANT_PRIVACY_RPA 0
/* The board has no address privacy (lin). */
#define IMPLANT_PRIVACY_NONE 1
/* The stack makes RPAs, but the SDK's server advertises with the identity address (ESP32: what Moddable's ready event chose). */
#define IMPLANT_PRIVACY_IDENTITY_ADDRESS 2
/* No result yet: not requested, or (ESP32) the host has not synced with the controller. */
#define IMPLANT_PRIVACY_PENDING 3
/* NULL key or a period the stack cannot take. Other negative values: -(the stack's error code). */
#define IMPLANT_PRIVACY_BAD_ARGUMENT (-2)

/* implant_ble_adv_active: the stack never stops advertising by itself, so there is nothing to watch. */
#define IMPLANT_ADV_UNKNOWN (-1)

/* Bluetooth Core Vol 3 Part H 2.4.2.1: a 128-bit IRK. */
#define IMPLANT_IRK_BYTES 16
/* The longest period both stacks take: BLE_GAP_MAX_PRIVATE_ADDR_CYCLE_INTERVAL_S on the SoftDevice, 0xA1B8 s in NimBLE (11.5 h). */
#define IMPLANT_MAX_ROTATION_S 41400

int32_t implant_ble_privacy(uint8_t *irk, uint32_t rotation_s);
int32_t implant_ble_privacy_state(void);
int32_t implant_ble_adv_active(void);

#endif
