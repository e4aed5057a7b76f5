#ifndef HAL_NRF52_H
#define HAL_NRF52_H
#include "../core/stage_flash.h"
#include "config.h"

// The internal flash HAL refuses anything outside the application region and the
// installed-manifest page, whatever the core asks.
#define APP_START_GUARD APP_START
#define APP_LIMIT_GUARD APP_LIMIT

extern const stage_flash nrf52_internal;
extern const stage_flash nrf52_qspi;
int nrf52_qspi_start(void);
// The watchdog a soft reset leaves running is fed by every flash operation and every wait.
void nrf52_feed_watchdog(void);
void nrf52_qspi_stop(void);

#endif
