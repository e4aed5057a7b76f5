/*
 * nRF52840: the pace timer in hardware (pace-timer.h). TIMER4 counts microseconds; per chamber a
 * compare event drives the pace pin's GPIOTE task through PPI (on), and a second compare, the
 * pulse width later, drives the opposite task (off). The "on" PPI channel forks to its own PPI
 * group's DISABLE task, so a pulse fires once. None of it needs the CPU, which the NVMC halts for
 * a page erase (tERASEPAGE up to 85 ms) or a word write: an armed pace goes out on time through
 * any flash operation. The TIMER4 interrupt only counts the pulse for JavaScript; after a stall it
 * runs late, the pulse does not.
 *
 * TIMER4 because the SoftDevice owns TIMER0, Moddable's serial (libuarte) TIMER1 and its CPU-load
 * instrumentation TIMER3; TIMER4 is Moddable's "microseconds" module's, which this manifest does
 * not include. Also TIMER2 has only 4 compare registers and this uses 5 (4 + one to read the
 * time). PPI channels and groups come from nrfx_ppi's allocator, which leaves the SoftDevice's
 * reserved ones alone; GPIOTE output channels from nrfx_gpiote (the driver Moddable's digital
 * monitor initialises too).
 *
 * Not done in hardware: a sense does not restart the escape by itself (a GPIOTE IN event could
 * clear the timer through PPI); senses reach JavaScript, which moves or cancels the armed pace.
 * During a stall a sense therefore waits for the CPU, and the pace armed before it goes out
 * (docs/therapy.md, "During a stall").
 */
#if defined(nrf52)

#include "pace-timer.h"
#include "nrf.h"
#include "nrf_timer.h"
#include "nrfx_gpiote.h"
#include "nrfx_ppi.h"

#define PACE_TIMER NRF_TIMER4
#define PACE_TIMER_IRQn TIMER4_IRQn
/*
 * Compare registers: 0/1 pulse on (A/V), 2/3 pulse off (A/V), 4 reads the time. An arm while the
 * last pulse is still on (the engine re-arms as soon as it hears of a pulse) leaves that pulse's
 * off compare alone and writes the new one from the interrupt at its end, which comes at least
 * 273 ms before the new pulse (the runaway guard), so even after a page erase it is in time.
 */
#define CC_NOW 4
/* APP_IRQ_PRIORITY_LOW: a priority the SoftDevice leaves to the application. */
#define PACE_IRQ_PRIORITY 6
/* An arm "now" is set this far ahead, so the compare is surely still to come. */
#define LEAD_US 20u

typedef struct {
	uint32_t pin;
	nrf_ppi_channel_t on;
	nrf_ppi_channel_t off;
	nrf_ppi_channel_group_t group; /* holds `on` only; its DISABLE task makes the pulse one-shot */
	uint8_t pending;
	uint8_t has_last;
	uint8_t off_deferred; /* the pulse on still needs its compare: next_off goes in when it ends */
	uint32_t last_us; /* when the last pulse went out */
	uint32_t off_us;  /* when the compare in the off register ends a pulse */
	uint32_t next_off;
	volatile uint32_t count;
} pace_channel;

static pace_channel gChannels[2];
static uint8_t gAllocated;
static uint8_t gOpen;

static uint32_t now_us(void)
{
	nrf_timer_task_trigger(PACE_TIMER, nrf_timer_capture_task_get(CC_NOW));
	return nrf_timer_cc_read(PACE_TIMER, CC_NOW);
}

static nrf_timer_event_t on_event(uint32_t chamber)
{
	return nrf_timer_compare_event_get(chamber);
}

/* With interrupts off: the pulse of `chamber` went out (its compare event is set); count it once. */
static void account(uint32_t chamber)
{
	pace_channel *c = &gChannels[chamber];
	if (!c->pending || !nrf_timer_event_check(PACE_TIMER, on_event(chamber)))
		return;
	nrf_timer_event_clear(PACE_TIMER, on_event(chamber));
	c->pending = 0;
	c->has_last = 1;
	c->last_us = nrf_timer_cc_read(PACE_TIMER, chamber);
	c->count++;
}

/* With interrupts off: the off compare of `chamber` for a pulse ending at `off`. */
static void write_off(pace_channel *c, uint32_t chamber, uint32_t off)
{
	nrf_timer_cc_write(PACE_TIMER, 2 + chamber, off);
	c->off_us = off;
	c->off_deferred = 0;
}

void TIMER4_IRQHandler(void)
{
	for (uint32_t chamber = 0; chamber < 2; chamber++) {
		pace_channel *c = &gChannels[chamber];
		account(chamber);
		/* A compare of a chamber no longer pending (cancelled as it fired): just clear it. */
		nrf_timer_event_clear(PACE_TIMER, on_event(chamber));
		nrf_timer_event_t off = nrf_timer_compare_event_get(2 + chamber);
		if (nrf_timer_event_check(PACE_TIMER, off)) {
			nrf_timer_event_clear(PACE_TIMER, off);
			if (c->off_deferred)
				write_off(c, chamber, c->next_off);
		}
	}
}

