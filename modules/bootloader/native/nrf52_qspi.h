/* The QSPI calls of nrf52_qspi.c, for the boot stage's HAL (the firmware reaches them by FFI). */
#ifndef IMPLANT_NRF52_QSPI_H
#define IMPLANT_NRF52_QSPI_H
#include <stdint.h>
int32_t implant_qspi_open(void);
int32_t implant_qspi_read(uint8_t *buffer, uint32_t address, uint32_t length);
int32_t implant_qspi_write(uint8_t *buffer, uint32_t address, uint32_t length);
int32_t implant_qspi_erase(uint32_t address);
#endif
