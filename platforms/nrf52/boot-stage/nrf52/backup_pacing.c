// The stage's backup pacer (core/stage_pacing.h): VVI at the firmware's backup rate on the DK's
// V pace pin, run by peripherals alone, so the NVMC's CPU stalls cannot delay a pace. TIMER4
// (the firmware's pace timer; nothing else runs yet) counts µs from the last ventricular event:
//   COMPARE[0] = escape interval -> GPIOTE CLR, pace on (LED1 is active low); SHORT clears the
//                timer, so the next escape counts from this pace; fork: the VRP starts;
//   COMPARE[1] = pulse width     -> GPIOTE SET, pace off (after a sense too: the pin is already off);
//   COMPARE[2] = VRP             -> the sense channel's group enabled: the VRP ends;
//   sense edge (GPIOTE IN)       -> TIMER4 CLEAR: the escape restarts (inhibition); fork: the VRP starts.
// Each pace starts on time and the VRP means a pace or sense cannot be followed by another
// restart within 320 ms, as the firmware's BackupPacer (docs/bootloader.md "Pacing during the copy").
#include "nrf.h"
#include "nrf_gpio.h"
#include "../core/stage_pacing.h"
#include "config.h"
#include "hal_nrf52.h"

#define TIMER NRF_TIMER4
#define GPIOTE_PACE 0
#define GPIOTE_SENSE 1
enum { CH_PACE_ON, CH_PACE_OFF, CH_VRP_END, CH_SENSE, CHANNELS };
#define GROUP 0 // holds CH_SENSE only: disabled during the VRP
#define ALL_CHANNELS ((1u << CHANNELS) - 1)

static void ppi_wire(int ch, volatile uint32_t *event, volatile uint32_t *task, volatile uint32_t *fork)
{
	NRF_PPI->CH[ch].EEP = (uint32_t)event;
	NRF_PPI->CH[ch].TEP = (uint32_t)task;
	NRF_PPI->FORK[ch].TEP = (uint32_t)fork;
}

static uint32_t timer_now(void)
{
	TIMER->TASKS_CAPTURE[3] = 1;
	return TIMER->CC[3];
}

static void start(void)
{
	nrf_gpio_cfg_input(SENSE_V_PIN, NRF_GPIO_PIN_NOPULL); // as the firmware's monitor: no pull
	NRF_GPIOTE->CONFIG[GPIOTE_PACE] = (GPIOTE_CONFIG_MODE_Task << GPIOTE_CONFIG_MODE_Pos) | (PACE_V_PIN << GPIOTE_CONFIG_PSEL_Pos) |
		(GPIOTE_CONFIG_OUTINIT_High << GPIOTE_CONFIG_OUTINIT_Pos);
	NRF_GPIOTE->CONFIG[GPIOTE_SENSE] = (GPIOTE_CONFIG_MODE_Event << GPIOTE_CONFIG_MODE_Pos) | (SENSE_V_PIN << GPIOTE_CONFIG_PSEL_Pos) |
		(GPIOTE_CONFIG_POLARITY_LoToHi << GPIOTE_CONFIG_POLARITY_Pos);
	TIMER->MODE = TIMER_MODE_MODE_Timer;
	TIMER->BITMODE = TIMER_BITMODE_BITMODE_32Bit;
	TIMER->PRESCALER = 4; // 16 MHz / 2^4: 1 µs ticks
	TIMER->CC[0] = BACKUP_INTERVAL_US;
	TIMER->CC[1] = PACE_PULSE_US;
	TIMER->CC[2] = BACKUP_VRP_US;
	TIMER->SHORTS = TIMER_SHORTS_COMPARE0_CLEAR_Msk;
	ppi_wire(CH_PACE_ON, &TIMER->EVENTS_COMPARE[0], &NRF_GPIOTE->TASKS_CLR[GPIOTE_PACE], &NRF_PPI->TASKS_CHG[GROUP].DIS);
	ppi_wire(CH_PACE_OFF, &TIMER->EVENTS_COMPARE[1], &NRF_GPIOTE->TASKS_SET[GPIOTE_PACE], 0);
	ppi_wire(CH_VRP_END, &TIMER->EVENTS_COMPARE[2], &NRF_PPI->TASKS_CHG[GROUP].EN, 0);
	ppi_wire(CH_SENSE, &NRF_GPIOTE->EVENTS_IN[GPIOTE_SENSE], &TIMER->TASKS_CLEAR, &NRF_PPI->TASKS_CHG[GROUP].DIS);
	NRF_PPI->CHG[GROUP] = 1u << CH_SENSE;
	NRF_PPI->CHENSET = (1u << CH_PACE_ON) | (1u << CH_PACE_OFF) | (1u << CH_VRP_END); // senses from the first VRP's end
	NRF_CLOCK->TASKS_HFCLKSTART = 1; // the crystal: intervals to its ppm, not the RC's per cent (no wait: the timer runs meanwhile)
	TIMER->TASKS_START = 1;          // the first pace one interval from now, as after a sensed beat
}

// Stops at a ventricular event, so the firmware's first pace comes one interval plus its start-up
// after the stage's last (docs/bootloader.md "Pacing during the copy"): waits for the next pace or accepted
// sense (the timer restarts; at most one interval) and the pulse's end, then puts everything back
// as the reset left it.
static void stop(void)
{
	for (uint32_t last = timer_now(), now; (now = timer_now()) >= last; last = now) nrf52_feed_watchdog();
	NRF_PPI->CHENCLR = ALL_CHANNELS & ~(1u << CH_PACE_OFF);
	while (timer_now() <= PACE_PULSE_US) nrf52_feed_watchdog();
	NRF_PPI->CHENCLR = ALL_CHANNELS;
	TIMER->TASKS_STOP = 1;
	TIMER->TASKS_CLEAR = 1;
	TIMER->SHORTS = 0;
	for (int i = 0; i < 4; i++) TIMER->CC[i] = 0, TIMER->EVENTS_COMPARE[i] = 0;
	TIMER->MODE = TIMER_MODE_MODE_Timer;
	TIMER->BITMODE = TIMER_BITMODE_BITMODE_16Bit;
	TIMER->PRESCALER = 4;
	for (int ch = 0; ch < CHANNELS; ch++) ppi_wire(ch, 0, 0, 0);
	NRF_PPI->CHG[GROUP] = 0;
	NRF_GPIOTE->CONFIG[GPIOTE_PACE] = 0; // the pin goes back to the GPIO's reset state: input, LED off
	NRF_GPIOTE->CONFIG[GPIOTE_SENSE] = 0;
	NRF_GPIOTE->EVENTS_IN[GPIOTE_PACE] = NRF_GPIOTE->EVENTS_IN[GPIOTE_SENSE] = 0;
	nrf_gpio_cfg_default(SENSE_V_PIN);
	NRF_CLOCK->TASKS_HFCLKSTOP = 1;
	NRF_CLOCK->EVENTS_HFCLKSTARTED = 0;
}

void hal_backup_pacing(bool on)
{
	if (on) start();
	else stop();
}