static int32_t allocate(void)
{
	for (uint32_t i = 0; i < 2; i++) {
		pace_channel *c = &gChannels[i];
		if (nrfx_ppi_channel_alloc(&c->on) != NRFX_SUCCESS || nrfx_ppi_channel_alloc(&c->off) != NRFX_SUCCESS
				|| nrfx_ppi_group_alloc(&c->group) != NRFX_SUCCESS || nrfx_ppi_channel_include_in_group(c->on, c->group) != NRFX_SUCCESS)
			return IMPLANT_PACE_HARDWARE;
	}
	nrf_timer_mode_set(PACE_TIMER, NRF_TIMER_MODE_TIMER);
	nrf_timer_bit_width_set(PACE_TIMER, NRF_TIMER_BIT_WIDTH_32);
	nrf_timer_frequency_set(PACE_TIMER, NRF_TIMER_FREQ_1MHz);
	nrf_timer_int_enable(PACE_TIMER, NRF_TIMER_INT_COMPARE0_MASK | NRF_TIMER_INT_COMPARE1_MASK | NRF_TIMER_INT_COMPARE2_MASK | NRF_TIMER_INT_COMPARE3_MASK);
	NVIC_SetPriority(PACE_TIMER_IRQn, PACE_IRQ_PRIORITY);
	NVIC_ClearPendingIRQ(PACE_TIMER_IRQn);
	NVIC_EnableIRQ(PACE_TIMER_IRQn);
	nrf_timer_task_trigger(PACE_TIMER, NRF_TIMER_TASK_START);
	gAllocated = 1;
	return IMPLANT_PACE_OK;
}

static int32_t claim(uint32_t chamber, uint32_t pin, uint32_t active_low)
{
	pace_channel *c = &gChannels[chamber];
	nrfx_gpiote_out_config_t config = NRFX_GPIOTE_CONFIG_OUT_TASK_TOGGLE(active_low != 0);
	if (gOpen)
		nrfx_gpiote_out_uninit(c->pin);
	c->pin = pin;
	if (nrfx_gpiote_out_init(pin, &config) != NRFX_SUCCESS)
		return IMPLANT_PACE_HARDWARE;
	nrfx_gpiote_out_task_enable(pin);
	uint32_t set = nrfx_gpiote_set_task_addr_get(pin), clr = nrfx_gpiote_clr_task_addr_get(pin);
	uint32_t on_eep = (uint32_t)nrf_timer_event_address_get(PACE_TIMER, on_event(chamber));
	uint32_t off_eep = (uint32_t)nrf_timer_event_address_get(PACE_TIMER, nrf_timer_compare_event_get(2 + chamber));
	if (nrfx_ppi_channel_assign(c->on, on_eep, active_low ? clr : set) != NRFX_SUCCESS
			|| nrfx_ppi_channel_fork_assign(c->on, nrfx_ppi_task_addr_group_disable_get(c->group)) != NRFX_SUCCESS
			|| nrfx_ppi_channel_assign(c->off, off_eep, active_low ? set : clr) != NRFX_SUCCESS
			|| nrfx_ppi_channel_enable(c->off) != NRFX_SUCCESS)
		return IMPLANT_PACE_HARDWARE;
	return IMPLANT_PACE_OK;
}

/*
 * With interrupts off: no pulse of `chamber` can start after this. Returns whether one was pending.
 * A compare within a cycle of the disable is counted as paced: the runaway guard then errs towards
 * fewer pulses, never more.
 */
static int32_t disarm(uint32_t chamber)
{
	pace_channel *c = &gChannels[chamber];
	nrfx_ppi_group_disable(c->group);
	account(chamber);
	int32_t was = c->pending;
	c->pending = 0;
	return was;
}

int32_t implant_pace_open(uint32_t pin_a, uint32_t pin_v, uint32_t active_low)
{
	if (pin_a >= NUMBER_OF_PINS || pin_v >= NUMBER_OF_PINS || pin_a == pin_v)
		return IMPLANT_PACE_BAD_ARGUMENT;
	if (!nrfx_gpiote_is_init() && nrfx_gpiote_init() != NRFX_SUCCESS)
		return IMPLANT_PACE_HARDWARE;
	if (!gAllocated && allocate() != IMPLANT_PACE_OK)
		return IMPLANT_PACE_HARDWARE;
	__disable_irq();
	disarm(0);
	disarm(1);
	__enable_irq();
	int32_t status = claim(0, pin_a, active_low);
	if (status == IMPLANT_PACE_OK)
		status = claim(1, pin_v, active_low);
	gOpen = status == IMPLANT_PACE_OK;
	return status;
}

int32_t implant_pace_arm(uint32_t chamber, uint32_t delay_ms, uint32_t width_us)
{
	int32_t checked = implant_pace_check_arm(gOpen, chamber, delay_ms, width_us);
	if (checked != IMPLANT_PACE_OK)
		return checked;
	pace_channel *c = &gChannels[chamber];
	int32_t status = IMPLANT_PACE_OK;
	__disable_irq();
	disarm(chamber);
	uint32_t delay_us = delay_ms * 1000u;
	uint32_t at = now_us() + (delay_us > LEAD_US ? delay_us : LEAD_US);
	if (c->has_last && at - c->last_us < IMPLANT_PACE_RUNAWAY_US)
		status = IMPLANT_PACE_REFUSED;
	else {
		nrf_timer_cc_write(PACE_TIMER, chamber, at);
		if (c->has_last && (int32_t)(now_us() - c->off_us) < 0) {
			c->next_off = at + width_us;
			c->off_deferred = 1;
		}
		else
			write_off(c, chamber, at + width_us);
		nrf_timer_event_clear(PACE_TIMER, on_event(chamber));
		c->pending = 1;
		nrfx_ppi_group_enable(c->group);
	}
	__enable_irq();
	return status;
}

int32_t implant_pace_cancel(uint32_t chamber)
{
	int32_t checked = implant_pace_check_chamber(gOpen, chamber);
	if (checked != IMPLANT_PACE_OK)
		return checked;
	__disable_irq();
	int32_t was = disarm(chamber);
	__enable_irq();
	return was;
}

uint32_t implant_pace_count(uint32_t chamber)
{
	if (chamber > 1)
		return 0;
	__disable_irq();
	account(chamber);
	uint32_t count = gChannels[chamber].count;
	__enable_irq();
	return count;
}

#endif
