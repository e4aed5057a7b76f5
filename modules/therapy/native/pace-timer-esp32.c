/*
 * ESP32: the pace timer (pace-timer.h) on one GPTimer counting microseconds, whose alarm interrupt
 * runs from IRAM while the flash cache is off (a flash erase or write stops both cores' cached
 * code, up to a sector erase's 45 ms typical, 400 ms max). Per chamber two events, pulse on and
 * pulse off; the alarm is always set for the earliest pending one, and the interrupt drives the
 * pin with the inlined GPIO register write (gpio_ll_set_level), nothing in flash.
 *
 * Needs, in platforms/esp32/sdkconfig.defaults: CONFIG_GPTIMER_ISR_IRAM_SAFE=y (the driver's
 * interrupt is allocated with ESP_INTR_FLAG_IRAM and its handler is in IRAM) and
 * CONFIG_GPTIMER_CTRL_FUNC_IN_IRAM=y (gptimer_set_alarm_action and gptimer_get_raw_count, which the
 * interrupt calls, are in IRAM). Everything the interrupt touches is in DRAM (.data/.bss).
 *
 * Not done in hardware: a sense does not restart the escape by itself; senses reach JavaScript,
 * which moves or cancels the armed pace (docs/therapy.md, "During a stall").
 */
#if defined(ESP32)

#include "pace-timer.h"
#include "driver/gpio.h"
#include "driver/gptimer.h"
#include "esp_attr.h"
#include "freertos/FreeRTOS.h"
#include "hal/gpio_ll.h"
#include "soc/gpio_struct.h"

/* An arm "now" is set this far ahead, so the alarm is surely still to come. */
#define LEAD_US 20u
#define NO_EVENT UINT64_MAX

typedef struct {
	uint32_t pin;
	uint64_t on_at;  /* NO_EVENT when no pulse is pending */
	uint32_t width_us; /* of the pending pulse */
	uint64_t off_at; /* NO_EVENT when the pin is idle; a pulse on keeps it through a new arm */
	uint8_t has_last;
	uint64_t last_us;
	volatile uint32_t count;
} pace_channel;

static pace_channel gChannels[2] = { { 0, NO_EVENT, 0, NO_EVENT, 0, 0, 0 }, { 0, NO_EVENT, 0, NO_EVENT, 0, 0, 0 } };
static uint32_t gActiveLow;
static gptimer_handle_t gTimer;
static portMUX_TYPE gLock = portMUX_INITIALIZER_UNLOCKED;
/* Static, not const: with CONFIG_GPTIMER_CTRL_FUNC_IN_IRAM the alarm config must not live in flash. */
static gptimer_alarm_config_t gAlarm;

static void IRAM_ATTR drive(const pace_channel *c, int on)
{
	gpio_ll_set_level(&GPIO, c->pin, (on != 0) != (gActiveLow != 0));
}

/*
 * With gLock held: runs every event due by `now` (pulse on, pulse off), then sets the alarm for
 * the next. An event less than LEAD_US ahead runs now rather than on an alarm that the counter
 * might pass before it is set.
 */
static void IRAM_ATTR service(uint64_t now)
{
	for (;;) {
		uint64_t next = NO_EVENT;
		for (int i = 0; i < 2; i++) {
			pace_channel *c = &gChannels[i];
			if (c->on_at <= now) {
				drive(c, 1);
				c->has_last = 1;
				c->last_us = c->on_at;
				c->off_at = c->on_at + c->width_us;
				c->on_at = NO_EVENT;
				c->count++;
			}
			if (c->off_at <= now) {
				drive(c, 0);
				c->off_at = NO_EVENT;
			}
			if (c->on_at < next)
				next = c->on_at;
			if (c->off_at < next)
				next = c->off_at;
		}
		if (next == NO_EVENT) {
			gptimer_set_alarm_action(gTimer, NULL);
			return;
		}
		uint64_t current = 0;
		gptimer_get_raw_count(gTimer, &current);
		if (next > current + LEAD_US) {
			gAlarm.alarm_count = next;
			gptimer_set_alarm_action(gTimer, &gAlarm);
			return;
		}
		now = next > current ? next : current;
	}
}

static bool IRAM_ATTR on_alarm(gptimer_handle_t timer, const gptimer_alarm_event_data_t *event, void *context)
{
	(void)timer;
	(void)context;
	portENTER_CRITICAL_ISR(&gLock);
	service(event->count_value);
	portEXIT_CRITICAL_ISR(&gLock);
	return false; /* no task woken */
}

