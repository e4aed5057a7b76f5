/*
 * ESP-IDF app-rollback calls for modules/bootloader/device-esp32-boot.ts, through XS FFI
 * (modules/bootloader/native/manifest.json). Moddable exposes no rollback API; these are the
 * few calls the A/B state machine needs. Needs CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE=y so that
 * the ESP-IDF bootloader moves a new image from NEW to PENDING_VERIFY on its first boot and to
 * ABORTED (booting the other slot) if it resets before it is marked valid.
 * Every function returns an esp_err_t (0 = ESP_OK) or, for the state query, the state.
 */
#include <stdint.h>

int32_t implant_ota_running_state(void);
int32_t implant_ota_next_is_boot(void);
int32_t implant_ota_activate_next(void);
int32_t implant_ota_confirm(void);
int32_t implant_ota_revert(void);

#if defined(ESP32)

#include "esp_ota_ops.h"

/* esp_ota_img_states_t of the running partition: 1 PENDING_VERIFY means "on trial";
   -1 when the partition has no otadata entry (a factory image). */
int32_t implant_ota_running_state(void)
{
	esp_ota_img_states_t state;
	if (esp_ota_get_state_partition(esp_ota_get_running_partition(), &state) != ESP_OK)
		return -1;
	return (int32_t)state;
}

/* 1 when otadata selects the other slot for the next boot (an activation waits for reset). */
int32_t implant_ota_next_is_boot(void)
{
	return esp_ota_get_boot_partition() != esp_ota_get_running_partition();
}

/* Selects the other slot for the next boot. ESP-IDF first checks the image there
   (esp_image_verify: header, SHA-256 and, with Secure Boot v2, its signature). */
int32_t implant_ota_activate_next(void)
{
	const esp_partition_t *next = esp_ota_get_next_update_partition(NULL);
	if (next == NULL)
		return ESP_ERR_NOT_FOUND;
	return esp_ota_set_boot_partition(next);
}

int32_t implant_ota_confirm(void)
{
	return esp_ota_mark_app_valid_cancel_rollback();
}

/* Marks the running trial image invalid and reboots into the previous one; returns only on error. */
int32_t implant_ota_revert(void)
{
	return esp_ota_mark_app_invalid_rollback_and_reboot();
}

#else

/* Other ports have no ESP-IDF otadata: report "not supported" (ESP_ERR_NOT_SUPPORTED). */
int32_t implant_ota_running_state(void) { return -1; }
int32_t implant_ota_next_is_boot(void) { return 0; }
int32_t implant_ota_activate_next(void) { return 0x106; }
int32_t implant_ota_confirm(void) { return 0x106; }
int32_t implant_ota_revert(void) { return 0x106; }

#endif
