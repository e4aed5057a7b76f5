// nRF5 SDK configuration for the boot stage: only the drivers it uses, no logging.
#ifndef SDK_CONFIG_H
#define SDK_CONFIG_H

#define NRFX_NVMC_ENABLED 1
// NRFX_QSPI_ENABLED: on in modules/bootloader/native/nrf52_qspi.c, which also sets the pins.

// nrf_bootloader_app_start_final.c: protect the stage and its pages (no DFU from the app).
#define NRF_BL_DFU_ALLOW_UPDATE_FROM_APP 0
#define NRF_BL_DFU_ENTER_METHOD_BUTTONLESS 0
#define NRF_DFU_TRANSPORT_BLE 0
#define NRF_LOG_ENABLED 0
#define NRF_DFU_SETTINGS_VERSION 2

#endif