static uint64_t now_us(void)
{
	uint64_t now = 0;
	gptimer_get_raw_count(gTimer, &now);
	return now;
}

static int32_t start_timer(void)
{
	gptimer_config_t config = {
		.clk_src = GPTIMER_CLK_SRC_DEFAULT,
		.direction = GPTIMER_COUNT_UP,
		.resolution_hz = 1000000,
	};
	gptimer_event_callbacks_t callbacks = { .on_alarm = on_alarm };
	if (gptimer_new_timer(&config, &gTimer) != ESP_OK)
		return IMPLANT_PACE_HARDWARE;
	if (gptimer_register_event_callbacks(gTimer, &callbacks, NULL) != ESP_OK || gptimer_enable(gTimer) != ESP_OK || gptimer_start(gTimer) != ESP_OK)
		return IMPLANT_PACE_HARDWARE;
	return IMPLANT_PACE_OK;
}

static int32_t claim(uint32_t pin)
{
	if (!GPIO_IS_VALID_OUTPUT_GPIO(pin) || gpio_reset_pin(pin) != ESP_OK || gpio_set_direction(pin, GPIO_MODE_OUTPUT) != ESP_OK)
		return IMPLANT_PACE_HARDWARE;
	return IMPLANT_PACE_OK;
}

int32_t implant_pace_open(uint32_t pin_a, uint32_t pin_v, uint32_t active_low)
{
	if (pin_a == pin_v)
		return IMPLANT_PACE_BAD_ARGUMENT;
	if (!gTimer && start_timer() != IMPLANT_PACE_OK)
		return IMPLANT_PACE_HARDWARE;
	if (claim(pin_a) != IMPLANT_PACE_OK || claim(pin_v) != IMPLANT_PACE_OK)
		return IMPLANT_PACE_HARDWARE;
	portENTER_CRITICAL(&gLock);
	gActiveLow = active_low;
	gChannels[0].pin = pin_a;
	gChannels[1].pin = pin_v;
	for (int i = 0; i < 2; i++) {
		gChannels[i].on_at = gChannels[i].off_at = NO_EVENT;
		drive(&gChannels[i], 0);
	}
	service(now_us());
	portEXIT_CRITICAL(&gLock);
	return IMPLANT_PACE_OK;
}

int32_t implant_pace_arm(uint32_t chamber, uint32_t delay_ms, uint32_t width_us)
{
	int32_t checked = implant_pace_check_arm(gTimer != NULL, chamber, delay_ms, width_us);
	if (checked != IMPLANT_PACE_OK)
		return checked;
	pace_channel *c = &gChannels[chamber];
	int32_t status = IMPLANT_PACE_OK;
	portENTER_CRITICAL(&gLock);
	uint64_t now = now_us();
	service(now); /* a pulse due by now goes out (and counts) before it can be replaced */
	uint64_t delay_us = (uint64_t)delay_ms * 1000u;
	uint64_t at = now + (delay_us > LEAD_US ? delay_us : LEAD_US);
	if (c->has_last && at - c->last_us < IMPLANT_PACE_RUNAWAY_US)
		status = IMPLANT_PACE_REFUSED;
	else {
		c->on_at = at;
		c->width_us = width_us;
	}
	service(now);
	portEXIT_CRITICAL(&gLock);
	return status;
}

int32_t implant_pace_cancel(uint32_t chamber)
{
	int32_t checked = implant_pace_check_chamber(gTimer != NULL, chamber);
	if (checked != IMPLANT_PACE_OK)
		return checked;
	portENTER_CRITICAL(&gLock);
	service(now_us());
	pace_channel *c = &gChannels[chamber];
	int32_t was = c->on_at != NO_EVENT;
	c->on_at = NO_EVENT; /* a pulse already on still ends at its off_at */
	service(now_us());
	portEXIT_CRITICAL(&gLock);
	return was;
}

uint32_t implant_pace_count(uint32_t chamber)
{
	if (chamber > 1 || !gTimer)
		return 0;
	portENTER_CRITICAL(&gLock);
	service(now_us());
	uint32_t count = gChannels[chamber].count;
	portEXIT_CRITICAL(&gLock);
	return count;
}

#endif
