// nRF5 SDK configuration for the boot stage: only the drivers it uses, no logging.
#ifndef SDK_CONFIG_H
#define SDK_CONFIG_H

#define NRFX_NVMC_ENABLED 1
#define NRFX_QSPI_ENABLED 1
// The DK's MX25R6435F (PCA10056 schematic): pins, 32 MHz, 4-wire read and program.
#define NRFX_QSPI_PIN_SCK 19
#define NRFX_QSPI_PIN_CSN 17
#define NRFX_QSPI_PIN_IO0 20
#define NRFX_QSPI_PIN_IO1 21
#define NRFX_QSPI_PIN_IO2 22
#define NRFX_QSPI_PIN_IO3 23
#define NRFX_QSPI_CONFIG_XIP_OFFSET 0
#define NRFX_QSPI_CONFIG_READOC 4    // READ4IO
#define NRFX_QSPI_CONFIG_WRITEOC 3   // PP4IO
#define NRFX_QSPI_CONFIG_ADDRMODE 0  // 24-bit
#define NRFX_QSPI_CONFIG_MODE 0
#define NRFX_QSPI_CONFIG_FREQUENCY 1 // 32 MHz / 2
#define NRFX_QSPI_CONFIG_SCK_DELAY 1
#define NRFX_QSPI_CONFIG_IRQ_PRIORITY 6

// nrf_bootloader_app_start_final.c: protect the stage and its pages (no DFU from the app).
#define NRF_BL_DFU_ALLOW_UPDATE_FROM_APP 0
#define NRF_BL_DFU_ENTER_METHOD_BUTTONLESS 0
#define NRF_DFU_TRANSPORT_BLE 0
#define NRF_LOG_ENABLED 0
#define NRF_DFU_SETTINGS_VERSION 2

#endif
